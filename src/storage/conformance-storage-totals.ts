/**
 * MetadataStore conformance for `storageTotals` (storage-totals.ts): what the hourly storage
 * snapshot bills, the same on every backend.
 */
import assert from "node:assert/strict";
import { it } from "node:test";
import { blobId, bucketRecord, objectRecord, partRecord, uploadRecord } from "./conformance-records.js";
import type { MetadataStore } from "./types.js";

type WithStore = (body: (store: MetadataStore) => Promise<void> | void) => () => Promise<void>;

export function storageTotalsCases(withStore: WithStore): void {
  it("storageTotals sums current objects, noncurrent versions and parts in progress per bucket and class", withStore(async (store) => {
    assert.deepEqual(await store.storageTotals(), []);
    await store.createBucket(bucketRecord("b"));
    await store.createBucket(bucketRecord("a"));
    await store.createBucket(bucketRecord("empty"));
    await store.putObject(objectRecord("b", "one", [blobId()])); // 10 bytes
    await store.putObject(objectRecord("b", "three", [blobId(), blobId(), blobId()])); // 30
    await store.putObject({ ...objectRecord("b", "cold", [blobId(), blobId()]), storageClass: "ColdArchive" }); // 20
    await store.putObject({ ...objectRecord("a", "ia", [blobId()]), storageClass: "IA", size: 5 * 1024 ** 4 }); // beyond 2^32
    await store.putObject({ ...objectRecord("a", "gone", [blobId()]) });
    await store.deleteObject("a", "gone");
    const upload = uploadRecord("b", "big"); // template class IA
    await store.createUpload(upload);
    await store.putPart(partRecord(upload.uploadId, 1)); // 100
    await store.putPart(partRecord(upload.uploadId, 2)); // 200
    const expected = [
      { bucket: "a", storageClass: "IA", bytes: 5 * 1024 ** 4 },
      { bucket: "b", storageClass: "ColdArchive", bytes: 20 },
      { bucket: "b", storageClass: "IA", bytes: 300 },
      { bucket: "b", storageClass: "Standard", bytes: 40 },
    ];
    assert.deepEqual(await store.storageTotals(), expected);
    await store.putObject(objectRecord("b", "one", [blobId(), blobId()])); // replaced: 20 instead of 10
    await store.abortUpload(upload.uploadId);
    assert.deepEqual(await store.storageTotals(), [expected[0], expected[1], { bucket: "b", storageClass: "Standard", bytes: 50 }]);
    if (!store.supportsVersioning) return;
    // Versioned: an overwrite keeps the old bytes as a noncurrent version; a delete marker adds none.
    await store.setBucketSetting("b", "versioning", "Enabled");
    await store.putObject(objectRecord("b", "three", [blobId()])); // current 10, noncurrent 30
    await store.putObject({ ...objectRecord("b", "cold", [blobId()]), storageClass: "Standard" }); // noncurrent ColdArchive 20 stays
    await store.deleteObject("b", "one", { now: new Date() }); // marker; 20 bytes noncurrent
    assert.deepEqual(await store.storageTotals(), [expected[0], expected[1], { bucket: "b", storageClass: "Standard", bytes: 20 + 30 + 10 + 10 }]);
  }));
}
