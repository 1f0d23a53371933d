/** LeaseStore conformance: what every backend of run-once job leases must do (see leases.ts). */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { LeaseStore } from "./leases.js";
import { withShared, type SharedStoreFactory } from "./conformance-fixture.js";

export function runLeaseStoreConformance(name: string, make: SharedStoreFactory<LeaseStore>): void {
  describe(`LeaseStore conformance: ${name}`, () => {
    const t = 1_000_000;

    it("one owner at a time; the holder renews; an expired lease is taken over; release frees it", withShared(make, async (a, b) => {
      assert.equal(await a.holder("job"), undefined);
      assert.equal(await a.acquire("job", "A", 1000, t), true);
      assert.equal(await b.acquire("job", "B", 1000, t + 10), false);
      assert.equal(await a.acquire("job", "A", 1000, t + 500), true, "renewal by the holder");
      assert.deepEqual(await b.holder("job"), { owner: "A", expiresAt: t + 1500 });
      assert.equal(await b.acquire("job", "B", 1000, t + 1499), false, "not yet expired");
      assert.equal(await b.acquire("job", "B", 1000, t + 1500), true, "expired at expiresAt");
      assert.deepEqual(await a.holder("job"), { owner: "B", expiresAt: t + 2500 });
      await a.release("job", "A"); // not A's any more: no effect
      assert.equal(await a.acquire("job", "A", 1000, t + 1600), false);
      await b.release("job", "B");
      assert.equal(await a.holder("job"), undefined, "released");
      assert.equal(await a.acquire("job", "A", 1000, t + 1700), true);
    }));

    it("leases of different names are independent", withShared(make, async (a, b) => {
      assert.equal(await a.acquire("one", "A", 1000, t), true);
      assert.equal(await b.acquire("two", "B", 1000, t), true);
      assert.equal(await b.acquire("one", "B", 1000, t), false);
      await a.release("one", "A");
      assert.deepEqual(await b.holder("two"), { owner: "B", expiresAt: t + 1000 });
    }));

    it("of many owners racing for a free lease through both stores, exactly one wins", withShared(make, async (a, b) => {
      const owners = Array.from({ length: 20 }, (_, i) => `owner-${i}`);
      const won = await Promise.all(owners.map((owner, i) => (i % 2 === 0 ? a : b).acquire("race", owner, 60_000, t)));
      assert.equal(won.filter(Boolean).length, 1);
      const winner = owners[won.indexOf(true)];
      assert.equal((await a.holder("race"))?.owner, winner);
    }));
  });
}
