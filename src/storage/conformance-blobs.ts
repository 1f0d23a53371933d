/** BlobStore half of the conformance suite (see conformance.ts). */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { getEventListeners } from "node:events";
import { Readable } from "node:stream";
import { describe, it } from "node:test";
import { crc64 } from "./crc64.js";
import { BlobSizeMismatchError, BlobTooLargeError, type BlobStore } from "./types.js";

export interface BlobStoreFixture {
  readonly store: BlobStore;
  readonly cleanup: () => Promise<void>;
  /** Number of temp files / in-flight buffers the backend holds (0 once every write settled). */
  readonly countTemp?: () => Promise<number>;
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function* chunked(data: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

/** Deterministic pseudo-random bytes. */
export function bytes(length: number, seed = 1): Buffer {
  const out = Buffer.allocUnsafe(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

async function listIds(store: BlobStore): Promise<string[]> {
  const ids: string[] = [];
  for await (const id of store.list()) ids.push(id);
  return ids.sort();
}

export function runBlobStoreConformance(name: string, makeStore: () => Promise<BlobStoreFixture>): void {
  describe(`BlobStore conformance: ${name}`, () => {
    /** Runs `body` on a fresh store and always cleans up. */
    const withStore = (body: (fixture: BlobStoreFixture) => Promise<void>) => async () => {
      const fixture = await makeStore();
      try {
        await body(fixture);
      } finally {
        await fixture.cleanup();
      }
    };

    /** After a failed write: nothing listed, no temp file. */
    const assertNothingLeft = async (fixture: BlobStoreFixture, before: string[]) => {
      assert.deepEqual(await listIds(fixture.store), before);
      if (fixture.countTemp) assert.equal(await fixture.countTemp(), 0);
    };

    it("writes from an async iterable and reports size, MD5 and CRC-64", withStore(async ({ store }) => {
      const data = bytes(300_000, 7);
      const info = await store.write(chunked(data, 17_000));
      assert.match(info.id, /^[0-9a-f]{32}$/);
      assert.equal(info.size, data.length);
      assert.deepEqual(info.md5, createHash("md5").update(data).digest());
      assert.equal(info.crc64, crc64(data));
      assert.deepEqual(await readAll(store.read(info.id)), data);
      assert.deepEqual(await listIds(store), [info.id]);
    }));

    it("writes from a Readable", withStore(async ({ store }) => {
      const data = bytes(70_000, 3);
      const info = await store.write(Readable.from(chunked(data, 4096)));
      assert.deepEqual(await readAll(store.read(info.id)), data);
    }));

    it("stores an empty blob", withStore(async ({ store }) => {
      const info = await store.write(chunked(Buffer.alloc(0), 1), { expectedSize: 0 });
      assert.equal(info.size, 0);
      assert.equal(info.crc64, 0n);
      assert.equal(info.md5.toString("hex"), "d41d8cd98f00b204e9800998ecf8427e");
      assert.equal((await readAll(store.read(info.id))).length, 0);
    }));

    it("does not depend on the producer keeping chunk memory intact after yielding it", withStore(async ({ store }) => {
      const data = bytes(200_000, 11);
      async function* reusing(): AsyncGenerator<Buffer> {
        const scratch = Buffer.alloc(1000);
        for (let i = 0; i < data.length; i += 1000) {
          data.copy(scratch, 0, i, i + 1000);
          yield scratch;
          scratch.fill(0xee);
        }
      }
      const info = await store.write(reusing());
      assert.equal(info.crc64, crc64(data));
      assert.deepEqual(await readAll(store.read(info.id)), data);
    }));

    it("keeps byte order when tiny and multi-MiB chunks alternate", withStore(async ({ store }) => {
      const data = bytes(7_500_000, 13);
      async function* mixed(): AsyncGenerator<Buffer> {
        const sizes = [1, 3_000_000, 70_000, 1_048_576, 1_048_575, 2, 500_000];
        let offset = 0;
        for (let i = 0; offset < data.length; i++) {
          const size = sizes[i % sizes.length]!;
          yield data.subarray(offset, offset + size);
          offset += size;
        }
      }
      const info = await store.write(mixed(), { expectedSize: data.length });
      assert.equal(info.crc64, crc64(data));
      assert.deepEqual(await readAll(store.read(info.id)), data);
    }));

    it("gives concurrent writes distinct ids", withStore(async ({ store }) => {
      const infos = await Promise.all([1, 2, 3, 4, 5].map((seed) => store.write(chunked(bytes(10_000, seed), 999))));
      assert.equal(new Set(infos.map((i) => i.id)).size, 5);
      for (const [index, info] of infos.entries()) assert.deepEqual(await readAll(store.read(info.id)), bytes(10_000, index + 1));
    }));

    it("reads inclusive ranges", withStore(async ({ store }) => {
      const data = bytes(1_500_000, 5);
      const { id } = await store.write(chunked(data, 65536));
      for (const [start, end] of [[0, 0], [5, 9], [0, data.length - 1], [data.length - 1, data.length - 1], [123_456, 1_234_567]] as const) {
        assert.deepEqual(await readAll(store.read(id, { start, end })), data.subarray(start, end + 1), `range ${start}-${end}`);
      }
    }));

    it("fails reads of unknown or malformed ids without escaping the root", withStore(async ({ store }) => {
      for (const id of ["0".repeat(32), "../../etc/passwd", "tmp", "", "AB".repeat(16), "0".repeat(31) + "/"]) {
        await assert.rejects(readAll(store.read(id)), (error: NodeJS.ErrnoException) => error.code === "ENOENT", id);
      }
    }));

    it("deletes blobs and ignores unknown or malformed ids", withStore(async ({ store }) => {
      const a = await store.write(chunked(bytes(10, 1), 4));
      const b = await store.write(chunked(bytes(10, 2), 4));
      await store.delete(a.id);
      await store.delete(a.id);
      await store.delete("f".repeat(32));
      await store.delete("../x");
      assert.deepEqual(await listIds(store), [b.id]);
      await assert.rejects(readAll(store.read(a.id)));
    }));

    it("accepts exactly expectedSize and maxSize bytes", withStore(async ({ store }) => {
      const data = bytes(1000);
      const info = await store.write(chunked(data, 100), { expectedSize: 1000, maxSize: 1000 });
      assert.equal(info.size, 1000);
    }));

    for (const [label, size, options, errorType] of [
      ["a short body", 999, { expectedSize: 1000 }, BlobSizeMismatchError],
      ["a long body", 1001, { expectedSize: 1000 }, BlobSizeMismatchError],
      ["a body over maxSize", 5000, { maxSize: 4096 }, BlobTooLargeError],
      ["a body over maxSize with a larger expectedSize", 5000, { maxSize: 4096, expectedSize: 5000 }, BlobTooLargeError],
    ] as const) {
      it(`rejects ${label} and leaves nothing behind`, withStore(async (fixture) => {
        const before = await listIds(fixture.store);
        await assert.rejects(fixture.store.write(chunked(bytes(size), 300), options), errorType);
        await assertNothingLeft(fixture, before);
      }));
    }

    it("reports the sizes in BlobSizeMismatchError", withStore(async ({ store }) => {
      await assert.rejects(store.write(chunked(bytes(10), 3), { expectedSize: 20 }), (e: BlobSizeMismatchError) => e.expected === 20 && e.received === 10);
    }));

    it("completes with a signal that never fires and leaves no abort listener behind", withStore(async ({ store }) => {
      const controller = new AbortController();
      const data = bytes(500_000, 9);
      const info = await store.write(chunked(data, 500), { signal: controller.signal });
      assert.equal(info.crc64, crc64(data));
      assert.equal(getEventListeners(controller.signal, "abort").length, 0);
    }));

    it("rejects when the signal is already aborted", withStore(async (fixture) => {
      const controller = new AbortController();
      controller.abort();
      await assert.rejects(fixture.store.write(chunked(bytes(10), 3), { signal: controller.signal }));
      await assertNothingLeft(fixture, []);
    }));

    it("rejects promptly when aborted while the source is stalled, leaving nothing", withStore(async (fixture) => {
      const controller = new AbortController();
      async function* stalls(): AsyncGenerator<Buffer> {
        yield bytes(5000);
        await new Promise(() => undefined); // never resolves
      }
      const write = fixture.store.write(stalls(), { signal: controller.signal });
      setTimeout(() => controller.abort(), 20);
      await assert.rejects(write);
      await assertNothingLeft(fixture, []);
    }));

    it("rejects when aborted mid-stream and destroys a Readable source", withStore(async (fixture) => {
      const controller = new AbortController();
      let sent = 0;
      const source = new Readable({
        read() {
          sent += 1024;
          if (sent === 8 * 1024) controller.abort();
          setImmediate(() => this.push(bytes(1024)));
        },
      });
      await assert.rejects(fixture.store.write(source, { signal: controller.signal }));
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(source.destroyed, true);
      await assertNothingLeft(fixture, []);
    }));

    it("rejects with the source's error and leaves nothing", withStore(async (fixture) => {
      async function* fails(): AsyncGenerator<Buffer> {
        yield bytes(2000);
        throw new Error("client went away");
      }
      await assert.rejects(fixture.store.write(fails()), /client went away/);
      await assertNothingLeft(fixture, []);
    }));

    it("cleanupTemp succeeds on a clean store and keeps blobs", withStore(async ({ store }) => {
      const { id } = await store.write(chunked(bytes(10), 10));
      const removed = await store.cleanupTemp();
      assert.ok(removed === undefined || removed === 0);
      assert.deepEqual(await listIds(store), [id]);
    }));
  });
}
