/** MetadataStore half of the conformance suite (see conformance.ts). */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { extraFieldCases } from "./conformance-extras.js";
import { listingCases } from "./conformance-listing.js";
import { storageTotalsCases } from "./conformance-storage-totals.js";
import { OWNER, blobId, bucketRecord, objectRecord, partRecord, uploadRecord, type MetadataStoreFixture } from "./conformance-records.js";
import { NoSuchBucketError, NoSuchUploadError, type MetadataStore, type ObjectRecord } from "./types.js";

const sorted = (ids: readonly string[]) => [...ids].sort();

export function runMetadataStoreConformance(name: string, makeStore: () => Promise<MetadataStoreFixture>): void {
  describe(`MetadataStore conformance: ${name}`, () => {
    const withStore = (body: (store: MetadataStore) => Promise<void> | void) => async () => {
      const fixture = await makeStore();
      try {
        await body(fixture.store);
      } finally {
        await fixture.cleanup();
      }
    };

    it("creates, reads, lists (byte order, per owner) and deletes buckets", withStore(async (store) => {
      assert.equal(await store.createBucket(bucketRecord("b2")), "created");
      assert.equal(await store.createBucket(bucketRecord("b2", "someone-else")), "exists");
      await store.createBucket(bucketRecord("b1"));
      await store.createBucket(bucketRecord("theirs", "owner-2"));
      assert.deepEqual(await store.getBucket("b2"), bucketRecord("b2"));
      assert.equal(await store.getBucket("nope"), undefined);
      assert.deepEqual((await store.listBuckets(OWNER)).map((b) => b.name), ["b1", "b2"]);
      assert.deepEqual((await store.listBuckets("owner-2")).map((b) => b.name), ["theirs"]);
      assert.deepEqual(await store.listBuckets("nobody"), []);
      await store.setBucketAcl("b1", "public-read");
      assert.equal((await store.getBucket("b1"))?.acl, "public-read");
      assert.equal(await store.deleteBucket("b1"), "deleted");
      assert.equal(await store.deleteBucket("b1"), "missing");
      assert.equal(await store.getBucket("b1"), undefined);
    }));

    it("refuses to delete a bucket holding objects or uploads", withStore(async (store) => {
      await store.createBucket(bucketRecord("b"));
      await store.putObject(objectRecord("b", "k"));
      assert.equal(await store.deleteBucket("b"), "not-empty");
      await store.deleteObject("b", "k");
      const upload = uploadRecord("b", "k");
      await store.createUpload(upload);
      assert.equal(await store.deleteBucket("b"), "not-empty");
      await store.abortUpload(upload.uploadId);
      assert.equal(await store.deleteBucket("b"), "deleted");
    }));

    it("round-trips object records exactly and counts them", withStore(async (store) => {
      await store.createBucket(bucketRecord("b"));
      await store.createBucket(bucketRecord("c"));
      const record: ObjectRecord = { ...objectRecord("b", "dir/ key+%20😀", [blobId(), blobId(), blobId()]), type: "Multipart", acl: "public-read", etag: "ABC-3" };
      await store.putObject(record);
      assert.deepEqual(await store.getObject("b", record.key), record);
      assert.equal(await store.getObject("c", record.key), undefined);
      assert.equal(await store.getObject("b", "dir/"), undefined);
      assert.equal(await store.countObjects("b"), 1);
      assert.equal(await store.countObjects("c"), 0);
      const copy = (await store.getObject("b", record.key))!;
      (copy.userMeta as Record<string, string>)["owner"] = "mutated";
      assert.deepEqual(await store.getObject("b", record.key), record, "returned records must not alias the store");
    }));

    it("throws NoSuchBucketError for writes into a missing bucket", withStore(async (store) => {
      await assert.rejects(async () => await store.putObject(objectRecord("nope", "k")), NoSuchBucketError);
      await assert.rejects(async () => await store.putObjectIfAbsent(objectRecord("nope", "k")), NoSuchBucketError);
      await assert.rejects(async () => await store.createUpload(uploadRecord("nope", "k")), NoSuchBucketError);
    }));

    it("releases the replaced object's blobs, except ones still referenced", withStore(async (store) => {
      await store.createBucket(bucketRecord("b"));
      const [a, b, c] = [blobId(), blobId(), blobId()];
      assert.deepEqual((await store.putObject(objectRecord("b", "k", [a, b]))).releasedBlobs, []);
      assert.deepEqual(sorted((await store.putObject(objectRecord("b", "k", [b, c]))).releasedBlobs), [a]);
      await store.putObject(objectRecord("b", "shares", [c]));
      assert.deepEqual((await store.deleteObject("b", "k")).releasedBlobs, [b]);
      assert.deepEqual(await store.deleteObject("b", "k"), { deleted: false, releasedBlobs: [] });
      assert.deepEqual(await store.deleteObject("b", "shares"), { deleted: true, releasedBlobs: [c] });
      assert.deepEqual(await store.referencedBlobIds(), new Set());
    }));

    it("putObjectIfAbsent creates once and then leaves the object alone", withStore(async (store) => {
      await store.createBucket(bucketRecord("b"));
      const first = objectRecord("b", "k");
      assert.equal(await store.putObjectIfAbsent(first), "created");
      assert.equal(await store.putObjectIfAbsent(objectRecord("b", "k")), "exists");
      assert.deepEqual(await store.getObject("b", "k"), first);
    }));

    it("updateObject creates, appends and aborts atomically", withStore(async (store) => {
      await store.createBucket(bucketRecord("b"));
      const [a, b] = [blobId(), blobId()];
      const created = await store.updateObject("b", "log", (current) => {
        assert.equal(current, undefined);
        return { ...objectRecord("b", "log", [a]), type: "Appendable" };
      });
      assert.deepEqual(created?.segments, [{ blobId: a, size: 10 }]);
      const appended = await store.updateObject("b", "log", (current) => ({ ...current!, size: 20, segments: [...current!.segments, { blobId: b, size: 10 }] }));
      assert.deepEqual(appended?.segments.map((s) => s.blobId), [a, b]);
      assert.equal(await store.updateObject("b", "log", () => undefined), undefined);
      assert.equal(await store.updateObject("b", "other", () => undefined), undefined);
      assert.deepEqual(await store.getObject("b", "log"), appended);
      assert.equal(await store.getObject("b", "other"), undefined);
      await assert.rejects(async () => await store.updateObject("b", "log", () => { throw new Error("position mismatch"); }), /position mismatch/);
      assert.deepEqual(await store.getObject("b", "log"), appended);
    }));

    it("sets object ACLs", withStore(async (store) => {
      await store.createBucket(bucketRecord("b"));
      await store.putObject(objectRecord("b", "k"));
      assert.equal(await store.setObjectAcl("b", "k", "public-read-write"), true);
      assert.equal((await store.getObject("b", "k"))?.acl, "public-read-write");
      assert.equal(await store.setObjectAcl("b", "missing", "private"), false);
    }));

    it("creates uploads, and stores, replaces and pages parts", withStore(async (store) => {
      await store.createBucket(bucketRecord("b"));
      const upload = uploadRecord("b", "big/file.bin");
      await store.createUpload(upload);
      assert.deepEqual(await store.getUpload("b", upload.uploadId), upload);
      assert.equal(await store.getUpload("other", upload.uploadId), undefined);
      assert.equal(await store.getUpload("b", "nope"), undefined);
      const parts = [3, 1, 10, 2].map((n) => partRecord(upload.uploadId, n));
      for (const part of parts) assert.deepEqual((await store.putPart(part)).releasedBlobs, []);
      const replacement = partRecord(upload.uploadId, 2);
      assert.deepEqual((await store.putPart(replacement)).releasedBlobs, [parts[3]!.blobId]);
      const first = await store.listParts(upload.uploadId, 0, 2);
      assert.deepEqual(first.parts.map((p) => p.partNumber), [1, 2]);
      assert.deepEqual(first.parts[1], replacement);
      assert.equal(first.isTruncated, true);
      const rest = await store.listParts(upload.uploadId, 2, 2);
      assert.deepEqual(rest.parts.map((p) => p.partNumber), [3, 10]);
      assert.equal(rest.isTruncated, false);
      assert.deepEqual(await store.listParts("nope", 0, 10), { parts: [], isTruncated: false });
      await assert.rejects(async () => await store.putPart(partRecord("nope", 1)), NoSuchUploadError);
      const referenced = await store.referencedBlobIds();
      for (const id of [parts[0]!, parts[1]!, parts[2]!, replacement].map((p) => p.blobId)) assert.ok(referenced.has(id));
      assert.equal(referenced.has(parts[3]!.blobId), false);
    }));

    it("completeUpload with a subset of parts releases the unused parts and the replaced object", withStore(async (store) => {
      await store.createBucket(bucketRecord("b"));
      const old = objectRecord("b", "k", [blobId()]);
      await store.putObject(old);
      const upload = uploadRecord("b", "k");
      await store.createUpload(upload);
      const parts = [1, 2, 3].map((n) => partRecord(upload.uploadId, n));
      for (const part of parts) await store.putPart(part);
      const used = [parts[0]!, parts[2]!];
      const record: ObjectRecord = { ...objectRecord("b", "k", used.map((p) => p.blobId)), type: "Multipart", etag: "X-2" };
      const result = await store.completeUpload(upload.uploadId, record, [1, 3], false);
      assert.equal(result.result, "created");
      assert.deepEqual(sorted(result.releasedBlobs), sorted([parts[1]!.blobId, old.segments[0]!.blobId]));
      assert.deepEqual(await store.getObject("b", "k"), record);
      assert.equal(await store.getUpload("b", upload.uploadId), undefined);
      assert.deepEqual((await store.listParts(upload.uploadId, 0, 100)).parts, []);
      assert.deepEqual(await store.referencedBlobIds(), new Set(used.map((p) => p.blobId)));
      await assert.rejects(async () => await store.completeUpload(upload.uploadId, record, [1, 3], false), NoSuchUploadError);
    }));

    it("completeUpload with ifAbsent changes nothing when the key exists", withStore(async (store) => {
      await store.createBucket(bucketRecord("b"));
      const existing = objectRecord("b", "k");
      await store.putObject(existing);
      const upload = uploadRecord("b", "k");
      await store.createUpload(upload);
      const part = partRecord(upload.uploadId, 1);
      await store.putPart(part);
      const result = await store.completeUpload(upload.uploadId, objectRecord("b", "k", [part.blobId]), [1], true);
      assert.deepEqual(result, { result: "exists", releasedBlobs: [] });
      assert.deepEqual(await store.getObject("b", "k"), existing);
      assert.deepEqual(await store.getUpload("b", upload.uploadId), upload);
      assert.equal((await store.listParts(upload.uploadId, 0, 10)).parts.length, 1);
      const fresh = uploadRecord("b", "new");
      await store.createUpload(fresh);
      await store.putPart(partRecord(fresh.uploadId, 1, blobId()));
      const freshPart = (await store.listParts(fresh.uploadId, 0, 1)).parts[0]!;
      assert.equal((await store.completeUpload(fresh.uploadId, objectRecord("b", "new", [freshPart.blobId]), [1], true)).result, "created");
    }));

    it("abortUpload removes the upload and releases every part", withStore(async (store) => {
      await store.createBucket(bucketRecord("b"));
      const upload = uploadRecord("b", "k");
      await store.createUpload(upload);
      const parts = [1, 2].map((n) => partRecord(upload.uploadId, n));
      for (const part of parts) await store.putPart(part);
      const result = await store.abortUpload(upload.uploadId);
      assert.equal(result.found, true);
      assert.deepEqual(sorted(result.releasedBlobs), sorted(parts.map((p) => p.blobId)));
      assert.equal(await store.getUpload("b", upload.uploadId), undefined);
      assert.deepEqual(await store.abortUpload(upload.uploadId), { found: false, releasedBlobs: [] });
      assert.deepEqual(await store.referencedBlobIds(), new Set());
    }));

    it("referencedBlobIds covers object segments and parts", withStore(async (store) => {
      await store.createBucket(bucketRecord("b"));
      const [a, b, c] = [blobId(), blobId(), blobId()];
      await store.putObject(objectRecord("b", "x", [a, b]));
      const upload = uploadRecord("b", "y");
      await store.createUpload(upload);
      await store.putPart(partRecord(upload.uploadId, 1, c));
      assert.deepEqual(await store.referencedBlobIds(), new Set([a, b, c]));
    }));

    listingCases(withStore);
    extraFieldCases(withStore);
    storageTotalsCases(withStore);
  });
}
