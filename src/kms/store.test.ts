import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { randomBytes, randomUUID } from "node:crypto";
import { SecretBox } from "../iam/secret-box.js";
import { SqliteKmsKeyStore } from "./store.js";
import { keyRecord, runKmsKeyStoreConformance } from "./conformance-keys.js";

const dir = mkdtempSync(join(tmpdir(), "kms-store-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const box = SecretBox.fromKey(randomBytes(32));
let files = 0;

// Two stores on one kms.sqlite stand for two server processes.
runKmsKeyStoreConformance("SQLite (kms.sqlite, two connections)", async () => {
  const file = join(dir, `conformance-${++files}.sqlite`);
  const store = new SqliteKmsKeyStore(file, box);
  const other = new SqliteKmsKeyStore(file, box);
  return {
    store,
    other,
    cleanup: async () => {
      await store.close();
      await other.close();
    },
  };
});

/** All bytes of the SQLite files (main db + WAL). */
function dbBytes(file: string): Buffer {
  return Buffer.concat(readdirSync(dir).filter((f) => f.startsWith(file)).map((f) => readFileSync(join(dir, f))));
}

describe("SqliteKmsKeyStore", () => {
  it("keeps keys across a reopen", async () => {
    const file = join(dir, "a.sqlite");
    let store = new SqliteKmsKeyStore(file, box);
    const k = keyRecord();
    const material = randomBytes(32);
    await store.insert(k, material);
    await store.close();
    store = new SqliteKmsKeyStore(file, box);
    assert.deepEqual(await store.get(k.keyId), k);
    assert.ok((await store.material(k)).equals(material));
    await store.close();
  });

  it("keeps material sealed: neither raw nor base64 material is in the files; another master key can't open it", async () => {
    const store = new SqliteKmsKeyStore(join(dir, "c.sqlite"), box);
    const k = keyRecord();
    const material = randomBytes(32);
    await store.insert(k, material);
    const bytes = dbBytes("c.sqlite");
    assert.equal(bytes.indexOf(material), -1);
    assert.equal(bytes.indexOf(Buffer.from(material.toString("base64"))), -1);
    assert.ok(bytes.indexOf(Buffer.from(k.keyId)) >= 0, "the file is readable at all");
    await store.close();
    const foreign = new SqliteKmsKeyStore(join(dir, "c.sqlite"), SecretBox.fromKey(randomBytes(32)));
    await assert.rejects(async () => await foreign.material(k));
    // Material is bound to its key: opening it as another key's fails.
    await assert.rejects(async () => await foreign.material({ ...k, keyVersionId: randomUUID() }));
    await foreign.close();
  });
});
