/**
 * Object tagging and bucket tags with the real ali-oss (V1 and V4): the tagging APIs, x-oss-tagging
 * on put / copy / multipart / append, x-oss-tagging-count, and lifecycle rules that filter by tag
 * (ali-oss's older Rule-level `days` form included), run on the test clock.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { startServer, type TestServer } from "./harness.js";
import { ossClient, ossError, type AliOssClient } from "./ali-oss.js";
import { rawRequest } from "./raw-client.js";

const DAY = 86_400_000;

async function admin(server: TestServer, method: string, path: string): Promise<Record<string, unknown>> {
  const res = await fetch(`http://127.0.0.1:${server.adminPort}${path}`, { method });
  assert.equal(res.status, 200, `${method} ${path}`);
  return (await res.json()) as Record<string, unknown>;
}

for (const v4 of [false, true]) {
  describe(`tagging with ali-oss ${v4 ? "V4" : "V1"}`, () => {
    let server: TestServer;
    let client: AliOssClient;
    const bucket = v4 ? "tags-v4" : "tags-v1";

    before(async () => {
      server = await startServer({ env: { BARBUCKET_TEST_CLOCK: "1" } });
      client = ossClient(server, { bucket, v4 });
      await client.putBucket(bucket);
    });
    after(async () => {
      await server.stop();
      server.cleanup();
    });

    it("puts, gets, replaces and deletes object tags", async () => {
      await client.put("tagged.js", Buffer.from("x"));
      assert.deepEqual((await client.getObjectTagging("tagged.js")).tag, {});
      assert.equal((await client.putObjectTagging("tagged.js", { a: "1", b: "2" })).status, 200);
      assert.deepEqual((await client.getObjectTagging("tagged.js")).tag, { a: "1", b: "2" });
      assert.equal((await client.head("tagged.js")).res.headers["x-oss-tagging-count"], "2");
      await client.putObjectTagging("tagged.js", { a: "1" });
      assert.deepEqual((await client.getObjectTagging("tagged.js")).tag, { a: "1" });
      assert.equal((await client.deleteObjectTagging("tagged.js")).status, 204);
      assert.deepEqual((await client.getObjectTagging("tagged.js")).tag, {});
      assert.equal((await client.head("tagged.js")).res.headers["x-oss-tagging-count"], undefined);
      assert.equal((await ossError(() => client.getObjectTagging("missing"))).code, "NoSuchKey");
      assert.equal((await ossError(() => client.putObjectTagging("missing", { a: "1" }))).code, "NoSuchKey");
    });

    it("refuses invalid tags with InvalidTag and keeps the old ones", async () => {
      await client.put("strict", Buffer.from("x"), { headers: { "x-oss-tagging": "keep=1" } });
      const body = (key: string) => `<Tagging><TagSet><Tag><Key>${key}</Key><Value>v</Value></Tag></TagSet></Tagging>`;
      const tooLong = await rawRequest(server.ossPort, { method: "PUT", bucket, key: "strict", query: [["tagging", ""]], body: body("k".repeat(129)) });
      assert.equal(tooLong.status, 400);
      assert.match(tooLong.body, /<Code>InvalidTag<\/Code>/);
      assert.equal(tooLong.headers["x-oss-ec"], "0010-00000209");
      const badHeader = await ossError(() => client.put("strict2", Buffer.from("x"), { headers: { "x-oss-tagging": "aa=bb=cc" } }));
      assert.equal(badHeader.code, "InvalidTag");
      assert.equal((await ossError(() => client.head("strict2"))).status, 404, "nothing stored");
      assert.deepEqual((await client.getObjectTagging("strict")).tag, { keep: "1" });
    });

    it("x-oss-tagging on put, append, multipart; copy keeps or replaces per x-oss-tagging-directive", async () => {
      await client.put("h", Buffer.from("x"), { headers: { "x-oss-tagging": "k%20ey=v%2F1&solo" } });
      assert.deepEqual((await client.getObjectTagging("h")).tag, { "k ey": "v/1", solo: "" });
      await client.append("ap", Buffer.from("a"), { headers: { "x-oss-tagging": "x=1" } });
      assert.deepEqual((await client.getObjectTagging("ap")).tag, { x: "1" });
      const init = await client.initMultipartUpload("mp", { headers: { "x-oss-tagging": "m=p" } });
      const part = await client.uploadPart("mp", init.uploadId, 1, Buffer.from("part"), 0, 4);
      await client.completeMultipartUpload("mp", init.uploadId, [{ number: 1, etag: part.etag }]);
      assert.deepEqual((await client.getObjectTagging("mp")).tag, { m: "p" });
      await client.copy("copy-kept", "h");
      assert.deepEqual((await client.getObjectTagging("copy-kept")).tag, { "k ey": "v/1", solo: "" });
      await client.copy("copy-replaced", "h", { headers: { "x-oss-tagging-directive": "Replace", "x-oss-tagging": "r=2" } });
      assert.deepEqual((await client.getObjectTagging("copy-replaced")).tag, { r: "2" });
    });

    it("bucket tags: put, get, delete (all or by key)", async () => {
      assert.deepEqual((await client.getBucketTags(bucket)).tag, {});
      await client.putBucketTags(bucket, { team: "storage", env: "测试" });
      assert.deepEqual((await client.getBucketTags(bucket)).tag, { team: "storage", env: "测试" });
      // ali-oss checks reserved prefixes itself, so the server's answer is seen raw.
      const reserved = await rawRequest(server.ossPort, {
        method: "PUT", bucket, query: [["tagging", ""]],
        body: "<Tagging><TagSet><Tag><Key>Aliyun-x</Key><Value>1</Value></Tag></TagSet></Tagging>",
      });
      assert.match(reserved.body, /<Code>InvalidTag<\/Code>/);
      assert.equal(reserved.headers["x-oss-ec"], "0010-00000207");
      assert.deepEqual((await client.getBucketTags(bucket)).tag, { team: "storage", env: "测试" }, "refused tags change nothing");
      const partial = await rawRequest(server.ossPort, { method: "DELETE", bucket, query: [["tagging", "team"]] });
      assert.equal(partial.status, 204);
      assert.deepEqual((await client.getBucketTags(bucket)).tag, { env: "测试" });
      assert.equal((await client.deleteBucketTags(bucket)).status, 204);
      assert.deepEqual((await client.getBucketTags(bucket)).tag, {});
    });

    it("listBuckets filters by bucket tags and lists them (ali-oss subres tagging, tag-key)", async () => {
      const prefix = v4 ? "tagged-list-v4-" : "tagged-list-v1-";
      await client.putBucket(`${prefix}0`);
      await client.putBucket(`${prefix}1`);
      await client.putBucketTags(`${prefix}0`, { a: "1", b: "2" });
      await client.putBucketTags(`${prefix}1`, { a: "1" });
      const both = await client.listBuckets({ prefix, subres: { tagging: '"a":"1","b":"2"' } });
      assert.deepEqual(both.buckets.map((b: { name: string }) => b.name), [`${prefix}0`]);
      assert.deepStrictEqual(both.buckets[0].tag, { a: "1", b: "2" });
      const byKey = await client.listBuckets({ prefix, "tag-key": "a" });
      assert.deepEqual(byKey.buckets.map((b: { name: string }) => b.name), [`${prefix}0`, `${prefix}1`]);
      const plain = await client.listBuckets({ prefix });
      assert.equal(plain.buckets[0].tag.a, undefined, "without a tag filter no tags are listed");
    });

    it("lifecycle rules with tags expire only the tagged objects (older `days` form as ali-oss sends it)", async () => {
      const lc = v4 ? "lc-tags-v4" : "lc-tags-v1";
      await client.putBucket(lc);
      const c = ossClient(server, { bucket: lc, v4 });
      await c.putBucketLifecycle(lc, [
        { id: "tmp-tagged", prefix: "tmp/", status: "Enabled", days: 1, tag: [{ key: "expire", value: "yes" }] },
      ]);
      const rules = (await c.getBucketLifecycle(lc)).rules;
      assert.equal(rules.length, 1);
      assert.deepEqual(rules[0].tag, [{ key: "expire", value: "yes" }]);
      assert.equal(rules[0].expiration.days, "1");
      await c.put("tmp/tagged", Buffer.from("x"), { headers: { "x-oss-tagging": "expire=yes" } });
      await c.put("tmp/untagged", Buffer.from("x"));
      await c.put("other/tagged", Buffer.from("x"), { headers: { "x-oss-tagging": "expire=yes" } });
      await admin(server, "POST", `/clock?advanceMs=${2 * DAY}`);
      const report = await admin(server, "POST", "/lifecycle/run");
      assert.equal(report.expired, 1);
      assert.equal((await ossError(() => c.head("tmp/tagged"))).status, 404);
      assert.equal((await c.head("tmp/untagged")).status, 200);
      assert.equal((await c.head("other/tagged")).status, 200);
    });
  });
}
