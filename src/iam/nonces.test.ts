import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { openIamDatabase } from "./iam-db.js";
import { SqliteNonceStore } from "./nonces.js";
import { MAX_SKEW_MS } from "../rpc/signature.js";

const root = await mkdtemp(join(tmpdir(), "barbucket-nonces-"));
after(() => rm(root, { recursive: true, force: true }));

describe("SqliteNonceStore (RPC replay memory shared by processes)", () => {
  it("a nonce used through one process is a replay in another, until it could no longer pass the time check", () => {
    const file = join(root, "iam.sqlite");
    const dbA = openIamDatabase(file);
    const dbB = openIamDatabase(file);
    try {
      const a = new SqliteNonceStore(dbA);
      const b = new SqliteNonceStore(dbB);
      const t = new Date("2026-01-01T00:00:00Z");
      assert.equal(a.remember("AK", "n1", t, t), true);
      assert.equal(b.remember("AK", "n1", t, new Date(t.getTime() + 1000)), false, "replay through the other process");
      assert.equal(b.remember("AK2", "n1", t, t), true, "nonces are per access key");
      const later = new Date(t.getTime() + MAX_SKEW_MS + 1);
      assert.equal(b.remember("AK", "n1", later, later), true, "remembered only as long as needed");
    } finally {
      dbA.close();
      dbB.close();
    }
  });
});
