/**
 * Load benchmark (issue #18 part 4; not a test): the real server (`node dist/src/main.js`,
 * BARBUCKET_WORKERS as configured, default: the number of cores) on loopback, driven for
 * `--seconds` (60) by `--connections` (200) keep-alive connections, each looping one request at a
 * time through a fixed mix of GETs, PUTs, multipart uploads and image/codes (every request
 * V4-signed with the Authorization header, so every one has its signature checked).
 *
 *   npm run bench:load
 *   node dist/bench/load.js --seconds 20 --connections 100 --workers 1 --json out.json
 *
 * Reports per operation: count, errors, req/s, p50/p99 latency; errors by operation, status and
 * OSS code (image/codes' documented `503 ServiceUnavailable` when its queue is full is the only
 * acceptable error, counted apart); the server's CPU time; and the peak RSS summed over the
 * primary and all its workers (VmRSS from /proc, sampled every 200 ms). Exits 1 on any other
 * error. Bounded: every request times out after `--request-timeout-ms`, the run stops issuing at
 * the deadline and waits at most 60 s for requests in flight, and the server is always stopped.
 */
import http from "node:http";
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer, type AddressInfo } from "node:net";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { setTimeout as sleep } from "node:timers/promises";
import { cpuMs, errorCode, percentile, processTree, rssKib, send, type Credentials, type Request } from "./load-client.js";

const REPO_ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const BUCKET = "bench-load";
const require = createRequire(import.meta.url);
const QRCode = require("qrcode") as { toBuffer(text: string, options: Record<string, unknown>): Promise<Buffer> };
const RPCClient = require("@alicloud/pop-core").RPCClient as new (options: Record<string, unknown>) => { request(action: string, params: Record<string, unknown>, options: Record<string, unknown>): Promise<unknown> };

const { values: args } = parseArgs({
  options: {
    seconds: { type: "string", default: "60" }, connections: { type: "string", default: "200" },
    workers: { type: "string" }, "codes-workers": { type: "string" }, "log-level": { type: "string", default: "warn" },
    "request-timeout-ms": { type: "string", default: "60000" }, json: { type: "string" },
  },
});
function positive(text: string | undefined, name: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer`);
  return n;
}
const SECONDS = positive(args.seconds, "--seconds");
const CONNECTIONS = positive(args.connections, "--connections");
const TIMEOUT_MS = positive(args["request-timeout-ms"], "--request-timeout-ms");
const KIB = 1024;
const SMALL = 4 * KIB;
const LARGE = 1024 * KIB;
const PUT_SMALL = 64 * KIB;
const PART = 256 * KIB; // multipart: two parts of 256 KiB and a last one of 100 KiB
const LAST_PART = 100 * KIB;
const GET_SMALL_KEYS = 100;
const GET_LARGE_KEYS = 10;
const PUT_KEYS = 500;
const QR_KEYS = 32;
const QR_VARIANTS = 96;

/** The mix: weights per operation (each connection draws one per request). */
const MIX = [
  { op: "GET 4KiB", weight: 35 },
  { op: "GET 1MiB", weight: 10 },
  { op: "PUT 64KiB", weight: 20 },
  { op: "PUT 1MiB", weight: 8 },
  { op: "multipart 612KiB", weight: 4 },
  { op: "image/codes", weight: 15 },
  { op: "PUT qr.png", weight: 8 },
] as const;
type Op = (typeof MIX)[number]["op"];
const TOTAL_WEIGHT = MIX.reduce((s, m) => s + m.weight, 0);

function pick(): Op {
  let r = Math.random() * TOTAL_WEIGHT;
  for (const m of MIX) if ((r -= m.weight) < 0) return m.op;
  return MIX[0].op;
}

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => res(port));
    });
    probe.on("error", rej);
  });
}

interface Server { child: ChildProcess; port: number; rpcPort: number; creds: Credentials; stop(): Promise<void> }

async function startServer(): Promise<Server> {
  const dataDir = mkdtempSync(join(tmpdir(), "barbucket-load-"));
  const [port, rpcPort] = [await freePort(), await freePort()];
  const creds: Credentials = { keyId: "LTAILOADROOTKEY000000001", secret: randomBytes(16).toString("hex"), region: "cn-hangzhou" };
  const child = spawn(process.execPath, [join(REPO_ROOT, "dist/src/main.js")], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      BARBUCKET_HOST: "127.0.0.1", BARBUCKET_PORT: String(port), BARBUCKET_RPC_PORT: String(rpcPort), BARBUCKET_ADMIN_PORT: "0", BARBUCKET_CONSOLE_PORT: "0",
      BARBUCKET_DATA_DIR: dataDir, BARBUCKET_ROOT_ACCESS_KEY_ID: creds.keyId, BARBUCKET_ROOT_ACCESS_KEY_SECRET: creds.secret,
      BARBUCKET_LOG_LEVEL: args["log-level"]!,
      ...(args.workers ? { BARBUCKET_WORKERS: String(positive(args.workers, "--workers")) } : {}),
      ...(args["codes-workers"] ? { BARBUCKET_CODES_WORKERS: String(positive(args["codes-workers"], "--codes-workers")) } : {}),
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  child.stdout!.resume();
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((res) => child.once("exit", () => res()));
      child.kill("SIGTERM");
      await Promise.race([exited, sleep(20_000, undefined, { ref: false })]);
      if (child.exitCode === null && child.signalCode === null) for (const pid of processTree(child.pid!).reverse()) try { process.kill(pid, "SIGKILL"); } catch { /* gone */ }
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && child.exitCode === null) {
    const up = await new Promise<boolean>((res) => http.get({ host: "127.0.0.1", port, path: "/", agent: false }, (r) => { r.resume(); res(true); }).on("error", () => res(false)));
    if (up) return { child, port, rpcPort, creds, stop };
    await sleep(100);
  }
  await stop();
  throw new Error("the server did not answer within 30 s");
}

class Stats {
  readonly latencies = new Map<Op, number[]>();
  readonly errors = new Map<string, number>();
  accepted503 = 0;
  record(op: Op, ms: number, error?: string): void {
    if (error === undefined) {
      let list = this.latencies.get(op);
      if (!list) this.latencies.set(op, (list = []));
      if (list.length < 5_000_000) list.push(ms);
    } else this.errors.set(`${op}: ${error}`, (this.errors.get(`${op}: ${error}`) ?? 0) + 1);
  }
}

async function main(): Promise<void> {
  console.log(`${new Date().toISOString()}  node ${process.version}  ${cpus().length} cores  load avg ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  const server = await startServer();
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS, maxFreeSockets: CONNECTIONS });
  const call = (request: Request, keepBody = false) => send(agent, server.port, server.creds, request, TIMEOUT_MS, keepBody);
  const expectOk = async (request: Request, keepBody = false) => {
    const res = await call(request, keepBody);
    if (res.status !== 200) throw new Error(`${request.method} ${request.key}: ${res.status} ${errorCode(res.body)}`);
    return res;
  };
  let sampler: NodeJS.Timeout | undefined;
  try {
    const pids = () => processTree(server.child.pid!);
    console.log(`server: ${pids().length} process(es) (primary ${server.child.pid}), BARBUCKET_WORKERS=${args.workers ?? "default"}; ${CONNECTIONS} connections for ${SECONDS} s`);
    console.log(`mix (weights of ${TOTAL_WEIGHT}): ${MIX.map((m) => `${m.op} ${m.weight}`).join(", ")}`);
    // Set-up: the bucket, an IMM project bound to it (image/codes needs one), the objects read.
    await expectOk({ method: "PUT", bucket: BUCKET, key: "" });
    const imm = new RPCClient({ accessKeyId: server.creds.keyId, accessKeySecret: server.creds.secret, endpoint: `http://127.0.0.1:${server.rpcPort}`, apiVersion: "2020-09-30" });
    await imm.request("CreateProject", { ProjectName: "load" }, { method: "POST" });
    await imm.request("AttachOSSBucket", { ProjectName: "load", OSSBucket: BUCKET }, { method: "POST" });
    const small = randomBytes(SMALL);
    const large = randomBytes(LARGE);
    const putSmall = randomBytes(PUT_SMALL);
    const part = randomBytes(PART);
    const lastPart = randomBytes(LAST_PART);
    const qr = await Promise.all(Array.from({ length: QR_VARIANTS }, (_, i) => QRCode.toBuffer(`barbucket load ${i} ${randomBytes(6).toString("hex")}`, { width: 480, margin: 4 })));
    for (let i = 0; i < GET_SMALL_KEYS; i++) await expectOk({ method: "PUT", bucket: BUCKET, key: `small/${i}`, body: small });
    for (let i = 0; i < GET_LARGE_KEYS; i++) await expectOk({ method: "PUT", bucket: BUCKET, key: `large/${i}`, body: large });
    for (let i = 0; i < QR_KEYS; i++) await expectOk({ method: "PUT", bucket: BUCKET, key: `qr/${i}.png`, body: qr[i]!, contentType: "image/png" });

    const ops: Record<Op, () => Promise<string | undefined>> = {
      "GET 4KiB": async () => check(await call({ method: "GET", bucket: BUCKET, key: `small/${rand(GET_SMALL_KEYS)}` }), SMALL),
      "GET 1MiB": async () => check(await call({ method: "GET", bucket: BUCKET, key: `large/${rand(GET_LARGE_KEYS)}` }), LARGE),
      "PUT 64KiB": async () => check(await call({ method: "PUT", bucket: BUCKET, key: `put/${rand(PUT_KEYS)}`, body: putSmall })),
      "PUT 1MiB": async () => check(await call({ method: "PUT", bucket: BUCKET, key: `put-large/${rand(PUT_KEYS)}`, body: large })),
      "PUT qr.png": async () => check(await call({ method: "PUT", bucket: BUCKET, key: `qr/${rand(QR_KEYS)}.png`, body: qr[rand(QR_VARIANTS)]!, contentType: "image/png" })),
      "image/codes": async () => {
        const res = await call({ method: "GET", bucket: BUCKET, key: `qr/${rand(QR_KEYS)}.png`, query: [["x-oss-process", "image/codes"]] }, true);
        if (res.status === 503) return "503";
        const failed = check(res);
        if (failed) return failed;
        const codes = (JSON.parse(res.body!.toString("utf8")) as { Codes?: unknown[] }).Codes;
        return codes?.length === 1 ? undefined : `200 with ${codes?.length ?? "no"} codes`;
      },
      "multipart 612KiB": async () => {
        const key = `multipart/${rand(PUT_KEYS)}`;
        const init = await call({ method: "POST", bucket: BUCKET, key, query: [["uploads", ""]] }, true);
        if (init.status !== 200) return `initiate ${check(init)}`;
        const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(init.body!.toString("utf8"))?.[1];
        if (!uploadId) return "initiate: no UploadId";
        const etags: string[] = [];
        for (const [n, body] of [[1, part], [2, part], [3, lastPart]] as const) {
          const res = await call({ method: "PUT", bucket: BUCKET, key, query: [["partNumber", String(n)], ["uploadId", uploadId]], body });
          if (res.status !== 200) return `part ${check(res)}`;
          etags.push(String(res.headers.etag));
        }
        const xml = `<CompleteMultipartUpload>${etags.map((e, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${e}</ETag></Part>`).join("")}</CompleteMultipartUpload>`;
        const done = await call({ method: "POST", bucket: BUCKET, key, query: [["uploadId", uploadId]], body: Buffer.from(xml), contentType: "application/xml" });
        return done.status === 200 ? undefined : `complete ${check(done)}`;
      },
    };

    // Peak RSS of all server processes, sampled through set-up's end and the whole run.
    let peakRss = 0;
    let peakAt: Array<[number, number]> = [];
    const sample = () => {
      const rows = pids().map((pid) => [pid, rssKib(pid)] as [number, number]);
      const sum = rows.reduce((s, [, kib]) => s + kib, 0);
      if (sum > peakRss) [peakRss, peakAt] = [sum, rows];
    };
    sample();
    const idleRss = peakRss;
    sampler = setInterval(sample, 200);
    const cpuBefore = new Map(pids().map((pid) => [pid, cpuMs(pid)]));

    const stats = new Stats();
    const started = performance.now();
    const deadline = started + SECONDS * 1000;
    const connection = async (): Promise<void> => {
      while (performance.now() < deadline) {
        const op = pick();
        const t0 = performance.now();
        let outcome: string | undefined;
        try {
          outcome = await ops[op]();
        } catch (error) {
          outcome = (error as Error).message.slice(0, 80);
        }
        if (outcome === "503") stats.accepted503++;
        else stats.record(op, performance.now() - t0, outcome);
      }
    };
    const finished = Promise.all(Array.from({ length: CONNECTIONS }, connection));
    const done = await Promise.race([finished.then(() => true), sleep(SECONDS * 1000 + 60_000, false, { ref: false })]);
    const elapsed = (performance.now() - started) / 1000;
    clearInterval(sampler);
    sample();
    const cpuUsed = pids().reduce((s, pid) => s + cpuMs(pid) - (cpuBefore.get(pid) ?? 0), 0);
    if (!done) console.log("requests still in flight 60 s after the deadline: not waited for");

    const rows = MIX.map(({ op }) => {
      const lat = (stats.latencies.get(op) ?? []).sort((a, b) => a - b);
      const errors = [...stats.errors].filter(([k]) => k.startsWith(`${op}:`)).reduce((s, [, n]) => s + n, 0);
      return { op, ok: lat.length, errors, perSec: lat.length / elapsed, p50Ms: percentile(lat, 50), p99Ms: percentile(lat, 99) };
    });
    const totalOk = rows.reduce((s, r) => s + r.ok, 0);
    console.log(`\nop                 ok      errors  ok/s    p50 ms   p99 ms`);
    for (const r of rows) console.log(`${r.op.padEnd(17)} ${String(r.ok).padStart(7)} ${String(r.errors).padStart(7)} ${r.perSec.toFixed(1).padStart(6)} ${r.p50Ms.toFixed(1).padStart(8)} ${r.p99Ms.toFixed(1).padStart(8)}`);
    console.log(`all              ${String(totalOk).padStart(7)} ${String(rows.reduce((s, r) => s + r.errors, 0)).padStart(7)} ${(totalOk / elapsed).toFixed(1).padStart(6)}   (multipart: initiate + 3 parts + complete, timed as one)`);
    console.log(`image/codes 503 ServiceUnavailable (queue full, acceptable): ${stats.accepted503}`);
    console.log(stats.errors.size === 0 ? "errors: none" : `errors:\n${[...stats.errors].map(([k, n]) => `  ${k} × ${n}`).join("\n")}`);
    console.log(`server CPU: ${(cpuUsed / 1000).toFixed(1)} s over ${elapsed.toFixed(1)} s (${(cpuUsed / (totalOk + stats.accepted503)).toFixed(2)} ms per operation)`);
    console.log(`peak RSS, all server processes: ${(peakRss / 1024).toFixed(0)} MiB (${peakAt.map(([pid, kib]) => `${pid}: ${(kib / 1024).toFixed(0)}`).join(", ")}); after set-up ${(idleRss / 1024).toFixed(0)} MiB`);
    if (args.json) writeFileSync(args.json, JSON.stringify({ seconds: elapsed, connections: CONNECTIONS, mix: MIX, rows, accepted503: stats.accepted503, errors: Object.fromEntries(stats.errors), cpuMs: cpuUsed, peakRssKib: peakRss }, null, 2));
    process.exitCode = stats.errors.size === 0 ? 0 : 1;
  } finally {
    if (sampler) clearInterval(sampler);
    agent.destroy();
    await server.stop();
  }
}

function rand(n: number): number {
  return Math.floor(Math.random() * n);
}

/** undefined for a 200 of the expected length, else "status code" for the error table. */
function check(res: { status: number; bytes: number; body: Buffer | undefined }, length?: number): string | undefined {
  if (res.status !== 200) return `${res.status} ${errorCode(res.body)}`.trim();
  if (length !== undefined && res.bytes !== length) return `200 with ${res.bytes} bytes`;
  return undefined;
}

await main();
