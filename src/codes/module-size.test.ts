import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { narrowRun } from "./module-size.js";
import type { GrayImage } from "./zxing.js";

const img = (w: number, h: number, f: (x: number, y: number) => number): GrayImage => {
  const data = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[y * w + x] = f(x, y);
  return { data, width: w, height: h };
};
/** Bars of widths 1–3 modules (a 1D symbol's pattern), `module` px each, across x or y. */
const widths = [1, 2, 1, 3, 1, 1, 2, 2, 1, 3, 2, 1, 1, 2, 3, 1];
function bars(module: number, size = 200, vertical = true): GrayImage {
  const edges: number[] = [];
  let at = 0;
  while (at < size) for (const w of widths) edges.push((at += w * module));
  const dark = (t: number) => edges.findIndex((e) => e > t) % 2 === 0;
  return img(size, size, (x, y) => (dark(vertical ? x : y) ? 30 : 220));
}

describe("narrowRun", () => {
  it("measures a bar pattern's module, whichever axis the bars cross", () => {
    assert.equal(narrowRun(bars(2)), 2);
    assert.equal(narrowRun(bars(5)), 5);
    assert.equal(narrowRun(bars(3, 200, false)), 3);
  });
  it("takes the shorter direction: bars turned 45° measure √2 more along rows and columns alike, not more", () => {
    const turned = img(200, 200, (x, y) => (Math.floor((x + y) / (3 * Math.SQRT2)) % 2 ? 220 : 30));
    const r = narrowRun(turned);
    assert.ok(r >= 3 && r <= 5, `run ${r}`);
  });
  it("finds no print on flat paper or faint grain", () => {
    assert.equal(narrowRun(img(100, 100, () => 200)), Infinity);
    let s = 7;
    const grain = img(100, 100, () => 120 + ((s = (s * 1103515245 + 12345) >>> 0) >>> 28));
    assert.equal(narrowRun(grain), Infinity);
  });
});

describe("narrowRun on grain", () => {
  it("finds no print in strong random grain, whose runs are short but change from line to line", () => {
    let s = 12345;
    const noise = img(300, 200, () => (s = (s * 1103515245 + 12345) >>> 0) >>> 24);
    assert.equal(narrowRun(noise), Infinity);
  });
  it("still measures 1.5 px bars under the same grain at a third of the contrast", () => {
    let s = 999;
    const noisy = img(300, 200, (x) => Math.max(0, Math.min(255, (Math.floor(x / 1.5) % 2 ? 200 : 50) + (((s = (s * 1103515245 + 12345) >>> 0) >>> 26) - 32))));
    assert.ok(narrowRun(noisy) <= 2, `run ${narrowRun(noisy)}`);
  });
});
