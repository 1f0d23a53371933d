/**
 * The SpoolStore conformance suite on PostgreSQL: two stores with their own pools on one schema
 * stand for two nodes, one appending and the other (the lease holder) delivering. Skipped, saying
 * so, without the PostgreSQL binaries.
 */
import { after, describe, it } from "node:test";
import { postgresSkipReason, startPostgres, type PostgresCluster } from "../db/test-cluster.js";
import { runSpoolStoreConformance } from "./conformance-spool.js";
import { PgSpoolStore } from "./pg-spool-store.js";

const skip = postgresSkipReason();
let cluster: Promise<PostgresCluster> | undefined;
const getCluster = () => (cluster ??= startPostgres());
after(async () => {
  if (cluster) await (await cluster).stop();
});

if (skip) {
  describe("PgSpoolStore", { skip }, () => {
    it("conformance suite on PostgreSQL", () => undefined);
  });
} else {
  runSpoolStoreConformance("postgresql (two pools, one schema)", async () => {
    const pg = await getCluster();
    const schema = await pg.freshSchema();
    const [store, other] = await Promise.all([0, 1].map(() => PgSpoolStore.open(pg.url, { schema, relaxedDurability: true })));
    return { store: store!, other: other!, cleanup: async () => void (await Promise.all([store!.close(), other!.close()])) };
  });
}
