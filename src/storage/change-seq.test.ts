import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { bucketRecord } from "./conformance-records.js";
import { newReadEpoch } from "./change-seq.js";
import { SqliteMetadataStore } from "./sqlite-metadata.js";

const root = await mkdtemp(join(tmpdir(), "barbucket-changeseq-"));
after(() => rm(root, { recursive: true, force: true }));
let counter = 0;
const freshDir = async (): Promise<string> => {
  const { mkdir } = await import("node:fs/promises");
  const dir = join(root, `d${++counter}`);
  await mkdir(dir, { recursive: true });
  return dir;
};

// Two connections on one file stand for two server processes (each has its own caches); each
// lookup after a change is a new request, so a new read epoch.
describe("caches shared by several processes (change_seq)", () => {
  it("a bucket ACL, setting or deletion written through one store is never served stale by another", async () => {
    const dir = await freshDir();
    const a = SqliteMetadataStore.open(dir, { synchronous: "OFF" });
    const b = SqliteMetadataStore.open(dir, { synchronous: "OFF" });
    try {
      await a.createBucket(bucketRecord("bkt"));
      newReadEpoch();
      assert.equal((await b.getBucket("bkt"))?.acl, "private"); // now cached in b
      newReadEpoch();
      assert.equal(await b.getBucketSetting("bkt", "referer"), undefined); // cached as absent
      await a.setBucketAcl("bkt", "public-read");
      // Within one read epoch (one request that started before the change) the cache is trusted.
      assert.equal((await b.getBucket("bkt"))?.acl, "private");
      newReadEpoch();
      assert.equal((await b.getBucket("bkt"))?.acl, "public-read");
      await a.setBucketSetting("bkt", "referer", "{\"x\":1}");
      newReadEpoch();
      assert.equal(await b.getBucketSetting("bkt", "referer"), "{\"x\":1}");
      await a.setBucketSetting("bkt", "referer", undefined);
      newReadEpoch();
      assert.equal(await b.getBucketSetting("bkt", "referer"), undefined);
      assert.equal(await a.deleteBucket("bkt"), "deleted");
      newReadEpoch();
      assert.equal(await b.getBucket("bkt"), undefined);
      await b.createBucket(bucketRecord("bkt"));
      newReadEpoch();
      assert.equal((await a.getBucket("bkt"))?.name, "bkt");
    } finally {
      await a.close();
      await b.close();
    }
  });
});
