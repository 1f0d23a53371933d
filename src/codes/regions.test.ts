import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { findCandidates, joinSplitSpots } from "./regions.js";
import type { GrayImage } from "./zxing.js";

/** A light page with two checkerboard patches (code-like texture) `gap` px apart, side by side. */
function twoPatches(gap: number): GrayImage {
  const w = 400, h = 200, data = new Uint8Array(w * h).fill(230);
  const patch = (x0: number) => {
    for (let y = 60; y < 140; y++) for (let x = x0; x < x0 + 80; x++) data[y * w + x] = (Math.floor(x / 4) + Math.floor(y / 4)) % 2 ? 20 : 230;
  };
  patch(60);
  patch(140 + gap);
  return { data, width: w, height: h };
}

describe("findCandidates", () => {
  it("finds a code-like patch and boxes it in image coordinates", () => {
    const [c, ...rest] = findCandidates(twoPatches(120), 2);
    assert.equal(rest.length, 1);
    // 80 view px × 2, out to whole cells and the one-cell closing around the blob
    assert.ok(c && c.width >= 160 && c.width <= 224 && c.left <= 120 && c.left >= 88, `box ${JSON.stringify(c)}`);
  });

  it("merges touching patches into one blob, and with one of them explained returns the other alone", () => {
    const img = twoPatches(8);
    const merged = findCandidates(img, 1);
    assert.equal(merged.length, 1);
    assert.ok(merged[0]!.width >= 160, `merged ${JSON.stringify(merged[0])}`);
    const rest = findCandidates(img, 1, 12, [{ left: 60, top: 60, width: 80, height: 80 }]);
    assert.equal(rest.length, 1);
    assert.ok(rest[0]!.left >= 140 && rest[0]!.width <= 96, `left over ${JSON.stringify(rest[0])}`);
    assert.equal(findCandidates(img, 1, 12, [{ left: 60, top: 60, width: 80, height: 80 }, { left: 148, top: 60, width: 80, height: 80 }]).length, 0);
  });
});

describe("joinSplitSpots", () => {
  const spot = (left: number, top: number, width: number, height: number, score = 10) => ({ left, top, width, height, score });

  it("adds the union of two blobs side by side or one above the other, after the blobs, naming its members", () => {
    const a = spot(100, 100, 200, 80), b = spot(380, 110, 100, 80); // gap 80 ≤ 0.6 × 200, rows overlap
    const out = joinSplitSpots([a, b]);
    assert.equal(out.length, 3);
    assert.deepEqual(out.slice(0, 2), [a, b]);
    assert.deepEqual({ ...out[2], members: undefined }, { left: 100, top: 100, width: 380, height: 90, score: 20, members: undefined });
    assert.deepEqual(out[2]!.members, [a, b]);
    const c = spot(100, 260, 200, 80); // below a, gap 80 ≤ 0.6 × 80? no: the gap is measured against the heights
    assert.equal(joinSplitSpots([a, c]).length, 2);
    assert.equal(joinSplitSpots([a, spot(110, 220, 190, 90)]).length, 3); // gap 40 ≤ 0.6 × 90, columns overlap
  });

  it("leaves blobs far apart or out of line alone", () => {
    const a = spot(100, 100, 200, 80);
    assert.equal(joinSplitSpots([a, spot(430, 100, 100, 80)]).length, 2); // gap 130 > 0.6 × 200
    assert.equal(joinSplitSpots([a, spot(350, 150, 100, 80)]).length, 2); // rows overlap 30 < 0.6 × 80
  });
});
