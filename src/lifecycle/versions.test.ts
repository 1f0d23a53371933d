import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { pino } from "pino";
import type { UsageMeter } from "../metering/types.js";
import { MemoryBlobStore } from "../storage/memory-blobs.js";
import { SqliteMetadataStore } from "../storage/sqlite-metadata.js";
import { blobId, bucketRecord, objectRecord } from "../storage/conformance-records.js";
import { entryVersionId } from "../storage/sqlite-versions.js";
import { LifecycleRunner } from "./runner.js";
import { LIFECYCLE_SETTING, parseLifecycle } from "./rules.js";

const DAY = 86_400_000;
const root = await mkdtemp(join(tmpdir(), "barbucket-lifecycle-versions-"));
after(() => rm(root, { recursive: true, force: true }));
let counter = 0;

async function setup(rulesXml: string) {
  const dir = join(root, `${++counter}`);
  mkdirSync(dir);
  const meta = SqliteMetadataStore.open(dir, { synchronous: "OFF" });
  await meta.createBucket(bucketRecord("b"));
  await meta.setBucketSetting("b", "versioning", "Enabled");
  await meta.setBucketSetting("b", LIFECYCLE_SETTING, JSON.stringify(parseLifecycle(Buffer.from(`<LifecycleConfiguration>${rulesXml}</LifecycleConfiguration>`))));
  const clock = { ms: Date.now(), now() { return new Date(this.ms); } };
  const meter: UsageMeter = { recordRequest: () => undefined, recordEarlyDeletion: () => undefined, close: async () => undefined };
  const runner = new LifecycleRunner({ meta, blobs: new MemoryBlobStore(), clock, meter, log: pino({ level: "silent" }), buckets: async () => await meta.listBuckets("owner-1"), pageSize: 2 });
  const versions = async () => (await meta.listObjectVersions({ bucket: "b", prefix: "", delimiter: "", keyMarker: "", versionIdMarker: "", maxKeys: 100 })).entries;
  // a write's time is when the version it replaces stopped being current
  const put = async (key: string) => await meta.putObject({ ...objectRecord("b", key, [blobId()]), lastModified: clock.now() });
  return { meta, clock, runner, versions, put };
}

const rule = (body: string, prefix = "p/") => `<Rule><ID>r</ID><Prefix>${prefix}</Prefix><Status>Enabled</Status>${body}</Rule>`;

describe("lifecycle versioning actions", () => {
  it("moves noncurrent versions colder, then removes them, over several pages; the current ones stay", async () => {
    const t = await setup(rule(
      "<NoncurrentVersionTransition><NoncurrentDays>10</NoncurrentDays><StorageClass>IA</StorageClass></NoncurrentVersionTransition>" +
        "<NoncurrentVersionExpiration><NoncurrentDays>30</NoncurrentDays></NoncurrentVersionExpiration>",
    ));
    for (const key of ["p/a", "p/b", "p/c", "q/x"]) {
      await t.put(key);
      await t.put(key);
    }
    t.clock.ms += 9 * DAY;
    assert.equal((await t.runner.runOnce()).noncurrentTransitioned, 0);
    t.clock.ms += 2 * DAY;
    const moved = await t.runner.runOnce();
    assert.equal(moved.noncurrentTransitioned, 3);
    const old = (await t.versions()).filter((e) => e.kind === "version" && !e.isLatest);
    assert.deepEqual(old.map((e) => e.kind === "version" && `${e.record.key}:${e.record.storageClass}`), ["p/a:IA", "p/b:IA", "p/c:IA", "q/x:Standard"]);
    assert.ok((await t.versions()).every((e) => e.kind !== "version" || !e.isLatest || e.record.storageClass === "Standard"), "current versions are not touched");
    t.clock.ms += 20 * DAY;
    assert.equal((await t.runner.runOnce()).noncurrentExpired, 3);
    assert.deepEqual((await t.versions()).map((e) => e.kind === "version" && `${e.record.key}${e.isLatest ? "*" : ""}`), ["p/a*", "p/b*", "p/c*", "q/x*", "q/x"]);
    await t.meta.close();
  });

  it("removes a delete marker once it is its key's only version (ExpiredObjectDeleteMarker)", async () => {
    const t = await setup(rule(
      "<Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration>" +
        "<NoncurrentVersionExpiration><NoncurrentDays>1</NoncurrentDays></NoncurrentVersionExpiration>",
    ));
    for (const key of ["p/gone", "p/kept"]) await t.put(key);
    await t.meta.deleteObject("b", "p/gone", { now: t.clock.now() });
    await t.meta.deleteObject("b", "p/kept", { now: t.clock.now() });
    assert.equal((await t.runner.runOnce()).deleteMarkersRemoved, 0, "each marker still has a noncurrent version behind it");
    t.clock.ms += 2 * DAY;
    const first = await t.runner.runOnce();
    assert.equal(first.noncurrentExpired, 2);
    assert.equal(first.deleteMarkersRemoved + (await t.runner.runOnce()).deleteMarkersRemoved, 2, "the markers left alone go (this run or the next)");
    assert.deepEqual((await t.versions()).map(entryVersionId), []);
    await t.meta.close();
  });
});
