/** SpoolStore conformance: what every backend of the access-log spool must do (spool-store.ts). */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { withShared, type SharedStoreFactory } from "../storage/conformance-fixture.js";
import type { SpoolStore } from "./spool-store.js";

const keyFor = (unique: string) => `logs/src-${unique}`;

export function runSpoolStoreConformance(name: string, make: SharedStoreFactory<SpoolStore>): void {
  describe(`SpoolStore conformance: ${name}`, () => {
    it("both processes append; a seal takes a bucket's oldest lines; the other process delivers and finishes it", withShared(make, async (store, other) => {
      await store.append([["src", "l1"], ["src", "l2"], ["quiet", "q1"]]);
      await other.append([["src", "l3"]]);
      await other.append([]);
      assert.deepEqual((await other.unbatchedBuckets()).sort(), ["quiet", "src"]);
      const first = (await store.seal("src", "logs", keyFor, 2))!;
      assert.equal(first.sourceBucket, "src");
      assert.equal(first.targetBucket, "logs");
      assert.match(first.targetKey, /^logs\/src-[0-9a-f]{16}$/);
      assert.equal(first.lines, 2);
      assert.deepEqual(await other.lines(first), ["l1", "l2"]);
      const second = (await other.seal("src", "logs", keyFor, 10))!;
      assert.deepEqual(await store.lines(second), ["l3"]);
      assert.equal(await store.seal("src", "logs", keyFor, 10), undefined, "nothing left to seal");
      assert.deepEqual(await store.pendingBatches(), [first, second], "oldest first, as sealed");
      await other.finish(first);
      assert.deepEqual(await store.pendingBatches(), [second]);
      assert.deepEqual(await store.lines(first), []);
      assert.deepEqual(await store.lines(second), ["l3"], "finishing one batch leaves the others");
      assert.deepEqual(await store.unbatchedBuckets(), ["quiet"]);
      assert.equal(await other.dropUnbatched("quiet"), 1);
      assert.equal(await other.dropUnbatched("quiet"), 0);
      assert.deepEqual(await store.unbatchedBuckets(), []);
    }));

    it("an append that fails appends none of its lines", withShared(make, async (store) => {
      await assert.rejects(store.append([["src", "good"], ["src", null as unknown as string]]));
      assert.deepEqual(await store.unbatchedBuckets(), []);
    }));

    it("seals racing in both processes put every line in exactly one batch", withShared(make, async (store, other) => {
      const lines = Array.from({ length: 40 }, (_, i) => `line-${String(i).padStart(2, "0")}`);
      await store.append(lines.map((l) => ["src", l] as const));
      const sealed = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? store : other).seal("src", "logs", keyFor, 7)));
      const batches = sealed.filter((b) => b !== undefined);
      assert.equal(batches.reduce((n, b) => n + b.lines, 0), 40);
      const delivered = (await Promise.all(batches.map((b) => store.lines(b)))).flat();
      assert.deepEqual(delivered.sort(), lines);
    }));
  });
}
