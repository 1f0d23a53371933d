/**
 * PgMetadataStore: the same conformance suites as SQLite (one suite, two backends) against a real
 * PostgreSQL (scripts/postgres-single.sh), then what only a shared, networked database adds:
 * migrations raced by nodes starting together, cache coherence between two stores (two nodes),
 * and concurrent writers whose serialization failures are retried. Skipped, saying so, without
 * the PostgreSQL binaries.
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { openPool } from "../db/pool.js";
import { migrate } from "../db/migrate.js";
import { postgresSkipReason, startPostgres, type PostgresCluster } from "../db/test-cluster.js";
import { newReadEpoch } from "./change-seq.js";
import { runMetadataStoreConformance } from "./conformance.js";
import { bucketRecord, objectRecord } from "./conformance-records.js";
import { runVersioningConformance } from "./conformance-versions.js";
import { PgMetadataStore } from "./pg-metadata.js";
import { METADATA_COMPONENT, PG_METADATA_MIGRATIONS } from "./pg-schema.js";
import type { MetadataStoreFixture } from "./conformance-records.js";

const skip = postgresSkipReason();
let cluster: Promise<PostgresCluster> | undefined;
const getCluster = () => (cluster ??= startPostgres());
after(async () => {
  if (cluster) await (await cluster).stop();
});

/** A store on a schema of its own: an empty database for one test. */
async function freshStore(): Promise<{ store: PgMetadataStore; url: string; schema: string }> {
  const pg = await getCluster();
  const schema = await pg.freshSchema();
  // Semantics only: commits skip the WAL flush (as the SQLite suite runs synchronous=NORMAL).
  return { store: await PgMetadataStore.open(pg.url, { schema, max: 4, relaxedDurability: true }), url: pg.url, schema };
}

async function fixture(): Promise<MetadataStoreFixture> {
  const { store } = await freshStore();
  return { store, cleanup: async () => await store.close() };
}

if (skip) {
  describe("PgMetadataStore", { skip }, () => {
    it("conformance suites on PostgreSQL", () => undefined);
  });
} else {
  runMetadataStoreConformance("postgresql", fixture);
  runVersioningConformance("postgresql", fixture);

  describe("PgMetadataStore specifics", () => {
    it("migrates once when two nodes start together, records the version, refuses a newer schema", async () => {
      const pg = await getCluster();
      const schema = await pg.freshSchema();
      const [a, b] = await Promise.all([PgMetadataStore.open(pg.url, { schema }), PgMetadataStore.open(pg.url, { schema })]);
      try {
        const rows = await a.db.query<{ version: number }>("SELECT version FROM schema_migrations WHERE component = $1", [METADATA_COMPONENT]);
        assert.deepEqual(rows.map((r) => r.version), PG_METADATA_MIGRATIONS.map((_, i) => i + 1));
        await a.createBucket(bucketRecord("b"));
        assert.ok(await b.getBucket("b"));
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
      const pool = openPool(pg.url, { schema });
      try {
        await assert.rejects(migrate(pool, METADATA_COMPONENT, PG_METADATA_MIGRATIONS.slice(0, 0)), /newer than this build/);
      } finally {
        await pool.end();
      }
    });

    it("two stores on one database: a bucket change on one is seen by the other's next request", async () => {
      const { store: a, url, schema } = await freshStore();
      const b = await PgMetadataStore.open(url, { schema });
      try {
        await a.createBucket(bucketRecord("b"));
        newReadEpoch();
        assert.equal((await b.getBucket("b"))?.acl, "private"); // cached in b now
        assert.equal(await b.getBucketSetting("b", "versioning"), undefined);
        await a.setBucketAcl("b", "public-read");
        await a.setBucketSetting("b", "versioning", "Enabled");
        newReadEpoch(); // the next request
        assert.equal((await b.getBucket("b"))?.acl, "public-read");
        assert.equal(await b.getBucketSetting("b", "versioning"), "Enabled");
        assert.equal((await a.deleteBucket("b")), "deleted");
        newReadEpoch();
        assert.equal(await b.getBucket("b"), undefined);
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    });

    it("concurrent writers of one key: every versioned overwrite lands once, few retries, one putObjectIfAbsent wins", async () => {
      const { store: a, url, schema } = await freshStore();
      const b = await PgMetadataStore.open(url, { schema, max: 8 });
      try {
        await a.createBucket(bucketRecord("b"));
        await a.setBucketSetting("b", "versioning", "Enabled");
        const writers = 24;
        const results = await Promise.all(Array.from({ length: writers }, (_, i) => (i % 2 ? a : b).putObject(objectRecord("b", "k"))));
        assert.equal(new Set(results.map((r) => r.versionId)).size, writers, "each write got its own version");
        // One key's writers queue on its advisory lock instead of aborting each other (without it: hundreds of retries).
        assert.ok(a.db.retries + b.db.retries < writers / 2, `${a.db.retries + b.db.retries} serialization retries`);
        const page = await a.listObjectVersions({ bucket: "b", prefix: "", delimiter: "", keyMarker: "", versionIdMarker: "", maxKeys: 1000 });
        assert.equal(page.entries.length, writers);
        assert.equal(page.entries.filter((e) => e.isLatest).length, 1);
        const outcomes = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).putObjectIfAbsent(objectRecord("b", "once"))));
        assert.equal(outcomes.filter((o) => o === "created").length, 1);
        assert.equal(outcomes.filter((o) => o === "exists").length, 11);
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    });
  });
}
