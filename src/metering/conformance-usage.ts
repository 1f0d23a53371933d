/** UsageStore conformance: what every backend of the usage table must do (usage-store.ts). */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { withShared, type SharedStoreFactory } from "../storage/conformance-fixture.js";
import { HOUR_MS, type UsageRow, type UsageStore } from "./usage-store.js";

const T0 = Date.parse("2026-11-25T10:00:00Z");

export function runUsageStoreConformance(name: string, make: SharedStoreFactory<UsageStore>): void {
  describe(`UsageStore conformance: ${name}`, () => {
    it("adds into the same hour row and queries [hour(from), to), one bucket or all, in order", withShared(make, async (store, other) => {
      await store.add([
        { hour: T0, bucket: "a", item: "GetRequest", dimension: "Standard", quantity: 2 },
        { hour: T0, bucket: "b", item: "GetRequest", dimension: "Standard", quantity: 1 },
        { hour: T0 + HOUR_MS, bucket: "a", item: "EgressBytes", dimension: "internet", quantity: 10 },
        { hour: T0, bucket: "", item: "PutRequest", dimension: "Standard", quantity: 1 },
      ]);
      await other.add([{ hour: T0, bucket: "a", item: "GetRequest", dimension: "Standard", quantity: 3 }]);
      await other.add([]);
      assert.deepEqual(await store.query({ bucket: "a", from: T0 + 1234, to: T0 + HOUR_MS }), [
        { hour: T0, bucket: "a", item: "GetRequest", dimension: "Standard", quantity: 5 },
      ]);
      assert.deepEqual((await other.query({ from: T0, to: T0 + 2 * HOUR_MS })).map((r) => [r.hour - T0, r.bucket, r.item, r.quantity]), [
        [0, "", "PutRequest", 1], [0, "a", "GetRequest", 5], [0, "b", "GetRequest", 1], [HOUR_MS, "a", "EgressBytes", 10],
      ]);
      assert.deepEqual(await store.query({ from: T0 + 2 * HOUR_MS, to: T0 + 3 * HOUR_MS }), []);
    }));

    it("quantities beyond 2^32 stay exact", withShared(make, async (store) => {
      const big = 5 * 1024 ** 4;
      await store.add([{ hour: T0, bucket: "a", item: "EgressBytes", dimension: "internet", quantity: big }]);
      await store.add([{ hour: T0, bucket: "a", item: "EgressBytes", dimension: "internet", quantity: big + 1 }]);
      assert.equal((await store.query({ from: T0, to: T0 + HOUR_MS }))[0]?.quantity, 2 * big + 1);
    }));

    it("concurrent adds from both processes all count", withShared(make, async (store, other) => {
      const row = (quantity: number): UsageRow => ({ hour: T0, bucket: "a", item: "GetRequest", dimension: "Standard", quantity });
      await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? store : other).add([row(i + 1)])));
      assert.equal((await store.query({ from: T0, to: T0 + HOUR_MS }))[0]?.quantity, (20 * 21) / 2);
    }));

    it("addOnce adds a marker's rows once, also when both processes race for it", withShared(make, async (store, other) => {
      const row = (quantity: number): UsageRow => ({ hour: T0, bucket: "a", item: "Storage", dimension: "Standard", quantity });
      assert.equal(await store.hasMarker("storage:1"), false);
      const results = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 === 0 ? store : other).addOnce("storage:1", [row(100 + i)])));
      assert.equal(results.filter(Boolean).length, 1, "exactly one addOnce adds");
      const added = 100 + results.indexOf(true);
      assert.equal(await other.hasMarker("storage:1"), true);
      assert.equal(await store.addOnce("storage:1", [row(7)]), false);
      assert.equal(await other.addOnce("storage:2", [row(1), { ...row(2), dimension: "IA" }]), true);
      assert.equal(await store.addOnce("storage:3", []), true, "a marker with no rows is recorded too");
      assert.equal(await store.hasMarker("storage:3"), true);
      assert.deepEqual((await store.query({ from: T0, to: T0 + HOUR_MS })).map((r) => [r.dimension, r.quantity]), [["IA", 2], ["Standard", added + 1]]);
    }));

    it("an addOnce that fails adds no rows and records no marker", withShared(make, async (store) => {
      const good: UsageRow = { hour: T0, bucket: "a", item: "Storage", dimension: "Standard", quantity: 1 };
      await assert.rejects(store.addOnce("storage:9", [good, { ...good, bucket: "b", quantity: null } as unknown as UsageRow]));
      assert.equal(await store.hasMarker("storage:9"), false);
      assert.deepEqual(await store.query({ from: T0, to: T0 + HOUR_MS }), []);
      assert.equal(await store.addOnce("storage:9", [good]), true);
    }));

    it("an add that fails adds none of its rows", withShared(make, async (store) => {
      const good: UsageRow = { hour: T0, bucket: "a", item: "GetRequest", dimension: "Standard", quantity: 1 };
      const bad = { ...good, bucket: "b", quantity: null } as unknown as UsageRow;
      await assert.rejects(store.add([good, bad]));
      assert.deepEqual(await store.query({ from: T0, to: T0 + HOUR_MS }), []);
    }));
  });
}
