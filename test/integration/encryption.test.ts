/**
 * Server-side encryption end to end with ali-oss (V1 and V4): SSE-OSS (AES256) and SSE-KMS on
 * PutObject, AppendObject, CopyObject and as a bucket default; the bytes on disk never hold the
 * plaintext; ranges decrypt only what they need; kms:Decrypt gates reads and image/codes; a
 * disabled key fails reads with 409; a corrupted ciphertext block is detected, never served.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startServer, type TestServer } from "./harness.js";
import { ossClient, ossError, type AliOssClient } from "./ali-oss.js";
import { popClient, rpc } from "./pop.js";

const require = createRequire(import.meta.url);
const QRCode = require("qrcode") as { toBuffer(text: string, options: Record<string, unknown>): Promise<Buffer> };

/** A body whose every 64-byte window is recognisable, so a grep of the disk would find any plaintext. */
function marked(size: number, tag: string): Buffer {
  const unit = Buffer.from(`PLAINTEXT-MARKER-${tag}-`.padEnd(64, "#"));
  return Buffer.concat(Array.from({ length: Math.ceil(size / unit.length) }, () => unit)).subarray(0, size);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

function diskContains(dataDir: string, needle: Buffer): boolean {
  return filesUnder(dataDir).some((f) => readFileSync(f).includes(needle));
}

describe("server-side encryption", () => {
  let server: TestServer;
  let accountId: string;
  let kmsKeyId: string;
  const bucket = "sse-bucket";

  before(async () => {
    server = await startServer();
    await ossClient(server).putBucket(bucket);
    accountId = (await rpc<{ AccountId: string }>(popClient(server, "2015-04-01"), "GetCallerIdentity")).AccountId;
    kmsKeyId = (await rpc<{ KeyMetadata: { KeyId: string } }>(popClient(server, "2016-01-20"), "CreateKey", { Description: "sse test" })).KeyMetadata.KeyId;
  });
  after(async () => {
    await server.stop();
    server.cleanup();
  });

  for (const v4 of [false, true]) {
    for (const mode of ["AES256", "KMS"] as const) {
      it(`${mode} round-trips with ${v4 ? "V4" : "V1"}, echoes the headers, and keeps no plaintext on disk`, async () => {
        const client: AliOssClient = ossClient(server, { bucket, v4 });
        const body = marked(200_000, `${mode}-${v4}`);
        const headers: Record<string, string> = { "x-oss-server-side-encryption": mode };
        if (mode === "KMS") headers["x-oss-server-side-encryption-key-id"] = kmsKeyId;
        const key = `enc-${mode}-${v4}.bin`;
        const put = await client.put(key, body, { headers });
        assert.equal(put.res.headers["x-oss-server-side-encryption"], mode);
        assert.equal(put.res.headers.etag, `"${createHash("md5").update(body).digest("hex").toUpperCase()}"`, "ETag of the plaintext");
        const got = await client.get(key);
        assert.deepEqual(Buffer.from(got.content), body);
        assert.equal(got.res.headers["x-oss-server-side-encryption"], mode);
        if (mode === "KMS") assert.equal(got.res.headers["x-oss-server-side-encryption-key-id"], kmsKeyId);
        const range = await client.get(key, { headers: { Range: "bytes=65530-131080" } });
        assert.deepEqual(Buffer.from(range.content), body.subarray(65530, 131081));
        const head = await client.head(key);
        assert.equal(head.res.headers["x-oss-server-side-encryption"], mode);
        assert.equal(diskContains(server.dataDir, body.subarray(0, 64)), false, "no plaintext on disk");
      });
    }
  }

  it("applies the bucket default, never inherits on copy, and encrypts appends", async () => {
    const client = ossClient(server, { bucket });
    await client.putBucketEncryption(bucket, { SSEAlgorithm: "KMS", KMSMasterKeyID: kmsKeyId });
    const rule = await client.getBucketEncryption(bucket);
    assert.deepEqual(rule.encryption, { SSEAlgorithm: "KMS", KMSMasterKeyID: kmsKeyId });
    await client.putBucketEncryption(bucket, { SSEAlgorithm: "AES256" });
    assert.deepEqual((await client.getBucketEncryption(bucket)).encryption, { SSEAlgorithm: "AES256" }, "no empty KMSMasterKeyID");
    await client.putBucketEncryption(bucket, { SSEAlgorithm: "KMS", KMSMasterKeyID: kmsKeyId });
    const body = marked(5000, "default");
    await client.put("default.bin", body);
    assert.equal((await client.head("default.bin")).res.headers["x-oss-server-side-encryption-key-id"], kmsKeyId);
    await client.deleteBucketEncryption(bucket);
    assert.equal((await ossError(() => client.getBucketEncryption(bucket))).code, "NoSuchServerSideEncryptionRule");

    await client.copy("copy-plain.bin", "default.bin");
    const copied = await client.get("copy-plain.bin");
    assert.deepEqual(Buffer.from(copied.content), body);
    assert.equal(copied.res.headers["x-oss-server-side-encryption"], undefined, "SSE is not inherited by a copy");
    await client.copy("copy-aes.bin", "default.bin", { headers: { "x-oss-server-side-encryption": "AES256" } });
    assert.equal((await client.head("copy-aes.bin")).res.headers["x-oss-server-side-encryption"], "AES256");

    const first = await client.append("enc-log.txt", marked(100, "append1"), { headers: { "x-oss-server-side-encryption": "AES256" } });
    await client.append("enc-log.txt", marked(70_000, "append2"), { position: first.nextAppendPosition });
    const appended = await client.get("enc-log.txt");
    assert.deepEqual(Buffer.from(appended.content), Buffer.concat([marked(100, "append1"), marked(70_000, "append2")]));
    assert.equal(diskContains(server.dataDir, marked(64, "append2")), false);
  });

  it("encrypts multipart uploads part by part (multipartUpload and UploadPartCopy)", async () => {
    const client = ossClient(server, { bucket });
    const body = marked(350 * 1024, "multipart");
    const result = await client.multipartUpload("mp-enc.bin", body, {
      partSize: 100 * 1024,
      headers: { "x-oss-server-side-encryption": "KMS", "x-oss-server-side-encryption-key-id": kmsKeyId },
    });
    assert.equal(result.res.status, 200);
    const got = await client.get("mp-enc.bin");
    assert.deepEqual(Buffer.from(got.content), body);
    assert.equal(got.res.headers["x-oss-server-side-encryption-key-id"], kmsKeyId);
    const spanning = await client.get("mp-enc.bin", { headers: { Range: "bytes=102000-205000" } });
    assert.deepEqual(Buffer.from(spanning.content), body.subarray(102000, 205001));
    await client.putBucketEncryption(bucket, { SSEAlgorithm: "AES256" });
    try {
      await client.multipartUploadCopy("mp-copy.bin", { sourceKey: "mp-enc.bin", sourceBucketName: bucket }, { partSize: 100 * 1024 });
    } finally {
      await client.deleteBucketEncryption(bucket);
    }
    const copied = await client.get("mp-copy.bin");
    assert.deepEqual(Buffer.from(copied.content), body);
    assert.equal(copied.res.headers["x-oss-server-side-encryption"], "AES256");
    assert.equal(diskContains(server.dataDir, marked(64, "multipart")), false, "no plaintext part on disk");
  });

  it("refuses unknown algorithms and unknown or disabled keys; a disabled key fails reads with 409", async () => {
    const client = ossClient(server, { bucket });
    const bad = await ossError(() => client.put("x.bin", Buffer.from("x"), { headers: { "x-oss-server-side-encryption": "DES" } }));
    assert.equal(bad.code, "InvalidEncryptionAlgorithmError");
    const unknown = await ossError(() => client.put("x.bin", Buffer.from("x"), { headers: { "x-oss-server-side-encryption": "KMS", "x-oss-server-side-encryption-key-id": "no-such-key" } }));
    assert.equal(unknown.code, "InvalidArgument");
    const kms = popClient(server, "2016-01-20");
    await rpc(kms, "DisableKey", { KeyId: kmsKeyId });
    try {
      const read = await ossError(() => client.get("enc-KMS-false.bin"));
      assert.equal(read.status, 409);
      assert.equal(read.code, "KmsKeyDisabled");
      const write = await ossError(() => client.put("y.bin", Buffer.from("y"), { headers: { "x-oss-server-side-encryption": "KMS", "x-oss-server-side-encryption-key-id": kmsKeyId } }));
      assert.equal(write.code, "KmsKeyDisabled");
    } finally {
      await rpc(kms, "EnableKey", { KeyId: kmsKeyId });
    }
    assert.equal((await client.get("enc-KMS-false.bin")).res.status, 200);
  });

  it("needs kms:Decrypt to read or scan a KMS object, for the caller and the IMM service role", async () => {
    const root = ossClient(server, { bucket });
    await root.put("qr-kms.png", await QRCode.toBuffer("https://barbucket.example/kms", { margin: 4, scale: 6 }), {
      headers: { "x-oss-server-side-encryption": "KMS", "x-oss-server-side-encryption-key-id": kmsKeyId },
    });
    const imm = popClient(server, "2020-09-30");
    await rpc(imm, "CreateProject", { ProjectName: "sse-project" });
    await rpc(imm, "AttachOSSBucket", { ProjectName: "sse-project", OSSBucket: bucket });
    const ram = popClient(server, "2015-05-01");
    await rpc(ram, "CreateUser", { UserName: "kms-reader" });
    const { AccessKey } = await rpc<{ AccessKey: { AccessKeyId: string; AccessKeySecret: string } }>(ram, "CreateAccessKey", { UserName: "kms-reader" });
    await rpc(ram, "CreatePolicy", {
      PolicyName: "scan-no-kms",
      PolicyDocument: JSON.stringify({ Version: "1", Statement: [
        { Effect: "Allow", Action: ["oss:GetObject", "oss:ProcessImm"], Resource: `acs:oss:*:*:${bucket}/*` },
        { Effect: "Allow", Action: "imm:DetectImageCodes", Resource: "acs:imm:*:*:project/sse-project" },
      ] }),
    });
    await rpc(ram, "AttachPolicyToUser", { PolicyType: "Custom", PolicyName: "scan-no-kms", UserName: "kms-reader" });
    const user = ossClient(server, { bucket, accessKeyId: AccessKey.AccessKeyId, accessKeySecret: AccessKey.AccessKeySecret });
    const denied = await ossError(() => user.get("qr-kms.png", { process: "image/codes" }));
    assert.equal(denied.code, "AccessDenied");
    assert.match(denied.message, /kms:Decrypt/);
    assert.equal((await ossError(() => user.get("qr-kms.png"))).code, "AccessDenied");

    await rpc(ram, "CreatePolicy", { PolicyName: "kms-decrypt", PolicyDocument: JSON.stringify({ Version: "1", Statement: [{ Effect: "Allow", Action: "kms:Decrypt", Resource: `acs:kms:*:${accountId}:key/${kmsKeyId}` }] }) });
    await rpc(ram, "AttachPolicyToUser", { PolicyType: "Custom", PolicyName: "kms-decrypt", UserName: "kms-reader" });
    // The IMM service role has OSS read access but no kms:Decrypt yet.
    const roleDenied = await ossError(() => user.get("qr-kms.png", { process: "image/codes" }));
    assert.match(roleDenied.message, /AliyunIMMDefaultRole.*kms:Decrypt/);
    await rpc(ram, "AttachPolicyToRole", { PolicyType: "Custom", PolicyName: "kms-decrypt", RoleName: "AliyunIMMDefaultRole" });
    const scanned = JSON.parse(Buffer.from((await user.get("qr-kms.png", { process: "image/codes" })).content).toString()) as { Codes: Array<{ Content: string }> };
    assert.equal(scanned.Codes[0]?.Content, "https://barbucket.example/kms");
  });

  it("detects a corrupted ciphertext block and never serves it", async () => {
    const client = ossClient(server, { bucket });
    const body = marked(300_000, "corrupt");
    await client.put("corrupt.bin", body, { headers: { "x-oss-server-side-encryption": "AES256" } });
    const before = new Set(filesUnder(join(server.dataDir, "blobs")));
    // Find the blob: the newest file in the blob store of the right size.
    const candidates = [...before].filter((f) => statSync(f).size > 300_000 && statSync(f).size < 310_000);
    const newest = candidates.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0]!;
    const bytes = readFileSync(newest);
    bytes[200_000] = bytes[200_000]! ^ 0xff;
    writeFileSync(newest, bytes);
    const prefix = await client.get("corrupt.bin", { headers: { Range: "bytes=0-1000" } });
    assert.deepEqual(Buffer.from(prefix.content), body.subarray(0, 1001), "untouched chunks still read");
    await assert.rejects(() => client.get("corrupt.bin"), "the full read fails instead of returning altered bytes");
    await new Promise((r) => setTimeout(r, 200)); // the log line may trail the cut connection
    const logged = server.logs.some((l) => l.includes("encrypted object data failed authentication"));
    assert.ok(logged, `the corruption is reported in the log: ${server.logs.slice(-3).join("\n")}`);
  });
});
