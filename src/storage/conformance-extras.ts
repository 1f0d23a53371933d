/**
 * Conformance cases for the optional record fields added in schema v2 (restore state, class entry
 * time, server-side encryption, per-segment encryption parameters) and generic bucket settings.
 */
import assert from "node:assert/strict";
import { it } from "node:test";
import { blobId, bucketRecord, objectRecord, partRecord, uploadRecord } from "./conformance-records.js";
import { NoSuchBucketError, type MetadataStore, type ObjectRecord } from "./types.js";

type WithStore = (body: (store: MetadataStore) => Promise<void> | void) => () => Promise<void>;

export function extraFieldCases(withStore: WithStore): void {
  it("round-trips restore state, classSince and SSE fields; omits them when absent", withStore((store) => {
    store.createBucket(bucketRecord("b"));
    const plain = objectRecord("b", "plain");
    store.putObject(plain);
    const read = store.getObject("b", "plain")!;
    assert.deepEqual(read, plain);
    for (const field of ["restore", "classSince", "serverSideEncryption"] as const) assert.equal(field in read, false, field);
    assert.equal("encryption" in read.segments[0]!, false);

    const full: ObjectRecord = {
      ...objectRecord("b", "full", [blobId(), blobId()]),
      storageClass: "ColdArchive",
      classSince: new Date(1_700_000_100_000),
      restore: { requestedAt: new Date(1_700_000_200_000), readyAt: new Date(1_700_000_300_000), expiresAt: new Date(1_700_086_700_000), tier: "Expedited" },
      serverSideEncryption: { algorithm: "KMS", kmsKeyId: "key-1" },
    };
    const encryption = { v: 1, iv: "AAEC", chunk: 65536, wrapped: { keyId: "key-1", blob: "Zm9v" }, list: [1, null, true, "x"] };
    const segments = [{ ...full.segments[0]!, encryption }, full.segments[1]!];
    store.putObject({ ...full, segments });
    const back = store.getObject("b", "full")!;
    assert.deepEqual(back, { ...full, segments });
    assert.equal("encryption" in back.segments[1]!, false);
    store.putObject({ ...plain, key: "aes", serverSideEncryption: { algorithm: "AES256" } });
    assert.deepEqual(store.getObject("b", "aes")!.serverSideEncryption, { algorithm: "AES256" });
  }));

  it("round-trips part encryption and the upload template's SSE (schema v3)", withStore((store) => {
    store.createBucket(bucketRecord("b"));
    const base = uploadRecord("b", "k");
    const upload = { ...base, template: { ...base.template, serverSideEncryption: { algorithm: "KMS" as const, kmsKeyId: "key-9" } } };
    store.createUpload(upload);
    assert.deepEqual(store.getUpload("b", upload.uploadId)!.template.serverSideEncryption, { algorithm: "KMS", kmsKeyId: "key-9" });
    const encryption = { algorithm: "KMS", wrappedKey: "Zm9v", nonceBase: "AAEC", chunkSize: 65536, plaintextSize: 100 };
    store.putPart({ ...partRecord(upload.uploadId, 1), encryption });
    store.putPart(partRecord(upload.uploadId, 2));
    const [first, second] = store.listParts(upload.uploadId, 0, 10).parts;
    assert.deepEqual(first!.encryption, encryption);
    assert.equal("encryption" in second!, false);
  }));

  it("updateObject changes a class and clears restore state atomically; listObjects returns the fields", withStore((store) => {
    store.createBucket(bucketRecord("b"));
    const restore = { requestedAt: new Date(1), readyAt: new Date(2), expiresAt: new Date(3), tier: "Standard" };
    store.putObject({ ...objectRecord("b", "logs/a"), storageClass: "Archive", restore });
    const updated = store.updateObject("b", "logs/a", (current) => {
      assert.deepEqual(current?.restore, restore);
      const { restore: _dropped, ...rest } = current!;
      return { ...rest, storageClass: "ColdArchive", classSince: new Date(10) };
    })!;
    assert.equal(updated.storageClass, "ColdArchive");
    assert.equal(updated.restore, undefined);
    const listed = store.listObjects({ bucket: "b", prefix: "logs/", delimiter: "", after: "", maxKeys: 10 }).objects[0]!;
    assert.equal(listed.storageClass, "ColdArchive");
    assert.deepEqual(listed.classSince, new Date(10));
    assert.equal("restore" in listed, false);
  }));

  it("keeps bucket settings per bucket, overwrites, removes, and drops them with the bucket", withStore((store) => {
    store.createBucket(bucketRecord("b"));
    store.createBucket(bucketRecord("c"));
    assert.equal(store.getBucketSetting("b", "lifecycle"), undefined);
    store.setBucketSetting("b", "lifecycle", "<LifecycleConfiguration/>");
    store.setBucketSetting("b", "archiveDirectRead", "true");
    store.setBucketSetting("b", "archiveDirectRead", "false");
    assert.equal(store.getBucketSetting("b", "lifecycle"), "<LifecycleConfiguration/>");
    assert.equal(store.getBucketSetting("b", "archiveDirectRead"), "false");
    assert.equal(store.getBucketSetting("c", "lifecycle"), undefined);
    store.setBucketSetting("c", "lifecycle", "<c/>"); // read just before: a cached miss must not hide it
    assert.equal(store.getBucketSetting("c", "lifecycle"), "<c/>");
    assert.equal(store.getBucketSetting("b", "lifecycle"), "<LifecycleConfiguration/>");
    store.setBucketSetting("b", "lifecycle", undefined);
    assert.equal(store.getBucketSetting("b", "lifecycle"), undefined);
    store.setBucketSetting("b", "lifecycle", "");
    assert.equal(store.getBucketSetting("b", "lifecycle"), "");
    assert.throws(() => store.setBucketSetting("nope", "x", "1"), NoSuchBucketError);
    assert.equal(store.deleteBucket("b"), "deleted");
    store.createBucket(bucketRecord("b"));
    assert.equal(store.getBucketSetting("b", "archiveDirectRead"), undefined);
    assert.equal(store.getBucketSetting("b", "lifecycle"), undefined);
  }));
}
