import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { pino } from "pino";
import type { Clock } from "../clock.js";
import type { EarlyDeletionUsage, UsageMeter } from "../metering/types.js";
import { MemoryBlobStore } from "../storage/memory-blobs.js";
import { MemoryMetadataStore } from "../storage/memory-metadata.js";
import { bucketRecord, objectRecord, uploadRecord, partRecord } from "../storage/conformance-records.js";
import type { ObjectRecord, StorageClass } from "../storage/types.js";
import { LifecycleRunner } from "./runner.js";
import { LIFECYCLE_SETTING, parseLifecycle } from "./rules.js";

const DAY = 86_400_000;
const T0 = Date.parse("2025-01-01T00:00:00Z");

class FakeClock implements Clock {
  constructor(public ms = T0) {}
  now(): Date {
    return new Date(this.ms);
  }
  days(n: number): void {
    this.ms += n * DAY;
  }
}

async function setup(rulesXml: string, pageSize = 2) {
  const meta = new MemoryMetadataStore();
  const blobs = new MemoryBlobStore();
  const clock = new FakeClock();
  const early: EarlyDeletionUsage[] = [];
  const meter: UsageMeter = { recordRequest: () => undefined, recordEarlyDeletion: (u) => void early.push(u), close: async () => undefined };
  await meta.createBucket(bucketRecord("b"));
  await meta.setBucketSetting("b", LIFECYCLE_SETTING, JSON.stringify(parseLifecycle(Buffer.from(`<LifecycleConfiguration>${rulesXml}</LifecycleConfiguration>`))));
  const runner = new LifecycleRunner({ meta, blobs, clock, meter, log: pino({ level: "silent" }), buckets: async () => await meta.listBuckets("owner-1"), pageSize });
  const put = async (key: string, storageClass: StorageClass = "Standard", size = 10): Promise<ObjectRecord> => {
    const record = { ...objectRecord("b", key), storageClass, size, lastModified: clock.now(), classSince: clock.now() };
    await meta.putObject(record);
    return record;
  };
  const classOf = async (key: string) => (await meta.getObject("b", key))?.storageClass;
  return { meta, clock, early, runner, put, classOf };
}

const rule = (id: string, prefix: string, body: string) => `<Rule><ID>${id}</ID><Prefix>${prefix}</Prefix><Status>Enabled</Status>${body}</Rule>`;
const tr = (days: number, cls: string) => `<Transition><Days>${days}</Days><StorageClass>${cls}</StorageClass></Transition>`;

describe("lifecycle runner", () => {
  it("transitions step by step as days pass, over several listing pages, and expires at the end", async () => {
    const t = await setup(rule("logs", "logs/", `${tr(30, "IA")}${tr(90, "Archive")}<Expiration><Days>200</Days></Expiration>`));
    for (let i = 0; i < 5; i++) await t.put(`logs/${i}`);
    await t.put("other/x");
    assert.equal((await t.runner.runOnce()).transitioned, 0);
    t.clock.days(30);
    assert.equal((await t.runner.runOnce()).transitioned, 5);
    assert.equal(await t.classOf("logs/4"), "IA");
    assert.deepEqual((await t.meta.getObject("b", "logs/0"))?.classSince, t.clock.now());
    t.clock.days(60);
    assert.equal((await t.runner.runOnce()).transitioned, 5);
    assert.equal(await t.classOf("logs/0"), "Archive");
    assert.equal(t.early.length, 0, "IA held exactly its 30 days");
    t.clock.days(110);
    const report = await t.runner.runOnce();
    assert.equal(report.expired, 5);
    assert.equal(await t.meta.countObjects("b"), 1);
    assert.equal(await t.classOf("other/x"), "Standard");
    // Archive since day 90, expired at day 200: 110 of 60 days → nothing owed.
    assert.equal(t.early.length, 0);
  });

  it("jumps straight to the coldest due class after downtime (catch-up) and records early deletion", async () => {
    const t = await setup(rule("r", "", `${tr(10, "IA")}${tr(20, "ColdArchive")}`));
    await t.put("k", "IA", 1000); // IA from day 0, 30-day minimum
    t.clock.days(25);
    assert.equal((await t.runner.runOnce()).transitioned, 1);
    assert.equal(await t.classOf("k"), "ColdArchive");
    assert.deepEqual(t.early, [{ at: t.clock.now(), bucket: "b", storageClass: "IA", byteHours: 64 * 1024 * 5 * 24 }]);
  });

  it("never moves an object to a warmer class", async () => {
    const t = await setup(rule("r", "", `${tr(10, "IA")}`));
    await t.put("cold", "Archive");
    t.clock.days(11);
    assert.equal((await t.runner.runOnce()).transitioned, 0);
    assert.equal(await t.classOf("cold"), "Archive");
  });

  it("drops a restored copy on transition and ignores Disabled rules", async () => {
    const t = await setup(rule("r", "a/", `${tr(1, "DeepColdArchive")}`) + `<Rule><ID>off</ID><Prefix>b/</Prefix><Status>Disabled</Status><Expiration><Days>1</Days></Expiration></Rule>`);
    const restore = { requestedAt: t.clock.now(), readyAt: t.clock.now(), expiresAt: new Date(T0 + 10 * DAY), tier: "Standard" };
    await t.meta.putObject({ ...objectRecord("b", "a/x"), storageClass: "ColdArchive", lastModified: t.clock.now(), restore });
    await t.put("b/y");
    t.clock.days(2);
    await t.runner.runOnce();
    const moved = (await t.meta.getObject("b", "a/x"))!;
    assert.equal(moved.storageClass, "DeepColdArchive");
    assert.equal(moved.restore, undefined);
    assert.ok(await t.meta.getObject("b", "b/y"));
  });

  it("aborts multipart uploads older than the rule and releases their parts", async () => {
    const t = await setup(rule("u", "tmp/", "<AbortMultipartUpload><Days>3</Days></AbortMultipartUpload>"));
    const old = { ...uploadRecord("b", "tmp/old"), initiated: t.clock.now() };
    await t.meta.createUpload(old);
    await t.meta.putPart(partRecord(old.uploadId, 1));
    t.clock.days(2);
    const young = { ...uploadRecord("b", "tmp/young"), initiated: t.clock.now() };
    await t.meta.createUpload(young);
    await t.meta.createUpload({ ...uploadRecord("b", "elsewhere"), initiated: new Date(T0) });
    t.clock.days(1);
    assert.equal((await t.runner.runOnce()).abortedUploads, 1);
    assert.equal(await t.meta.getUpload("b", old.uploadId), undefined);
    assert.ok(await t.meta.getUpload("b", young.uploadId));
    assert.equal((await t.meta.referencedBlobIds()).size, 0);
  });

  it("coalesces concurrent runs", async () => {
    const t = await setup(rule("r", "", "<Expiration><Days>1</Days></Expiration>"));
    await t.put("k");
    t.clock.days(1);
    const [a, b] = [t.runner.runOnce(), t.runner.runOnce()];
    assert.equal(a, b);
    assert.equal((await a).expired, 1);
  });
});

describe("lifecycle runner under a lease (several processes)", () => {
  it("skips a run while another owner holds the lease, runs once it is free", async () => {
    const { mkdtemp, rm } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const { SqliteMetadataStore } = await import("../storage/sqlite-metadata.js");
    const dir = await mkdtemp(join(tmpdir(), "barbucket-lease-"));
    const store = SqliteMetadataStore.open(dir, { synchronous: "OFF" });
    try {
      const t = await setup(rule("all", "", "<Expiration><Days>1</Days></Expiration>"));
      await t.put("x");
      t.clock.days(2);
      const leased = new LifecycleRunner({ meta: t.meta, blobs: new MemoryBlobStore(), clock: t.clock, meter: { recordRequest: () => undefined, recordEarlyDeletion: () => undefined, close: async () => undefined }, log: pino({ level: "silent" }), buckets: async () => await t.meta.listBuckets("owner-1"), leases: store.leases });
      assert.equal(await store.leases.acquire("lifecycle", "another-process", 60_000), true);
      const skipped = await leased.runOnce();
      assert.equal(skipped.skipped, true);
      assert.equal(skipped.expired, 0);
      assert.ok(await t.meta.getObject("b", "x"), "nothing done while the other holds the lease");
      await store.leases.release("lifecycle", "another-process");
      const ran = await leased.runOnce();
      assert.equal(ran.skipped, undefined);
      assert.equal(ran.expired, 1);
      assert.equal(await store.leases.holder("lifecycle"), undefined, "released after the run");
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
