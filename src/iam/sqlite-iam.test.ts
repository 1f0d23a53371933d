import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { runIamStoreConformance } from "./conformance-iam.js";
import { openSqliteIamStores } from "./sqlite-iam.js";
import { SecretBox } from "./secret-box.js";
import { Iam } from "./iam.js";
import { IMM_SERVICE_ROLE } from "./builtins.js";

const root = await mkdtemp(join(tmpdir(), "barbucket-iam-"));
after(() => rm(root, { recursive: true, force: true }));
let files = 0;

// Two store sets on one iam.sqlite stand for two server processes.
runIamStoreConformance("SQLite (iam.sqlite, two connections)", async () => {
  const file = join(root, `iam-${++files}.sqlite`);
  const box = SecretBox.fromKey(randomBytes(32));
  const store = openSqliteIamStores(file, box);
  const other = openSqliteIamStores(file, box);
  return {
    store,
    other,
    cleanup: async () => {
      await store.close();
      await other.close();
    },
  };
});

describe("Iam.open", () => {
  it("several processes opening one data dir at once agree on the account, the IMM role and its one seeded policy", async () => {
    const dataDir = join(root, "datadir");
    await mkdir(dataDir);
    const opened = await Promise.all(Array.from({ length: 3 }, () => Iam.open(dataDir)));
    try {
      const accounts = await Promise.all(opened.map((iam) => iam.identities.accountId()));
      assert.equal(new Set(accounts).size, 1);
      const roles = await Promise.all(opened.map((iam) => iam.roles.get(IMM_SERVICE_ROLE.name)));
      assert.equal(new Set(roles.map((r) => r.RoleId)).size, 1);
      assert.deepEqual((await opened[0]!.policies.listFor({ type: "role", name: IMM_SERVICE_ROLE.name })).map((p) => p.PolicyName), ["AliyunOSSReadOnlyAccess"]);
    } finally {
      await Promise.all(opened.map((iam) => iam.close()));
    }
  });

  it("never re-attaches the IMM role's policy once an operator detached it", async () => {
    const dataDir = join(root, "detached");
    await mkdir(dataDir);
    let iam = await Iam.open(dataDir);
    await iam.policies.detach("AliyunOSSReadOnlyAccess", "System", { type: "role", name: IMM_SERVICE_ROLE.name });
    await iam.close();
    iam = await Iam.open(dataDir);
    try {
      assert.deepEqual(await iam.policies.listFor({ type: "role", name: IMM_SERVICE_ROLE.name }), []);
    } finally {
      await iam.close();
    }
  });
});
