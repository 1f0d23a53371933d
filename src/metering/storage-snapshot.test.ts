/**
 * The storage snapshot job on real stores: two "processes" (each its own SQLite connections to one data
 * dir's meta.sqlite and usage.sqlite, its own meter and job) record each hour exactly once, with or
 * without the lease, and a store change shows in the next hour's snapshot only.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { pino } from "pino";
import { Registry } from "prom-client";
import { TestClock } from "../clock.js";
import { SqliteMetadataStore } from "../storage/sqlite-metadata.js";
import { bucketRecord, objectRecord } from "../storage/conformance-records.js";
import { createUsageMeter } from "./meter.js";
import { SqliteUsageStore } from "./store.js";
import { storageSnapshotJob } from "./storage-snapshot.js";
import { HOUR_MS } from "./usage-store.js";

const log = pino({ level: "silent" });
const config = { internalNetworks: undefined, accelerateDomains: [], usageFlushMs: 3_600_000, pricesFile: undefined };

function processOn(dir: string, clock: TestClock, leased: boolean) {
  const meta = SqliteMetadataStore.open(dir);
  const meter = createUsageMeter({ dataDir: dir, store: SqliteUsageStore.open(join(dir, "usage.sqlite")), registry: new Registry(), config, log });
  const job = storageSnapshotJob({ meta, meter, clock, log, leases: leased ? meta.leases : undefined });
  return { meta, meter, job, close: async () => { await meter.close(); await meta.close(); } };
}

for (const leased of [true, false]) {
  describe(`storage snapshot job, two processes on one data dir (${leased ? "with" : "without"} the lease)`, () => {
    it("records each hour once, whichever process runs first, and the next hour again", async () => {
      const dir = mkdtempSync(join(tmpdir(), "barbucket-snapshot-"));
      const clock = new TestClock();
      const [a, b] = [processOn(dir, clock, leased), processOn(dir, clock, leased)];
      try {
        await a.meta.createBucket(bucketRecord("bkt"));
        await a.meta.putObject(objectRecord("bkt", "k", ["blob-1", "blob-2"])); // 20 bytes
        // (A call during a process's own run gets that run's result: one run per process at a time.)
        const runs = await Promise.all([a, b].map((p) => p.job.runOnce()));
        assert.equal(runs.filter((r) => r.recorded).length, 1, JSON.stringify(runs));
        assert.deepEqual((await Promise.all([a, b].map((p) => p.job.runOnce()))).map((r) => r.recorded), [false, false]);
        await b.meta.putObject({ ...objectRecord("bkt", "ia", ["blob-3"]), storageClass: "IA" }); // after this hour's snapshot
        assert.equal((await b.job.runOnce()).recorded, false);
        clock.advance(HOUR_MS);
        assert.equal((await b.job.runOnce()).recorded, true);
        assert.equal((await a.job.runOnce()).recorded, false);
        const from = clock.now().getTime() - 2 * HOUR_MS;
        const report = await a.meter.usage({ from, to: from + 4 * HOUR_MS });
        assert.deepEqual(report.hours.map((r) => [r.bucket, r.item, r.dimension, r.quantity]), [
          ["bkt", "Storage", "Standard", 20],
          ["bkt", "Storage", "IA", 10],
          ["bkt", "Storage", "Standard", 20],
        ]);
        assert.deepEqual(report.totals, [{ item: "Storage", dimension: "IA", quantity: 10 }, { item: "Storage", dimension: "Standard", quantity: 40 }]);
      } finally {
        await Promise.all([a.close(), b.close()]);
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
