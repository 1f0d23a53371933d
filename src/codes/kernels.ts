/**
 * The strategy's hottest pixel loops, each in JS and (when the addon is built) in C: native/image_ops.c computes
 * exactly the same values (kernels.test.ts checks each pair on random images). Measured on an 800×800 view
 * here: JS 1–6 ns a pixel, C about a tenth of that; the rescue phase runs them on whole views.
 */
import { nativeAddon } from "./native-addon.js";

export interface Kernels {
  /** Levels in [mx, width−mx) × [my, height−my). */
  histogram(data: Uint8Array, width: number, height: number, mx: number, my: number): Uint32Array;
  /** A new array with lut[data[i]]. */
  mapLut(data: Uint8Array, lut: Uint8Array): Uint8Array;
  /** The 3×3 mean, edges replicated, ⌊(sum + 4) / 9⌋. */
  boxBlur3(data: Uint8Array, width: number, height: number): Uint8Array;
  /** Per cell × cell block (⌊w/cell⌋ × ⌊h/cell⌋, row-major): steps of ≥ `step` levels to the right and to the next
   * row (edges replicated) in the low 16 bits, the block's max − min in bits 16–23. */
  edgeCells(data: Uint8Array, width: number, height: number, cell: number, step: number): Uint32Array;
}

export const jsKernels: Kernels = {
  histogram(d, w, h, mx, my) {
    const hist = new Uint32Array(256);
    for (let y = my; y < h - my; y++) {
      const end = y * w + w - mx;
      for (let i = y * w + mx; i < end; i++) hist[d[i]!]!++;
    }
    return hist;
  },
  mapLut(d, lut) {
    const out = new Uint8Array(d.length);
    for (let i = 0; i < d.length; i++) out[i] = lut[d[i]!]!;
    return out;
  },
  boxBlur3(d, w, h) {
    const tmp = new Uint16Array(w * h);
    for (let y = 0; y < h; y++) {
      const o = y * w;
      for (let x = 0; x < w; x++) tmp[o + x] = d[o + Math.max(0, x - 1)]! + d[o + x]! + d[o + Math.min(w - 1, x + 1)]!;
    }
    const out = new Uint8Array(w * h);
    for (let y = 0; y < h; y++) {
      const a = Math.max(0, y - 1) * w, b = y * w, c = Math.min(h - 1, y + 1) * w;
      for (let x = 0; x < w; x++) out[b + x] = (tmp[a + x]! + tmp[b + x]! + tmp[c + x]! + 4) / 9;
    }
    return out;
  },
  edgeCells(d, w, h, cell, step) {
    const cw = Math.floor(w / cell), ch = Math.floor(h / cell);
    const out = new Uint32Array(cw * ch);
    for (let cy = 0; cy < ch; cy++) {
      for (let cx = 0; cx < cw; cx++) {
        let edges = 0, lo = 255, hi = 0;
        for (let y = cy * cell; y < (cy + 1) * cell; y++) {
          const row = y * w, next = Math.min(h - 1, y + 1) * w;
          for (let x = cx * cell; x < (cx + 1) * cell; x++) {
            const v = d[row + x]!;
            if (v < lo) lo = v;
            if (v > hi) hi = v;
            if (Math.abs(d[row + Math.min(w - 1, x + 1)]! - v) >= step) edges++;
            if (Math.abs(d[next + x]! - v) >= step) edges++;
          }
        }
        out[cy * cw + cx] = edges | ((hi - lo) << 16);
      }
    }
    return out;
  },
};

const native: Kernels | undefined = nativeAddon && {
  histogram: nativeAddon.histogram,
  mapLut: nativeAddon.mapLut,
  boxBlur3: nativeAddon.boxBlur3,
  edgeCells: nativeAddon.edgeCells,
};

/** The kernels this process uses: C when the addon is built, else JS. */
export const kernels: Kernels = native ?? jsKernels;
/** The C kernels, for the tests that hold them to the JS ones. */
export const nativeKernels: Kernels | undefined = native;
