import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { runMetadataStoreConformance } from "./conformance.js";
import { bucketRecord, objectRecord, partRecord, uploadRecord } from "./conformance-records.js";
import { SqliteMetadataStore } from "./sqlite-metadata.js";
import { MIGRATIONS, migrate, openDatabase, schemaVersion, type SqliteDatabase } from "./sqlite-schema.js";
import { createRequire } from "node:module";

const root = await mkdtemp(join(tmpdir(), "barbucket-sqlite-"));
after(() => rm(root, { recursive: true, force: true }));
let counter = 0;
const freshDir = () => join(root, `db-${++counter}`);

async function makeDir(): Promise<string> {
  const { mkdir } = await import("node:fs/promises");
  const dir = freshDir();
  await mkdir(dir, { recursive: true });
  return dir;
}

// Semantics only: synchronous=NORMAL spares ~1,000 fsyncs. Durability under the production
// setting (FULL) is tested below with a SIGKILLed writer.
runMetadataStoreConformance("sqlite", async () => {
  const dir = await makeDir();
  const store = SqliteMetadataStore.open(dir, { synchronous: "NORMAL" });
  return { store, cleanup: async () => { await store.close(); await rm(dir, { recursive: true, force: true }); } };
});

describe("SqliteMetadataStore specifics", () => {
  it("keeps everything across close and reopen", async () => {
    const dir = await makeDir();
    const first = SqliteMetadataStore.open(dir);
    await first.createBucket(bucketRecord("b"));
    const object = objectRecord("b", "中文/😀 key");
    await first.putObject(object);
    const upload = uploadRecord("b", "k");
    await first.createUpload(upload);
    const part = partRecord(upload.uploadId, 1);
    await first.putPart(part);
    await first.close();
    const second = SqliteMetadataStore.open(dir);
    try {
      assert.deepEqual(await second.getBucket("b"), bucketRecord("b"));
      assert.deepEqual(await second.getObject("b", object.key), object);
      assert.deepEqual(await second.getUpload("b", upload.uploadId), upload);
      assert.deepEqual((await second.listParts(upload.uploadId, 0, 10)).parts, [part]);
    } finally {
      await second.close();
    }
  });

  it("keeps every acknowledged put after the writer is killed with SIGKILL", async () => {
    const dir = await makeDir();
    const storeUrl = new URL("./sqlite-metadata.js", import.meta.url).href;
    const recordsUrl = new URL("./conformance-records.js", import.meta.url).href;
    const childCode = `
      const { SqliteMetadataStore } = await import(${JSON.stringify(storeUrl)});
      const { bucketRecord, objectRecord } = await import(${JSON.stringify(recordsUrl)});
      const store = SqliteMetadataStore.open(${JSON.stringify(dir)});
      store.createBucket(bucketRecord("b"));
      for (let i = 0; ; i++) {
        store.putObject(objectRecord("b", "k" + i));
        process.stdout.write("acked " + i + "\\n"); // only after the commit returned
        if (i % 10 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
    `;
    const child = spawn(process.execPath, ["--input-type=module", "-e", childCode], { stdio: ["ignore", "pipe", "inherit"] });
    let output = "";
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (data: Buffer) => {
        output += data.toString();
        if (output.includes("acked 60\n")) resolve();
      });
      child.on("exit", (code) => reject(new Error(`child exited early with ${code}`)));
    });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
    const acked = [...output.matchAll(/acked (\d+)\n/g)].map((m) => Number(m[1]));
    assert.ok(acked.length > 60);
    const store = SqliteMetadataStore.open(dir);
    try {
      for (const i of acked) assert.ok(await store.getObject("b", `k${i}`), `acknowledged k${i} lost`);
      assert.ok(await store.countObjects("b") >= acked.length);
    } finally {
      await store.close();
    }
  });

  it("runs migrations once and records the schema version; uses WAL and synchronous=FULL", async () => {
    const file = join(await makeDir(), "meta.sqlite");
    const db = openDatabase(file);
    assert.equal(schemaVersion(db), MIGRATIONS.length);
    assert.equal(db.pragma("journal_mode", { simple: true }), "wal");
    assert.equal(db.pragma("synchronous", { simple: true }), 2); // FULL
    assert.equal(db.pragma("foreign_keys", { simple: true }), 1);
    db.close();
    const again = openDatabase(file); // must not re-run step 1 (CREATE TABLE would fail)
    assert.equal(schemaVersion(again), MIGRATIONS.length);
    again.close();
  });

  it("upgrades a v1 database in place: existing rows keep their data and read without the new fields", async () => {
    const dir = await makeDir();
    // A genuine v1 file: a fresh database migrated with step 1 only, written with v1's columns.
    const Database = createRequire(import.meta.url)("better-sqlite3") as new (file: string) => SqliteDatabase;
    const raw = new Database(join(dir, "meta.sqlite"));
    migrate(raw, MIGRATIONS.slice(0, 1));
    const old = objectRecord("b", "old");
    raw.prepare("INSERT INTO buckets VALUES ('b', 'owner-1', 'private', 'Standard', 1, 'oss-cn-hangzhou')").run();
    raw.prepare(
      "INSERT INTO objects (bucket, key, size, etag, crc64, last_modified, content_type, headers, user_meta, acl, storage_class, type, owner) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    ).run("b", "old", old.size, old.etag, old.crc64, old.lastModified.getTime(), old.contentType, JSON.stringify(old.headers), JSON.stringify(old.userMeta), old.acl, old.storageClass, old.type, old.owner);
    raw.prepare("INSERT INTO object_segments (object_id, seq, blob_id, size) VALUES (1, 0, ?, 10)").run(old.segments[0]!.blobId);
    raw.close();
    const store = SqliteMetadataStore.open(dir);
    try {
      assert.deepEqual(await store.getObject("b", "old"), old);
      await store.setBucketSetting("b", "lifecycle", "[]");
      assert.equal(await store.getBucketSetting("b", "lifecycle"), "[]");
    } finally {
      await store.close();
    }
  });

  it("lists a large bucket with few rows read per page (common prefixes are jumped)", async () => {
    const dir = await makeDir();
    const store = SqliteMetadataStore.open(dir, { synchronous: "OFF" });
    try {
      await store.createBucket(bucketRecord("b"));
      const record = objectRecord("b", "x", []);
      // 20 "directories" × 500 keys, inserted in one go through the public API.
      for (let d = 0; d < 20; d++) for (let i = 0; i < 500; i++) await store.putObject({ ...record, key: `dir${String(d).padStart(2, "0")}/file${i}` });
      const started = performance.now();
      const page = await store.listObjects({ bucket: "b", prefix: "", delimiter: "/", after: "", maxKeys: 1000 });
      const elapsed = performance.now() - started;
      assert.equal(page.commonPrefixes.length, 20);
      assert.equal(page.isTruncated, false);
      assert.ok(elapsed < 250, `listing 20 prefixes over 10k keys took ${elapsed.toFixed(1)} ms`);
    } finally {
      await store.close();
    }
  });
});
