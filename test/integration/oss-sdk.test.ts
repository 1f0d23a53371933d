/**
 * The official ali-oss SDK against the real server, unchanged but for the endpoint: the same suite
 * once with V1 signatures and once with V4 (`authorizationV4: true`).
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, type TestServer } from "./harness.js";
import { ossClient, ossError, type AliOssClient } from "./ali-oss.js";

function md5Hex(data: Buffer): string {
  return createHash("md5").update(data).digest("hex").toUpperCase();
}

for (const v4 of [false, true]) {
  describe(`ali-oss ${v4 ? "V4" : "V1"} against barbucket`, () => {
    let server: TestServer;
    let client: AliOssClient;
    const bucket = v4 ? "sdk-v4-bucket" : "sdk-v1-bucket";
    const tmp = mkdtempSync(join(tmpdir(), "bb-sdk-"));

    before(async () => {
      server = await startServer();
      client = ossClient(server, { bucket, v4 });
      await client.putBucket(bucket);
    });
    after(async () => {
      await server.stop();
      server.cleanup();
      rmSync(tmp, { recursive: true, force: true });
    });

    it("creates, lists and describes buckets", async () => {
      const list = await client.listBuckets();
      assert.ok(list.buckets.some((b: { name: string }) => b.name === bucket));
      const info = await client.getBucketInfo(bucket);
      assert.equal(info.bucket.Name, bucket);
      assert.equal(info.bucket.StorageClass, "Standard");
      const location = await client.getBucketLocation(bucket);
      assert.equal(location.location, "oss-cn-hangzhou");
      const again = await ossError(() => client.putBucket(bucket));
      assert.equal(again.code, "BucketAlreadyExists");
    });

    it("sets and reads the bucket ACL", async () => {
      await client.putBucketACL(bucket, "public-read");
      assert.equal((await client.getBucketACL(bucket)).acl, "public-read");
      await client.putBucketACL(bucket, "private");
      assert.equal((await client.getBucketACL(bucket)).acl, "private");
    });

    it("puts, gets, heads and deletes objects with metadata", async () => {
      const body = randomBytes(5000);
      const put = await client.put("dir/a b+c.bin", body, { headers: { "Content-Type": "application/x-test" }, meta: { color: "blue", n: "1" } });
      assert.equal(put.res.status, 200);
      assert.equal(put.res.headers.etag, `"${md5Hex(body)}"`);
      const got = await client.get("dir/a b+c.bin");
      assert.deepEqual(Buffer.from(got.content), body);
      assert.equal(got.res.headers["content-type"], "application/x-test");
      assert.equal(got.res.headers["x-oss-meta-color"], "blue");
      const head = await client.head("dir/a b+c.bin");
      assert.equal(head.meta.color, "blue");
      assert.equal(Number(head.res.headers["content-length"]), body.length);
      const meta = await client.getObjectMeta("dir/a b+c.bin");
      assert.equal(meta.status, 200);
      await client.delete("dir/a b+c.bin");
      const missing = await ossError(() => client.get("dir/a b+c.bin"));
      assert.equal(missing.code, "NoSuchKey");
      assert.equal(missing.status, 404);
      const headMissing = await ossError(() => client.head("dir/a b+c.bin"));
      assert.equal(headMissing.status, 404);
    });

    it("round-trips unicode and awkward keys", async () => {
      // Dot segments ("../x") cannot go through the SDK: its HTTP client normalises the URL path
      // after signing. The raw-HTTP tests send them percent-encoded.
      for (const key of ["中文/文件.txt", "emoji/😀.txt", "spaces and %25 and +plus", "..dots../x", "~tilde!*'()", "a//double"]) {
        const body = Buffer.from(`content of ${key}`);
        await client.put(key, body);
        const got = await client.get(key);
        assert.deepEqual(Buffer.from(got.content), body, key);
      }
      const listed = await client.list({ prefix: "emoji/" });
      assert.deepEqual(listed.objects.map((o: { name: string }) => o.name), ["emoji/😀.txt"]);
    });

    it("serves ranges and conditional requests", async () => {
      const body = Buffer.from("0123456789abcdefghij");
      const put = await client.put("range.txt", body);
      const part = await client.get("range.txt", { headers: { Range: "bytes=2-5" } });
      assert.equal(part.res.status, 206);
      assert.equal(Buffer.from(part.content).toString(), "2345");
      assert.equal(part.res.headers["content-range"], "bytes 2-5/20");
      const suffix = await client.get("range.txt", { headers: { Range: "bytes=-3" } });
      assert.equal(Buffer.from(suffix.content).toString(), "hij");
      const invalid = await client.get("range.txt", { headers: { Range: "bytes=30-40" } });
      assert.equal(invalid.res.status, 200);
      const etag = put.res.headers.etag;
      const notModified = await client.get("range.txt", { headers: { "If-None-Match": etag } });
      assert.equal(notModified.res.status, 304);
      const failed = await ossError(() => client.get("range.txt", { headers: { "If-Match": '"00000000000000000000000000000000"' } }));
      assert.equal(failed.code, "PreconditionFailed");
      const overridden = await client.get("range.txt", { subres: { "response-content-type": "text/x-over" } });
      assert.equal(overridden.res.headers["content-type"], "text/x-over");
    });

    it("serves a large object whole, by ranges and conditionally (the sendfile path when the addon is built)", async () => {
      const body = randomBytes(3 * 1024 * 1024 + 17);
      const put = await client.put("large.bin", body);
      const whole = await client.get("large.bin");
      assert.equal(whole.res.status, 200);
      assert.ok(Buffer.from(whole.content).equals(body));
      assert.equal(whole.res.headers.etag, put.res.headers.etag);
      assert.equal(whole.res.headers["x-oss-hash-crc64ecma"], put.res.headers["x-oss-hash-crc64ecma"]);
      const start = 1024 * 1024 - 5;
      const end = start + 200 * 1024;
      const part = await client.get("large.bin", { headers: { Range: `bytes=${start}-${end}` } });
      assert.equal(part.res.status, 206);
      assert.equal(part.res.headers["content-range"], `bytes ${start}-${end}/${body.length}`);
      assert.ok(Buffer.from(part.content).equals(body.subarray(start, end + 1)));
      const notModified = await client.get("large.bin", { headers: { "If-None-Match": put.res.headers.etag } });
      assert.equal(notModified.res.status, 304);
      // Overwritten: the next GET serves the new bytes, not the old blob's file kept open for reuse.
      const next = randomBytes(200 * 1024);
      await client.put("large.bin", next);
      assert.ok(Buffer.from((await client.get("large.bin")).content).equals(next));
    });

    it("copies objects with COPY and REPLACE metadata directives", async () => {
      await client.put("src.txt", Buffer.from("copy me"), { meta: { origin: "src" } });
      await client.copy("dst-copy.txt", "src.txt");
      const copied = await client.head("dst-copy.txt");
      assert.equal(copied.meta.origin, "src");
      await client.copy("dst-replace.txt", "src.txt", { meta: { origin: "replaced" } });
      const replaced = await client.head("dst-replace.txt");
      assert.equal(replaced.meta.origin, "replaced");
      assert.equal(Buffer.from((await client.get("dst-replace.txt")).content).toString(), "copy me");
      const missing = await ossError(() => client.copy("x.txt", "no-such-source.txt"));
      assert.equal(missing.code, "NoSuchKey");
    });

    it("appends to appendable objects and checks the position", async () => {
      const first = await client.append("log.txt", Buffer.from("hello "));
      assert.equal(first.nextAppendPosition, "6");
      await client.append("log.txt", Buffer.from("world"), { position: first.nextAppendPosition });
      assert.equal(Buffer.from((await client.get("log.txt")).content).toString(), "hello world");
      const wrong = await ossError(() => client.append("log.txt", Buffer.from("!"), { position: 3 }));
      assert.equal(wrong.code, "PositionNotEqualToLength");
      await client.put("normal.txt", Buffer.from("x"));
      const notAppendable = await ossError(() => client.append("normal.txt", Buffer.from("y"), { position: 1 }));
      assert.equal(notAppendable.code, "ObjectNotAppendable");
    });

    it("sets object ACLs", async () => {
      await client.put("acl.txt", Buffer.from("acl"));
      assert.equal((await client.getACL("acl.txt")).acl, "default");
      await client.putACL("acl.txt", "public-read");
      assert.equal((await client.getACL("acl.txt")).acl, "public-read");
      const anonymous = await fetch(`${server.endpoint}/${bucket}/acl.txt`);
      assert.equal(anonymous.status, 200);
      assert.equal(await anonymous.text(), "acl");
      await client.put("private.txt", Buffer.from("secret"));
      const denied = await fetch(`${server.endpoint}/${bucket}/private.txt`);
      assert.equal(denied.status, 403);
      assert.match(await denied.text(), /<Code>AccessDenied<\/Code>/);
    });

    it("lists with prefix, delimiter, marker and max-keys (v1 and v2)", async () => {
      const keys = ["list/a/1", "list/a/2", "list/b/1", "list/c", "list/d", "list/e"];
      for (const key of keys) await client.put(key, Buffer.from(key));
      const top = await client.list({ prefix: "list/", delimiter: "/" });
      assert.deepEqual(top.prefixes, ["list/a/", "list/b/"]);
      assert.deepEqual(top.objects.map((o: { name: string }) => o.name), ["list/c", "list/d", "list/e"]);
      const seen: string[] = [];
      let marker: string | undefined;
      for (let page = 0; page < 10; page++) {
        const res = await client.list({ prefix: "list/", "max-keys": 2, ...(marker ? { marker } : {}) });
        seen.push(...res.objects.map((o: { name: string }) => o.name));
        if (!res.isTruncated) break;
        marker = res.nextMarker;
      }
      assert.deepEqual(seen, keys);
      const v2seen: string[] = [];
      let token: string | undefined;
      for (let page = 0; page < 10; page++) {
        const res = await client.listV2({ prefix: "list/", "max-keys": 4, ...(token ? { "continuation-token": token } : {}) });
        v2seen.push(...res.objects.map((o: { name: string }) => o.name));
        if (!res.isTruncated) break;
        token = res.nextContinuationToken;
      }
      assert.deepEqual(v2seen, keys);
      const after = await client.listV2({ prefix: "list/", "start-after": "list/c" });
      assert.deepEqual(after.objects.map((o: { name: string }) => o.name), ["list/d", "list/e"]);
    });

    it("deletes many objects at once", async () => {
      for (const key of ["multi/1", "multi/2", "multi/3"]) await client.put(key, Buffer.from(key));
      const res = await client.deleteMulti(["multi/1", "multi/2", "multi/missing"]);
      assert.equal(res.res.status, 200);
      const left = await client.list({ prefix: "multi/" });
      assert.deepEqual(left.objects.map((o: { name: string }) => o.name), ["multi/3"]);
    });

    it("uploads multipart (multipartUpload), lists uploads and parts, aborts", async () => {
      const file = join(tmp, "big.bin");
      const data = randomBytes(350 * 1024);
      writeFileSync(file, data);
      const result = await client.multipartUpload("big.bin", file, { partSize: 100 * 1024 });
      assert.equal(result.res.status, 200);
      const got = await client.get("big.bin");
      assert.deepEqual(Buffer.from(got.content), data);
      // A range across part boundaries (sent part by part by sendfile when the addon is built).
      const across = await client.get("big.bin", { headers: { Range: `bytes=${100 * 1024 - 3}-${300 * 1024 + 2}` } });
      assert.equal(across.res.status, 206);
      assert.deepEqual(Buffer.from(across.content), data.subarray(100 * 1024 - 3, 300 * 1024 + 3));
      const head = await client.head("big.bin");
      assert.match(head.res.headers.etag, /^"[0-9A-F]{32}-4"$/);
      assert.equal(head.res.headers["x-oss-object-type"], "Multipart");

      const init = await client.initMultipartUpload("pending.bin");
      await client.uploadPart("pending.bin", init.uploadId, 1, file, 0, 100 * 1024);
      const uploads = await client.listUploads({});
      assert.ok(uploads.uploads.some((u: { uploadId: string }) => u.uploadId === init.uploadId));
      const parts = await client.listParts("pending.bin", init.uploadId);
      // ali-oss hands back the parsed XML: one <Part> is an object, several an array.
      const partList = [parts.parts].flat();
      assert.equal(partList.length, 1);
      assert.equal(Number(partList[0].Size), 100 * 1024);
      await client.abortMultipartUpload("pending.bin", init.uploadId);
      const gone = await ossError(() => client.listParts("pending.bin", init.uploadId));
      assert.equal(gone.code, "NoSuchUpload");
    });

    it("copies large objects part by part (UploadPartCopy)", async () => {
      const result = await client.multipartUploadCopy("big-copy.bin", { sourceKey: "big.bin", sourceBucketName: bucket }, { partSize: 100 * 1024 });
      assert.equal(result.res.status, 200);
      const a = Buffer.from((await client.get("big.bin")).content);
      const b = Buffer.from((await client.get("big-copy.bin")).content);
      assert.deepEqual(a, b);
    });

    it("signs URLs that work and expire", async () => {
      await client.put("signed.txt", Buffer.from("via url"));
      // ali-oss refuses to presign for an IP endpoint; a host name with path-style URLs works.
      const named = ossClient(server, { bucket, v4, endpoint: `http://localhost:${server.ossPort}`, pathStyle: true });
      const url: string = v4 ? await named.signatureUrlV4("GET", 60, undefined, "signed.txt") : named.signatureUrl("signed.txt", { expires: 60 });
      const ok = await fetch(url);
      assert.equal(ok.status, 200);
      assert.equal(await ok.text(), "via url");
      const tampered = await fetch(url.replace("signed.txt", "signed.tx"));
      assert.equal(tampered.status, 403);
      if (!v4) {
        const expired = named.signatureUrl("signed.txt", { expires: -10 });
        const res = await fetch(expired);
        assert.equal(res.status, 403);
        assert.match(await res.text(), /<Code>AccessDenied<\/Code>/);
      }
    });

    it("refuses bad credentials and bad digests with OSS codes", async () => {
      const wrongSecret = ossClient(server, { bucket, v4, accessKeySecret: "wrong-secret" });
      assert.equal((await ossError(() => wrongSecret.get("signed.txt"))).code, "SignatureDoesNotMatch");
      const unknownKey = ossClient(server, { bucket, v4, accessKeyId: "LTAIUNKNOWN" });
      assert.equal((await ossError(() => unknownKey.get("signed.txt"))).code, "InvalidAccessKeyId");
      const bad = await ossError(() => client.put("digest.txt", Buffer.from("abc"), { headers: { "Content-MD5": "AAAAAAAAAAAAAAAAAAAAAA==" } }));
      assert.equal(bad.code, "InvalidDigest");
      assert.equal((await ossError(() => client.head("digest.txt"))).status, 404);
    });

    it("refuses deleting a non-empty bucket, then deletes an empty one", async () => {
      const notEmpty = await ossError(() => client.deleteBucket(bucket));
      assert.equal(notEmpty.code, "BucketNotEmpty");
      await client.putBucket(`${bucket}-empty`);
      await client.deleteBucket(`${bucket}-empty`);
      const gone = await ossError(() => client.getBucketInfo(`${bucket}-empty`));
      assert.equal(gone.code, "NoSuchBucket");
    });
  });
}
