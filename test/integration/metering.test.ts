/**
 * Metering against the real server: a scripted session with the real ali-oss and pop-core clients,
 * then /usage, /metrics and `barbucket usage` checked exactly; and kill -9 after the flush window
 * loses no acknowledged request's record.
 *
 * Loopback is made "internet" here (BARBUCKET_INTERNAL_NETWORKS=none) so egress is billable.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { request } from "node:http";
import { createRequire } from "node:module";
import { join } from "node:path";
import { promisify } from "node:util";
import { REPO_ROOT, startServer, type TestServer } from "./harness.js";
import { ossClient, ossError, type AliOssClient } from "./ali-oss.js";
import { popClient, rpc, rpcError, type PopCoreClient } from "./pop.js";
import type { UsageReport } from "../../src/metering/report.js";

const QRCode = createRequire(import.meta.url)("qrcode") as { toBuffer(text: string, options: Record<string, unknown>): Promise<Buffer> };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function usageOf(server: TestServer, query: string): Promise<{ status: number; body: UsageReport & { error?: string } }> {
  const res = await fetch(`http://127.0.0.1:${server.adminPort}/usage?${query}`);
  return { status: res.status, body: (await res.json()) as UsageReport & { error?: string } };
}

function total(report: UsageReport, item: string, dimension: string): number {
  return report.totals.find((t) => t.item === item && t.dimension === dimension)?.quantity ?? 0;
}

/** The value of one Prometheus sample, labels matched in any order. */
function sample(metrics: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of metrics.split("\n")) {
    const m = /^(\w+)\{([^}]*)\} (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = Object.fromEntries([...m[2]!.matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.keys(labels).length === Object.keys(got).length && Object.entries(labels).every(([k, v]) => got[k] === v)) return Number(m[3]);
  }
  return undefined;
}

/** GET through an acceleration host name (presigned V1 URL: the signature does not cover the host). */
function acceleratedGet(server: TestServer, url: string): Promise<{ status: number; body: Buffer }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port: server.ossPort, path: u.pathname + u.search, headers: { host: u.host } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.setTimeout(30_000, () => req.destroy(new Error("timeout")));
    req.end();
  });
}

describe("metering: a scripted session billed exactly", () => {
  let server: TestServer;
  let oss: AliOssClient;
  let imm: PopCoreClient;
  const bucket = "meter-bkt";
  const from = new Date(Date.now() - 3_600_000).toISOString();
  let egress = 0; // response body bytes the client received on billable (2xx/3xx) responses
  const bodySize = (r: { res: { size?: number; headers: Record<string, string> } }) => r.res.size ?? Number(r.res.headers["content-length"] ?? 0);

  before(async () => {
    // Requests only: no storage snapshot after the start-up one (storage-metering.test.ts checks storage).
    server = await startServer({ env: { BARBUCKET_INTERNAL_NETWORKS: "none", BARBUCKET_STORAGE_USAGE_INTERVAL_MS: "3600000" } });
    oss = ossClient(server, { bucket });
    imm = popClient(server, "2020-09-30");
    // PUT-type, Standard: the bucket, four objects and one listing; IA: two objects.
    await oss.putBucket(bucket);
    await oss.put("std-1.bin", Buffer.alloc(1000, 1));
    await oss.put("std-2.bin", Buffer.alloc(2000, 2));
    await oss.put("qr.png", await QRCode.toBuffer("https://example.com/meter", { margin: 4, scale: 6 }));
    await oss.put("notes.txt", Buffer.from("not an image"));
    await oss.put("ia-1.bin", Buffer.alloc(3000, 3), { headers: { "x-oss-storage-class": "IA" } });
    await oss.put("ia-2.bin", Buffer.alloc(500, 4), { headers: { "x-oss-storage-class": "IA" } });
    egress += bodySize(await oss.list({ "max-keys": 100 }));
    // GET-type: full and ranged reads, heads.
    const full = await oss.get("std-1.bin");
    assert.equal(full.content.length, 1000);
    egress += bodySize(full);
    const ranged = await oss.get("std-2.bin", { headers: { Range: "bytes=0-99" } });
    assert.equal(ranged.content.length, 100);
    egress += bodySize(ranged);
    egress += bodySize(await oss.get("ia-1.bin"));
    const iaRange = await oss.get("ia-1.bin", { headers: { Range: "bytes=100-599" } });
    assert.equal(iaRange.content.length, 500);
    egress += bodySize(iaRange);
    await oss.head("std-1.bin");
    await oss.head("ia-2.bin");
    // Failures: billed nothing (OSS bills 2xx/3xx only).
    assert.equal((await ossError(() => oss.get("missing.bin"))).status, 404);
    // image/codes: one success, one failure on a non-image.
    await rpc(imm, "CreateProject", { ProjectName: "meter-project" });
    await rpc(imm, "AttachOSSBucket", { ProjectName: "meter-project", OSSBucket: bucket });
    const codes = await oss.get("qr.png", { process: "image/codes" });
    assert.equal(JSON.parse(codes.content.toString()).Codes[0].Content, "https://example.com/meter");
    egress += bodySize(codes);
    const failed = await ossError(() => oss.get("notes.txt", { process: "image/codes" }));
    assert.ok(failed.status >= 400, String(failed.status));
    // DetectImageCodes: one success, one failure.
    await rpc(imm, "DetectImageCodes", { ProjectName: "meter-project", SourceURI: `oss://${bucket}/qr.png` });
    await rpcError(rpc(imm, "DetectImageCodes", { ProjectName: "meter-project", SourceURI: `oss://${bucket}/notes.txt` }));
    // Transfer acceleration: one GET on bucket.oss-accelerate.aliyuncs.com.
    const accel = ossClient(server, { bucket, endpoint: "http://oss-accelerate.aliyuncs.com" });
    const got = await acceleratedGet(server, accel.signatureUrl("std-1.bin", { expires: 600 }));
    assert.equal(got.status, 200);
    assert.equal(got.body.length, 1000);
    egress += got.body.length;
    await sleep(100); // the last response's 'close' reaches the meter
  });
  after(async () => {
    await server?.stop();
    server?.cleanup();
  });

  it("/usage totals are exact per item", async () => {
    const { status, body } = await usageOf(server, `bucket=${bucket}&from=${encodeURIComponent(from)}&to=${Date.now() + 3_600_000}`);
    assert.equal(status, 200, JSON.stringify(body));
    const expected: [string, string, number][] = [
      ["GetRequest", "Standard", 5], // get std-1, ranged get std-2, head std-1, image/codes, accelerated get
      ["GetRequest", "IA", 3], // get ia-1, ranged get ia-1, head ia-2
      ["PutRequest", "Standard", 6], // PutBucket, 4 PutObject, ListObjects (OSS bills listing as PUT)
      ["PutRequest", "IA", 2],
      ["EgressBytes", "internet", egress],
      ["RetrievalBytes", "ia", 3500],
      ["AccelerationBytes", "oss-accelerate.aliyuncs.com", 1000],
      ["ImageQRCodes", "", 2], // image/codes success + DetectImageCodes success; both failures cost nothing
    ];
    for (const [item, dim, qty] of expected) assert.equal(total(body, item, dim), qty, `${item}:${dim}`);
    assert.equal(body.totals.length, expected.length, JSON.stringify(body.totals));
    assert.ok(body.hours.length >= expected.length && body.hours.every((h) => h.bucket === bucket && h.hour.endsWith(":00:00.000Z")));
    const line = body.bill.lines.find((l) => l.item === "RetrievalBytes")!;
    assert.equal(line.unitPrice, 0.0325);
    assert.equal(line.amount, Math.round((3500 / 1024 ** 3) * 0.0325 * 1e9) / 1e9);
    assert.equal(body.bill.currency, "CNY");
    assert.ok(body.bill.total > 0);
    console.log(JSON.stringify(body.bill.lines.map((l) => [l.item, l.dimension, l.quantity, l.unit, l.unitPrice, l.amount])), body.bill.total);
  });

  it("/metrics counters match", async () => {
    const text = await (await fetch(`http://127.0.0.1:${server.adminPort}/metrics`)).text();
    const req = (method: string, cls: string) => sample(text, "barbucket_requests_total", { bucket, method, storage_class: cls });
    assert.equal(req("GET", "Standard"), 5);
    assert.equal(req("GET", "IA"), 3);
    assert.equal(req("PUT", "Standard"), 6);
    assert.equal(req("PUT", "IA"), 2);
    assert.equal(sample(text, "barbucket_egress_bytes_total", { bucket, network: "internet" }), egress);
    assert.equal(sample(text, "barbucket_retrieval_bytes_total", { bucket, kind: "ia" }), 3500);
    assert.equal(sample(text, "barbucket_image_qrcodes_total", { bucket }), 2);
    assert.equal(sample(text, "barbucket_acceleration_bytes_total", { bucket, domain: "oss-accelerate.aliyuncs.com" }), 1000);
  });

  it("/usage rejects bad parameters with a 400 JSON error", async () => {
    for (const q of ["from=1", "from=yesterday&to=2", "from=5&to=1", "from=1&to=2&bucket=Bad_Bucket", "from=1&to=2&color=red"]) {
      const { status, body } = await usageOf(server, q);
      assert.equal(status, 400, q);
      assert.equal(typeof body.error, "string", q);
    }
  });

  it("barbucket usage: JSON and table, from the admin endpoint and from usage.sqlite", async () => {
    const run = promisify(execFile);
    const cli = join(REPO_ROOT, "bin/barbucket.js");
    const range = ["--bucket", bucket, "--from", from, "--to", String(Date.now() + 3_600_000)];
    const viaAdmin = JSON.parse((await run(process.execPath, [cli, "usage", ...range, "--json", "--admin", `http://127.0.0.1:${server.adminPort}`])).stdout) as UsageReport;
    assert.equal(total(viaAdmin, "ImageQRCodes", ""), 2);
    assert.equal(total(viaAdmin, "EgressBytes", "internet"), egress);
    // Direct read: what has been flushed (everything, a flush window after the session).
    await sleep(1500);
    const viaFile = JSON.parse((await run(process.execPath, [cli, "usage", ...range, "--json", "--data-dir", server.dataDir])).stdout) as UsageReport;
    assert.deepEqual(viaFile.totals, viaAdmin.totals);
    const table = (await run(process.execPath, [cli, "usage", ...range, "--data-dir", server.dataDir])).stdout;
    assert.match(table, /ImageQRCodes\s+-\s+2\b/);
    assert.match(table, /RetrievalBytes\s+ia\s+3500\s+GB\s+0\.0325/);
    assert.match(table, /TOTAL\s+\d+\.\d{9}/);
    console.log(table);
    const bad = await run(process.execPath, [cli, "usage", "--from", "x", "--to", "1"]).catch((e: { code: number; stderr: string }) => e);
    assert.equal((bad as { code: number }).code, 2);
  });
});

describe("metering: kill -9 loses nothing acknowledged before the flush window", () => {
  let server: TestServer | undefined;
  after(async () => {
    await server?.stop("SIGKILL");
    server?.cleanup();
  });

  it("every request acknowledged more than one flush window before SIGKILL is in /usage after restart", async () => {
    const flushMs = 200;
    const env = { BARBUCKET_INTERNAL_NETWORKS: "none", BARBUCKET_USAGE_FLUSH_MS: String(flushMs) };
    server = await startServer({ env });
    const bucket = "crash-meter";
    const oss = ossClient(server, { bucket });
    await oss.putBucket(bucket);
    const n = 20;
    for (let i = 0; i < n; i++) await oss.put(`k${i}`, Buffer.alloc(100 + i));
    for (let i = 0; i < n; i++) await oss.get(`k${i}`);
    // All acknowledged. Wait out the window (plus slack for the flush's own fsync), then kill -9.
    await sleep(flushMs * 3);
    await server.stop("SIGKILL");
    const dataDir = server.dataDir;
    server = await startServer({ dataDir, env });
    const { body } = await usageOf(server, `bucket=${bucket}&from=${Date.now() - 3_600_000}&to=${Date.now() + 3_600_000}`);
    assert.equal(total(body, "PutRequest", "Standard"), 1 + n);
    assert.equal(total(body, "GetRequest", "Standard"), n);
    assert.equal(total(body, "EgressBytes", "internet"), Array.from({ length: n }, (_, i) => 100 + i).reduce((a, b) => a + b, 0));
  });
});
