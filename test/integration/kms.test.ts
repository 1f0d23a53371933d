/**
 * The embedded KMS (2016-01-20) end to end with the real `@alicloud/pop-core` client: key
 * lifecycle, envelope data keys, Encrypt/Decrypt, disabled keys, paging, RAM permissions, and a
 * scan of kms.sqlite showing neither data keys nor CMK material are stored in plaintext.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { startServer, type TestServer } from "./harness.js";
import { popClient, rpc, rpcError, type PopCoreClient } from "./pop.js";
import { SecretBox } from "../../src/iam/secret-box.js";
import { SqliteKmsKeyStore } from "../../src/kms/store.js";

interface KeyMetadata {
  KeyId: string;
  Arn: string;
  KeyState: string;
  KeyUsage: string;
  KeySpec: string;
  Description: string;
  CreationDate: string;
  Creator: string;
  PrimaryKeyVersion: string;
}
interface DataKeyResponse {
  KeyId: string;
  KeyVersionId: string;
  CiphertextBlob: string;
  Plaintext: string;
}

function policy(...statements: Array<Record<string, unknown>>): string {
  return JSON.stringify({ Version: "1", Statement: statements });
}

/** Bytes of kms.sqlite and its WAL/SHM side files. */
function kmsFileBytes(dataDir: string): Buffer {
  return Buffer.concat(readdirSync(dataDir).filter((f) => f.startsWith("kms.sqlite")).map((f) => readFileSync(join(dataDir, f))));
}

describe("embedded KMS", () => {
  let server: TestServer;
  let kms: PopCoreClient;
  let ram: PopCoreClient;
  let accountId: string;
  let keyId: string;
  const dataKeys: Buffer[] = [];

  before(async () => {
    server = await startServer();
    kms = popClient(server, "2016-01-20");
    ram = popClient(server, "2015-05-01");
    accountId = (await rpc<{ AccountId: string }>(popClient(server, "2015-04-01"), "GetCallerIdentity")).AccountId;
  });
  after(async () => {
    await server?.stop();
    server?.cleanup();
  });

  it("CreateKey and DescribeKey return the KeyMetadata model", async () => {
    const created = await rpc<{ KeyMetadata: KeyMetadata; RequestId: string }>(kms, "CreateKey", { Description: "sse objects" });
    const meta = created.KeyMetadata;
    keyId = meta.KeyId;
    assert.match(keyId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(meta.Arn, `acs:kms:cn-hangzhou:${accountId}:key/${keyId}`);
    assert.equal(meta.KeyState, "Enabled");
    assert.equal(meta.KeyUsage, "ENCRYPT/DECRYPT");
    assert.equal(meta.KeySpec, "Aliyun_AES_256");
    assert.equal(meta.Description, "sse objects");
    assert.equal(meta.Creator, accountId);
    assert.match(meta.CreationDate, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.ok(created.RequestId);
    const described = await rpc<{ KeyMetadata: KeyMetadata }>(kms, "DescribeKey", { KeyId: keyId });
    assert.deepEqual(described.KeyMetadata, meta);
    assert.equal((await rpc<{ KeyMetadata: KeyMetadata }>(kms, "DescribeKey", { KeyId: meta.Arn })).KeyMetadata.KeyId, keyId, "by ARN");
  });

  it("GenerateDataKey's CiphertextBlob decrypts (by itself) to the same Plaintext", async () => {
    const dk = await rpc<DataKeyResponse>(kms, "GenerateDataKey", { KeyId: keyId });
    const plain = Buffer.from(dk.Plaintext, "base64");
    assert.equal(plain.length, 32);
    assert.equal(dk.KeyId, keyId);
    assert.ok(dk.KeyVersionId);
    dataKeys.push(plain);
    const out = await rpc<{ KeyId: string; KeyVersionId: string; Plaintext: string }>(kms, "Decrypt", { CiphertextBlob: dk.CiphertextBlob });
    assert.equal(out.Plaintext, dk.Plaintext);
    assert.equal(out.KeyId, keyId);
    assert.equal(out.KeyVersionId, dk.KeyVersionId);
    const short = await rpc<DataKeyResponse>(kms, "GenerateDataKey", { KeyId: keyId, KeySpec: "AES_128" });
    assert.equal(Buffer.from(short.Plaintext, "base64").length, 16);
    const sized = await rpc<DataKeyResponse>(kms, "GenerateDataKey", { KeyId: keyId, NumberOfBytes: 64 });
    assert.equal(Buffer.from(sized.Plaintext, "base64").length, 64);
    dataKeys.push(Buffer.from(short.Plaintext, "base64"), Buffer.from(sized.Plaintext, "base64"));
  });

  it("Encrypt/Decrypt round trip, with an EncryptionContext that must match", async () => {
    const text = Buffer.from("the quick brown fox — KMS round trip");
    const context = JSON.stringify({ bucket: "b1", object: "k1" });
    const enc = await rpc<{ CiphertextBlob: string; KeyId: string }>(kms, "Encrypt", { KeyId: keyId, Plaintext: text.toString("base64"), EncryptionContext: context });
    assert.equal(enc.KeyId, keyId);
    const dec = await rpc<{ Plaintext: string }>(kms, "Decrypt", { CiphertextBlob: enc.CiphertextBlob, EncryptionContext: context });
    assert.ok(Buffer.from(dec.Plaintext, "base64").equals(text));
    assert.equal((await rpcError(rpc(kms, "Decrypt", { CiphertextBlob: enc.CiphertextBlob }))).code, "InvalidParameter");
    const bytes = Buffer.from(enc.CiphertextBlob, "base64");
    bytes[bytes.length - 3]! ^= 0x10;
    assert.equal((await rpcError(rpc(kms, "Decrypt", { CiphertextBlob: bytes.toString("base64"), EncryptionContext: context }))).code, "InvalidParameter");
  });

  it("DisableKey makes GenerateDataKey, Encrypt and Decrypt fail with Rejected.Disabled; EnableKey restores", async () => {
    const dk = await rpc<DataKeyResponse>(kms, "GenerateDataKey", { KeyId: keyId });
    dataKeys.push(Buffer.from(dk.Plaintext, "base64"));
    await rpc(kms, "DisableKey", { KeyId: keyId });
    assert.equal((await rpc<{ KeyMetadata: KeyMetadata }>(kms, "DescribeKey", { KeyId: keyId })).KeyMetadata.KeyState, "Disabled");
    // One call at a time: promises made together would reject before the loop awaits them, and an unhandled
    // rejection fails whichever test is running (it flaked so in CI).
    for (const call of [
      () => rpc(kms, "Decrypt", { CiphertextBlob: dk.CiphertextBlob }),
      () => rpc(kms, "GenerateDataKey", { KeyId: keyId }),
      () => rpc(kms, "Encrypt", { KeyId: keyId, Plaintext: "aGk=" }),
    ]) {
      const error = await rpcError(call());
      assert.equal(error.code, "Rejected.Disabled");
      assert.match(error.message, /key state is Disabled/);
    }
    await rpc(kms, "EnableKey", { KeyId: keyId });
    assert.equal((await rpc<{ Plaintext: string }>(kms, "Decrypt", { CiphertextBlob: dk.CiphertextBlob })).Plaintext, dk.Plaintext);
  });

  it("bad input: unknown key, missing or malformed parameters", async () => {
    const unknown = "00000000-0000-4000-8000-000000000000";
    assert.equal((await rpcError(rpc(kms, "DescribeKey", { KeyId: unknown }))).code, "Forbidden.KeyNotFound");
    assert.equal((await rpcError(rpc(kms, "GenerateDataKey", { KeyId: "nonsense" }))).code, "Forbidden.KeyNotFound");
    assert.equal((await rpcError(rpc(kms, "EnableKey", { KeyId: unknown }))).code, "Forbidden.KeyNotFound");
    assert.equal((await rpcError(rpc(kms, "DescribeKey", {}))).code, "MissingParameter");
    assert.equal((await rpcError(rpc(kms, "Decrypt", { CiphertextBlob: "bm90IGEgYmxvYg==" }))).code, "InvalidParameter");
    assert.equal((await rpcError(rpc(kms, "GenerateDataKey", { KeyId: keyId, NumberOfBytes: 2000 }))).code, "InvalidParameter");
    assert.equal((await rpcError(rpc(kms, "GenerateDataKey", { KeyId: keyId, KeySpec: "RSA_2048" }))).code, "InvalidParameter");
    assert.equal((await rpcError(rpc(kms, "Encrypt", { KeyId: keyId, Plaintext: "not base64!" }))).code, "InvalidParameter");
    assert.equal((await rpcError(rpc(kms, "CreateKey", { KeySpec: "RSA_2048" }))).code, "InvalidParameter");
  });

  it("ListKeys pages through every key once", async () => {
    for (let i = 0; i < 4; i++) await rpc(kms, "CreateKey", { Description: `extra ${i}` });
    type Page = { Keys: { Key: Array<{ KeyId: string; KeyArn: string }> }; TotalCount: number; PageNumber: number; PageSize: number };
    const seen: string[] = [];
    for (let page = 1; page <= 3; page++) {
      const res = await rpc<Page>(kms, "ListKeys", { PageNumber: page, PageSize: 2 });
      assert.equal(res.TotalCount, 5);
      assert.equal(res.PageNumber, page);
      assert.equal(res.PageSize, 2);
      for (const k of res.Keys.Key) {
        assert.equal(k.KeyArn, `acs:kms:cn-hangzhou:${accountId}:key/${k.KeyId}`);
        seen.push(k.KeyId);
      }
    }
    assert.equal(seen.length, 5);
    assert.equal(new Set(seen).size, 5);
    assert.ok(seen.includes(keyId));
    assert.equal((await rpc<Page>(kms, "ListKeys", { PageNumber: 4, PageSize: 2 })).Keys.Key.length, 0);
    assert.equal((await rpc<Page>(kms, "ListKeys")).PageSize, 10);
  });

  it("a RAM user without kms:Decrypt is refused; granting it lets the same call through", async () => {
    await rpc(ram, "CreateUser", { UserName: "kms-user" });
    const { AccessKey } = await rpc<{ AccessKey: { AccessKeyId: string; AccessKeySecret: string } }>(ram, "CreateAccessKey", { UserName: "kms-user" });
    const user = popClient(server, "2016-01-20", { accessKeyId: AccessKey.AccessKeyId, accessKeySecret: AccessKey.AccessKeySecret });
    const keyArn = `acs:kms:*:*:key/${keyId}`;
    assert.equal((await rpcError(rpc(user, "CreateKey"))).code, "Forbidden.NoPermission");
    assert.equal((await rpcError(rpc(user, "ListKeys"))).code, "Forbidden.NoPermission");

    await rpc(ram, "CreatePolicy", { PolicyName: "kms-gen", PolicyDocument: policy({ Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:DescribeKey"], Resource: keyArn }) });
    await rpc(ram, "AttachPolicyToUser", { PolicyType: "Custom", PolicyName: "kms-gen", UserName: "kms-user" });
    const dk = await rpc<DataKeyResponse>(user, "GenerateDataKey", { KeyId: keyId });
    dataKeys.push(Buffer.from(dk.Plaintext, "base64"));
    const refused = await rpcError(rpc(user, "Decrypt", { CiphertextBlob: dk.CiphertextBlob }));
    assert.equal(refused.code, "Forbidden.NoPermission");
    assert.match(refused.message, /kms:Decrypt/);
    assert.equal((await rpcError(rpc(user, "DisableKey", { KeyId: keyId }))).code, "Forbidden.NoPermission");
    // Permission is checked before existence: an unknown key is refused, not reported missing.
    assert.equal((await rpcError(rpc(user, "DescribeKey", { KeyId: "00000000-0000-4000-8000-000000000000" }))).code, "Forbidden.NoPermission");

    await rpc(ram, "CreatePolicy", { PolicyName: "kms-dec", PolicyDocument: policy({ Effect: "Allow", Action: "kms:Decrypt", Resource: keyArn }) });
    await rpc(ram, "AttachPolicyToUser", { PolicyType: "Custom", PolicyName: "kms-dec", UserName: "kms-user" });
    assert.equal((await rpc<{ Plaintext: string }>(user, "Decrypt", { CiphertextBlob: dk.CiphertextBlob })).Plaintext, dk.Plaintext);
  });

  it("kms.sqlite never holds a data key or CMK material in plaintext", async () => {
    assert.ok(dataKeys.length >= 5);
    const live = kmsFileBytes(server.dataDir);
    assert.ok(live.indexOf(Buffer.from(keyId)) >= 0, "the scan reads the real store");
    for (const dk of dataKeys) {
      assert.equal(live.indexOf(dk), -1);
      assert.equal(live.indexOf(Buffer.from(dk.toString("base64"))), -1);
    }
    await server.stop();
    const files = kmsFileBytes(server.dataDir);
    // Unseal each CMK with the server master key and look for it in the bytes read before opening.
    const store = new SqliteKmsKeyStore(join(server.dataDir, "kms.sqlite"), SecretBox.open(server.dataDir));
    try {
      const { keys } = await store.list(accountId, 0, 100);
      assert.equal(keys.length, 5);
      for (const key of keys) {
        const material = await store.material(key);
        assert.equal(material.length, 32);
        for (const bytes of [live, files]) {
          assert.equal(bytes.indexOf(material), -1);
          assert.equal(bytes.indexOf(Buffer.from(material.toString("base64"))), -1);
          assert.equal(bytes.indexOf(Buffer.from(material.toString("hex"))), -1);
        }
      }
    } finally {
      await store.close();
    }
  });
});
