import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { CreateMultipartUploadCommand, DeleteObjectsCommand, HeadObjectCommand, ListMultipartUploadsCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { cephSkipReason, startCeph, type CephCluster } from "./ceph-test-cluster.js";
import { bytes, chunked, readAll } from "./conformance-blobs.js";
import { runBlobStoreConformance } from "./conformance.js";
import { crc64 } from "./crc64.js";
import { S3BlobStore, type S3BlobStoreOptions } from "./s3-blobs.js";
import { BlobBackendUnavailableError } from "./types.js";

const skip = cephSkipReason();
let cluster: CephCluster | undefined;
const stores: S3BlobStore[] = [];

function connection(): Omit<S3BlobStoreOptions, "prefix"> {
  const env = cluster!.env;
  return {
    endpoint: env.BARBUCKET_S3_ENDPOINT!, bucket: env.BARBUCKET_S3_BUCKET!, region: env.BARBUCKET_S3_REGION!,
    accessKeyId: env.BARBUCKET_S3_ACCESS_KEY_ID!, secretAccessKey: env.BARBUCKET_S3_SECRET_ACCESS_KEY!,
  };
}

/** A store on a prefix of its own (a fresh, empty store per test) with a 5 MiB part size. */
function freshStore(extra: Partial<S3BlobStoreOptions> = {}): S3BlobStore {
  const store = new S3BlobStore({ ...connection(), prefix: `t-${randomBytes(6).toString("hex")}/`, partSize: 5 * 1024 * 1024, orphanGraceMs: 0, ...extra });
  stores.push(store);
  return store;
}

async function unfinishedUploads(store: S3BlobStore): Promise<number> {
  const answer = await store.client.send(new ListMultipartUploadsCommand({ Bucket: store.bucket, Prefix: store.prefix }));
  return answer.Uploads?.length ?? 0;
}

async function emptyPrefix(store: S3BlobStore): Promise<void> {
  await store.cleanupTemp();
  const listed = await store.client.send(new ListObjectsV2Command({ Bucket: store.bucket, Prefix: store.prefix }));
  const keys = (listed.Contents ?? []).map((c) => ({ Key: c.Key! }));
  if (keys.length > 0) await store.client.send(new DeleteObjectsCommand({ Bucket: store.bucket, Delete: { Objects: keys } }));
}

describe("S3BlobStore on a single-node Ceph (RADOS Gateway)", { skip, timeout: 240_000 }, () => {
  before(async () => {
    cluster = await startCeph();
    await freshStore().init(); // creates the bucket
  }, { timeout: 150_000 });
  after(async () => {
    for (const store of stores) store.close();
    await cluster?.stop();
  }, { timeout: 60_000 });

  runBlobStoreConformance("s3 (RADOS Gateway)", async () => {
    const store = freshStore();
    return {
      store,
      cleanup: () => emptyPrefix(store),
      countTemp: () => unfinishedUploads(store),
    };
  });

  describe("S3BlobStore specifics", () => {
    it("writes a multi-part blob, takes its ETag from HeadObject and reads ranges across parts", async () => {
      const store = freshStore();
      const data = bytes(12 * 1024 * 1024 + 123, 21);
      const info = await store.write(chunked(data, 256 * 1024), { expectedSize: data.length });
      assert.equal(info.crc64, crc64(data));
      const head = await store.client.send(new HeadObjectCommand({ Bucket: store.bucket, Key: `${store.prefix}${info.id}` }));
      assert.equal(head.ContentLength, data.length);
      assert.match(head.ETag ?? "", /-3"?$/);
      const boundary = 5 * 1024 * 1024;
      for (const [start, end] of [[boundary - 10, boundary + 10], [0, data.length - 1], [2 * boundary, 2 * boundary]] as const) {
        assert.deepEqual(await readAll(store.read(info.id, { start, end })), data.subarray(start, end + 1));
      }
      assert.equal(await unfinishedUploads(store), 0);
      await emptyPrefix(store);
    });

    it("aborts the multipart upload of a write that fails after its first part", async () => {
      const store = freshStore();
      async function* failsLate(): AsyncGenerator<Buffer> {
        yield* chunked(bytes(11 * 1024 * 1024, 4), 1024 * 1024);
        throw new Error("client went away");
      }
      await assert.rejects(store.write(failsLate()), /client went away/);
      assert.equal(await unfinishedUploads(store), 0);
      const listed: string[] = [];
      for await (const id of store.list()) listed.push(id);
      assert.deepEqual(listed, []);
    });

    it("cleanupTemp aborts unfinished uploads (a crashed write) but leaves those younger than the grace", async () => {
      const store = freshStore();
      const patient = new S3BlobStore({ ...connection(), prefix: store.prefix, orphanGraceMs: 60_000 });
      stores.push(patient);
      await store.client.send(new CreateMultipartUploadCommand({ Bucket: store.bucket, Key: `${store.prefix}${randomBytes(16).toString("hex")}` }));
      assert.equal(await patient.cleanupTemp(), 0);
      assert.equal(await unfinishedUploads(store), 1);
      assert.equal(await store.cleanupTemp(), 1);
      assert.equal(await unfinishedUploads(store), 0);
    });

    it("cleanupTemp leaves alone another node's long write whose parts keep coming (begun before the grace)", async () => {
      const writer = freshStore();
      const sweeper = new S3BlobStore({ ...connection(), prefix: writer.prefix, orphanGraceMs: 3_000 });
      stores.push(sweeper);
      // Parts stored at about 0 s and 3 s, the last one and the completion at about 6 s (margins of a second
      // either way: RGW dates parts and uploads, and its Date header, to the second).
      async function* slowBody(): AsyncGenerator<Buffer> {
        yield bytes(5 * 1024 * 1024);
        await sleep(3_000);
        yield bytes(5 * 1024 * 1024);
        await sleep(3_000);
        yield bytes(1000);
      }
      const writing = writer.write(slowBody());
      await sleep(4_500); // the upload began 4.5 s ago, past the grace; its newest part is about 1.5 s old
      assert.equal(await sweeper.cleanupTemp(), 0);
      const { id, size } = await writing;
      assert.equal(size, 10 * 1024 * 1024 + 1000);
      assert.equal((await readAll(writer.read(id))).length, size);
      await emptyPrefix(writer);
    });

    it("a node whose clock runs an hour ahead still sees another node's fresh blob and upload as fresh (ages on the service's clock)", async () => {
      const store = freshStore();
      const { id } = await store.write(chunked(bytes(100), 10));
      await store.client.send(new CreateMultipartUploadCommand({ Bucket: store.bucket, Key: `${store.prefix}${randomBytes(16).toString("hex")}` }));
      const ahead = new S3BlobStore({ ...connection(), prefix: store.prefix, orphanGraceMs: 60_000, clock: () => Date.now() + 3_600_000 });
      stores.push(ahead);
      assert.equal(await ahead.cleanupTemp(), 0);
      const listed: string[] = [];
      for await (const blob of ahead.list()) listed.push(blob);
      assert.deepEqual(listed, []);
      assert.equal(await unfinishedUploads(store), 1);
      const all: string[] = [];
      for await (const blob of store.list()) all.push(blob);
      assert.deepEqual(all, [id]);
      await emptyPrefix(store);
    });

    it("list() leaves blobs younger than the grace out of orphan collection", async () => {
      const store = freshStore();
      const { id } = await store.write(chunked(bytes(100), 10));
      const patient = new S3BlobStore({ ...connection(), prefix: store.prefix, orphanGraceMs: 60_000 });
      stores.push(patient);
      const young: string[] = [];
      for await (const blob of patient.list()) young.push(blob);
      assert.deepEqual(young, []);
      const all: string[] = [];
      for await (const blob of store.list()) all.push(blob);
      assert.deepEqual(all, [id]);
      await emptyPrefix(store);
    });
  });
});

describe("S3BlobStore with the backend down", () => {
  it("fails writes and reads with BlobBackendUnavailableError (503), quickly", async () => {
    const port = await new Promise<number>((res) => {
      const server = createServer();
      server.listen(0, "127.0.0.1", () => {
        const address = server.address() as { port: number };
        server.close(() => res(address.port));
      });
    });
    const store = new S3BlobStore({ endpoint: `http://127.0.0.1:${port}`, bucket: "b", region: "default", accessKeyId: "a", secretAccessKey: "s", orphanGraceMs: 0 });
    try {
      const started = Date.now();
      await assert.rejects(store.write(chunked(bytes(10), 5)), BlobBackendUnavailableError);
      await assert.rejects(readAll(store.read("0".repeat(32))), BlobBackendUnavailableError);
      await assert.rejects(store.init(), BlobBackendUnavailableError);
      assert.ok(Date.now() - started < 20_000);
    } finally {
      store.close();
    }
  });
});
