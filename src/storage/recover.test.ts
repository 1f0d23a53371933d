import assert from "node:assert/strict";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { after, describe, it } from "node:test";
import { bucketRecord, objectRecord, partRecord, uploadRecord } from "./conformance-records.js";
import { FsBlobStore } from "./fs-blobs.js";
import { MemoryBlobStore } from "./memory-blobs.js";
import { MemoryMetadataStore } from "./memory-metadata.js";
import { recoverStorage } from "./recover.js";
import { SqliteMetadataStore } from "./sqlite-metadata.js";
import type { BlobStore, MetadataStore } from "./types.js";

const root = await mkdtemp(join(tmpdir(), "barbucket-recover-"));
after(() => rm(root, { recursive: true, force: true }));

async function blobIds(store: BlobStore): Promise<string[]> {
  const ids: string[] = [];
  for await (const id of store.list()) ids.push(id);
  return ids.sort();
}

/** Three blobs: one in an object, one in a part, one orphan (written, never committed). */
async function scenario(meta: MetadataStore, blobs: BlobStore) {
  const write = (text: string) => blobs.write(Readable.from([Buffer.from(text)]));
  const [inObject, inPart, orphan] = [await write("object"), await write("part"), await write("orphan")];
  await meta.createBucket(bucketRecord("b"));
  await meta.putObject(objectRecord("b", "k", [inObject.id]));
  const upload = uploadRecord("b", "u");
  await meta.createUpload(upload);
  await meta.putPart(partRecord(upload.uploadId, 1, inPart.id));
  return { kept: [inObject.id, inPart.id].sort(), orphan: orphan.id };
}

describe("recoverStorage", () => {
  it("removes temp leftovers and orphans but never a referenced blob (fs + sqlite, after reopen)", async () => {
    const dataDir = join(root, "fs");
    await mkdir(dataDir, { recursive: true });
    const blobsDir = join(dataDir, "blobs");
    const meta = SqliteMetadataStore.open(dataDir);
    const { kept } = await scenario(meta, new FsBlobStore(blobsDir));
    await meta.close();
    await writeFile(join(blobsDir, "tmp", "0123456789abcdef0123456789abcdef"), "partial");

    const reopened = SqliteMetadataStore.open(dataDir);
    const blobs = new FsBlobStore(blobsDir);
    try {
      assert.deepEqual(await recoverStorage(reopened, blobs), { tempRemoved: 1, orphansRemoved: 1 });
      assert.deepEqual(await blobIds(blobs), kept);
      assert.deepEqual(await readdir(join(blobsDir, "tmp")), []);
      assert.deepEqual(await recoverStorage(reopened, blobs), { tempRemoved: 0, orphansRemoved: 0 });
    } finally {
      await reopened.close();
    }
  });

  it("works with the memory backends", async () => {
    const meta = new MemoryMetadataStore();
    const blobs = new MemoryBlobStore();
    const { kept, orphan } = await scenario(meta, blobs);
    const result = await recoverStorage(meta, blobs);
    assert.equal(result.orphansRemoved, 1);
    const ids = await blobIds(blobs);
    assert.deepEqual(ids, kept);
    assert.ok(!ids.includes(orphan));
  });

  it("collects blobs released by metadata but not yet unlinked (crash between commit and delete)", async () => {
    const meta = new MemoryMetadataStore();
    const blobs = new MemoryBlobStore();
    const { kept } = await scenario(meta, blobs);
    const { releasedBlobs } = await meta.deleteObject("b", "k"); // "crash" before deleting releasedBlobs
    assert.equal(releasedBlobs.length, 1);
    assert.equal((await recoverStorage(meta, blobs)).orphansRemoved, 2);
    assert.deepEqual(await blobIds(blobs), kept.filter((id) => id !== releasedBlobs[0]));
  });

  /** A shared metadata store in which "another node" runs `commit()` just after the `commitAfterRead`-th referencedBlobIds() read. */
  class RacingMetadata extends MemoryMetadataStore {
    reads = 0;
    commitAfterRead = 1;
    commit: () => Promise<void> = async () => {};
    override async referencedBlobIds(): Promise<Set<string>> {
      const snapshot = await super.referencedBlobIds();
      if (++this.reads === this.commitAfterRead) await this.commit();
      return snapshot;
    }
  }

  it("never collects a blob another node writes and commits while the references are read (a read after the listing decides)", async () => {
    const meta = new RacingMetadata();
    const blobs = new MemoryBlobStore();
    const { kept } = await scenario(meta, blobs);
    let fresh = "";
    meta.commit = async () => {
      fresh = (await blobs.write(Readable.from([Buffer.from("another node's")]))).id;
      await meta.putObject(objectRecord("b", "other-node", [fresh]));
    };
    assert.equal((await recoverStorage(meta, blobs)).orphansRemoved, 1);
    assert.deepEqual(await blobIds(blobs), [...kept, fresh].sort());
  });

  it("confirmAfterMs keeps a listed blob that another node commits right after the deciding read", async () => {
    for (const confirmAfterMs of [0, 20]) {
      const meta = new RacingMetadata();
      const blobs = new MemoryBlobStore();
      const { kept, orphan } = await scenario(meta, blobs);
      const late = (await blobs.write(Readable.from([Buffer.from("written, not yet committed")]))).id;
      meta.commitAfterRead = 2;
      meta.commit = async () => {
        await meta.putObject(objectRecord("b", "late", [late]));
      };
      const { orphansRemoved } = await recoverStorage(meta, blobs, { confirmAfterMs });
      const ids = await blobIds(blobs);
      assert.ok(!ids.includes(orphan), "the true orphan is collected");
      if (confirmAfterMs === 0) {
        assert.equal(orphansRemoved, 2, "without a second read the late commit's blob is lost");
      } else {
        assert.equal(meta.reads, 3);
        assert.equal(orphansRemoved, 1);
        assert.deepEqual(ids, [...kept, late].sort());
      }
    }
  });
});
