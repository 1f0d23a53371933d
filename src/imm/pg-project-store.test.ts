/** The ProjectStore conformance suite on PostgreSQL (skipped, saying so, without the binaries). */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { postgresSkipReason, startPostgres, type PostgresCluster } from "../db/test-cluster.js";
import { PgProjectStore } from "./pg-project-store.js";
import { ACC, NOW, project, runProjectStoreConformance } from "./project-store-conformance.js";

const skip = postgresSkipReason();
let cluster: Promise<PostgresCluster> | undefined;
const getCluster = () => (cluster ??= startPostgres());
after(async () => {
  if (cluster) await (await cluster).stop();
});

if (skip) {
  describe("PgProjectStore", { skip }, () => {
    it("conformance suite on PostgreSQL", () => undefined);
  });
} else {
  runProjectStoreConformance("postgresql", async () => {
    const pg = await getCluster();
    return await PgProjectStore.open(pg.url, { schema: await pg.freshSchema(), relaxedDurability: true });
  });

  describe("PgProjectStore", () => {
    it("two nodes see the same projects and attachments; a restart keeps them", async () => {
      const pg = await getCluster();
      const schema = await pg.freshSchema();
      const [a, b] = await Promise.all([PgProjectStore.open(pg.url, { schema }), PgProjectStore.open(pg.url, { schema })]);
      await a.createProject(project("shared"));
      assert.equal(await b.createProject(project("shared")), "exists");
      assert.equal((await b.attachBucket({ accountId: ACC, bucket: "bkt", bucketCreatedAt: 5, projectName: "shared", description: "d", now: NOW })).result, "attached");
      assert.equal((await a.getAttachment("bkt", 5))?.projectName, "shared");
      await Promise.all([a.close(), b.close()]);
      const c = await PgProjectStore.open(pg.url, { schema });
      try {
        assert.equal((await c.getProject(ACC, "shared"))?.name, "shared");
        assert.equal((await c.getAttachment("bkt", 5))?.description, "d");
      } finally {
        await c.close();
      }
    });
  });
}
