import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { randomBytes, randomUUID } from "node:crypto";
import { SecretBox } from "../iam/secret-box.js";
import { KmsService } from "./service.js";
import { KmsCiphertextError, KmsKeyDisabledError, KmsKeyNotFoundError } from "./errors.js";

const dir = mkdtempSync(join(tmpdir(), "kms-service-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const ACC = "1000000000000001";
let n = 0;
const open = (): KmsService => KmsService.open(mkdtempSync(join(dir, `s${++n}-`)), SecretBox.fromKey(randomBytes(32)), "cn-hangzhou");

describe("KmsService", () => {
  it("data keys decrypt back under an enabled key, fail under a disabled one, work again once enabled", async () => {
    const kms = open();
    const key = await kms.createKey(ACC, { description: "objects" });
    assert.equal(kms.keyArn(ACC, key.keyId), `acs:kms:cn-hangzhou:${ACC}:key/${key.keyId}`);
    const dk = await kms.generateDataKey(ACC, key.keyId);
    assert.equal(dk.plaintext.length, 32);
    assert.equal(kms.keyIdOf(dk.ciphertextBlob), key.keyId);
    assert.ok((await kms.decrypt(ACC, dk.ciphertextBlob)).plaintext.equals(dk.plaintext));
    await kms.disable(ACC, key.keyId);
    await assert.rejects(() => kms.decrypt(ACC, dk.ciphertextBlob), (e) => e instanceof KmsKeyDisabledError && e.rpcCode === "Rejected.Disabled" && e.httpStatus === 409);
    await assert.rejects(() => kms.generateDataKey(ACC, key.keyId), KmsKeyDisabledError);
    await assert.rejects(() => kms.encrypt(ACC, key.keyId, Buffer.from("x")), KmsKeyDisabledError);
    await kms.enable(ACC, key.keyId);
    assert.ok((await kms.decrypt(ACC, dk.ciphertextBlob)).plaintext.equals(dk.plaintext));
    await kms.close();
  });

  it("unknown keys, other accounts' keys and ARNs", async () => {
    const kms = open();
    const key = await kms.createKey(ACC);
    assert.equal((await kms.describe(ACC, kms.keyArn(ACC, key.keyId))).keyId, key.keyId, "an ARN names the key too");
    await assert.rejects(() => kms.describe(ACC, randomUUID()), KmsKeyNotFoundError);
    await assert.rejects(() => kms.describe(ACC, "not-a-key"), KmsKeyNotFoundError);
    await assert.rejects(() => kms.describe("2000000000000002", key.keyId), KmsKeyNotFoundError);
    const blob = (await kms.encrypt(ACC, key.keyId, Buffer.from("secret"))).ciphertextBlob;
    await assert.rejects(() => kms.decrypt("2000000000000002", blob), KmsKeyNotFoundError);
    await kms.close();
  });

  it("tampered ciphertext and a wrong EncryptionContext → KmsCiphertextError", async () => {
    const kms = open();
    const key = await kms.createKey(ACC);
    const blob = (await kms.encrypt(ACC, key.keyId, Buffer.from("secret"), { a: "1" })).ciphertextBlob;
    assert.equal((await kms.decrypt(ACC, blob, { a: "1" })).plaintext.toString(), "secret");
    await assert.rejects(() => kms.decrypt(ACC, blob), KmsCiphertextError);
    const bytes = Buffer.from(blob, "base64");
    bytes[bytes.length - 1]! ^= 1;
    await assert.rejects(() => kms.decrypt(ACC, bytes.toString("base64"), { a: "1" }), KmsCiphertextError);
    await assert.rejects(() => kms.decrypt(ACC, "garbage"), KmsCiphertextError);
    await kms.close();
  });

  it("the default key is created once per account and survives a reopen", async () => {
    const dataDir = mkdtempSync(join(dir, "default-"));
    const box = SecretBox.fromKey(randomBytes(32));
    let kms = KmsService.open(dataDir, box, "cn-hangzhou");
    const id = await kms.defaultKeyId(ACC);
    assert.equal(await kms.defaultKeyId(ACC), id);
    assert.notEqual(await kms.defaultKeyId("2000000000000002"), id);
    const dk = await kms.generateDataKey(ACC, id);
    await kms.close();
    kms = KmsService.open(dataDir, box, "cn-hangzhou");
    assert.equal(await kms.defaultKeyId(ACC), id);
    assert.ok((await kms.decrypt(ACC, dk.ciphertextBlob)).plaintext.equals(dk.plaintext));
    assert.equal((await kms.list(ACC, 1, 10)).total, 1);
    await kms.close();
  });
});
