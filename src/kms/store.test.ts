import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { randomBytes, randomUUID } from "node:crypto";
import { SecretBox } from "../iam/secret-box.js";
import { KmsStore, type KeyRecord } from "./store.js";

const dir = mkdtempSync(join(tmpdir(), "kms-store-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const box = SecretBox.fromKey(randomBytes(32));
const ACC = "1000000000000001";

function key(overrides: Partial<KeyRecord> = {}): KeyRecord {
  return {
    keyId: randomUUID(), accountId: ACC, description: "d", keyState: "Enabled", keyUsage: "ENCRYPT/DECRYPT", keySpec: "Aliyun_AES_256",
    creator: ACC, creationDate: "2024-01-01T00:00:00Z", keyVersionId: randomUUID(), isDefault: false, ...overrides,
  };
}

/** All bytes of the SQLite files (main db + WAL). */
function dbBytes(file: string): Buffer {
  return Buffer.concat(readdirSync(dir).filter((f) => f.startsWith(file)).map((f) => readFileSync(join(dir, f))));
}

describe("KmsStore", () => {
  it("stores keys, reads them back after reopening, pages in creation order, changes state", () => {
    const file = join(dir, "a.sqlite");
    let store = new KmsStore(file, box);
    const keys = Array.from({ length: 5 }, () => key());
    const materials = keys.map(() => randomBytes(32));
    keys.forEach((k, i) => assert.equal(store.insert(k, materials[i]!), "created"));
    store.insert(key({ accountId: "2000000000000002" }), randomBytes(32));
    store.close();
    store = new KmsStore(file, box);
    assert.deepEqual(store.get(keys[0]!.keyId), keys[0]);
    assert.ok(store.material(keys[3]!).equals(materials[3]!));
    const page = store.list(ACC, 2, 2);
    assert.equal(page.total, 5);
    assert.deepEqual(page.keys.map((k) => k.keyId), [keys[2]!.keyId, keys[3]!.keyId]);
    assert.equal(store.setState(keys[1]!.keyId, "Disabled"), true);
    assert.equal(store.get(keys[1]!.keyId)?.keyState, "Disabled");
    assert.equal(store.setState(randomUUID(), "Disabled"), false);
    assert.equal(store.get(randomUUID()), undefined);
    store.close();
  });

  it("allows one default key per account", () => {
    const store = new KmsStore(join(dir, "b.sqlite"), box);
    const first = key({ isDefault: true });
    assert.equal(store.insert(first, randomBytes(32)), "created");
    assert.equal(store.insert(key({ isDefault: true }), randomBytes(32)), "default-exists");
    assert.equal(store.insert(key({ isDefault: true, accountId: "3" }), randomBytes(32)), "created");
    assert.equal(store.defaultKey(ACC)?.keyId, first.keyId);
    store.close();
  });

  it("keeps material sealed: neither raw nor base64 material is in the files; another master key can't open it", () => {
    const store = new KmsStore(join(dir, "c.sqlite"), box);
    const k = key();
    const material = randomBytes(32);
    store.insert(k, material);
    const bytes = dbBytes("c.sqlite");
    assert.equal(bytes.indexOf(material), -1);
    assert.equal(bytes.indexOf(Buffer.from(material.toString("base64"))), -1);
    assert.ok(bytes.indexOf(Buffer.from(k.keyId)) >= 0, "the file is readable at all");
    store.close();
    const foreign = new KmsStore(join(dir, "c.sqlite"), SecretBox.fromKey(randomBytes(32)));
    assert.throws(() => foreign.material(k));
    // Material is bound to its key: opening it as another key's fails.
    assert.throws(() => foreign.material({ ...k, keyVersionId: randomUUID() }));
    foreign.close();
  });
});
