import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { GroupSync } from "./group-sync.js";
import { SqliteMetadataStore } from "./sqlite-metadata.js";
import { objectRecord } from "./conformance-records.js";

describe("GroupSync (group commit of the WAL)", () => {
  const withDir = (fn: (dir: string) => Promise<void>) => async () => {
    const dir = mkdtempSync(join(tmpdir(), "group-sync-"));
    try {
      await fn(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it("callers arriving together share one fdatasync; a caller arriving during a sync waits for the next one", withDir(async (dir) => {
    const file = join(dir, "f");
    writeFileSync(file, "x");
    const sync = new GroupSync(file);
    await Promise.all([sync.sync(), sync.sync(), sync.sync()]);
    // The first starts a sync; the next two arrive while it runs and share the one after it.
    assert.equal(sync.syncs, 2);
    const first = sync.sync();
    const during = [sync.sync(), sync.sync(), sync.sync(), sync.sync()];
    await Promise.all([first, ...during]);
    assert.equal(sync.syncs, 4, "one for the first, one for everyone who came while it ran");
    await sync.sync();
    assert.equal(sync.syncs, 5);
  }));

  it("a missing file (the WAL checkpointed and removed) counts as synced", withDir(async (dir) => {
    const sync = new GroupSync(join(dir, "gone"));
    await sync.sync();
    assert.equal(sync.syncs, 1);
  }));

  it("SqliteMetadataStore: a deferred write is visible at once and made durable by sync(); others stay synchronous", withDir(async (dir) => {
    const store = SqliteMetadataStore.open(dir);
    try {
      await store.createBucket({ name: "b", owner: "o", acl: "private", storageClass: "Standard", createdAt: new Date(0), region: "cn-hangzhou" });
      await store.putObject(objectRecord("b", "k"), { deferSync: true });
      assert.equal((await store.getObject("b", "k"))?.key, "k");
      await Promise.all([store.sync(), store.sync()]);
      assert.ok(store.groupSyncs >= 1);
      await store.putObject(objectRecord("b", "k2"));
      assert.equal((await store.getObject("b", "k2"))?.key, "k2");
    } finally {
      await store.close();
    }
    const reopened = SqliteMetadataStore.open(dir);
    try {
      assert.deepEqual([(await reopened.getObject("b", "k"))?.key, (await reopened.getObject("b", "k2"))?.key], ["k", "k2"]);
    } finally {
      await reopened.close();
    }
  }));
});
