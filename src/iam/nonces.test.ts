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

// The cross-process behaviour is in the IAM conformance suite (conformance-iam-identities.ts).
describe("SqliteNonceStore", () => {
  it("sweeps nonces that could no longer pass the time check, every 1000 claims", async () => {
    const db = openIamDatabase(join(root, "iam.sqlite"));
    try {
      const nonces = new SqliteNonceStore(db);
      const rows = (): number => db.prepare("SELECT COUNT(*) FROM rpc_nonces").pluck().get() as number;
      const t = new Date("2026-01-01T00:00:00Z");
      for (let i = 0; i < 10; i++) assert.equal(await nonces.remember("AK", `old-${i}`, t, t), true);
      const later = new Date(t.getTime() + MAX_SKEW_MS + 1);
      for (let i = 0; i < 989; i++) await nonces.remember("AK", `new-${i}`, later, later);
      assert.equal(rows(), 999, "nothing swept before the 1000th claim");
      await nonces.remember("AK", "the-1000th", later, later);
      assert.equal(rows(), 990, "the ten expired ones swept, the live ones kept");
    } finally {
      db.close();
    }
  });
});
