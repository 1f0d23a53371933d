/**
 * Storage metering against the real server: objects of two classes, a noncurrent version and a part of
 * an upload in progress; the test clock moves into the next hour, the admin route runs the snapshot job
 * (a second run in the hour adds nothing), and /usage, the bill, /metrics and `barbucket usage` show
 * the hour's Storage byte-hours per bucket and class, priced per GB-month prorated by the hour.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { REPO_ROOT, startServer, type TestServer } from "./harness.js";
import { ossClient } from "./ali-oss.js";
import type { UsageReport } from "../../src/metering/report.js";
import type { StorageSnapshotReport } from "../../src/metering/storage-snapshot.js";

const HOUR = 3_600_000;

describe("storage metering: hourly snapshots of stored bytes, billed per GB-month", () => {
  let server: TestServer;
  const admin = (path: string, init?: RequestInit) => fetch(`http://127.0.0.1:${server.adminPort}${path}`, init);
  const runSnapshot = async (): Promise<StorageSnapshotReport> => {
    const res = await admin("/storage-usage/run", { method: "POST" });
    assert.equal(res.status, 200);
    return (await res.json()) as StorageSnapshotReport;
  };
  let now = 0;

  before(async () => {
    // The job's own timer only runs at start-up here: the test drives it through the admin route.
    server = await startServer({ env: { BARBUCKET_TEST_CLOCK: "1", BARBUCKET_STORAGE_USAGE_INTERVAL_MS: "3600000" } });
    await runSnapshot(); // the start-up run's result (or one like it): the start hour is recorded, empty
    const a = ossClient(server, { bucket: "store-a" });
    const b = ossClient(server, { bucket: "store-b" });
    await a.putBucket("store-a");
    await b.putBucket("store-b");
    await a.putBucketVersioning("store-a", "Enabled");
    await a.put("doc.bin", Buffer.alloc(1000));
    await a.put("doc.bin", Buffer.alloc(1500)); // the 1000 bytes stay as a noncurrent version
    await a.put("cold.bin", Buffer.alloc(700), { headers: { "x-oss-storage-class": "ColdArchive" } });
    await b.put("ia.bin", Buffer.alloc(4096), { headers: { "x-oss-storage-class": "IA" } });
    const upload = await b.initMultipartUpload("big.bin", { headers: { "x-oss-storage-class": "IA" } });
    await b.uploadPart("big.bin", upload.uploadId, 1, Buffer.alloc(100 * 1024), 0, 100 * 1024);
    await b.put("gone.bin", Buffer.alloc(999));
    await b.delete("gone.bin");
    // The start-up run recorded the start hour (before these writes); the next hour's snapshot sees them.
    const clock = (await (await admin(`/clock?advanceMs=${HOUR}`, { method: "POST" })).json()) as { now: string };
    now = Date.parse(clock.now);
  });

  after(async () => {
    await server?.stop();
    server?.cleanup();
  });

  it("records the hour once: a second run in the same hour adds nothing", async () => {
    const first = await runSnapshot();
    assert.equal(first.recorded, true);
    assert.equal(first.hour, new Date(Math.floor(now / HOUR) * HOUR).toISOString());
    assert.equal(first.bytes, 1500 + 1000 + 700 + 4096 + 100 * 1024);
    assert.deepEqual(await runSnapshot(), { hour: first.hour, recorded: false });
  });

  it("/usage has the hour's Storage byte-hours per bucket and class, and the bill prices them", async () => {
    const hour = new Date(Math.floor(now / HOUR) * HOUR).toISOString();
    const res = await admin(`/usage?from=${now - 2 * HOUR}&to=${now + HOUR}`);
    const report = (await res.json()) as UsageReport;
    const storage = report.hours.filter((r) => r.item === "Storage").map((r) => [r.hour, r.bucket, r.dimension, r.quantity]);
    assert.deepEqual(storage, [
      [hour, "store-a", "ColdArchive", 700],
      [hour, "store-a", "Standard", 2500],
      [hour, "store-b", "IA", 4096 + 100 * 1024],
    ]);
    const line = (dimension: string) => report.bill.lines.find((l) => l.item === "Storage" && l.dimension === dimension)!;
    assert.equal(line("Standard").unit, "GB-month");
    assert.equal(line("Standard").unitPrice, 0.12);
    assert.equal(line("IA").unitPrice, 0.08);
    assert.equal(line("ColdArchive").amount, Math.round((700 / (1024 ** 3 * 720)) * 0.015 * 1e9) / 1e9);
    const metrics = await (await admin("/metrics")).text();
    assert.match(metrics, /barbucket_storage_bytes\{bucket="store-b",storage_class="IA"\} 106496/);
  });

  it("the next hour is recorded again, and `barbucket usage` lists Storage lines", async () => {
    await admin(`/clock?advanceMs=${HOUR}`, { method: "POST" });
    assert.equal((await runSnapshot()).recorded, true);
    const run = promisify(execFile);
    const out = (await run(process.execPath, [join(REPO_ROOT, "bin/barbucket.js"), "usage", "--bucket", "store-a", "--from", String(now - HOUR), "--to", String(now + 3 * HOUR), "--admin", `http://127.0.0.1:${server.adminPort}`])).stdout;
    assert.match(out, /Storage\s+Standard\s+5000\s+GB-month\s+0\.12\b/, out);
    assert.match(out, /Storage\s+ColdArchive\s+1400\s+GB-month\s+0\.015\b/, out);
  });
});
