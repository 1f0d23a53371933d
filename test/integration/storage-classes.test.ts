/**
 * Storage classes end to end with the real ali-oss (V1 and V4): classes on put/head/list, archive
 * reads refused until restored, the restore flow on the test clock, archive direct read and its
 * metering, lifecycle transitions/expirations run on demand, rule validation, early deletion.
 *
 * The server runs with BARBUCKET_TEST_CLOCK=1 (admin POST /clock?advanceMs=, POST /lifecycle/run)
 * and BARBUCKET_RESTORE_DELAY_MS=300, so a restore completes 300 ms (real time) after it is asked.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { startServer, type TestServer } from "./harness.js";
import { ossClient, ossError, type AliOssClient } from "./ali-oss.js";
import { errorCode, rawRequest } from "./raw-client.js";
import { popClient, rpc } from "./pop.js";
import { createRequire } from "node:module";
import type { UsageReport } from "../../src/metering/report.js";

const QRCode = createRequire(import.meta.url)("qrcode") as { toBuffer(text: string, options: Record<string, unknown>): Promise<Buffer> };
const DAY = 86_400_000;
const RESTORE_DELAY_MS = 300;
const CLASSES = ["Standard", "IA", "Archive", "ColdArchive", "DeepColdArchive"] as const;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function admin(server: TestServer, method: string, path: string): Promise<Record<string, unknown>> {
  const res = await fetch(`http://127.0.0.1:${server.adminPort}${path}`, { method });
  assert.equal(res.status, 200, `${method} ${path}`);
  return (await res.json()) as Record<string, unknown>;
}
const advance = (server: TestServer, ms: number) => admin(server, "POST", `/clock?advanceMs=${ms}`);
const runLifecycle = (server: TestServer) => admin(server, "POST", "/lifecycle/run");

/** A usage total for one bucket over all time (the test clock may be far ahead of the wall clock). */
async function usageTotal(server: TestServer, bucket: string, item: string, dimension: string): Promise<number> {
  // /usage spans at most 3 years: from yesterday to two years ahead covers every test-clock jump here.
  const [from, to] = [Date.now() - DAY, Date.now() + 730 * DAY];
  const res = await fetch(`http://127.0.0.1:${server.adminPort}/usage?bucket=${bucket}&from=${from}&to=${to}`);
  const report = (await res.json()) as UsageReport;
  return report.totals.find((t) => t.item === item && t.dimension === dimension)?.quantity ?? 0;
}

/** Polls (bounded) until `read` returns the expected value: requests are metered when their response closes. */
async function eventually<T>(read: () => Promise<T>, expected: T, what: string): Promise<void> {
  let last: T | undefined;
  for (let i = 0; i < 50; i++) {
    last = await read();
    if (last === expected) return;
    await sleep(100);
  }
  assert.equal(last, expected, what);
}

for (const v4 of [false, true]) {
  describe(`storage classes with ali-oss ${v4 ? "V4" : "V1"}`, () => {
    let server: TestServer;
    let oss: AliOssClient;
    const suffix = v4 ? "v4" : "v1";
    const client = (bucket: string): AliOssClient => ossClient(server, { bucket, v4 });

    before(async () => {
      server = await startServer({ env: { BARBUCKET_TEST_CLOCK: "1", BARBUCKET_RESTORE_DELAY_MS: String(RESTORE_DELAY_MS) } });
      oss = ossClient(server, { v4 });
    });
    after(async () => {
      await server.stop();
      server.cleanup();
    });

    it("stores each class (put, copy, multipart, bucket default) and shows it on head and list", async () => {
      const bucket = `classes-${suffix}`;
      await oss.putBucket(bucket);
      const c = client(bucket);
      for (const storageClass of CLASSES) {
        await c.put(`obj-${storageClass}`, Buffer.from(storageClass), { headers: { "x-oss-storage-class": storageClass } });
        const head = await c.head(`obj-${storageClass}`);
        assert.equal(head.res.headers["x-oss-storage-class"], storageClass);
        assert.equal(head.res.headers["x-oss-restore"], undefined);
      }
      const listed = await c.list({ "max-keys": 100 });
      assert.deepEqual(Object.fromEntries(listed.objects.map((o: { name: string; storageClass: string }) => [o.name, o.storageClass])),
        Object.fromEntries(CLASSES.map((s) => [`obj-${s}`, s])));
      await c.copy("copied", "obj-Standard", { headers: { "x-oss-storage-class": "ColdArchive" } });
      assert.equal((await c.head("copied")).res.headers["x-oss-storage-class"], "ColdArchive");
      const upload = await c.initMultipartUpload("multi", { headers: { "x-oss-storage-class": "IA" } });
      const part = await c.uploadPart("multi", upload.uploadId, 1, Buffer.from("part"), 0, 4);
      await c.completeMultipartUpload("multi", upload.uploadId, [{ number: 1, etag: part.etag }]);
      assert.equal((await c.head("multi")).res.headers["x-oss-storage-class"], "IA");
      const coldBucket = `cold-default-${suffix}`;
      await oss.putBucket(coldBucket, { StorageClass: "Archive" });
      await client(coldBucket).put("x", Buffer.from("x"));
      assert.equal((await client(coldBucket).head("x")).res.headers["x-oss-storage-class"], "Archive");
      const bad = await ossError(() => c.put("bad", Buffer.from("x"), { headers: { "x-oss-storage-class": "Glacier" } }));
      assert.equal(bad.code, "InvalidArgument");
    });

    it("refuses GET of unrestored archive objects with InvalidObjectState; IA and Standard read", async () => {
      const c = client(`classes-${suffix}`);
      for (const storageClass of ["Archive", "ColdArchive", "DeepColdArchive"]) {
        const error = await ossError(() => c.get(`obj-${storageClass}`));
        assert.equal(error.code, "InvalidObjectState", storageClass);
        assert.equal(error.status, 403);
      }
      assert.equal((await c.get("obj-IA")).content.toString(), "IA");
      assert.equal((await c.get("obj-Standard")).content.toString(), "Standard");
      const copy = await ossError(() => c.copy("from-archive", "obj-Archive"));
      assert.equal(copy.code, "InvalidObjectState");
    });

    it("restores: 202, ongoing header, 409 while ongoing, readable when done, 200 extends, lapses after Days", async () => {
      const bucket = `restore-${suffix}`;
      await oss.putBucket(bucket);
      const c = client(bucket);
      await c.put("cold", Buffer.from("frozen bytes"), { headers: { "x-oss-storage-class": "ColdArchive" } });
      const first = await c.restore("cold", { type: "ColdArchive", Days: 2, JobParameters: "Expedited" });
      assert.equal(first.res.status, 202);
      assert.equal(first.res.headers["x-oss-object-restore-priority"], "Expedited");
      assert.equal((await c.head("cold")).res.headers["x-oss-restore"], 'ongoing-request="true"');
      const again = await ossError(() => c.restore("cold", { type: "ColdArchive", Days: 2 }));
      assert.equal(again.code, "RestoreAlreadyInProgress");
      assert.equal(again.status, 409);
      assert.equal((await ossError(() => c.get("cold"))).code, "InvalidObjectState");

      await sleep(RESTORE_DELAY_MS + 100);
      const restored = (await c.head("cold")).res.headers["x-oss-restore"] as string;
      const expiry = /^ongoing-request="false", expiry-date="([^"]+)"$/.exec(restored);
      assert.ok(expiry, restored);
      const now = Date.parse(String((await admin(server, "GET", "/clock")).now));
      assert.ok(Math.abs(Date.parse(expiry[1]!) - (now + 2 * DAY)) < 5000, `expiry ${expiry[1]} ≈ now + 2 days`);
      assert.equal((await c.get("cold")).content.toString(), "frozen bytes");
      const listed = (await c.list({ prefix: "cold" })).objects[0];
      assert.equal(listed.restoreInfo.ongoingRequest, false);
      assert.equal(listed.restoreInfo.expiryDate.getTime(), Date.parse(expiry[1]!));

      // Already restored: 200 and the expiry moves to now + Days (ali-oss only accepts 202, so raw).
      await advance(server, DAY);
      const extend = await rawRequest(server.ossPort, { method: "POST", bucket, key: "cold", query: [["restore", ""]], body: "<RestoreRequest><Days>3</Days></RestoreRequest>" });
      assert.equal(extend.status, 200);
      const extended = /expiry-date="([^"]+)"/.exec((await c.head("cold")).res.headers["x-oss-restore"] as string)![1]!;
      assert.ok(Date.parse(extended) > Date.parse(expiry[1]!));

      await advance(server, 3 * DAY + 60_000);
      assert.equal((await c.head("cold")).res.headers["x-oss-restore"], undefined);
      assert.equal((await ossError(() => c.get("cold"))).code, "InvalidObjectState");
    });

    it("rejects restore of non-archive objects and bad restore requests", async () => {
      const bucket = `restore-${suffix}`;
      const c = client(bucket);
      await c.put("plain", Buffer.from("x"));
      const error = await ossError(() => c.restore("plain"));
      assert.equal(error.code, "OperationNotSupported");
      assert.equal(error.status, 400);
      assert.equal((await ossError(() => c.restore("missing"))).code, "NoSuchKey");
      await c.put("deep", Buffer.from("x"), { headers: { "x-oss-storage-class": "DeepColdArchive" } });
      await c.put("arch", Buffer.from("x"), { headers: { "x-oss-storage-class": "Archive" } });
      const send = (key: string, body: string) => rawRequest(server.ossPort, { method: "POST", bucket, key, query: [["restore", ""]], body });
      assert.equal(errorCode(await send("deep", "<RestoreRequest><Days>1</Days><JobParameters><Tier>Bulk</Tier></JobParameters></RestoreRequest>")), "InvalidArgument");
      assert.equal(errorCode(await send("arch", "<RestoreRequest><Days>8</Days></RestoreRequest>")), "InvalidArgument");
      assert.equal(errorCode(await send("arch", "<RestoreRequest><Days>0</Days></RestoreRequest>")), "InvalidArgument");
      assert.equal(errorCode(await send("arch", "<RestoreRequest><Days>1</Days><OutputLocation/></RestoreRequest>")), "MalformedXML");
      // ali-oss restore(type: ColdArchive) sends JobParameters; an Archive object refuses them.
      assert.equal((await ossError(() => c.restore("arch", { type: "ColdArchive" }))).code, "MalformedXML");
      assert.equal((await c.head("arch")).res.headers["x-oss-restore"], undefined, "refused requests change nothing");
      const deep = await c.restore("deep", { type: "DeepColdArchive", Days: 3, JobParameters: "Expedited" });
      assert.equal(deep.res.headers["x-oss-object-restore-priority"], "Expedited");
      const archive = await c.restore("arch");
      assert.equal(archive.res.headers["x-oss-object-restore-priority"], undefined, "Archive restores have no priority");
      assert.equal(archive.res.status, 202);
    });

    it("archive direct read: GET works on Archive (not ColdArchive) and is metered as direct-read retrieval", async () => {
      const bucket = `direct-${suffix}`;
      await oss.putBucket(bucket);
      const c = client(bucket);
      const body = Buffer.alloc(5000, 7);
      await c.put("arch", body, { headers: { "x-oss-storage-class": "Archive" } });
      await c.put("cold", body, { headers: { "x-oss-storage-class": "ColdArchive" } });
      const config = (enabled: string) => `<ArchiveDirectReadConfiguration><Enabled>${enabled}</Enabled></ArchiveDirectReadConfiguration>`;
      const get = () => rawRequest(server.ossPort, { method: "GET", bucket, query: [["bucketArchiveDirectRead", ""]] });
      assert.match((await get()).body, /<Enabled>false<\/Enabled>/);
      assert.equal((await ossError(() => c.get("arch"))).code, "InvalidObjectState");
      const put = await rawRequest(server.ossPort, { method: "PUT", bucket, query: [["bucketArchiveDirectRead", ""]], body: config("true") });
      assert.equal(put.status, 200);
      assert.match((await get()).body, /<Enabled>true<\/Enabled>/);
      assert.deepEqual((await c.get("arch")).content, body);
      assert.equal((await ossError(() => c.get("cold"))).code, "InvalidObjectState");
      await eventually(() => usageTotal(server, bucket, "RetrievalBytes", "archive_direct_read"), 5000, "direct-read retrieval bytes");
      const bad = await rawRequest(server.ossPort, { method: "PUT", bucket, query: [["bucketArchiveDirectRead", ""]], body: config("maybe") });
      assert.equal(errorCode(bad), "MalformedXML");
    });

    it("image/codes reads an Archive object only through archive direct read, metered as the whole source", async () => {
      const bucket = `codes-${suffix}`;
      await oss.putBucket(bucket);
      const imm = popClient(server, "2020-09-30");
      await rpc(imm, "CreateProject", { ProjectName: `archive-${suffix}` });
      await rpc(imm, "AttachOSSBucket", { ProjectName: `archive-${suffix}`, OSSBucket: bucket });
      const c = client(bucket);
      const png = await QRCode.toBuffer("https://example.com/archived", { margin: 4, scale: 6 });
      await c.put("qr.png", png, { headers: { "x-oss-storage-class": "Archive" } });
      const refused = await ossError(() => c.get("qr.png", { process: "image/codes" }));
      assert.equal(refused.code, "InvalidObjectState");
      const body = "<ArchiveDirectReadConfiguration><Enabled>true</Enabled></ArchiveDirectReadConfiguration>";
      assert.equal((await rawRequest(server.ossPort, { method: "PUT", bucket, query: [["bucketArchiveDirectRead", ""]], body })).status, 200);
      const scanned = await c.get("qr.png", { process: "image/codes" });
      assert.match(scanned.content.toString(), /https:\/\/example\.com\/archived/);
      await eventually(() => usageTotal(server, bucket, "RetrievalBytes", "archive_direct_read"), png.length, "image/codes direct-read retrieval = source size");
    });

    it("lifecycle: rules round-trip, transitions and expirations happen as the clock passes, uploads are aborted", async () => {
      const bucket = `lifecycle-${suffix}`;
      await oss.putBucket(bucket);
      const c = client(bucket);
      assert.equal((await ossError(() => c.getBucketLifecycle(bucket))).code, "NoSuchLifecycle");
      await c.putBucketLifecycle(bucket, [
        { id: "logs", prefix: "logs/", status: "Enabled", transition: { days: 30, storageClass: "IA" }, expiration: { days: 400 } },
        { id: "tmp", prefix: "tmp/", status: "Enabled", expiration: { days: 1 }, abortMultipartUpload: { days: 1 } },
        { id: "off", prefix: "keep/", status: "Disabled", expiration: { days: 1 } },
      ]);
      const got = await c.getBucketLifecycle(bucket);
      assert.deepEqual(got.rules.map((r: { id: string; prefix: string; status: string }) => [r.id, r.prefix, r.status]),
        [["logs", "logs/", "Enabled"], ["tmp", "tmp/", "Enabled"], ["off", "keep/", "Disabled"]]);
      assert.deepEqual(got.rules[0].transition, { days: "30", storageClass: "IA" });
      for (const key of ["logs/a", "tmp/b", "keep/c"]) await c.put(key, Buffer.from(key));
      const upload = await c.initMultipartUpload("tmp/upload");

      await advance(server, 2 * DAY);
      const first = await runLifecycle(server);
      assert.equal(first.expired, 1);
      assert.equal(first.abortedUploads, 1);
      assert.equal((await ossError(() => c.head("tmp/b"))).status, 404);
      assert.equal((await ossError(() => c.listParts("tmp/upload", upload.uploadId))).code, "NoSuchUpload");
      assert.equal((await c.head("keep/c")).status, 200, "disabled rule does nothing");
      assert.equal((await c.head("logs/a")).res.headers["x-oss-storage-class"], "Standard");

      await advance(server, 29 * DAY);
      assert.equal((await runLifecycle(server)).transitioned, 1);
      assert.equal((await c.head("logs/a")).res.headers["x-oss-storage-class"], "IA");
      assert.equal((await runLifecycle(server)).transitioned, 0, "a second run finds nothing to do");

      await c.deleteBucketLifecycle(bucket);
      assert.equal((await ossError(() => c.getBucketLifecycle(bucket))).code, "NoSuchLifecycle");
    });

    it("lifecycle: conflicting or invalid rules are rejected and the stored rules stay", async () => {
      const bucket = `lifecycle-bad-${suffix}`;
      await oss.putBucket(bucket);
      const c = client(bucket);
      await c.putBucketLifecycle(bucket, [{ id: "keep", prefix: "a/", status: "Enabled", expiration: { days: 10 } }]);
      const overlap = await ossError(() => c.putBucketLifecycle(bucket, [
        { id: "r1", prefix: "logs/", status: "Enabled", expiration: { days: 10 } },
        { id: "r2", prefix: "logs/2024/", status: "Enabled", expiration: { days: 20 } },
      ]));
      assert.equal(overlap.code, "InvalidArgument");
      assert.equal(overlap.status, 400);
      const put = (rule: string) => rawRequest(server.ossPort, { method: "PUT", bucket, query: [["lifecycle", ""]], body: `<LifecycleConfiguration>${rule}</LifecycleConfiguration>` });
      const warmerLater = "<Rule><ID>x</ID><Prefix>p/</Prefix><Status>Enabled</Status><Transition><Days>60</Days><StorageClass>IA</StorageClass></Transition><Transition><Days>30</Days><StorageClass>Archive</StorageClass></Transition></Rule>";
      assert.equal(errorCode(await put(warmerLater)), "InvalidArgument");
      assert.equal(errorCode(await put("<Rule><Prefix>p/</Prefix><Status>Enabled</Status><Expiration><Days>0</Days></Expiration></Rule>")), "InvalidArgument");
      assert.equal(errorCode(await put("<Rule><Prefix>p/</Prefix><Status>Enabled</Status><Transition><Days>5</Days><StorageClass>Standard</StorageClass></Transition></Rule>")), "InvalidArgument");
      assert.equal(errorCode(await put("<Rule><Prefix>p/</Prefix><Status>Enabled</Status><Transition><Days>9</Days><StorageClass>IA</StorageClass></Transition><Expiration><Days>5</Days></Expiration></Rule>")), "InvalidArgument");
      assert.equal(errorCode(await put("<Rule><Prefix>p/</Prefix><Status>On</Status><Expiration><Days>5</Days></Expiration></Rule>")), "InvalidArgument");
      assert.equal(errorCode(await put("<Rule><Prefix>p/</Prefix><Status>Enabled</Status></Rule>")), "InvalidArgument");
      assert.equal(errorCode(await put("<Rule><Prefix>p/")), "MalformedXML");
      assert.deepEqual((await c.getBucketLifecycle(bucket)).rules.map((r: { id: string }) => r.id), ["keep"]);
    });

    it("records early deletion for objects removed before their class's minimum duration", async () => {
      const bucket = `early-${suffix}`;
      await oss.putBucket(bucket);
      const c = client(bucket);
      const size = 100 * 1024;
      await c.put("ia", Buffer.alloc(size), { headers: { "x-oss-storage-class": "IA" } });
      await c.delete("ia"); // 30 days minimum, deleted at once: 720 hours left
      await c.put("small-archive", Buffer.alloc(10), { headers: { "x-oss-storage-class": "Archive" } });
      await advance(server, 20 * DAY);
      await c.put("small-archive", Buffer.alloc(10)); // overwritten after 20 of 60 days; billed at 64 KB
      await c.put("old-ia", Buffer.alloc(size), { headers: { "x-oss-storage-class": "IA" } });
      await advance(server, 31 * DAY);
      await c.delete("old-ia"); // past its minimum: nothing owed
      await eventually(() => usageTotal(server, bucket, "EarlyDeletion", "IA"), size * 720, "IA early deletion byte-hours");
      await eventually(() => usageTotal(server, bucket, "EarlyDeletion", "Archive"), 64 * 1024 * 40 * 24, "Archive early deletion byte-hours");
    });
  });
}
