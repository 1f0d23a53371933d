import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { text } from "node:stream/consumers";
import { CachingBlobStore } from "./caching-blobs.js";
import { MemoryBlobStore } from "./memory-blobs.js";
import { runBlobStoreConformance } from "./conformance.js";

runBlobStoreConformance("CachingBlobStore over MemoryBlobStore", async () => ({
  store: new CachingBlobStore(new MemoryBlobStore(), { maxBytes: 1024, maxEntryBytes: 256 }),
  cleanup: async () => undefined,
}));

describe("CachingBlobStore", () => {
  it("serves repeated small ranges from memory, bounded by bytes, and forgets deleted blobs", async () => {
    const store = new CachingBlobStore(new MemoryBlobStore(), { maxBytes: 100, maxEntryBytes: 60 });
    const a = await store.write(Readable.from([Buffer.from("a".repeat(50))]));
    const b = await store.write(Readable.from([Buffer.from("b".repeat(50))]));
    const c = await store.write(Readable.from([Buffer.from("c".repeat(50))]));
    assert.equal(await text(store.read(a.id, { start: 0, end: 49 })), "a".repeat(50));
    assert.equal(await text(store.read(a.id, { start: 0, end: 49 })), "a".repeat(50));
    assert.deepEqual([store.hits, store.misses], [1, 1]);
    await text(store.read(b.id, { start: 0, end: 49 }));
    await text(store.read(c.id, { start: 0, end: 49 })); // evicts a (100-byte budget)
    await text(store.read(a.id, { start: 0, end: 49 }));
    assert.equal(store.misses, 4);
    await store.delete(c.id);
    await assert.rejects(() => text(store.read(c.id, { start: 0, end: 49 })));
    assert.equal(await text(store.read(a.id, { start: 10, end: 12 })), "aaa");
  });

  it("readCached answers only what a read has cached, and nothing once the blob is deleted", async () => {
    const store = new CachingBlobStore(new MemoryBlobStore(), { maxBytes: 100, maxEntryBytes: 60 });
    const a = await store.write(Readable.from([Buffer.from("0123456789")]));
    assert.equal(store.readCached(a.id, { start: 0, end: 9 }), undefined);
    await text(store.read(a.id, { start: 0, end: 9 }));
    assert.equal(store.readCached(a.id, { start: 0, end: 9 })?.toString(), "0123456789");
    assert.equal(store.readCached(a.id, { start: 0, end: 8 }), undefined); // another range
    await store.delete(a.id);
    assert.equal(store.readCached(a.id, { start: 0, end: 9 }), undefined);
  });
});
