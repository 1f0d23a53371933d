import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ResultCache, type ScanKey } from "./result-cache.js";

const T0 = new Date("2024-01-01T00:00:00Z");

function key(k: string, over: Partial<ScanKey> = {}): ScanKey {
  return { bucket: "b", key: k, etag: "E1", lastModified: T0, work: "image/codes;max=5", ...over };
}

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe("ResultCache", () => {
  it("computes once, then hits", async () => {
    const cache = new ResultCache<string>({ maxEntries: 10, maxBytes: 1 << 20 });
    let calls = 0;
    const compute = async () => `v${++calls}`;
    assert.equal(await cache.getOrCompute(key("a"), compute), "v1");
    assert.equal(await cache.getOrCompute(key("a"), compute), "v1");
    assert.equal(calls, 1);
    assert.deepEqual({ hits: cache.stats().hits, misses: cache.stats().misses }, { hits: 1, misses: 1 });
  });

  it("two versions with the same ETag and Last-Modified are different entries", async () => {
    const cache = new ResultCache<string>({ maxEntries: 10, maxBytes: 1 << 20 });
    let calls = 0;
    const compute = async () => `v${++calls}`;
    assert.equal(await cache.getOrCompute(key("a", { versionId: "CAEQ1" }), compute), "v1");
    assert.equal(await cache.getOrCompute(key("a", { versionId: "CAEQ2" }), compute), "v2");
    assert.equal(await cache.getOrCompute(key("a"), compute), "v3", "an unversioned read is not a version's");
    assert.equal(await cache.getOrCompute(key("a", { versionId: "CAEQ1" }), compute), "v1");
  });

  it("an overwrite (new ETag or Last-Modified) misses; other work misses", async () => {
    const cache = new ResultCache<string>({ maxEntries: 10, maxBytes: 1 << 20 });
    let calls = 0;
    const compute = async () => `v${++calls}`;
    await cache.getOrCompute(key("a"), compute);
    assert.equal(await cache.getOrCompute(key("a", { etag: "E2" }), compute), "v2");
    assert.equal(await cache.getOrCompute(key("a", { lastModified: new Date(T0.getTime() + 1000) }), compute), "v3");
    assert.equal(await cache.getOrCompute(key("a", { work: "image/codes;max=1" }), compute), "v4");
    assert.equal(await cache.getOrCompute(key("a", { bucket: "c" }), compute), "v5");
    assert.equal(calls, 5);
  });

  it("keys do not collide when fields run into each other", async () => {
    const cache = new ResultCache<string>({ maxEntries: 10, maxBytes: 1 << 20 });
    await cache.getOrCompute(key("x", { bucket: "ab" }), async () => "first");
    assert.equal(await cache.getOrCompute(key("bx", { bucket: "a" }), async () => "second"), "second");
  });

  it("concurrent identical requests share one computation", async () => {
    const cache = new ResultCache<string>({ maxEntries: 10, maxBytes: 1 << 20 });
    const gate = deferred<string>();
    let calls = 0;
    const compute = () => {
      calls++;
      return gate.promise;
    };
    const all = Promise.all([1, 2, 3, 4].map(() => cache.getOrCompute(key("a"), compute)));
    gate.resolve("done");
    assert.deepEqual(await all, ["done", "done", "done", "done"]);
    assert.equal(calls, 1);
    assert.equal(cache.stats().joined, 3);
  });

  it("a failure is shared by the waiters and not cached", async () => {
    const cache = new ResultCache<string>({ maxEntries: 10, maxBytes: 1 << 20 });
    const gate = deferred<string>();
    const first = cache.getOrCompute(key("a"), () => gate.promise);
    const second = cache.getOrCompute(key("a"), async () => "never");
    gate.reject(new Error("busy"));
    await assert.rejects(first, /busy/);
    await assert.rejects(second, /busy/);
    assert.equal(await cache.getOrCompute(key("a"), async () => "retried"), "retried");
  });

  it("shouldCache=false returns the value without keeping it", async () => {
    const cache = new ResultCache<string>({ maxEntries: 10, maxBytes: 1 << 20 });
    let calls = 0;
    const compute = async () => `v${++calls}`;
    await cache.getOrCompute(key("a"), compute, () => false);
    assert.equal(await cache.getOrCompute(key("a"), compute, () => false), "v2");
    assert.equal(cache.stats().entries, 0);
  });

  it("evicts the least recently used entry past maxEntries", async () => {
    const cache = new ResultCache<string>({ maxEntries: 2, maxBytes: 1 << 20 });
    await cache.getOrCompute(key("a"), async () => "A");
    await cache.getOrCompute(key("b"), async () => "B");
    assert.equal(cache.get(key("a")), "A"); // a is now the most recent
    await cache.getOrCompute(key("c"), async () => "C");
    assert.equal(cache.get(key("b")), undefined);
    assert.equal(cache.get(key("a")), "A");
    assert.equal(cache.get(key("c")), "C");
    assert.equal(cache.stats().evictions, 1);
  });

  it("evicts by total bytes and skips values larger than the budget", async () => {
    const cache = new ResultCache<string>({ maxEntries: 100, maxBytes: 1000 }, (v) => v.length);
    const id = 2 * JSON.stringify(["b", "k0", "E1", T0.getTime(), "image/codes;max=5"]).length; // key overhead per entry
    const big = "x".repeat(400 - id);
    for (let i = 0; i < 5; i++) await cache.getOrCompute(key(`k${i}`), async () => big);
    const stats = cache.stats();
    assert.ok(stats.bytes <= 1000, `bytes ${stats.bytes}`);
    assert.equal(stats.entries, 2);
    assert.equal(cache.get(key("k4")), big);
    assert.equal(cache.get(key("k0")), undefined);
    await cache.getOrCompute(key("huge"), async () => "y".repeat(5000));
    assert.equal(cache.get(key("huge")), undefined);
    assert.equal(cache.stats().entries, 2);
  });

  it("rejects negative limits", () => {
    assert.throws(() => new ResultCache<string>({ maxEntries: -1, maxBytes: 10 }));
  });
});
