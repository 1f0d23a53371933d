/**
 * The identity stores on PostgreSQL: the same conformance suites as SQLite (two store sets on one
 * database standing for two nodes) against a real PostgreSQL (scripts/postgres-single.sh), then
 * what only a shared database adds: nodes opening together, bucket policy caches kept coherent
 * between nodes, the nonce sweep, and Iam over these stores. Skipped, saying so, without the
 * PostgreSQL binaries.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { postgresSkipReason, startPostgres, type PostgresCluster } from "../db/test-cluster.js";
import { newReadEpoch } from "../storage/change-seq.js";
import { MAX_SKEW_MS } from "../rpc/signature.js";
import { runIamStoreConformance } from "./conformance-iam.js";
import { openPgIamStores } from "./pg-iam.js";
import { IAM_COMPONENT, PG_IAM_MIGRATIONS } from "./pg-iam-schema.js";
import { SWEEP_EVERY } from "./pg-nonces.js";
import { SecretBox } from "./secret-box.js";
import { Iam } from "./iam.js";
import { IMM_SERVICE_ROLE } from "./builtins.js";
import { openSqliteIamStores } from "./sqlite-iam.js";
import { readAll } from "./conformance-iam-identities.js";

const skip = postgresSkipReason();
let cluster: Promise<PostgresCluster> | undefined;
const getCluster = () => (cluster ??= startPostgres());
after(async () => {
  if (cluster) await (await cluster).stop();
});

/** `count` store sets (nodes) on one fresh schema, sealing with one key. */
async function nodes(count: number): Promise<{ sets: Awaited<ReturnType<typeof openPgIamStores>>[]; box: SecretBox; schema: string }> {
  const pg = await getCluster();
  const schema = await pg.freshSchema();
  const box = SecretBox.fromKey(randomBytes(32));
  // Semantics only: commits skip the WAL flush (as the SQLite suite runs synchronous=NORMAL).
  const sets = await Promise.all(Array.from({ length: count }, () => openPgIamStores(pg.url, box, { schema, max: 4, relaxedDurability: true })));
  return { sets, box, schema };
}

if (skip) {
  describe("PostgreSQL identity stores", { skip }, () => {
    it("conformance suites on PostgreSQL", () => undefined);
  });
} else {
  runIamStoreConformance("PostgreSQL (two nodes on one database)", async () => {
    const { sets: [store, other] } = await nodes(2);
    return { store: store!, other: other!, cleanup: async () => { await store!.close(); await other!.close(); } };
  });

  describe("PostgreSQL identity stores across nodes", () => {
    it("nodes opening a new database together migrate once and agree on the account id and the root key", async () => {
      const { sets } = await nodes(4);
      try {
        const [versions] = await Promise.all([sets[0]!.db.query<{ version: number }>("SELECT version FROM schema_migrations WHERE component = $1", [IAM_COMPONENT])]);
        assert.deepEqual(versions.map((r) => r.version), PG_IAM_MIGRATIONS.map((_, i) => i + 1));
        const accounts = await Promise.all(sets.map((s) => s.identities.accountId()));
        assert.equal(new Set(accounts).size, 1);
        const roots = await Promise.all(sets.map((s) => s.identities.ensureRootKey()));
        assert.equal(new Set(roots.map((r) => r.accessKeyId)).size, 1, "one root key");
        assert.equal(roots.filter((r) => r.generated).length, 1, "generated (and shown) once");
        assert.equal(new Set(roots.map((r) => r.secret)).size, 1);
        const [{ count }] = (await sets[0]!.db.query<{ count: number }>("SELECT count(*)::int AS count FROM iam_access_keys WHERE kind = 'root'")) as [{ count: number }];
        assert.equal(count, 1);
      } finally {
        await Promise.all(sets.map((s) => s.close()));
      }
    });

    it("secrets are stored sealed, never in plain text", async () => {
      const { sets: [a] } = await nodes(1);
      try {
        const root = await a!.identities.ensureRootKey();
        const [row] = await a!.db.query<{ secret_sealed: string }>("SELECT secret_sealed FROM iam_access_keys WHERE id = $1", [root.accessKeyId]);
        assert.match(row!.secret_sealed, /^v1\./);
        assert.ok(!row!.secret_sealed.includes(root.secret));
      } finally {
        await a!.close();
      }
    });

    it("a bucket policy put, changed or deleted through one node is seen by the other at its next request", async () => {
      const { sets: [a, b] } = await nodes(2);
      try {
        newReadEpoch();
        assert.equal(await b!.bucketPolicies.get("bk"), undefined); // b caches "none"
        await a!.bucketPolicies.put("bk", "{\"v\":1}");
        newReadEpoch(); // the next request
        assert.equal(await b!.bucketPolicies.get("bk"), "{\"v\":1}");
        await a!.bucketPolicies.put("bk", "{\"v\":2}");
        newReadEpoch();
        assert.equal(await b!.bucketPolicies.get("bk"), "{\"v\":2}");
        assert.equal(await b!.bucketPolicies.get("bk"), "{\"v\":2}", "a hit within the request");
        assert.equal(await a!.bucketPolicies.delete("bk"), true);
        newReadEpoch();
        assert.equal(await b!.bucketPolicies.get("bk"), undefined);
        assert.equal(await b!.bucketPolicies.delete("bk"), false);
      } finally {
        await Promise.all([a!.close(), b!.close()]);
      }
    });

    it(`sweeps expired nonces every ${SWEEP_EVERY} claims of a node, keeping the live ones`, async () => {
      const { sets: [a] } = await nodes(1);
      try {
        const rows = async () => (await a!.db.query<{ n: number }>("SELECT count(*)::int AS n FROM iam_rpc_nonces"))[0]!.n;
        const t = new Date("2026-01-01T00:00:00Z");
        for (let i = 0; i < 10; i++) assert.equal(await a!.nonces.remember("AK", `old-${i}`, t, t), true);
        const later = new Date(t.getTime() + MAX_SKEW_MS + 1);
        for (let i = 0; i < SWEEP_EVERY - 11; i++) await a!.nonces.remember("AK", `new-${i}`, later, later);
        assert.equal(await rows(), SWEEP_EVERY - 1, "nothing swept before the 1000th claim");
        await a!.nonces.remember("AK", "the-1000th", later, later);
        assert.equal(await rows(), SWEEP_EVERY - 10, "the ten expired ones swept, the live ones kept");
      } finally {
        await a!.close();
      }
    });

    it("refuses to open with a master key other than the one that sealed the database's secrets", async () => {
      const pg = await getCluster();
      const schema = await pg.freshSchema();
      const first = await openPgIamStores(pg.url, SecretBox.fromKey(randomBytes(32)), { schema, max: 1 });
      await first.close();
      await assert.rejects(openPgIamStores(pg.url, SecretBox.fromKey(randomBytes(32)), { schema, max: 1 }), /same BARBUCKET_MASTER_KEY/);
    });

    it("imports an upgraded node's iam.sqlite once (same account, keys, users, roles, policies, sessions, bucket policies) and renames it", async () => {
      const pg = await getCluster();
      const schema = await pg.freshSchema();
      const box = SecretBox.fromKey(randomBytes(32));
      const dir = await mkdtemp(join(tmpdir(), "barbucket-iam-import-"));
      try {
        const file = join(dir, "iam.sqlite");
        const old = await Iam.over(openSqliteIamStores(file, box), box);
        const account = await old.identities.accountId();
        const root = await old.identities.ensureRootKey();
        await old.users.create({ name: "Alice", email: "a@example.com" });
        const key = await old.identities.createUserKey("alice");
        await old.policies.create("Readers", readAll, "custom");
        await old.policies.createVersion("Readers", readAll, true, false);
        await old.policies.attach("readers", "Custom", { type: "user", name: "ALICE" });
        await old.roles.create({ name: "Job", trustPolicy: JSON.stringify({ Version: "1", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: { RAM: [`acs:ram::${account}:root`] } }] }) });
        const session = await old.identities.createSession({ roleName: "Job", sessionName: "s", sessionPolicy: undefined, callerArn: "x", expiresAt: new Date(Date.now() + 3600_000) });
        await old.bucketPolicies.put("bk", "{\"p\":1}");
        await old.close();

        const [a, b] = await Promise.all([0, 1].map(() => openPgIamStores(pg.url, box, { schema, max: 2, importSqlite: file })));
        try {
          // Exactly one imports; the other found the account there, or the file already renamed.
          assert.equal([a!.imported, b!.imported].filter((o) => o === "imported").length, 1);
          assert.ok([a!.imported, b!.imported].every((o) => o === "imported" || o === "already-imported" || o === undefined));
          assert.equal(await b!.identities.accountId(), account);
          assert.deepEqual(await a!.identities.ensureRootKey(), { ...root, generated: false });
          assert.equal((await b!.identities.resolve(key.accessKeyId))?.secret, key.secret);
          assert.equal((await b!.users.get("ALICE")).Email, "a@example.com");
          assert.deepEqual((await b!.policies.listFor({ type: "user", name: "alice" })).map((p) => [p.PolicyName, p.DefaultVersion]), [["Readers", "v2"]]);
          assert.equal((await b!.roles.findByArn(`acs:ram::${account}:role/job`))?.RoleName, "Job");
          assert.ok((await b!.identities.resolve(session.accessKeyId))?.checkSecurityToken?.(session.securityToken, new Date()) === undefined);
          assert.equal(await b!.bucketPolicies.get("bk"), "{\"p\":1}");
          assert.equal((await b!.policies.get("AliyunOSSReadOnlyAccess", "System")).policy.PolicyType, "System", "seeded by the old Iam, imported");
        } finally {
          await Promise.all([a!.close(), b!.close()]);
        }
        assert.ok(!existsSync(file) && existsSync(`${file}.imported`), "renamed");

        // A file sealed with another master key: refused before anything is copied.
        const foreign = join(dir, "foreign.sqlite");
        const sealedElsewhere = openSqliteIamStores(foreign, SecretBox.fromKey(randomBytes(32)));
        await sealedElsewhere.identities.ensureRootKey();
        await sealedElsewhere.close();
        const freshSchema = await pg.freshSchema();
        await assert.rejects(openPgIamStores(pg.url, box, { schema: freshSchema, max: 1, importSqlite: foreign }), /another master key/);
        assert.ok(existsSync(foreign));

        // Another account's file beside a database that has one: refused, never dropped silently.
        const other = openSqliteIamStores(file, box);
        await other.identities.accountId();
        await other.close();
        await assert.rejects(openPgIamStores(pg.url, box, { schema, max: 1, importSqlite: file }), /move the file away/);
        assert.ok(existsSync(file));
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    it("Iam over PostgreSQL: nodes starting together agree on the IMM role and seed its policy once", async () => {
      const pg = await getCluster();
      const schema = await pg.freshSchema();
      const box = SecretBox.fromKey(randomBytes(32));
      const opened = await Promise.all(Array.from({ length: 3 }, async () => await Iam.over(await openPgIamStores(pg.url, box, { schema, max: 2 }), box)));
      try {
        const roles = await Promise.all(opened.map((iam) => iam.roles.get(IMM_SERVICE_ROLE.name)));
        assert.equal(new Set(roles.map((r) => r.RoleId)).size, 1);
        assert.deepEqual((await opened[0]!.policies.listFor({ type: "role", name: IMM_SERVICE_ROLE.name })).map((p) => p.PolicyName), ["AliyunOSSReadOnlyAccess"]);
      } finally {
        await Promise.all(opened.map((iam) => iam.close()));
      }
    });
  });
}
