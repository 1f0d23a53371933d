/**
 * Bucket versioning with the real ali-oss (V1 and V4): Put/GetBucketVersioning, versioned writes
 * and reads (x-oss-version-id), delete markers (404 / 405 with x-oss-delete-marker), versionId on
 * GET / HEAD / DELETE / the copy source, ListObjectVersions paging, DeleteMultipleObjects with
 * VersionId, Suspended ("null" versions), DeleteBucket refusing a bucket that still has versions, and
 * versionId on Put/GetObjectAcl, Put/Get/DeleteObjectTagging, RestoreObject and GetSymlink.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { startServer, type TestServer } from "./harness.js";
import { ossClient, ossError, type AliOssClient } from "./ali-oss.js";
import { rawRequest } from "./raw-client.js";

interface Listed {
  name: string;
  versionId: string;
  isLatest?: boolean;
}

/** Every version and marker of the bucket, paged by ali-oss with `maxKeys`, in response order. */
async function allVersions(client: AliOssClient, maxKeys: number, prefix?: string): Promise<{ versions: Listed[]; markers: Listed[]; order: string[] }> {
  const versions: Listed[] = [];
  const markers: Listed[] = [];
  const order: string[] = [];
  let keyMarker: string | undefined;
  let versionIdMarker: string | undefined;
  for (;;) {
    const query: Record<string, unknown> = { maxKeys, ...(prefix !== undefined && { prefix }) };
    if (keyMarker !== undefined) query.keyMarker = keyMarker;
    if (versionIdMarker !== undefined) query.versionIdMarker = versionIdMarker;
    const page = await client.getBucketVersions(query);
    versions.push(...(page.objects as Listed[]));
    markers.push(...(page.deleteMarker as Listed[]));
    for (const entry of [...(page.objects as Listed[]), ...(page.deleteMarker as Listed[])]) order.push(`${entry.name}#${entry.versionId}`);
    if (!page.isTruncated) break;
    keyMarker = page.nextKeyMarker;
    versionIdMarker = page.nextVersionIdMarker ?? undefined;
  }
  return { versions, markers, order };
}

for (const v4 of [false, true]) {
  describe(`versioning with ali-oss ${v4 ? "V4" : "V1"}`, () => {
    let server: TestServer;
    let client: AliOssClient;
    const bucket = v4 ? "versions-v4" : "versions-v1";

    before(async () => {
      server = await startServer();
      client = ossClient(server, { bucket, v4 });
      await client.putBucket(bucket);
    });
    after(async () => {
      await server.stop();
      server.cleanup();
    });

    it("sets and reads the versioning state", async () => {
      assert.equal((await client.getBucketVersioning(bucket)).versionStatus, undefined);
      assert.equal((await client.putBucketVersioning(bucket, "Enabled")).status, 200);
      assert.equal((await client.getBucketVersioning(bucket)).versionStatus, "Enabled");
      const bad = await rawRequest(server.ossPort, { method: "PUT", bucket, query: [["versioning", ""]], body: "<VersioningConfiguration><Status>On</Status></VersioningConfiguration>" });
      assert.equal(bad.status, 400);
      assert.match(bad.body, /<Code>MalformedXML<\/Code>/);
    });

    it("keeps every version, reads any of them, and stacks delete markers", async () => {
      const v1 = (await client.put("doc.txt", Buffer.from("one"))).res.headers["x-oss-version-id"] as string;
      const v2 = (await client.put("doc.txt", Buffer.from("two"))).res.headers["x-oss-version-id"] as string;
      assert.ok(v1 && v2 && v1 !== v2, "each write answers its own x-oss-version-id");
      const current = await client.get("doc.txt");
      assert.equal(current.content.toString(), "two");
      assert.equal(current.res.headers["x-oss-version-id"], v2);
      const old = await client.get("doc.txt", { versionId: v1 });
      assert.equal(old.content.toString(), "one");
      assert.equal(old.res.headers["x-oss-version-id"], v1);
      assert.equal((await client.head("doc.txt", { versionId: v1 })).res.headers["content-length"], "3");
      assert.equal((await ossError(() => client.get("doc.txt", { versionId: "CAEQnosuchversion" }))).code, "NoSuchVersion");

      const deleted = await client.delete("doc.txt");
      assert.equal(deleted.res.headers["x-oss-delete-marker"], "true");
      const marker = deleted.res.headers["x-oss-version-id"] as string;
      assert.ok(marker && marker !== v2);
      const gone = await rawRequest(server.ossPort, { method: "GET", bucket, key: "doc.txt" });
      assert.equal(gone.status, 404);
      assert.match(gone.body, /<Code>NoSuchKey<\/Code>/);
      assert.equal(gone.headers["x-oss-delete-marker"], "true");
      assert.equal(gone.headers["x-oss-version-id"], marker);
      const onMarker = await ossError(() => client.get("doc.txt", { versionId: marker }));
      assert.equal(onMarker.status, 405);
      assert.equal(onMarker.code, "MethodNotAllowed");
      assert.equal((await client.get("doc.txt", { versionId: v2 })).content.toString(), "two", "versions survive the marker");
      assert.deepEqual((await client.list({ prefix: "doc" })).objects, [], "ListObjects hides a key whose current version is a marker");

      const listed = await allVersions(client, 1000, "doc");
      assert.deepEqual(listed.markers.map((m) => m.versionId), [marker]);
      assert.deepEqual(listed.versions.map((v) => [v.versionId, v.isLatest]), [[v2, false], [v1, false]]);
      const raw = await rawRequest(server.ossPort, { method: "GET", bucket, query: [["versions", ""], ["prefix", "doc"]] });
      assert.ok(raw.body.indexOf("<DeleteMarker>") < raw.body.indexOf("<Version>"), "newest first: the marker precedes the versions");
      assert.ok(raw.body.includes(`<DeleteMarker><Key>doc.txt</Key><VersionId>${marker}</VersionId><IsLatest>true</IsLatest>`), raw.body);

      // Removing the marker by its versionId brings v2 back; removing v2 leaves v1 current.
      const unmarked = await client.delete("doc.txt", { versionId: marker });
      assert.equal(unmarked.res.headers["x-oss-delete-marker"], "true");
      assert.equal(unmarked.res.headers["x-oss-version-id"], marker);
      assert.equal((await client.get("doc.txt")).content.toString(), "two");
      await client.delete("doc.txt", { versionId: v2 });
      assert.equal((await client.get("doc.txt")).res.headers["x-oss-version-id"], v1);
    });

    it("copies a given version of the source", async () => {
      const first = (await client.put("src", Buffer.from("first"))).res.headers["x-oss-version-id"] as string;
      await client.put("src", Buffer.from("second"));
      const copied = await client.copy("dst", "src", { versionId: first });
      assert.equal(copied.res.headers["x-oss-copy-source-version-id"], first);
      assert.ok(copied.res.headers["x-oss-version-id"]);
      assert.equal((await client.get("dst")).content.toString(), "first");
    });

    it("answers x-oss-version-id on multipart completion and append", async () => {
      const done = await client.multipartUpload("multi", Buffer.alloc(200 * 1024, 7), { partSize: 100 * 1024 });
      assert.ok(done.res.headers["x-oss-version-id"]);
      const appended = await client.append("log", Buffer.from("a"));
      assert.ok(appended.res.headers["x-oss-version-id"]);
    });

    it("pages ListObjectVersions by key-marker and version-id-marker", async () => {
      for (const key of ["p/a", "p/b", "p/c"]) for (let i = 0; i < 3; i++) await client.put(key, Buffer.from(`${key}${i}`));
      await client.delete("p/b");
      const whole = await allVersions(client, 1000, "p/");
      assert.equal(whole.versions.length + whole.markers.length, 10);
      for (const size of [1, 3, 4]) assert.deepEqual((await allVersions(client, size, "p/")).order.sort(), [...whole.order].sort(), `pages of ${size}`);
      const rolled = await client.getBucketVersions({ delimiter: "/" });
      assert.ok((rolled.prefixes as string[]).includes("p/"));
    });

    it("deletes versions in bulk and refuses to delete the bucket while any remain", async () => {
      const notEmpty = await ossError(() => client.deleteBucket(bucket));
      assert.equal(notEmpty.code, "BucketNotEmpty");
      const bulk = await client.deleteMulti(["bulk-marker"]);
      assert.equal(bulk.deleted[0].DeleteMarker, "true");
      assert.ok(bulk.deleted[0].DeleteMarkerVersionId);
      const { versions, markers } = await allVersions(client, 1000);
      const targets = [...versions, ...markers].map((e) => ({ key: e.name, versionId: e.versionId }));
      for (let i = 0; i < targets.length; i += 7) {
        const result = await client.deleteMulti(targets.slice(i, i + 7));
        assert.equal(result.deleted.length, Math.min(7, targets.length - i));
        assert.equal(result.deleted[0].VersionId, targets[i]!.versionId);
      }
      const after = await allVersions(client, 1000);
      assert.equal(after.versions.length + after.markers.length, 0);
      assert.equal((await client.deleteBucket(bucket)).res.status, 204);
      await client.putBucket(bucket);
    });

    it("Suspended writes and deletes the null version only", async () => {
      await client.putBucketVersioning(bucket, "Enabled");
      const kept = (await client.put("s", Buffer.from("kept"))).res.headers["x-oss-version-id"] as string;
      await client.putBucketVersioning(bucket, "Suspended");
      assert.equal((await client.getBucketVersioning(bucket)).versionStatus, "Suspended");
      assert.equal((await client.put("s", Buffer.from("n1"))).res.headers["x-oss-version-id"], "null");
      await client.put("s", Buffer.from("n2"));
      let listed = await allVersions(client, 1000, "s");
      assert.deepEqual(listed.versions.map((v) => v.versionId), ["null", kept], "the second null write replaced the first");
      assert.equal((await client.get("s", { versionId: "null" })).content.toString(), "n2");
      const marker = await client.delete("s");
      assert.equal(marker.res.headers["x-oss-version-id"], "null");
      listed = await allVersions(client, 1000, "s");
      assert.deepEqual(listed.markers.map((m) => m.versionId), ["null"]);
      assert.deepEqual(listed.versions.map((v) => v.versionId), [kept], "the null version went with the marker's write");
      assert.equal((await client.get("s", { versionId: kept })).content.toString(), "kept");
    });

    it("reads and writes a noncurrent version's ACL and tags; a delete marker answers 405", async () => {
      await client.putBucketVersioning(bucket, "Enabled"); // the test before left it Suspended
      const old = (await client.put("acl-target", Buffer.from("x"), { headers: { "x-oss-object-acl": "public-read", "x-oss-tagging": "gen=1" } })).res.headers["x-oss-version-id"] as string;
      await client.put("acl-target", Buffer.from("y"));
      assert.equal((await client.getACL("acl-target", { versionId: old })).acl, "public-read");
      assert.equal((await client.getACL("acl-target")).acl, "default");
      assert.deepEqual((await client.getObjectTagging("acl-target", { versionId: old })).tag, { gen: "1" });
      assert.deepEqual((await client.getObjectTagging("acl-target")).tag, {});
      const put = await client.putACL("acl-target", "private", { versionId: old });
      assert.equal(put.res.headers["x-oss-version-id"], old);
      assert.equal((await client.getACL("acl-target", { versionId: old })).acl, "private");
      assert.equal((await client.putObjectTagging("acl-target", { gen: "2", k: "v" }, { versionId: old })).status, 200);
      assert.deepEqual((await client.getObjectTagging("acl-target", { versionId: old })).tag, { gen: "2", k: "v" });
      assert.deepEqual((await client.getObjectTagging("acl-target")).tag, {}, "the current version keeps its own tags");
      assert.equal((await client.deleteObjectTagging("acl-target", { versionId: old })).status, 204);
      assert.deepEqual((await client.getObjectTagging("acl-target", { versionId: old })).tag, {});
      const marker = (await client.delete("acl-target")).res.headers["x-oss-version-id"] as string;
      assert.equal((await ossError(() => client.getACL("acl-target", { versionId: marker }))).status, 405);
      assert.equal((await ossError(() => client.putACL("acl-target", "private", { versionId: marker }))).status, 405);
      assert.equal((await ossError(() => client.putObjectTagging("acl-target", { a: "1" }, { versionId: "CAEQnosuchversion" }))).code, "NoSuchVersion");
      // x-oss-process of a version reads that version (version-process.test.ts): "x" is no image.
      const processed = await rawRequest(server.ossPort, { method: "GET", bucket, key: "acl-target", query: [["x-oss-process", "image/info"], ["versionId", old]] });
      assert.equal(processed.status, 400);
    });

    it("restores a noncurrent Archive version and reads a link's older version; GetBucketInfo names the state", async () => {
      const archived = (await client.put("cold", Buffer.from("c"), { headers: { "x-oss-storage-class": "Archive" } })).res.headers["x-oss-version-id"] as string;
      await client.delete("cold");
      const restored = await client.restore("cold", { versionId: archived });
      assert.equal(restored.res.status, 202);
      assert.equal(restored.res.headers["x-oss-version-id"], archived);
      assert.equal((await ossError(() => client.restore("cold", { versionId: archived }))).status, 409);
      await client.put("t1", Buffer.from("1"));
      const link1 = (await client.putSymlink("link", "t1")).res.headers["x-oss-version-id"] as string;
      await client.putSymlink("link", "t2");
      assert.equal((await client.getSymlink("link", { versionId: link1 })).targetName, "t1");
      assert.equal((await client.getSymlink("link")).targetName, "t2");
      assert.equal((await client.getBucketInfo(bucket)).bucket.Versioning, "Enabled");
    });
  });
}
