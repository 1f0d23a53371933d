import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { findCandidates } from "./regions.js";
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
