/**
 * The LeaseStore conformance suite on PostgreSQL (two stores with their own pools on one schema
 * stand for two nodes), and what the cluster relies on: a lease held through node A is refused
 * to node B until it expires. Skipped, saying so, without the PostgreSQL binaries.
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { postgresSkipReason, startPostgres, type PostgresCluster } from "../db/test-cluster.js";
import { runLeaseStoreConformance } from "./conformance-leases.js";
import { PgLeaseStore } from "./pg-leases.js";

const skip = postgresSkipReason();
let cluster: Promise<PostgresCluster> | undefined;
const getCluster = () => (cluster ??= startPostgres());
after(async () => {
  if (cluster) await (await cluster).stop();
});

async function twoNodes(): Promise<{ store: PgLeaseStore; other: PgLeaseStore; cleanup: () => Promise<void> }> {
  const pg = await getCluster();
  const schema = await pg.freshSchema();
  const [store, other] = await Promise.all([0, 1].map(() => PgLeaseStore.open(pg.url, { schema, relaxedDurability: true })));
  return { store: store!, other: other!, cleanup: async () => void (await Promise.all([store!.close(), other!.close()])) };
}

if (skip) {
  describe("PgLeaseStore", { skip }, () => {
    it("conformance suite on PostgreSQL", () => undefined);
  });
} else {
  runLeaseStoreConformance("postgresql (two pools, one schema)", twoNodes);

  describe("PgLeaseStore", () => {
    it("a lease taken through node A is refused to node B until it expires, at real time", async () => {
      const { store: a, other: b, cleanup } = await twoNodes();
      try {
        assert.equal(await a.acquire("lifecycle", "node-a", 300), true);
        assert.equal(await b.acquire("lifecycle", "node-b", 300), false);
        assert.equal((await b.holder("lifecycle"))?.owner, "node-a");
        await new Promise((resolve) => setTimeout(resolve, 350));
        assert.equal(await b.acquire("lifecycle", "node-b", 60_000), true, "expired: B takes it over");
        assert.equal(await a.acquire("lifecycle", "node-a", 60_000), false);
      } finally {
        await cleanup();
      }
    });
  });
}
