/**
 * The spool and the delivery job on real stores (the in-memory metadata and blob stores, a real
 * SQLite spool file), including the crash points: a process "dying" (the spool reopened) after a
 * batch was sealed, and after its object was written but before the batch was forgotten.
 */
import { afterEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { MemoryBlobStore } from "../storage/memory-blobs.js";
import { MemoryMetadataStore } from "../storage/memory-metadata.js";
import { bucketRecord } from "../storage/conformance-records.js";
import type { Services } from "../services.js";
import { LOGGING_SETTING, loadLogging } from "../handlers/bucket-logging.js";
import { writeObjectIfAbsent } from "../objects/internal-write.js";
import { AccessLogSpool } from "./spool.js";
import { SqliteSpoolStore } from "./sqlite-spool-store.js";
import { AccessLogWriter } from "./writer.js";
import type { AccessLogEntry } from "./line.js";

const log = pino({ level: "silent" });
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function entry(bucket: string, requestId: string): AccessLogEntry {
  return { remoteIp: "127.0.0.1", at: new Date(), method: "GET", uri: "/k", httpVersion: "1.1", status: 200, sentBytes: 1, requestTimeMs: 1, requestId, operation: "GetObject", bucket, requestLength: 10 };
}

async function setup() {
  const dir = mkdtempSync(join(tmpdir(), "access-log-"));
  dirs.push(dir);
  const meta = new MemoryMetadataStore();
  const services = { meta, blobs: new MemoryBlobStore(), clock: { now: () => new Date() }, log } as unknown as Services;
  for (const name of ["src", "quiet", "logs"]) await meta.createBucket(bucketRecord(name));
  await meta.setBucketSetting("src", LOGGING_SETTING, JSON.stringify({ bucket: "logs", prefix: "access/" }));
  const resolver = async (bucket: string) => ((await loadLogging(meta, bucket)) ? { owner: "owner-1" } : undefined);
  const file = join(dir, "access-log.sqlite");
  const open = () => new AccessLogSpool(new SqliteSpoolStore(file), resolver, log);
  return { meta, services, open };
}

async function logObjects(meta: MemoryMetadataStore): Promise<string[]> {
  return (await meta.listObjects({ bucket: "logs", prefix: "access/", delimiter: "", after: "", maxKeys: 100 })).objects.map((o) => o.key);
}

async function requestIdsIn(services: Services, key: string): Promise<string[]> {
  const object = (await services.meta.getObject("logs", key))!;
  const chunks: Buffer[] = [];
  for (const segment of object.segments) for await (const chunk of services.blobs.read(segment.blobId)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8").trim().split("\n").map((line) => /"(req-\d+)"/.exec(line)![1]!);
}

describe("access-log spool and delivery", () => {
  it("spools only buckets with logging on, delivers one object per bucket under <prefix><bucket>…, each line once", async () => {
    const { meta, services, open } = await setup();
    const spool = open();
    for (let i = 0; i < 5; i++) spool.record(entry(i % 2 ? "quiet" : "src", `req-${i}`));
    assert.equal(await spool.flush(), 3, "the quiet bucket's requests are not spooled");
    const writer = new AccessLogWriter(services, spool, log);
    assert.deepEqual(await writer.runOnce(), { objects: 1, lines: 3, dropped: 0 });
    const keys = await logObjects(meta);
    assert.equal(keys.length, 1);
    assert.match(keys[0]!, /^access\/src\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}-[0-9a-f]{16}$/);
    assert.deepEqual(await requestIdsIn(services, keys[0]!), ["req-0", "req-2", "req-4"]);
    assert.deepEqual(await writer.runOnce(), { objects: 0, lines: 0, dropped: 0 }, "nothing is delivered twice");
    await spool.close();
  });

  it("a process that dies after sealing: the next one delivers the same batch under the same key", async () => {
    const { meta, services, open } = await setup();
    const first = open();
    first.record(entry("src", "req-1"));
    first.record(entry("src", "req-2"));
    await first.flush();
    const sealed = (await first.seal("src", "logs", (u) => `access/src-sealed-${u}`, 100))!;
    await first.close(); // dies before writing the object
    const second = open();
    assert.deepEqual(await second.pendingBatches(), [sealed]);
    second.record(entry("src", "req-3"));
    assert.deepEqual(await new AccessLogWriter(services, second, log).runOnce(), { objects: 2, lines: 3, dropped: 0 });
    const keys = await logObjects(meta);
    assert.ok(keys.includes(sealed.targetKey));
    assert.deepEqual(await requestIdsIn(services, sealed.targetKey), ["req-1", "req-2"]);
    const other = keys.find((k) => k !== sealed.targetKey)!;
    assert.deepEqual(await requestIdsIn(services, other), ["req-3"]);
    await second.close();
  });

  it("a process that dies after writing the object but before forgetting the batch: not written again", async () => {
    const { meta, services, open } = await setup();
    const first = open();
    first.record(entry("src", "req-1"));
    await first.flush();
    const batch = (await first.seal("src", "logs", (u) => `access/src-written-${u}`, 100))!;
    assert.equal(await writeObjectIfAbsent(services, (await meta.getBucket("logs"))!, batch.targetKey, await first.body(batch), "text/plain"), "created");
    const before = (await meta.getObject("logs", batch.targetKey))!;
    await first.close(); // dies before finish()
    const second = open();
    assert.deepEqual(await new AccessLogWriter(services, second, log).runOnce(), { objects: 0, lines: 0, dropped: 0 });
    assert.equal((await second.pendingBatches()).length, 0, "the batch is forgotten");
    assert.deepEqual(await meta.getObject("logs", batch.targetKey), before, "the object was not rewritten");
    assert.deepEqual(await requestIdsIn(services, batch.targetKey), ["req-1"]);
    await second.close();
  });

  it("logging turned off before delivery drops the bucket's lines; a graceful close flushes the buffer", async () => {
    const { meta, services, open } = await setup();
    const spool = open();
    spool.record(entry("src", "req-1"));
    await spool.close(); // flushed on close
    const reopened = open();
    await meta.setBucketSetting("src", LOGGING_SETTING, undefined);
    assert.deepEqual(await new AccessLogWriter(services, reopened, log).runOnce(), { objects: 0, lines: 0, dropped: 1 });
    assert.deepEqual(await logObjects(meta), []);
    await reopened.close();
  });
});
