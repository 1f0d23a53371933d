/**
 * The UsageStore conformance suite on PostgreSQL (two stores with their own pools on one schema
 * stand for two nodes), and what the cluster relies on: two nodes' meters flushing into one
 * database add up. Skipped, saying so, without the PostgreSQL binaries.
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { pino } from "pino";
import { Registry } from "prom-client";
import { postgresSkipReason, startPostgres, type PostgresCluster } from "../db/test-cluster.js";
import { runUsageStoreConformance } from "./conformance-usage.js";
import { createUsageMeter } from "./meter.js";
import { PgUsageStore } from "./pg-usage-store.js";
import type { RequestUsage } from "./types.js";
import { HOUR_MS } from "./usage-store.js";

const T0 = Date.parse("2026-11-25T10:00:00Z");
const skip = postgresSkipReason();
let cluster: Promise<PostgresCluster> | undefined;
const getCluster = () => (cluster ??= startPostgres());
after(async () => {
  if (cluster) await (await cluster).stop();
});

async function twoNodes(): Promise<{ store: PgUsageStore; other: PgUsageStore; url: string; schema: string; cleanup: () => Promise<void> }> {
  const pg = await getCluster();
  const schema = await pg.freshSchema();
  const [store, other] = await Promise.all([0, 1].map(() => PgUsageStore.open(pg.url, { schema, relaxedDurability: true })));
  return { store: store!, other: other!, url: pg.url, schema, cleanup: async () => void (await Promise.all([store!.close(), other!.close()])) };
}

if (skip) {
  describe("PgUsageStore", { skip }, () => {
    it("conformance suite on PostgreSQL", () => undefined);
  });
} else {
  runUsageStoreConformance("postgresql (two pools, one schema)", twoNodes);

  describe("PgUsageStore", () => {
    it("two nodes' meters flush into one database and their usage adds up, read from either", async () => {
      const { store, other } = await twoNodes();
      const config = { internalNetworks: undefined, accelerateDomains: [], usageFlushMs: 3_600_000, pricesFile: undefined };
      const meter = (s: PgUsageStore) => createUsageMeter({ dataDir: "/nonexistent", store: s, registry: new Registry(), config, log: pino({ level: "silent" }) });
      const [a, b] = [meter(store), meter(other)];
      const get = (bytesOut: number): RequestUsage => ({
        at: new Date(T0 + 5), bucket: "shared", operation: "GetObject", method: "GET", status: 200, storageClass: "Standard",
        bytesIn: 0, bytesOut, remoteAddress: "127.0.0.1", host: "", imageQrCodes: 0, archiveDirectRead: false, restoreRequest: false,
      });
      for (let i = 0; i < 3; i++) a.recordRequest(get(100));
      for (let i = 0; i < 4; i++) b.recordRequest(get(1000));
      await Promise.all([a.flush(), b.flush()]);
      a.recordRequest(get(1)); // flushed by usage() below
      const expected = [{ item: "GetRequest", dimension: "Standard", quantity: 8 }, { item: "EgressBytes", dimension: "internal", quantity: 4301 }];
      for (const m of [a, b]) assert.deepEqual((await m.usage({ bucket: "shared", from: T0, to: T0 + HOUR_MS })).totals, expected);
      await Promise.all([a.close(), b.close()]); // closes the stores
    });

    it("the CLI's reader reads without migrating, and says so when no server set the database up", async () => {
      const { store, url, schema, cleanup } = await twoNodes();
      await store.add([{ hour: T0, bucket: "b", item: "PutRequest", dimension: "Standard", quantity: 2 }]);
      // The schema through the URL, as a user could give it in BARBUCKET_DATABASE_URL.
      const reader = PgUsageStore.openReader(`${url}?options=-c%20search_path%3D${schema}`);
      const empty = PgUsageStore.openReader(`${url}?options=-c%20search_path%3D${await (await getCluster()).freshSchema()}`);
      try {
        assert.deepEqual(await reader.query({ from: T0, to: T0 + HOUR_MS }), [{ hour: T0, bucket: "b", item: "PutRequest", dimension: "Standard", quantity: 2 }]);
        await assert.rejects(empty.query({ from: T0, to: T0 + HOUR_MS }), /no usage table in this database/);
      } finally {
        await Promise.all([reader.close(), empty.close()]);
        await cleanup();
      }
    });
  });
}
