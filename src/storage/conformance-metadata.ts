/** MetadataStore half of the conformance suite (see conformance.ts). */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { extraFieldCases } from "./conformance-extras.js";
import { listingCases } from "./conformance-listing.js";
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

    it("creates, reads, lists (byte order, per owner) and deletes buckets", withStore((store) => {
      assert.equal(store.createBucket(bucketRecord("b2")), "created");
      assert.equal(store.createBucket(bucketRecord("b2", "someone-else")), "exists");
      store.createBucket(bucketRecord("b1"));
      store.createBucket(bucketRecord("theirs", "owner-2"));
      assert.deepEqual(store.getBucket("b2"), bucketRecord("b2"));
      assert.equal(store.getBucket("nope"), undefined);
      assert.deepEqual(store.listBuckets(OWNER).map((b) => b.name), ["b1", "b2"]);
      assert.deepEqual(store.listBuckets("owner-2").map((b) => b.name), ["theirs"]);
      assert.deepEqual(store.listBuckets("nobody"), []);
      store.setBucketAcl("b1", "public-read");
      assert.equal(store.getBucket("b1")?.acl, "public-read");
      assert.equal(store.deleteBucket("b1"), "deleted");
      assert.equal(store.deleteBucket("b1"), "missing");
      assert.equal(store.getBucket("b1"), undefined);
    }));

    it("refuses to delete a bucket holding objects or uploads", withStore((store) => {
      store.createBucket(bucketRecord("b"));
      store.putObject(objectRecord("b", "k"));
      assert.equal(store.deleteBucket("b"), "not-empty");
      store.deleteObject("b", "k");
      const upload = uploadRecord("b", "k");
      store.createUpload(upload);
      assert.equal(store.deleteBucket("b"), "not-empty");
      store.abortUpload(upload.uploadId);
      assert.equal(store.deleteBucket("b"), "deleted");
    }));

    it("round-trips object records exactly and counts them", withStore((store) => {
      store.createBucket(bucketRecord("b"));
      store.createBucket(bucketRecord("c"));
      const record: ObjectRecord = { ...objectRecord("b", "dir/ key+%20😀", [blobId(), blobId(), blobId()]), type: "Multipart", acl: "public-read", etag: "ABC-3" };
      store.putObject(record);
      assert.deepEqual(store.getObject("b", record.key), record);
      assert.equal(store.getObject("c", record.key), undefined);
      assert.equal(store.getObject("b", "dir/"), undefined);
      assert.equal(store.countObjects("b"), 1);
      assert.equal(store.countObjects("c"), 0);
      const copy = store.getObject("b", record.key)!;
      (copy.userMeta as Record<string, string>)["owner"] = "mutated";
      assert.deepEqual(store.getObject("b", record.key), record, "returned records must not alias the store");
    }));

    it("throws NoSuchBucketError for writes into a missing bucket", withStore((store) => {
      assert.throws(() => store.putObject(objectRecord("nope", "k")), NoSuchBucketError);
      assert.throws(() => store.putObjectIfAbsent(objectRecord("nope", "k")), NoSuchBucketError);
      assert.throws(() => store.createUpload(uploadRecord("nope", "k")), NoSuchBucketError);
    }));

    it("releases the replaced object's blobs, except ones still referenced", withStore((store) => {
      store.createBucket(bucketRecord("b"));
      const [a, b, c] = [blobId(), blobId(), blobId()];
      assert.deepEqual(store.putObject(objectRecord("b", "k", [a, b])).releasedBlobs, []);
      assert.deepEqual(sorted(store.putObject(objectRecord("b", "k", [b, c])).releasedBlobs), [a]);
      store.putObject(objectRecord("b", "shares", [c]));
      assert.deepEqual(store.deleteObject("b", "k").releasedBlobs, [b]);
      assert.deepEqual(store.deleteObject("b", "k"), { deleted: false, releasedBlobs: [] });
      assert.deepEqual(store.deleteObject("b", "shares"), { deleted: true, releasedBlobs: [c] });
      assert.deepEqual(store.referencedBlobIds(), new Set());
    }));

    it("putObjectIfAbsent creates once and then leaves the object alone", withStore((store) => {
      store.createBucket(bucketRecord("b"));
      const first = objectRecord("b", "k");
      assert.equal(store.putObjectIfAbsent(first), "created");
      assert.equal(store.putObjectIfAbsent(objectRecord("b", "k")), "exists");
      assert.deepEqual(store.getObject("b", "k"), first);
    }));

    it("updateObject creates, appends and aborts atomically", withStore((store) => {
      store.createBucket(bucketRecord("b"));
      const [a, b] = [blobId(), blobId()];
      const created = store.updateObject("b", "log", (current) => {
        assert.equal(current, undefined);
        return { ...objectRecord("b", "log", [a]), type: "Appendable" };
      });
      assert.deepEqual(created?.segments, [{ blobId: a, size: 10 }]);
      const appended = store.updateObject("b", "log", (current) => ({ ...current!, size: 20, segments: [...current!.segments, { blobId: b, size: 10 }] }));
      assert.deepEqual(appended?.segments.map((s) => s.blobId), [a, b]);
      assert.equal(store.updateObject("b", "log", () => undefined), undefined);
      assert.equal(store.updateObject("b", "other", () => undefined), undefined);
      assert.deepEqual(store.getObject("b", "log"), appended);
      assert.equal(store.getObject("b", "other"), undefined);
      assert.throws(() => store.updateObject("b", "log", () => { throw new Error("position mismatch"); }), /position mismatch/);
      assert.deepEqual(store.getObject("b", "log"), appended);
    }));

    it("sets object ACLs", withStore((store) => {
      store.createBucket(bucketRecord("b"));
      store.putObject(objectRecord("b", "k"));
      assert.equal(store.setObjectAcl("b", "k", "public-read-write"), true);
      assert.equal(store.getObject("b", "k")?.acl, "public-read-write");
      assert.equal(store.setObjectAcl("b", "missing", "private"), false);
    }));

    it("creates uploads, and stores, replaces and pages parts", withStore((store) => {
      store.createBucket(bucketRecord("b"));
      const upload = uploadRecord("b", "big/file.bin");
      store.createUpload(upload);
      assert.deepEqual(store.getUpload("b", upload.uploadId), upload);
      assert.equal(store.getUpload("other", upload.uploadId), undefined);
      assert.equal(store.getUpload("b", "nope"), undefined);
      const parts = [3, 1, 10, 2].map((n) => partRecord(upload.uploadId, n));
      for (const part of parts) assert.deepEqual(store.putPart(part).releasedBlobs, []);
      const replacement = partRecord(upload.uploadId, 2);
      assert.deepEqual(store.putPart(replacement).releasedBlobs, [parts[3]!.blobId]);
      const first = store.listParts(upload.uploadId, 0, 2);
      assert.deepEqual(first.parts.map((p) => p.partNumber), [1, 2]);
      assert.deepEqual(first.parts[1], replacement);
      assert.equal(first.isTruncated, true);
      const rest = store.listParts(upload.uploadId, 2, 2);
      assert.deepEqual(rest.parts.map((p) => p.partNumber), [3, 10]);
      assert.equal(rest.isTruncated, false);
      assert.deepEqual(store.listParts("nope", 0, 10), { parts: [], isTruncated: false });
      assert.throws(() => store.putPart(partRecord("nope", 1)), NoSuchUploadError);
      const referenced = store.referencedBlobIds();
      for (const id of [parts[0]!, parts[1]!, parts[2]!, replacement].map((p) => p.blobId)) assert.ok(referenced.has(id));
      assert.equal(referenced.has(parts[3]!.blobId), false);
    }));

    it("completeUpload with a subset of parts releases the unused parts and the replaced object", withStore((store) => {
      store.createBucket(bucketRecord("b"));
      const old = objectRecord("b", "k", [blobId()]);
      store.putObject(old);
      const upload = uploadRecord("b", "k");
      store.createUpload(upload);
      const parts = [1, 2, 3].map((n) => partRecord(upload.uploadId, n));
      for (const part of parts) store.putPart(part);
      const used = [parts[0]!, parts[2]!];
      const record: ObjectRecord = { ...objectRecord("b", "k", used.map((p) => p.blobId)), type: "Multipart", etag: "X-2" };
      const result = store.completeUpload(upload.uploadId, record, [1, 3], false);
      assert.equal(result.result, "created");
      assert.deepEqual(sorted(result.releasedBlobs), sorted([parts[1]!.blobId, old.segments[0]!.blobId]));
      assert.deepEqual(store.getObject("b", "k"), record);
      assert.equal(store.getUpload("b", upload.uploadId), undefined);
      assert.deepEqual(store.listParts(upload.uploadId, 0, 100).parts, []);
      assert.deepEqual(store.referencedBlobIds(), new Set(used.map((p) => p.blobId)));
      assert.throws(() => store.completeUpload(upload.uploadId, record, [1, 3], false), NoSuchUploadError);
    }));

    it("completeUpload with ifAbsent changes nothing when the key exists", withStore((store) => {
      store.createBucket(bucketRecord("b"));
      const existing = objectRecord("b", "k");
      store.putObject(existing);
      const upload = uploadRecord("b", "k");
      store.createUpload(upload);
      const part = partRecord(upload.uploadId, 1);
      store.putPart(part);
      const result = store.completeUpload(upload.uploadId, objectRecord("b", "k", [part.blobId]), [1], true);
      assert.deepEqual(result, { result: "exists", releasedBlobs: [] });
      assert.deepEqual(store.getObject("b", "k"), existing);
      assert.deepEqual(store.getUpload("b", upload.uploadId), upload);
      assert.equal(store.listParts(upload.uploadId, 0, 10).parts.length, 1);
      const fresh = uploadRecord("b", "new");
      store.createUpload(fresh);
      store.putPart(partRecord(fresh.uploadId, 1, blobId()));
      const freshPart = store.listParts(fresh.uploadId, 0, 1).parts[0]!;
      assert.equal(store.completeUpload(fresh.uploadId, objectRecord("b", "new", [freshPart.blobId]), [1], true).result, "created");
    }));

    it("abortUpload removes the upload and releases every part", withStore((store) => {
      store.createBucket(bucketRecord("b"));
      const upload = uploadRecord("b", "k");
      store.createUpload(upload);
      const parts = [1, 2].map((n) => partRecord(upload.uploadId, n));
      for (const part of parts) store.putPart(part);
      const result = store.abortUpload(upload.uploadId);
      assert.equal(result.found, true);
      assert.deepEqual(sorted(result.releasedBlobs), sorted(parts.map((p) => p.blobId)));
      assert.equal(store.getUpload("b", upload.uploadId), undefined);
      assert.deepEqual(store.abortUpload(upload.uploadId), { found: false, releasedBlobs: [] });
      assert.deepEqual(store.referencedBlobIds(), new Set());
    }));

    it("referencedBlobIds covers object segments and parts", withStore((store) => {
      store.createBucket(bucketRecord("b"));
      const [a, b, c] = [blobId(), blobId(), blobId()];
      store.putObject(objectRecord("b", "x", [a, b]));
      const upload = uploadRecord("b", "y");
      store.createUpload(upload);
      store.putPart(partRecord(upload.uploadId, 1, c));
      assert.deepEqual(store.referencedBlobIds(), new Set([a, b, c]));
    }));

    listingCases(withStore);
    extraFieldCases(withStore);
  });
}
