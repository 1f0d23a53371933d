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
  it("round-trips restore state, classSince and SSE fields; omits them when absent", withStore(async (store) => {
    await store.createBucket(bucketRecord("b"));
    const plain = objectRecord("b", "plain");
    await store.putObject(plain);
    const read = (await store.getObject("b", "plain"))!;
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
    await store.putObject({ ...full, segments });
    const back = (await store.getObject("b", "full"))!;
    assert.deepEqual(back, { ...full, segments });
    assert.equal("encryption" in back.segments[1]!, false);
    await store.putObject({ ...plain, key: "aes", serverSideEncryption: { algorithm: "AES256" } });
    assert.deepEqual((await store.getObject("b", "aes"))!.serverSideEncryption, { algorithm: "AES256" });
  }));

  it("round-trips part encryption and the upload template's SSE (schema v3)", withStore(async (store) => {
    await store.createBucket(bucketRecord("b"));
    const base = uploadRecord("b", "k");
    const upload = { ...base, template: { ...base.template, serverSideEncryption: { algorithm: "KMS" as const, kmsKeyId: "key-9" } } };
    await store.createUpload(upload);
    assert.deepEqual((await store.getUpload("b", upload.uploadId))!.template.serverSideEncryption, { algorithm: "KMS", kmsKeyId: "key-9" });
    const encryption = { algorithm: "KMS", wrappedKey: "Zm9v", nonceBase: "AAEC", chunkSize: 65536, plaintextSize: 100 };
    await store.putPart({ ...partRecord(upload.uploadId, 1), encryption });
    await store.putPart(partRecord(upload.uploadId, 2));
    const [first, second] = (await store.listParts(upload.uploadId, 0, 10)).parts;
    assert.deepEqual(first!.encryption, encryption);
    assert.equal("encryption" in second!, false);
  }));

  it("updateObject changes a class and clears restore state atomically; listObjects returns the fields", withStore(async (store) => {
    await store.createBucket(bucketRecord("b"));
    const restore = { requestedAt: new Date(1), readyAt: new Date(2), expiresAt: new Date(3), tier: "Standard" };
    await store.putObject({ ...objectRecord("b", "logs/a"), storageClass: "Archive", restore });
    const updated = (await store.updateObject("b", "logs/a", (current) => {
      assert.deepEqual(current?.restore, restore);
      const { restore: _dropped, ...rest } = current!;
      return { ...rest, storageClass: "ColdArchive", classSince: new Date(10) };
    }))!;
    assert.equal(updated.storageClass, "ColdArchive");
    assert.equal(updated.restore, undefined);
    const listed = (await store.listObjects({ bucket: "b", prefix: "logs/", delimiter: "", after: "", maxKeys: 10 })).objects[0]!;
    assert.equal(listed.storageClass, "ColdArchive");
    assert.deepEqual(listed.classSince, new Date(10));
    assert.equal("restore" in listed, false);
  }));

  it("keeps bucket settings per bucket, overwrites, removes, and drops them with the bucket", withStore(async (store) => {
    await store.createBucket(bucketRecord("b"));
    await store.createBucket(bucketRecord("c"));
    assert.equal(await store.getBucketSetting("b", "lifecycle"), undefined);
    await store.setBucketSetting("b", "lifecycle", "<LifecycleConfiguration/>");
    await store.setBucketSetting("b", "archiveDirectRead", "true");
    await store.setBucketSetting("b", "archiveDirectRead", "false");
    assert.equal(await store.getBucketSetting("b", "lifecycle"), "<LifecycleConfiguration/>");
    assert.equal(await store.getBucketSetting("b", "archiveDirectRead"), "false");
    assert.equal(await store.getBucketSetting("c", "lifecycle"), undefined);
    await store.setBucketSetting("c", "lifecycle", "<c/>"); // read just before: a cached miss must not hide it
    assert.equal(await store.getBucketSetting("c", "lifecycle"), "<c/>");
    assert.equal(await store.getBucketSetting("b", "lifecycle"), "<LifecycleConfiguration/>");
    await store.setBucketSetting("b", "lifecycle", undefined);
    assert.equal(await store.getBucketSetting("b", "lifecycle"), undefined);
    await store.setBucketSetting("b", "lifecycle", "");
    assert.equal(await store.getBucketSetting("b", "lifecycle"), "");
    await assert.rejects(async () => await store.setBucketSetting("nope", "x", "1"), NoSuchBucketError);
    assert.equal(await store.deleteBucket("b"), "deleted");
    await store.createBucket(bucketRecord("b"));
    assert.equal(await store.getBucketSetting("b", "archiveDirectRead"), undefined);
    assert.equal(await store.getBucketSetting("b", "lifecycle"), undefined);
  }));

  it("deleteObject onlyIf checks the current object in the delete's transaction", withStore(async (store) => {
    await store.createBucket(bucketRecord("b"));
    const record = objectRecord("b", "k");
    await store.putObject(record);
    const seen: Array<string | undefined> = [];
    const refused = await store.deleteObject("b", "k", { onlyIf: (current) => { seen.push(current?.etag); return false; } });
    assert.equal(refused.deleted, false);
    assert.deepEqual(refused.releasedBlobs, []);
    assert.deepEqual(seen, [record.etag]);
    assert.deepEqual(await store.getObject("b", "k"), record);
    const removed = await store.deleteObject("b", "k", { onlyIf: (current) => current?.etag === record.etag });
    assert.equal(removed.deleted, true);
    assert.equal(await store.getObject("b", "k"), undefined);
  }));

  it("updates a bucket setting read-modify-write in one call, atomically under concurrency", withStore(async (store) => {
    await store.createBucket(bucketRecord("b"));
    assert.equal(await store.getBucketSetting("b", "n"), undefined); // cached miss must not hide the update
    await store.updateBucketSetting("b", "n", (current) => String(Number(current ?? "0") + 1));
    assert.equal(await store.getBucketSetting("b", "n"), "1");
    await Promise.all(Array.from({ length: 20 }, () => store.updateBucketSetting("b", "n", (current) => String(Number(current ?? "0") + 1))));
    assert.equal(await store.getBucketSetting("b", "n"), "21");
    await assert.rejects(store.updateBucketSetting("b", "n", () => { throw new Error("refused"); }), /refused/);
    assert.equal(await store.getBucketSetting("b", "n"), "21");
    await store.updateBucketSetting("b", "n", () => undefined);
    assert.equal(await store.getBucketSetting("b", "n"), undefined);
    await assert.rejects(store.updateBucketSetting("nope", "n", () => "1"), NoSuchBucketError);
  }));
}
