import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { pino } from "pino";
import { Registry } from "prom-client";
import { HOUR_MS, SqliteUsageStore, hourOf } from "./store.js";
import { runUsageStoreConformance } from "./conformance-usage.js";
import { createUsageMeter } from "./meter.js";
import type { RequestUsage } from "./types.js";

const T0 = Date.parse("2026-11-25T10:00:00Z");

async function withDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), "barbucket-usage-"));
  try {
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("hour bucketing", () => {
  it("rounds down to the UTC hour", () => {
    assert.equal(hourOf(T0), T0);
    assert.equal(hourOf(T0 + HOUR_MS - 1), T0);
    assert.equal(hourOf(T0 + HOUR_MS), T0 + HOUR_MS);
    assert.equal(hourOf(Date.parse("2026-11-25T10:59:59.999+08:00")), Date.parse("2026-11-25T02:00:00Z"));
  });
});

let files = 0;
const conformanceDir = mkdtempSync(join(tmpdir(), "barbucket-usage-conformance-"));
after(() => rmSync(conformanceDir, { recursive: true, force: true }));

// Two stores on one usage.sqlite stand for two server processes.
runUsageStoreConformance("SQLite (usage.sqlite, two connections)", async () => {
  const file = join(conformanceDir, `usage-${++files}.sqlite`);
  const store = SqliteUsageStore.open(file);
  const other = SqliteUsageStore.open(file);
  return {
    store,
    other,
    cleanup: async () => {
      await store.close();
      await other.close();
    },
  };
});

describe("createUsageMeter", () => {
  const usage = (over: Partial<RequestUsage>): RequestUsage => ({
    at: new Date(T0 + 5), bucket: "a", operation: "GetObject", method: "GET", status: 200, storageClass: "Standard",
    bytesIn: 0, bytesOut: 10, remoteAddress: "127.0.0.1", host: "", imageQrCodes: 0, archiveDirectRead: false, restoreRequest: false, ...over,
  });
  const config = { internalNetworks: undefined, accelerateDomains: [], usageFlushMs: 3_600_000, pricesFile: undefined };

  it("buffers until flush/close, then the rows are durable in usage.sqlite", async () => {
    await withDir(async (dir) => {
      const meter = createUsageMeter({ dataDir: dir, registry: new Registry(), config, log: pino({ level: "silent" }) });
      meter.recordRequest(usage({}));
      meter.recordRequest(usage({ at: new Date(T0 + HOUR_MS + 1) }));
      const reader = SqliteUsageStore.openReadOnly(join(dir, "usage.sqlite"));
      assert.equal((await reader.query({ from: T0, to: T0 + 2 * HOUR_MS })).length, 0, "nothing before the flush");
      await meter.close();
      const rows = await reader.query({ from: T0, to: T0 + 2 * HOUR_MS });
      assert.deepEqual(rows.map((r) => [r.hour - T0, r.item, r.quantity]), [
        [0, "EgressBytes", 10], [0, "GetRequest", 1], [HOUR_MS, "EgressBytes", 10], [HOUR_MS, "GetRequest", 1],
      ]);
      await reader.close();
    });
  });

  it("usage() flushes first and bills; bad CIDR config names the variable", async () => {
    await withDir(async (dir) => {
      const meter = createUsageMeter({ dataDir: dir, registry: new Registry(), config, log: pino({ level: "silent" }) });
      meter.recordRequest(usage({ bytesOut: 1024 ** 3, remoteAddress: "8.8.8.8" }));
      const report = await meter.usage({ bucket: "a", from: T0, to: T0 + HOUR_MS });
      assert.deepEqual(report.totals, [
        { item: "GetRequest", dimension: "Standard", quantity: 1 },
        { item: "EgressBytes", dimension: "internet", quantity: 1024 ** 3 },
      ]);
      assert.equal(report.bill.total, 0.500001);
      await meter.close();
      assert.throws(
        () => createUsageMeter({ dataDir: dir, registry: new Registry(), config: { ...config, internalNetworks: ["10/8"] }, log: pino({ level: "silent" }) }),
        /BARBUCKET_INTERNAL_NETWORKS/,
      );
    });
  });
});
