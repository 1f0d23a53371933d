import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { jsKernels, nativeKernels } from "./kernels.js";

let seed = 987654321;
const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) / 2 ** 24;
/** Random levels, bars and flat patches: every branch of the edge and range tests gets hit. */
function image(w: number, h: number): Uint8Array {
  const d = new Uint8Array(w * h);
  const kind = Math.floor(rand() * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    d[y * w + x] = kind === 0 ? Math.floor(rand() * 256) : kind === 1 ? (Math.floor(x / 3) % 2 ? 220 : 30) + Math.floor(rand() * 20) : (x * 7 + y * 3) & 255;
  }
  return d;
}
const SIZES: [number, number][] = [[1, 1], [1, 9], [9, 1], [2, 2], [3, 17], [17, 3], [8, 8], [31, 23], [64, 48], [203, 151], [640, 9]];

// The C kernels exist when the addon is built (CI builds it: BARBUCKET_REQUIRE_NATIVE=1); without it there is
// nothing to compare, and the JS kernels are the ones in use.
describe("pixel kernels: C and JS compute the same values", { skip: nativeKernels ? false : "native addon not built" }, () => {
  const c = nativeKernels!;
  it("histogram, over the whole image and over a centre", () => {
    for (const [w, h] of SIZES) {
      const d = image(w, h);
      for (const [mx, my] of [[0, 0], [Math.floor(w / 4), Math.floor(h / 5)], [Math.floor(w / 2), 0]] as const) {
        assert.deepEqual(c.histogram(d, w, h, mx, my), jsKernels.histogram(d, w, h, mx, my), `${w}x${h} ${mx},${my}`);
      }
    }
  });
  it("mapLut", () => {
    const lut = new Uint8Array(256).map((_, v) => (v * 37 + 11) & 255);
    for (const [w, h] of SIZES) {
      const d = image(w, h);
      assert.deepEqual(c.mapLut(d, lut), jsKernels.mapLut(d, lut));
    }
    assert.deepEqual(c.mapLut(new Uint8Array(0), lut), new Uint8Array(0));
  });
  it("boxBlur3", () => {
    for (const [w, h] of SIZES) {
      const d = image(w, h);
      assert.deepEqual(c.boxBlur3(d, w, h), jsKernels.boxBlur3(d, w, h), `${w}x${h}`);
    }
  });
  it("edgeCells", () => {
    for (const [w, h] of SIZES) {
      const d = image(w, h);
      for (const [cell, step] of [[8, 24], [4, 10], [3, 1], [1, 0]] as const) {
        assert.deepEqual(c.edgeCells(d, w, h, cell, step), jsKernels.edgeCells(d, w, h, cell, step), `${w}x${h} cell ${cell} step ${step}`);
      }
    }
  });
  it("median3", () => {
    for (const [w, h] of SIZES) {
      const d = image(w, h);
      assert.deepEqual(c.median3(d, w, h), jsKernels.median3(d, w, h), `${w}x${h}`);
    }
  });
  it("localNormalize, bit for bit (the same double arithmetic)", () => {
    for (const [w, h] of SIZES) {
      const d = image(w, h);
      for (const [radius, k] of [[0, 2], [1, 2], [6, 2], [40, 1.5]] as const) {
        assert.deepEqual(c.localNormalize(d, w, h, radius, k), jsKernels.localNormalize(d, w, h, radius, k), `${w}x${h} r${radius} k${k}`);
      }
    }
  });
  it("gridSums, bit for bit", () => {
    for (const [w, h] of SIZES) {
      const d = image(w, h);
      for (const [step, min2] of [[1, 576], [2, 576], [3, 1]] as const) {
        assert.deepEqual(c.gridSums(d, w, h, step, min2), jsKernels.gridSums(d, w, h, step, min2), `${w}x${h} step ${step}`);
      }
    }
  });
  it("rotateBilinear, bit for bit", () => {
    for (const [w, h] of SIZES) {
      const d = image(w, h);
      for (const deg of [0, 7.3, -13, 45, 90, 178.2]) {
        const t = (deg * Math.PI) / 180, cos = Math.cos(t), sin = Math.sin(t);
        const W = Math.ceil(Math.abs(w * cos) + Math.abs(h * sin) - 1e-9), H = Math.ceil(Math.abs(w * sin) + Math.abs(h * cos) - 1e-9);
        const args = [d, w, h, W, H, cos, sin, (w - 1) / 2, (h - 1) / 2, (W - 1) / 2, (H - 1) / 2, 117] as const;
        assert.deepEqual(c.rotateBilinear(...args), jsKernels.rotateBilinear(...args), `${w}x${h} ${deg}°`);
      }
    }
  });
  it("boxDownscale and binRows", () => {
    for (const [w, h] of SIZES) {
      const d = image(w, h);
      for (const f of [2, 3, 4, 7]) {
        assert.deepEqual(c.boxDownscale(d, w, h, f), jsKernels.boxDownscale(d, w, h, f), `${w}x${h} /${f}`);
        assert.deepEqual(c.binRows(d, w, h, f), jsKernels.binRows(d, w, h, f), `${w}x${h} rows /${f}`);
      }
    }
  });
  it("edge cases: sizes the app uses, extremes of each kernel", () => {
    const big = image(1000, 700);
    assert.deepEqual(c.gridSums(big, 1000, 700, 2, 576), jsKernels.gridSums(big, 1000, 700, 2, 576));
    assert.deepEqual(c.localNormalize(big, 1000, 700, 50, 2), jsKernels.localNormalize(big, 1000, 700, 50, 2));
    const flat = new Uint8Array(40 * 30).fill(77);
    for (const [radius, k] of [[3, 2], [100, 2], [5, 0]] as const) {
      assert.deepEqual(c.localNormalize(flat, 40, 30, radius, k), jsKernels.localNormalize(flat, 40, 30, radius, k), `flat r${radius} k${k}`);
    }
    const d = image(128, 128);
    assert.deepEqual(c.edgeCells(d, 128, 128, 64, 0), jsKernels.edgeCells(d, 128, 128, 64, 0)); // counts up to 8192
    for (const [w, mx, my] of [[17, 9, 0], [16, 8, 0], [18, 2, 1], [19, 3, 2], [20, 1, 10]] as const) {
      const img = image(w, 20);
      assert.deepEqual(c.histogram(img, w, 20, mx, my), jsKernels.histogram(img, w, 20, mx, my), `${w} ${mx},${my}`);
    }
    const white = new Uint8Array(256 * 256).fill(255);
    assert.deepEqual(c.boxDownscale(white, 256, 256, 256), Uint8Array.of(255));
    assert.deepEqual(c.binRows(white, 256, 256, 256), new Uint8Array(256).fill(255));
    assert.deepEqual(c.boxDownscale(white, 256, 256, 200), jsKernels.boxDownscale(white, 256, 256, 200));
    assert.equal(c.boxDownscale(image(5, 5), 5, 5, 7).length, 0);
    // De-rotation: pure shifts onto the last column / just below zero, fractional centres, canvases larger than
    // the turned image (every side outside), 1×N and N×1 sources, fill 0 and 255.
    const r = image(23, 17);
    const cases: [Uint8Array, number, number, number, number, number, number, number, number, number, number, number][] = [
      [r, 23, 17, 23, 17, 1, 0, 11, 8, 11, 8, 0],
      [r, 23, 17, 23, 17, 1, 0, 11 + 1e-12, 8, 11, 8, 255],
      [r, 23, 17, 23, 17, 1, 0, 11 - 1e-17, 8 - 1e-17, 11, 8, 9],
      [r, 23, 17, 70, 60, Math.cos(0.3), Math.sin(0.3), 11.37, 8.37, 34.5, 29.5, 255],
      [image(1, 30), 1, 30, 12, 32, Math.cos(0.2), Math.sin(0.2), 0, 14.5, 5.5, 15.5, 0],
      [image(30, 1), 30, 1, 32, 12, Math.cos(-0.2), Math.sin(-0.2), 14.5, 0, 15.5, 5.5, 128],
    ];
    for (const a of cases) assert.deepEqual(c.rotateBilinear(...a), jsKernels.rotateBilinear(...a), `rotate ${a.slice(1, 12).join(",")}`);
  });
  it("refuses non-finite doubles and non-integer sizes (C and JS alike where JS checks)", () => {
    const d = image(8, 8);
    for (const k of [jsKernels, c]) assert.throws(() => k.rotateBilinear(d, 8, 8, 8, 8, NaN, 0, 3.5, 3.5, 3.5, 3.5, 0), RangeError);
    assert.throws(() => c.boxDownscale(d, 8, 8, 2.5), RangeError);
    assert.throws(() => c.boxDownscale(d, 8, 8, NaN), RangeError);
    assert.throws(() => c.rotateBilinear(d, 8, 8, 2 ** 32 + 8, 8, 1, 0, 3.5, 3.5, 3.5, 3.5, 0), RangeError);
    assert.throws(() => c.gridSums(d, 8, 8, 0, 576), RangeError);
    assert.throws(() => c.localNormalize(d, 8, 8, 2, Infinity), RangeError);
    assert.throws(() => (c.boxBlur3 as unknown as (x: Uint8Array, w: number) => Uint8Array)(d, 8), TypeError);
    assert.deepEqual(c.gridSums(d, 8, 8, 2 ** 31 - 1, 576), jsKernels.gridSums(d, 8, 8, 2 ** 31 - 1, 576)); // a step past the image
  });
  it("refuses arguments that do not describe an image instead of reading past it", () => {
    assert.throws(() => c.boxBlur3(new Uint8Array(10), 4, 4), RangeError);
    assert.throws(() => c.edgeCells(new Uint8Array(16), 4, 4, 0, 24), RangeError);
    assert.throws(() => c.histogram([1, 2] as unknown as Uint8Array, 2, 1, 0, 0), TypeError);
    assert.throws(() => c.mapLut(new Uint8Array(4), new Uint8Array(255)), RangeError);
  });
});
