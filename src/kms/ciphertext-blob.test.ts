import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { randomBytes, randomUUID } from "node:crypto";
import { openBlob, readBlobHeader, sealBlob } from "./ciphertext-blob.js";
import { KmsCiphertextError } from "./errors.js";

describe("KMS CiphertextBlob", () => {
  const material = randomBytes(32);
  const header = { keyId: randomUUID(), keyVersionId: randomUUID() };
  const plaintext = Buffer.from("a 32-byte data key, or any text");

  it("names its key and version and opens to the plaintext", () => {
    const blob = sealBlob(material, header, plaintext);
    assert.deepEqual(readBlobHeader(blob), header);
    assert.ok(openBlob(material, blob).equals(plaintext));
    assert.notEqual(sealBlob(material, header, plaintext), blob, "fresh IV");
    assert.equal(Buffer.from(blob, "base64").indexOf(plaintext), -1);
  });

  it("binds the EncryptionContext (key order does not matter)", () => {
    const blob = sealBlob(material, header, plaintext, { bucket: "b", object: "k" });
    assert.ok(openBlob(material, blob, { object: "k", bucket: "b" }).equals(plaintext));
    assert.throws(() => openBlob(material, blob), KmsCiphertextError);
    assert.throws(() => openBlob(material, blob, { bucket: "b", object: "other" }), KmsCiphertextError);
  });

  it("any flipped byte, another CMK, a swapped key id, truncation or garbage → KmsCiphertextError", () => {
    const blob = sealBlob(material, header, plaintext);
    const bytes = Buffer.from(blob, "base64");
    for (let i = 3; i < bytes.length; i++) {
      const bad = Buffer.from(bytes);
      bad[i]! ^= 0x04;
      assert.throws(() => openBlob(material, bad.toString("base64")), KmsCiphertextError, `byte ${i}`);
    }
    assert.throws(() => openBlob(randomBytes(32), blob), KmsCiphertextError);
    const other = Buffer.from(bytes);
    Buffer.from(randomUUID().replace(/-/g, ""), "hex").copy(other, 3);
    assert.throws(() => openBlob(material, other.toString("base64")), KmsCiphertextError);
    assert.throws(() => openBlob(material, bytes.subarray(0, 40).toString("base64")), KmsCiphertextError);
    assert.throws(() => readBlobHeader("not base64!"), KmsCiphertextError);
    assert.throws(() => readBlobHeader(Buffer.alloc(80, 1).toString("base64")), KmsCiphertextError);
  });
});
