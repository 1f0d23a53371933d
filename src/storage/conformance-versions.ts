/**
 * Bucket versioning half of the MetadataStore conformance suite, for the stores that support it
 * (`supportsVersioning`): SQLite and PostgreSQL run the same cases.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { blobId, bucketRecord, objectRecord, type MetadataStoreFixture } from "./conformance-records.js";
import { entryVersionId } from "./sqlite-versions.js";
import type { ListVersionsQuery, MetadataStore, VersionEntry } from "./types.js";

const list = async (store: MetadataStore, q: Partial<ListVersionsQuery> = {}) =>
  await store.listObjectVersions({ bucket: "b", prefix: "", delimiter: "", keyMarker: "", versionIdMarker: "", maxKeys: 1000, ...q });
const describeEntry = (e: VersionEntry) => `${e.kind === "version" ? e.record.key : e.marker.key}:${e.kind}${e.isLatest ? "*" : ""}`;

export function runVersioningConformance(name: string, makeStore: () => Promise<MetadataStoreFixture>): void {
  /** A fresh store holding bucket "b" with the given versioning status. */
  const withStore = (status: "Enabled" | "Suspended" | undefined, body: (store: MetadataStore) => Promise<void>) => async () => {
    const fixture = await makeStore();
    try {
      await fixture.store.createBucket(bucketRecord("b"));
      if (status) await fixture.store.setBucketSetting("b", "versioning", status);
      await body(fixture.store);
    } finally {
      await fixture.cleanup();
    }
  };

  describe(`Versioning conformance: ${name}`, () => {
    it("Enabled: overwrites keep every version, delete writes a marker, newest first", withStore("Enabled", async (store) => {
      const blob1 = blobId();
      const blob2 = blobId();
      const v1 = await store.putObject(objectRecord("b", "k", [blob1]));
      const v2 = await store.putObject(objectRecord("b", "k", [blob2]));
      assert.deepEqual(v2.releasedBlobs, [], "an overwrite releases nothing");
      assert.ok(v1.versionId && v2.versionId && v1.versionId !== v2.versionId);
      assert.equal((await store.getObject("b", "k"))?.versionId, v2.versionId);
      assert.equal((await store.getObjectVersion("b", "k", v1.versionId!))?.kind, "version");
      const del = await store.deleteObject("b", "k", { now: new Date() });
      assert.equal(del.deleteMarker, true);
      assert.equal(await store.getObject("b", "k"), undefined);
      assert.equal((await store.currentDeleteMarker("b", "k"))?.versionId, del.versionId);
      const page = await list(store);
      assert.deepEqual(page.entries.map(describeEntry), ["k:marker*", "k:version", "k:version"]);
      assert.deepEqual(page.entries.map(entryVersionId), [del.versionId, v2.versionId, v1.versionId]);
      assert.ok((await store.referencedBlobIds()).has(blob1) && (await store.referencedBlobIds()).has(blob2), "noncurrent bytes stay referenced");
      assert.equal(await store.deleteBucket("b"), "not-empty");

      // Removing the marker makes v2 current again; removing v2 then makes v1 current.
      assert.equal((await store.deleteObject("b", "k", { versionId: del.versionId! })).deleteMarker, true);
      assert.equal((await store.getObject("b", "k"))?.versionId, v2.versionId);
      const gone = await store.deleteObject("b", "k", { versionId: v2.versionId! });
      assert.deepEqual(gone.releasedBlobs, [blob2]);
      assert.equal((await store.getObject("b", "k"))?.versionId, v1.versionId);
      assert.deepEqual((await store.deleteObject("b", "k", { versionId: v1.versionId! })).releasedBlobs, [blob1]);
      assert.equal(await store.deleteBucket("b"), "deleted");
    }));

    it("updateObjectVersion changes one version's ACL and tags, current or noncurrent, never a marker", withStore("Enabled", async (store) => {
      const v1 = await store.putObject(objectRecord("b", "k", [blobId()]));
      const v2 = await store.putObject(objectRecord("b", "k", [blobId()]));
      const old = await store.updateObjectVersion("b", "k", v1.versionId!, (r) => r && { ...r, acl: "public-read", tags: [["a", "1"]] });
      assert.equal(old?.versionId, v1.versionId);
      const stored = await store.getObjectVersion("b", "k", v1.versionId!);
      assert.ok(stored?.kind === "version" && stored.record.acl === "public-read" && stored.record.tags?.[0]?.[1] === "1");
      assert.equal((await store.getObject("b", "k"))?.acl, "default", "the current version is untouched");
      const cur = await store.updateObjectVersion("b", "k", v2.versionId!, (r) => r && { ...r, acl: "private" });
      assert.equal(cur?.versionId, v2.versionId);
      assert.equal((await store.getObject("b", "k"))?.acl, "private");
      const marker = await store.deleteObject("b", "k", { now: new Date() });
      let seen: unknown = "not called";
      assert.equal(await store.updateObjectVersion("b", "k", marker.versionId!, (r) => { seen = r; return r; }), undefined);
      assert.equal(seen, undefined, "a delete marker has no record to update");
      assert.equal(await store.updateObjectVersion("b", "k", "CAEQnope", (r) => r), undefined);
      await assert.rejects(async () => await store.updateObjectVersion("b", "k", v1.versionId!, (r) => r && { ...r, segments: [] }), /bytes never change/);
    }));

    it("Suspended: writes replace only the null version", withStore(undefined, async (store) => {
      const old = blobId();
      await store.putObject(objectRecord("b", "k", [old])); // written before versioning: the null version
      await store.setBucketSetting("b", "versioning", "Enabled");
      const v1 = await store.putObject(objectRecord("b", "k"));
      await store.setBucketSetting("b", "versioning", "Suspended");
      const s1 = await store.putObject(objectRecord("b", "k"));
      assert.equal(s1.versionId, "null");
      assert.deepEqual(s1.releasedBlobs, [old], "the old null version is replaced");
      const s2blob = blobId();
      const s2 = await store.putObject(objectRecord("b", "k", [s2blob]));
      assert.equal(s2.releasedBlobs.length, 1);
      assert.deepEqual((await list(store)).entries.map(entryVersionId), ["null", v1.versionId]);
      const marker = await store.deleteObject("b", "k");
      assert.equal(marker.versionId, "null");
      assert.deepEqual(marker.releasedBlobs, [s2blob]);
      assert.deepEqual((await list(store)).entries.map(describeEntry), ["k:marker*", "k:version"]);
    }));

    it("pages by key-marker and version-id-marker, with prefixes and delimiters", withStore("Enabled", async (store) => {
      const ids: string[] = [];
      for (const key of ["a/1", "a/2", "b", "c"]) for (let i = 0; i < 3; i++) ids.push(`${key}#${(await store.putObject(objectRecord("b", key))).versionId}`);
      const all = (await list(store)).entries.map((e) => `${e.kind === "version" ? e.record.key : ""}#${entryVersionId(e)}`);
      assert.equal(all.length, 12);
      const seen: string[] = [];
      let keyMarker = "";
      let versionIdMarker = "";
      for (;;) {
        const page = await list(store, { keyMarker, versionIdMarker, maxKeys: 5 });
        seen.push(...page.entries.map((e) => `${e.kind === "version" ? e.record.key : ""}#${entryVersionId(e)}`));
        if (!page.isTruncated) break;
        keyMarker = page.nextKeyMarker!;
        versionIdMarker = page.nextVersionIdMarker!;
      }
      assert.deepEqual(seen, all);
      const rolled = await list(store, { delimiter: "/" });
      assert.deepEqual(rolled.commonPrefixes, ["a/"]);
      assert.equal(rolled.entries.length, 6);
      assert.equal((await list(store, { prefix: "a/" })).entries.length, 6);
    }));
  });
}
