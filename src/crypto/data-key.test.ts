import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { randomBytes } from "node:crypto";
import { SecretBox } from "../iam/secret-box.js";
import { CiphertextCorruptError } from "./format.js";
import { encryptionInfo, headerFromInfo, newDataKey, newHeader, unwrapWithMasterKey, wrapWithMasterKey } from "./data-key.js";
import { decrypt, encrypt, pattern } from "./test-helpers.js";

describe("data keys", () => {
  const box = SecretBox.fromKey(randomBytes(32));

  it("wraps under the master key and unwraps to the same key; the wrapped form hides the key", () => {
    const key = newDataKey();
    const wrapped = wrapWithMasterKey(box, key);
    assert.ok(unwrapWithMasterKey(box, wrapped).equals(key));
    assert.ok(!wrapped.includes(key.toString("base64")));
    assert.ok(!Buffer.from(wrapped).includes(key));
    assert.notEqual(wrapWithMasterKey(box, key), wrapped, "fresh IV each time");
  });

  it("a tampered wrapped key, another master key or garbage → CiphertextCorruptError", () => {
    const wrapped = wrapWithMasterKey(box, newDataKey());
    const parts = wrapped.split(".");
    const last = parts[3]!;
    parts[3] = (last[0] === "A" ? "B" : "A") + last.slice(1);
    assert.throws(() => unwrapWithMasterKey(box, parts.join(".")), CiphertextCorruptError);
    assert.throws(() => unwrapWithMasterKey(SecretBox.fromKey(randomBytes(32)), wrapped), CiphertextCorruptError);
    assert.throws(() => unwrapWithMasterKey(box, "nonsense"), CiphertextCorruptError);
    assert.throws(() => unwrapWithMasterKey(box, box.seal("short", "barbucket/sse-oss/data-key/v1")), CiphertextCorruptError);
  });

  it("EncryptionInfo is JSON-safe and rebuilds the reader's header", async () => {
    const key = newDataKey();
    const header = newHeader(1024);
    const plain = pattern(5000);
    const sealed = await encrypt(key, header, plain);
    const info = JSON.parse(JSON.stringify(encryptionInfo({ algorithm: "KMS", kmsKeyId: "k-1", wrappedKey: "blob" }, header, plain.length))) as ReturnType<typeof encryptionInfo>;
    assert.deepEqual(info, { algorithm: "KMS", kmsKeyId: "k-1", wrappedKey: "blob", nonceBase: header.nonceBase.toString("base64"), chunkSize: 1024, plaintextSize: 5000 });
    const h = headerFromInfo(info);
    const { output, error } = await decrypt(key, h, h.plaintextSize, sealed);
    assert.equal(error, undefined);
    assert.ok(output.equals(plain));
    assert.equal("kmsKeyId" in encryptionInfo({ algorithm: "AES256", wrappedKey: "w" }, header, 0), false);
  });
});
