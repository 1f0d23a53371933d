import assert from "node:assert/strict";
import { test } from "node:test";
import { deblurModules } from "./module-deblur.js";
import { localLevels } from "./modules.js";
import { qrMatrix } from "./stress-images.js";

/** Module values of a blurred symbol: each module's own colour and its neighbours' darken it (a defocus). */
function blurredValues(dark: Uint8Array, dim: number, own: number, side: number, diag: number): Float32Array {
  const at = (r: number, c: number): number => (r < 0 || c < 0 || r >= dim || c >= dim ? 0 : dark[r * dim + c]!);
  const v = new Float32Array(dim * dim);
  let seed = 7;
  for (let r = 0; r < dim; r++) {
    for (let c = 0; c < dim; c++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const noise = ((seed >>> 8) / 16777216 - 0.5) * 6;
      v[r * dim + c] = 210 - own * at(r, c) - side * (at(r - 1, c) + at(r + 1, c) + at(r, c - 1) + at(r, c + 1))
        - diag * (at(r - 1, c - 1) + at(r - 1, c + 1) + at(r + 1, c - 1) + at(r + 1, c + 1)) + noise;
    }
  }
  return v;
}

const errors = (a: Uint8Array, b: Uint8Array): number => a.reduce((n, x, i) => n + (x !== b[i] ? 1 : 0), 0);

test("decides a blurred symbol's modules from the blur the function patterns show, where a threshold fails", () => {
  const q = qrMatrix("deblur test 0123456789 abcdef", { version: 4, eclevel: "M" });
  const values = blurredValues(q.dark, q.dim, 70, 20, 8);
  const { lo, hi } = localLevels(values, q.dim, 3, 128);
  const thresholded = Uint8Array.from(values, (v, i) => (v < (lo[i]! + hi[i]!) / 2 ? 1 : 0));
  const deblurred = deblurModules(values, lo, hi, 4);
  assert.ok(deblurred);
  const before = errors(thresholded, q.dark), after = errors(deblurred, q.dark);
  assert.ok(before > 30, `the threshold should fail here (${before} wrong modules)`);
  assert.ok(after < before * 0.9, `deblurred ${after} wrong vs thresholded ${before}`);
});

test("gives up (null) when the function patterns show no contrast", () => {
  const dim = 33, flat = new Float32Array(dim * dim).fill(128);
  const { lo, hi } = localLevels(flat, dim, 3, 128);
  assert.equal(deblurModules(flat, lo, hi, 4), null);
});
