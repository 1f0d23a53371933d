import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { extendLinear } from "./linear-extent.js";
import type { Corner } from "./found.js";
import type { GrayImage } from "./zxing.js";

/** White image with vertical bars in x ∈ [x0, x1) and y ∈ [y0, y1), plus a text-like row of blobs below. */
function bars(w: number, h: number, x0: number, x1: number, y0: number, y1: number): GrayImage {
  const data = new Uint8Array(w * h).fill(255);
  const pattern = [1, 0, 1, 1, 0, 0, 1, 0, 1, 1, 1, 0, 0, 1, 0, 0, 0, 1, 1, 0, 1];
  for (let y = y0; y < y1; y++)
    for (let x = x0; x < x1; x++) if (pattern[Math.floor((x - x0) / 3) % pattern.length]) data[y * w + x] = 20;
  for (let y = y1 + 4; y < Math.min(h, y1 + 14); y++)
    for (let x = x0; x < x1; x++) if (((x - x0) >> 3) % 2 === 0) data[y * w + x] = 30; // "digits"
  return { data, width: w, height: h };
}

describe("linear extent", () => {
  it("extends a thin scan band to the bars' full height", () => {
    const img = bars(400, 300, 50, 350, 80, 200);
    const band: Corner[] = [[50, 139], [349, 139], [349, 141], [50, 141]];
    const out = extendLinear(img, band);
    const ys = out.map((c) => c[1]);
    assert.ok(Math.abs(Math.min(...ys) - 80) <= 2, `top ${Math.min(...ys)}`);
    assert.ok(Math.abs(Math.max(...ys) - 199) <= 2, `bottom ${Math.max(...ys)}`);
    const xs = out.map((c) => c[0]);
    assert.equal(Math.min(...xs), 50);
    assert.equal(Math.max(...xs), 349);
  });
  it("follows rotated codes (bars read top to bottom)", () => {
    // Transposed: the bar pattern runs down y ∈ [80, 200) and each bar spans x ∈ [50, 350).
    const src = bars(300, 400, 80, 200, 50, 350);
    const t = new Uint8Array(400 * 300);
    for (let y = 0; y < 400; y++) for (let x = 0; x < 300; x++) t[x * 400 + y] = src.data[y * 300 + x]!;
    const img: GrayImage = { data: t, width: 400, height: 300 };
    const out = extendLinear(img, [[201, 80], [201, 199], [199, 199], [199, 80]]);
    const xs = out.map((c) => c[0]);
    assert.ok(Math.abs(Math.min(...xs) - 50) <= 2 && Math.abs(Math.max(...xs) - 349) <= 2, `x ${Math.min(...xs)}..${Math.max(...xs)}`);
    const ys = out.map((c) => c[1]);
    assert.deepEqual([Math.min(...ys), Math.max(...ys)], [80, 199]);
  });
  it("never shrinks the band it was given and copes with no contrast", () => {
    const blank: GrayImage = { data: new Uint8Array(100 * 100).fill(128), width: 100, height: 100 };
    const band: Corner[] = [[10, 40], [90, 40], [90, 60], [10, 60]];
    assert.deepEqual(extendLinear(blank, band), band);
  });
  it("with `ends`, follows a PDF417's start and stop columns though its rows differ", () => {
    // Start/stop columns: the same bars on every row; in between, each 6-px row has its own pattern.
    const w = 400, h = 240, data = new Uint8Array(w * h).fill(255);
    const edge = [1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 1];
    for (let y = 60; y < 180; y++) {
      const row = Math.floor((y - 60) / 6);
      for (let x = 40; x < 360; x++) {
        const k = Math.floor((x - 40) / 3);
        const ink = x < 73 || x >= 327 ? edge[k % edge.length] : ((k * 7 + row * 13) >> 1) % 3 === 0 ? 1 : 0;
        if (ink) data[y * w + x] = 20;
      }
    }
    const img: GrayImage = { data, width: w, height: h };
    const band: Corner[] = [[40, 100], [359, 100], [359, 110], [40, 110]];
    const plain = extendLinear(img, band).map((c) => c[1]);
    const ends = extendLinear(img, band, 0.1).map((c) => c[1]);
    assert.ok(Math.max(...plain) - Math.min(...plain) < 60, `whole line stops at a row boundary: ${Math.min(...plain)}..${Math.max(...plain)}`);
    assert.ok(Math.abs(Math.min(...ends) - 60) <= 3 && Math.abs(Math.max(...ends) - 179) <= 3, `ends: ${Math.min(...ends)}..${Math.max(...ends)}`);
  });
});
