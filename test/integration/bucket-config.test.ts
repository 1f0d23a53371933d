/**
 * Bucket settings ali-oss's bucket tests use: referer (hotlink protection, enforced for anonymous
 * and signed-URL object requests), pay-by-requester, GetBucketStat. Real server, real ali-oss.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { startServer, type TestServer } from "./harness.js";
import { ossClient, type AliOssClient } from "./ali-oss.js";
import { errorCode, rawRequest } from "./raw-client.js";

describe("bucket configuration: referer, request payment, stat", () => {
  let server: TestServer;
  let client: AliOssClient;
  const bucket = "config-bucket";
  const url = (key: string) => `${server.endpoint}/${bucket}/${key}`;

  before(async () => {
    server = await startServer();
    client = ossClient(server, { bucket });
    await client.putBucket(bucket);
    await client.putBucketACL(bucket, "public-read");
    await client.put("pic.png", Buffer.from("png bytes"));
  });
  after(async () => {
    await server.stop();
    server.cleanup();
  });

  it("referer: default, put/get through ali-oss, delete back to the default", async () => {
    const initial = await client.getBucketReferer(bucket);
    assert.equal(initial.allowEmpty, true);
    assert.equal(initial.referers, null);
    await client.putBucketReferer(bucket, false, ["http://www.aliyun.com", "https://*.example.com"]);
    const set = await client.getBucketReferer(bucket);
    assert.equal(set.allowEmpty, false);
    assert.deepEqual(set.referers, ["http://www.aliyun.com", "https://*.example.com"]);
  });

  it("referer: anonymous and signed-URL reads are checked, header-signed requests are not", async () => {
    assert.equal((await fetch(url("pic.png"), { headers: { referer: "https://cdn.example.com?from=page" } })).status, 200, "the query string is not matched");
    assert.equal((await fetch(url("pic.png"), { headers: { referer: "https://cdn.example.com/page" } })).status, 403, "the path is (TruncatePath is off)");
    const denied = await fetch(url("pic.png"), { headers: { referer: "http://evil.test/" } });
    assert.equal(denied.status, 403);
    assert.match(await denied.text(), /referer policy/);
    assert.equal((await fetch(url("pic.png"))).status, 403, "an empty Referer is not allowed");
    // ali-oss presigns only for a host name: localhost with the bucket in the path.
    const named = ossClient(server, { bucket, endpoint: `http://localhost:${server.ossPort}`, pathStyle: true });
    const signedUrl: string = named.signatureUrl("pic.png", { expires: 600 });
    assert.equal((await fetch(signedUrl)).status, 403, "a signed URL without Referer is checked too");
    assert.equal((await client.get("pic.png")).content.toString(), "png bytes", "Authorization-header requests pass");
    await client.deleteBucketReferer(bucket);
    assert.equal((await client.getBucketReferer(bucket)).allowEmpty, true);
    assert.equal((await fetch(url("pic.png"))).status, 200);
    assert.equal((await fetch(signedUrl)).status, 200, "the same signed URL passes once the rules are gone");
  });

  it("request payment: Requester refuses anonymous access; the owner still reads", async () => {
    assert.equal((await client.getBucketRequestPayment(bucket)).payer, "BucketOwner");
    await client.putBucketRequestPayment(bucket, "Requester");
    assert.equal((await client.getBucketRequestPayment(bucket)).payer, "Requester");
    const anonymous = await fetch(url("pic.png"));
    assert.equal(anonymous.status, 403);
    assert.match(await anonymous.text(), /<Code>AccessDenied<\/Code>/);
    assert.equal((await client.get("pic.png")).res.status, 200);
    await client.putBucketRequestPayment(bucket, "BucketOwner");
    assert.equal((await fetch(url("pic.png"))).status, 200);
    const bad = await rawRequest(server.ossPort, { method: "PUT", bucket, query: [["requestPayment", ""]], body: "<RequestPaymentConfiguration><Payer>Nobody</Payer></RequestPaymentConfiguration>" });
    assert.equal(bad.status, 400);
    assert.equal(errorCode(bad), "InvalidArgument");
    assert.equal(bad.status, 400);
    await client.putBucketRequestPayment(bucket, "BucketOwner");
  });

  it("GetBucketStat counts objects, storage by class, uploads and parts", async () => {
    const statBucket = "stat-bucket";
    await client.putBucket(statBucket);
    const c = ossClient(server, { bucket: statBucket });
    await c.put("a", Buffer.alloc(1000));
    await c.put("b", Buffer.alloc(2000));
    await c.put("ia", Buffer.alloc(100), { headers: { "x-oss-storage-class": "IA" } });
    const upload = await c.initMultipartUpload("mp");
    await c.uploadPart("mp", upload.uploadId, 1, Buffer.alloc(300), 0, 300);
    const { stat } = await c.getBucketStat(statBucket);
    assert.equal(stat.Storage, "3100");
    assert.equal(stat.ObjectCount, "3");
    assert.equal(stat.StandardStorage, "3000");
    assert.equal(stat.StandardObjectCount, "2");
    assert.equal(stat.InfrequentAccessRealStorage, "100");
    assert.equal(stat.InfrequentAccessStorage, String(64 * 1024), "IA objects under 64 KB are billed as 64 KB");
    assert.equal(stat.InfrequentAccessObjectCount, "1");
    assert.equal(stat.MultipartUploadCount, "1");
    assert.equal(stat.MultipartPartCount, "1");
    assert.equal(stat.MultipartPartStorage, "300");
    assert.ok(Number(stat.LastModifiedTime) > 1_600_000_000);
  });
});
