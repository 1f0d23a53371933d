import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { blobId, bucketRecord, objectRecord } from "./conformance-records.js";
import { newReadEpoch } from "./read-epoch.js";
import { SqliteMetadataStore } from "./sqlite-metadata.js";
import { openDatabase } from "./sqlite-schema.js";
import { SqliteStamp } from "./sqlite-stamp.js";

const root = await mkdtemp(join(tmpdir(), "barbucket-stamp-"));
after(() => rm(root, { recursive: true, force: true }));
let counter = 0;
const freshDir = async (): Promise<string> => {
  const dir = join(root, `d${++counter}`);
  await mkdir(dir, { recursive: true });
  return dir;
};

describe("SqliteStamp", () => {
  it("moves on this connection's writes at once and on another connection's commits from the next read epoch", async () => {
    const dir = await freshDir();
    const file = join(dir, "s.sqlite");
    const a = openDatabase(file);
    const b = openDatabase(file);
    try {
      a.exec("CREATE TABLE t (v INTEGER)");
      const stamp = new SqliteStamp(a);
      const s0 = stamp.current();
      assert.equal(stamp.current(), s0, "nothing written: the same stamp");
      a.prepare("INSERT INTO t VALUES (1)").run();
      const s1 = stamp.current();
      assert.notEqual(s1, s0, "own write: moved without a new epoch");
      b.prepare("INSERT INTO t VALUES (2)").run();
      assert.equal(stamp.current(), s1, "another connection's commit: trusted within the epoch");
      newReadEpoch();
      const s2 = stamp.current();
      assert.notEqual(s2, s1, "another connection's commit: seen in the next epoch");
      newReadEpoch();
      assert.equal(stamp.current(), s2, "nothing written since: the same stamp");
    } finally {
      a.close();
      b.close();
    }
  });
});

// Two stores on one file stand for two server processes, each with its own record cache.
describe("object record cache (SqliteMetadataStore.getObject)", () => {
  it("never serves a record overwritten or deleted through another process in a later request", async () => {
    const dir = await freshDir();
    const a = SqliteMetadataStore.open(dir, { synchronous: "OFF" });
    const b = SqliteMetadataStore.open(dir, { synchronous: "OFF" });
    try {
      await a.createBucket(bucketRecord("bkt"));
      await a.putObject({ ...objectRecord("bkt", "k"), etag: "V1" });
      newReadEpoch();
      assert.equal((await b.getObject("bkt", "k"))?.etag, "V1"); // now cached in b
      for (let round = 2; round <= 5; round++) {
        await a.putObject({ ...objectRecord("bkt", "k", [blobId()]), etag: `V${round}` });
        newReadEpoch(); // the next request
        assert.equal((await b.getObject("bkt", "k"))?.etag, `V${round}`, `round ${round}`);
        assert.equal((await b.getObject("bkt", "k"))?.etag, `V${round}`, `round ${round}, from the cache`);
      }
      await a.setObjectAcl("bkt", "k", "public-read");
      newReadEpoch();
      assert.equal((await b.getObject("bkt", "k"))?.acl, "public-read");
      await a.deleteObject("bkt", "k");
      newReadEpoch();
      assert.equal(await b.getObject("bkt", "k"), undefined);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it("serves this store's own writes at once, within the same read epoch", async () => {
    const dir = await freshDir();
    const a = SqliteMetadataStore.open(dir, { synchronous: "OFF" });
    try {
      await a.createBucket(bucketRecord("bkt"));
      newReadEpoch();
      await a.putObject({ ...objectRecord("bkt", "k"), etag: "V1" });
      assert.equal((await a.getObject("bkt", "k"))?.etag, "V1");
      await a.putObject({ ...objectRecord("bkt", "k"), etag: "V2" });
      assert.equal((await a.getObject("bkt", "k"))?.etag, "V2");
      assert.equal(await a.setObjectAcl("bkt", "k", "public-read"), true);
      assert.equal((await a.getObject("bkt", "k"))?.acl, "public-read");
      await a.updateObject("bkt", "k", (current) => current && { ...current, tags: [["t", "1"]] });
      assert.deepEqual((await a.getObject("bkt", "k"))?.tags, [["t", "1"]]);
      await a.deleteObject("bkt", "k");
      assert.equal(await a.getObject("bkt", "k"), undefined);
    } finally {
      await a.close();
    }
  });

  it("is what answers within one read epoch, and hands out copies", async () => {
    const dir = await freshDir();
    const a = SqliteMetadataStore.open(dir, { synchronous: "OFF" });
    const raw = openDatabase(join(dir, "meta.sqlite"));
    try {
      await a.createBucket(bucketRecord("bkt"));
      await a.putObject({ ...objectRecord("bkt", "k"), etag: "V1" });
      newReadEpoch();
      const first = (await a.getObject("bkt", "k"))!;
      (first.userMeta as Record<string, string>)["owner"] = "changed by a caller";
      (first.segments[0] as { size: number }).size = 999;
      // A row changed behind the store's back in the same epoch: the cached record answers.
      raw.prepare("UPDATE objects SET etag = 'BEHIND' WHERE bucket = 'bkt' AND key = 'k'").run();
      const second = (await a.getObject("bkt", "k"))!;
      assert.equal(second.etag, "V1");
      assert.equal(second.userMeta["owner"], "张三");
      assert.equal(second.segments[0]!.size, 10);
      newReadEpoch();
      assert.equal((await a.getObject("bkt", "k"))?.etag, "BEHIND");
    } finally {
      raw.close();
      await a.close();
    }
  });
});
