/**
 * The KmsKeyStore conformance suite on PostgreSQL (two stores with their own pools on one schema
 * stand for two nodes), then what only PostgreSQL adds: a key created through node A's KmsService
 * is usable through node B's, and the material in the database is sealed exactly as in SQLite.
 * Skipped, saying so, without the PostgreSQL binaries.
 */
import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { after, describe, it } from "node:test";
import pg from "pg";
import { postgresSkipReason, startPostgres, type PostgresCluster } from "../db/test-cluster.js";
import { SecretBox } from "../iam/secret-box.js";
import { keyRecord, runKmsKeyStoreConformance } from "./conformance-keys.js";
import { PgKmsKeyStore } from "./pg-store.js";
import { KmsService } from "./service.js";

const skip = postgresSkipReason();
let cluster: Promise<PostgresCluster> | undefined;
const getCluster = () => (cluster ??= startPostgres());
after(async () => {
  if (cluster) await (await cluster).stop();
});
const box = SecretBox.fromKey(randomBytes(32));

async function twoNodes(keyBox = box): Promise<{ store: PgKmsKeyStore; other: PgKmsKeyStore; url: string; schema: string; cleanup: () => Promise<void> }> {
  const pg = await getCluster();
  const schema = await pg.freshSchema();
  const [store, other] = await Promise.all([0, 1].map(() => PgKmsKeyStore.open(pg.url, keyBox, { schema, relaxedDurability: true })));
  return { store: store!, other: other!, url: pg.url, schema, cleanup: async () => void (await Promise.all([store!.close(), other!.close()])) };
}

if (skip) {
  describe("PgKmsKeyStore", { skip }, () => {
    it("conformance suite on PostgreSQL", () => undefined);
  });
} else {
  runKmsKeyStoreConformance("postgresql (two pools, one schema)", twoNodes);

  describe("PgKmsKeyStore", () => {
    it("a key created through node A encrypts on A and decrypts on B (and B's data keys open on A)", async () => {
      const { store, other, cleanup } = await twoNodes();
      const [a, b] = [new KmsService(store, "cn-hangzhou"), new KmsService(other, "cn-hangzhou")];
      try {
        const key = await a.createKey("1001", { description: "shared" });
        const sealed = await a.encrypt("1001", key.keyId, Buffer.from("hello"));
        assert.equal((await b.decrypt("1001", sealed.ciphertextBlob)).plaintext.toString(), "hello");
        const dataKey = await b.generateDataKey("1001", key.keyId);
        assert.ok((await a.decrypt("1001", dataKey.ciphertextBlob)).plaintext.equals(dataKey.plaintext));
        await b.disable("1001", key.keyId);
        await assert.rejects(a.encrypt("1001", key.keyId, Buffer.from("x")), /disabled|Disabled/);
        const [defaultA, defaultB] = await Promise.all([a.defaultKeyId("1002"), b.defaultKeyId("1002")]);
        assert.equal(defaultA, defaultB, "racing nodes agree on one default key");
      } finally {
        await cleanup();
      }
    });

    it("keeps material sealed with the master key: not in the table raw or base64; another master key can't open it", async () => {
      const { store, url, schema, cleanup } = await twoNodes();
      const foreign = await PgKmsKeyStore.open(url, SecretBox.fromKey(randomBytes(32)), { schema });
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const k = keyRecord();
        const material = randomBytes(32);
        await store.insert(k, material);
        const dump = (await client.query(`SELECT t::text AS row FROM ${schema}.kms_keys t`)).rows.map((r: { row: string }) => r.row).join("\n");
        assert.ok(dump.includes(k.keyId), "the table is readable at all");
        assert.ok(!dump.includes(material.toString("base64")) && !dump.includes(material.toString("hex")));
        await assert.rejects(async () => await foreign.material(k));
        // Bound to its key: opening it as another key version fails even with the right master key.
        await assert.rejects(async () => await store.material({ ...k, keyVersionId: randomUUID() }));
        assert.ok((await store.material(k)).equals(material));
      } finally {
        await client.end();
        await foreign.close();
        await cleanup();
      }
    });
  });
}
