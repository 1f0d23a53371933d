import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createCodesEngine } from "./pool.js";
import { detectCodes } from "./detect.js";
import { CodesError } from "./types.js";
import { qrPng } from "./test-images.js";

describe("codes engine (worker pool)", () => {
  const engine = createCodesEngine({ workers: 2, maxQueue: 2, timeBudgetMs: 5000 });
  after(() => engine.close());

  it("returns what the in-process core returns, and leaves the caller's bytes intact", async () => {
    const png = new Uint8Array(await qrPng("pooled", 4));
    const copy = png.slice();
    const [a, b] = await Promise.all([engine.detect(png, { maxCodes: 5 }), detectCodes(png, { maxCodes: 5 })]);
    assert.deepEqual(a, b);
    assert.equal(a[0]!.Content, "pooled");
    assert.deepEqual(png, copy);
  });

  it("moves a handed-over image's memory instead of copying it, and copies one that shares its buffer", async () => {
    const png = new Uint8Array(await qrPng("moved", 4));
    assert.equal((await engine.detect(png, { maxCodes: 5, transfer: true }))[0]!.Content, "moved");
    assert.equal(png.byteLength, 0, "the caller's buffer was not moved");
    const inside = new Uint8Array(await qrPng("copied", 4));
    const shared = new Uint8Array(inside.byteLength + 8);
    shared.set(inside, 8);
    const view = shared.subarray(8);
    assert.equal((await engine.detect(view, { maxCodes: 5, transfer: true }))[0]!.Content, "copied");
    assert.deepEqual(view, inside);
  });

  it("passes CodesError kinds across the thread boundary", async () => {
    await assert.rejects(engine.detect(new TextEncoder().encode("not an image"), { maxCodes: 5 }),
      (e: unknown) => e instanceof CodesError && e.kind === "unsupported-format");
  });

  it("answers busy once workers + maxQueue images are in flight", async () => {
    const png = new Uint8Array(await qrPng("busy".repeat(20), 6));
    const runs = await Promise.allSettled(Array.from({ length: 8 }, () => engine.detect(png, { maxCodes: 5 })));
    const busy = runs.filter((r) => r.status === "rejected" && r.reason instanceof CodesError && r.reason.kind === "busy").length;
    const ok = runs.filter((r) => r.status === "fulfilled").length;
    assert.equal(ok, 4);
    assert.equal(busy, 4);
    // and recovers afterwards
    assert.equal((await engine.detect(png, { maxCodes: 5 })).length, 1);
  });

  it("times out (CodesError timeout) when the budget is spent, and keeps serving", async () => {
    const png = new Uint8Array(await qrPng("slow", 4));
    await assert.rejects(engine.detect(png, { maxCodes: 5, timeBudgetMs: 0 }), (e: unknown) => e instanceof CodesError && e.kind === "timeout");
    assert.equal((await engine.detect(png, { maxCodes: 5 }))[0]!.Content, "slow");
  });
});
