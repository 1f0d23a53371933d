/**
 * The strategy's hottest pixel loops, each in JS and (when the addon is built) in C: native/image_ops.c computes
 * exactly the same values (kernels.test.ts checks each pair on random images). Measured on an 800×800 view
 * here: JS 1–6 ns a pixel, C about a tenth of that.
 */
import { nativeAddon } from "./native-addon.js";

/** Sizes and counts are integers ≥ 0, levels 0..255, doubles finite: the C kernels throw a RangeError (or a
 * TypeError for a missing argument or a non-Uint8Array) where the JS ones would compute on regardless. The C ones
 * also refuse cell > 64, f or k > 256 and outputs over 1e9 pixels, which the 30 000 px side limit never reaches. */
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
  /** The 3×3 median, edges replicated. */
  median3(data: Uint8Array, width: number, height: number): Uint8Array;
  /** 128 + 127·(v − mean) / (k·sd + 4) over the (2·radius + 1)² window clipped to the image, clamped, truncated. */
  localNormalize(data: Uint8Array, width: number, height: number, radius: number, k: number): Uint8Array;
  /** orientation.ts gridAngle's sums over every `step`-th pixel inside the 1-px border whose Sobel gradient (÷ 4)
   * has |g|² ≥ minGradient2: [Σr·c2, Σr·s2, Σr·c4, Σr·s4, Σr, votes, Σx, Σy, Σx², Σy², Σxy]. */
  gridSums(data: Uint8Array, width: number, height: number, step: number, minGradient2: number): Float64Array;
  /** orientation.ts rotateGray's resampling: output (u, v) from source (cos·du + sin·dv + cx, −sin·du + cos·dv + cy),
   * stepped by repeated addition, bilinear, `fill` outside. */
  rotateBilinear(data: Uint8Array, width: number, height: number, W: number, H: number, cos: number, sin: number,
    cx: number, cy: number, ox: number, oy: number, fill: number): Uint8Array;
  /** Each output pixel ⌊(sum of an f×f block + ⌊f²/2⌋) / f²⌋, right and bottom remainders dropped (f ≥ 2). */
  boxDownscale(data: Uint8Array, width: number, height: number, f: number): Uint8Array;
  /** Each output row ⌊(sum of k source rows + ⌊k/2⌋) / k⌋, the bottom remainder dropped (2 ≤ k ≤ 256). */
  binRows(data: Uint8Array, width: number, height: number, k: number): Uint8Array;
}

function med3(a: number, b: number, c: number): number {
  const lo = a < b ? a : b, hi = a < b ? b : a;
  return c < lo ? lo : c > hi ? hi : c;
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
  // Each column triple is sorted once and shared by the three windows that contain it; the median of the 9 is
  // then med(max of the lows, med of the mids, min of the highs) (exact for 3×3).
  median3(d, w, h) {
    const out = new Uint8Array(w * h);
    const lo = new Uint8Array(w), mid = new Uint8Array(w), hi = new Uint8Array(w);
    for (let y = 0; y < h; y++) {
      const ya = Math.max(0, y - 1) * w, yb = y * w, yc = Math.min(h - 1, y + 1) * w;
      for (let x = 0; x < w; x++) {
        let a = d[ya + x]!, b = d[yb + x]!, c = d[yc + x]!, t: number;
        if (a > b) { t = a; a = b; b = t; }
        if (b > c) { t = b; b = c; c = t; }
        if (a > b) { t = a; a = b; b = t; }
        lo[x] = a; mid[x] = b; hi[x] = c;
      }
      for (let x = 0; x < w; x++) {
        const xa = x > 0 ? x - 1 : 0, xc = x < w - 1 ? x + 1 : w - 1;
        // (ternaries: Math.max/min with 3 arguments cost ~3× here)
        const l0 = lo[xa]!, l1 = lo[x]!, l2 = lo[xc]!, h0 = hi[xa]!, h1 = hi[x]!, h2 = hi[xc]!;
        const m0 = mid[xa]!, m1 = mid[x]!, m2 = mid[xc]!;
        const l01 = l0 > l1 ? l0 : l1, l = l01 > l2 ? l01 : l2;
        const h01 = h0 < h1 ? h0 : h1, u = h01 < h2 ? h01 : h2;
        out[yb + x] = med3(l, med3(m0, m1, m2), u);
      }
    }
    return out;
  },
  // Window sums by sliding: per-column sums over the window's rows (updated as the window moves down), then a
  // sliding sum along the row. O(w) memory instead of two (w+1)·(h+1) Float64 integral images (16 MB at 1 MP);
  // the sums are exact integers.
  localNormalize(d, w, h, radius, k) {
    const col1 = new Float64Array(w), col2 = new Float64Array(w);
    const out = new Uint8Array(w * h);
    let top = 0, bottom = 0; // rows [top, bottom) are in the column sums
    for (let y = 0; y < h; y++) {
      const y0 = Math.max(0, y - radius), y1 = Math.min(h, y + radius + 1);
      for (; bottom < y1; bottom++) {
        const o = bottom * w;
        for (let x = 0; x < w; x++) { const v = d[o + x]!; col1[x]! += v; col2[x]! += v * v; }
      }
      for (; top < y0; top++) {
        const o = top * w;
        for (let x = 0; x < w; x++) { const v = d[o + x]!; col1[x]! -= v; col2[x]! -= v * v; }
      }
      const rows = y1 - y0, o = y * w;
      let r1 = 0, r2 = 0, left = 0, right = 0; // columns [left, right) are in r1, r2
      for (let x = 0; x < w; x++) {
        const x0 = Math.max(0, x - radius), x1 = Math.min(w, x + radius + 1);
        for (; right < x1; right++) { r1 += col1[right]!; r2 += col2[right]!; }
        for (; left < x0; left++) { r1 -= col1[left]!; r2 -= col2[left]!; }
        const n = rows * (x1 - x0);
        const mean = r1 / n;
        const sd = Math.sqrt(Math.max(0, r2 / n - mean * mean));
        const v = 128 + (127 * (d[o + x]! - mean)) / (k * sd + 4);
        out[o + x] = v < 0 ? 0 : v > 255 ? 255 : v;
      }
    }
    return out;
  },
  gridSums(d, w, h, step, min2) {
    let c4 = 0, s4 = 0, c2sum = 0, s2sum = 0, total = 0, votes = 0;
    let mx = 0, my = 0, mxx = 0, myy = 0, mxy = 0;
    for (let y = 1; y < h - 1; y += step) {
      const row = y * w;
      for (let x = 1; x < w - 1; x += step) {
        // Sobel: the 3-row/column support gives staircase (aliased) edges their true direction.
        const a = row - w + x, b = row + x, c = row + w + x;
        const gx = (d[a + 1]! + 2 * d[b + 1]! + d[c + 1]! - d[a - 1]! - 2 * d[b - 1]! - d[c - 1]!) / 4;
        const gy = (d[c - 1]! + 2 * d[c]! + d[c + 1]! - d[a - 1]! - 2 * d[a]! - d[a + 1]!) / 4;
        const r2 = gx * gx + gy * gy;
        if (r2 < min2) continue;
        // cos 2φ, sin 2φ from the gradient without trigonometry, then 4φ by double-angle again.
        const c2 = (gx * gx - gy * gy) / r2, s2 = (2 * gx * gy) / r2;
        const r = Math.sqrt(r2);
        c2sum += r * c2;
        s2sum += r * s2;
        c4 += r * (c2 * c2 - s2 * s2);
        s4 += r * (2 * s2 * c2);
        total += r;
        votes++;
        mx += x; my += y; mxx += x * x; myy += y * y; mxy += x * y;
      }
    }
    return Float64Array.of(c2sum, s2sum, c4, s4, total, votes, mx, my, mxx, myy, mxy);
  },
  rotateBilinear(d, w, h, W, H, cos, sin, cx, cy, ox, oy, fill) {
    if (![cos, sin, cx, cy, ox, oy].every(Number.isFinite)) throw new RangeError("expected a finite number"); // as C
    const out = new Uint8Array(W * H);
    for (let v = 0; v < H; v++) {
      const dy = v - oy;
      let sx = -cos * ox + sin * dy + cx, sy = sin * ox + cos * dy + cy;
      const o = v * W;
      for (let u = 0; u < W; u++, sx += cos, sy -= sin) {
        const x0 = Math.floor(sx), y0 = Math.floor(sy);
        if (x0 < 0 || y0 < 0 || x0 >= w - 1 || y0 >= h - 1) { out[o + u] = fill; continue; }
        const fx = sx - x0, fy = sy - y0, p = y0 * w + x0;
        const top = d[p]! + (d[p + 1]! - d[p]!) * fx;
        const bottom = d[p + w]! + (d[p + w + 1]! - d[p + w]!) * fx;
        out[o + u] = top + (bottom - top) * fy + 0.5;
      }
    }
    return out;
  },
  boxDownscale(src, sw, sh, f) {
    const w = Math.floor(sw / f), h = Math.floor(sh / f);
    const out = new Uint8Array(w * h);
    if (f === 2) {
      // The most frequent factor (½ views, blob searches): one pass without the accumulator.
      for (let y = 0; y < h; y++) {
        let a = 2 * y * sw, b = a + sw;
        const o = y * w;
        for (let x = 0; x < w; x++, a += 2, b += 2) out[o + x] = (src[a]! + src[a + 1]! + src[b]! + src[b + 1]! + 2) >> 2;
      }
      return out;
    }
    const acc = new Uint32Array(w);
    const area = f * f, half = area >> 1;
    for (let y = 0; y < h; y++) {
      acc.fill(0);
      for (let dy = 0; dy < f; dy++) {
        let p = (y * f + dy) * sw;
        for (let x = 0; x < w; x++) {
          let s = 0;
          for (let dx = 0; dx < f; dx++) s += src[p++]!;
          acc[x]! += s;
        }
      }
      const o = y * w;
      for (let x = 0; x < w; x++) out[o + x] = (acc[x]! + half) / area;
    }
    return out;
  },
  binRows(src, w, sh, k) {
    const h = Math.floor(sh / k);
    const out = new Uint8Array(w * h);
    if (k === 2) {
      // The base pass's factor, on every image: one pass without the accumulator.
      for (let y = 0; y < h; y++) {
        const a = 2 * y * w, b = a + w, o = y * w;
        for (let x = 0; x < w; x++) out[o + x] = (src[a + x]! + src[b + x]! + 1) >> 1;
      }
      return out;
    }
    const acc = new Uint32Array(w);
    const half = k >> 1;
    for (let y = 0; y < h; y++) {
      acc.fill(half);
      for (let j = 0, p = y * k * w; j < k; j++) for (let x = 0; x < w; x++) acc[x]! += src[p++]!;
      const o = y * w;
      for (let x = 0; x < w; x++) out[o + x] = acc[x]! / k;
    }
    return out;
  },
};

/** An addon built before a kernel was added (a pull without `npm rebuild`) lacks it: then JS for all of them. */
const complete = nativeAddon !== undefined && (Object.keys(jsKernels) as (keyof Kernels)[]).every((k) => typeof nativeAddon?.[k] === "function");
if (nativeAddon && !complete) {
  console.warn("barbucket: the native addon lacks some pixel kernels (built from older sources?); using the JS ones. Run npm run build:native.");
}
const native: Kernels | undefined = complete ? (nativeAddon as Kernels) : undefined;

/** The kernels this process uses: C when the addon is built, else JS. */
export const kernels: Kernels = native ?? jsKernels;
/** The C kernels, for the tests that hold them to the JS ones. */
export const nativeKernels: Kernels | undefined = native;
