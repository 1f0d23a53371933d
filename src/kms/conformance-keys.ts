/** KmsKeyStore conformance: what every backend of the embedded KMS's key store must do (key-store.ts). */
import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { describe, it } from "node:test";
import { withShared, type SharedStoreFactory } from "../storage/conformance-fixture.js";
import type { KeyRecord, KmsKeyStore } from "./key-store.js";

const ACC = "1000000000000001";

export function keyRecord(overrides: Partial<KeyRecord> = {}): KeyRecord {
  return {
    keyId: randomUUID(), accountId: ACC, description: "d", keyState: "Enabled", keyUsage: "ENCRYPT/DECRYPT", keySpec: "Aliyun_AES_256",
    creator: ACC, creationDate: "2024-01-01T00:00:00Z", keyVersionId: randomUUID(), isDefault: false, ...overrides,
  };
}

export function runKmsKeyStoreConformance(name: string, make: SharedStoreFactory<KmsKeyStore>): void {
  describe(`KmsKeyStore conformance: ${name}`, () => {
    it("stores keys with their material, pages an account's keys in creation order", withShared(make, async (store, other) => {
      const keys = Array.from({ length: 5 }, (_, i) => keyRecord({ description: `key ${i}` }));
      const materials = keys.map(() => randomBytes(32));
      for (const [i, k] of keys.entries()) assert.equal(await store.insert(k, materials[i]!), "created");
      await store.insert(keyRecord({ accountId: "2000000000000002" }), randomBytes(32));
      assert.deepEqual(await other.get(keys[0]!.keyId), keys[0], "the other process reads it back exactly");
      assert.ok((await other.material(keys[3]!)).equals(materials[3]!));
      const page = await other.list(ACC, 2, 2);
      assert.equal(page.total, 5);
      assert.deepEqual(page.keys.map((k) => k.keyId), [keys[2]!.keyId, keys[3]!.keyId]);
      assert.deepEqual((await other.list(ACC, 4, 10)).keys.map((k) => k.keyId), [keys[4]!.keyId]);
      assert.deepEqual(await other.list("3000000000000003", 0, 10), { keys: [], total: 0 });
      assert.equal(await store.get(randomUUID()), undefined);
      await assert.rejects(async () => await store.material(keyRecord()), "no material for a key that was never stored");
    }));

    it("changes a key's state (never a missing one) and every process sees it", withShared(make, async (store, other) => {
      const k = keyRecord();
      await store.insert(k, randomBytes(32));
      assert.equal(await store.setState(k.keyId, "Disabled"), true);
      assert.equal((await other.get(k.keyId))?.keyState, "Disabled");
      assert.equal(await other.setState(k.keyId, "Enabled"), true);
      assert.equal((await store.get(k.keyId))?.keyState, "Enabled");
      assert.equal(await store.setState(randomUUID(), "Disabled"), false);
    }));

    it("never changes a key pending deletion", withShared(make, async (store) => {
      const k = keyRecord({ keyState: "PendingDeletion" });
      await store.insert(k, randomBytes(32));
      assert.equal(await store.setState(k.keyId, "Enabled"), false);
      assert.equal((await store.get(k.keyId))?.keyState, "PendingDeletion");
    }));

    it("one default key per account, also when both processes race to create it", withShared(make, async (store, other) => {
      const first = keyRecord({ isDefault: true });
      assert.equal(await store.insert(first, randomBytes(32)), "created");
      assert.equal(await other.insert(keyRecord({ isDefault: true }), randomBytes(32)), "default-exists");
      assert.equal(await other.insert(keyRecord({ isDefault: true, accountId: "3" }), randomBytes(32)), "created");
      assert.equal((await other.defaultKey(ACC))?.keyId, first.keyId);
      assert.equal(await store.defaultKey("4"), undefined);
      const racers = Array.from({ length: 10 }, () => keyRecord({ isDefault: true, accountId: "5" }));
      const outcomes = await Promise.all(racers.map((k, i) => (i % 2 === 0 ? store : other).insert(k, randomBytes(32))));
      assert.equal(outcomes.filter((o) => o === "created").length, 1);
      const winner = racers[outcomes.indexOf("created")]!;
      assert.equal((await store.defaultKey("5"))?.keyId, winner.keyId);
      assert.equal((await store.list("5", 0, 100)).total, 1, "the losers left nothing behind");
    }));
  });
}
