/**
 * From a fitted grid to a clean symbol: each module's luminance sampled in greyscale (mean of points around
 * its centre), decided against light/dark levels estimated in its neighbourhood of modules (uneven light,
 * glare gradients), function patterns painted from the version's template, rendered black on white with a
 * quiet zone for zxing's pure-symbol reader.
 */
import type { GrayImage } from "../zxing.js";
import { dimensionOf, functionTemplate, UNKNOWN } from "./qr-spec.js";
import { deblurModules } from "./module-deblur.js";
import { bilinear, mapToImage, type GridMap } from "./sampler.js";

export const RENDER_SCALE = 3;
export const RENDER_QUIET = 4;

/** Mean luminance of each module (row-major dim²), sampled at its centre and `spread` modules around it. */
export function sampleModules(img: GrayImage, map: GridMap, spread = 0.22, shiftX = 0, shiftY = 0): Float32Array {
  const dim = map.dim, out = new Float32Array(dim * dim), p: [number, number] = [0, 0];
  const offs = [[0, 0], [spread, spread], [-spread, spread], [spread, -spread], [-spread, -spread]] as const;
  for (let r = 0; r < dim; r++) {
    for (let c = 0; c < dim; c++) {
      let s = 0, n = 0;
      for (const [ox, oy] of offs) {
        if (!mapToImage(map, c + 0.5 + ox + shiftX, r + 0.5 + oy + shiftY, p)) continue;
        s += bilinear(img, p[0], p[1]);
        n++;
      }
      out[r * dim + c] = n ? s / n : 128;
    }
  }
  return out;
}

/** "deblur": module-deblur.ts (the local levels, then a blur model fitted on the function patterns). */
export type ThresholdKind = "local" | "wide" | "global" | "deblur";

/**
 * Dark (1) / light (0) per module. "local"/"wide": the midpoint of the means below and above the mean of a
 * (2R+1)² module window (robust to windows that are mostly dark or mostly light); where that window has
 * almost no contrast (saturated glare) the symbol-wide threshold decides. "global": one Otsu threshold.
 * Null when the kind does not apply (deblur without a usable model).
 */
export function thresholdModules(values: Float32Array, dim: number, kind: ThresholdKind, version = 0): Uint8Array | null {
  const bits = new Uint8Array(dim * dim);
  const global = otsu(values);
  if (kind === "global") {
    for (let i = 0; i < values.length; i++) bits[i] = values[i]! < global ? 1 : 0;
    return bits;
  }
  const { lo, hi } = localLevels(values, dim, kind === "wide" ? 6 : 3, global);
  if (kind === "deblur") return deblurModules(values, lo, hi, version);
  for (let i = 0; i < values.length; i++) bits[i] = values[i]! < (lo[i]! + hi[i]!) / 2 ? 1 : 0;
  return bits;
}

/**
 * Per module, the dark and light levels round it: the means below and above the mean of its (2R+1)² module
 * window; where the window has almost no contrast (saturated glare) both are the symbol-wide threshold.
 */
export function localLevels(values: Float32Array, dim: number, R: number, global: number): { lo: Float32Array; hi: Float32Array } {
  const lo = new Float32Array(dim * dim), hi = new Float32Array(dim * dim);
  for (let r = 0; r < dim; r++) {
    for (let c = 0; c < dim; c++) {
      const r0 = Math.max(0, r - R), r1 = Math.min(dim - 1, r + R), c0 = Math.max(0, c - R), c1 = Math.min(dim - 1, c + R);
      let s = 0, n = 0;
      for (let y = r0; y <= r1; y++) for (let x = c0; x <= c1; x++) { s += values[y * dim + x]!; n++; }
      const mean = s / n;
      let sLo = 0, nLo = 0, sHi = 0, nHi = 0;
      for (let y = r0; y <= r1; y++) {
        for (let x = c0; x <= c1; x++) {
          const v = values[y * dim + x]!;
          if (v < mean) { sLo += v; nLo++; } else { sHi += v; nHi++; }
        }
      }
      const l = nLo ? sLo / nLo : mean, h = nHi ? sHi / nHi : mean;
      const k = r * dim + c;
      if (h - l < 12) { lo[k] = global - 6; hi[k] = global + 6; } else { lo[k] = l; hi[k] = h; }
    }
  }
  return { lo, hi };
}

export function otsu(values: Float32Array): number {
  const hist = new Float64Array(256);
  for (const v of values) hist[Math.max(0, Math.min(255, Math.round(v)))]!++;
  let total = 0, sum = 0;
  for (let i = 0; i < 256; i++) { total += hist[i]!; sum += i * hist[i]!; }
  let wB = 0, sB = 0, best = -1, t = 128;
  for (let i = 0; i < 256; i++) {
    wB += hist[i]!;
    if (!wB) continue;
    const wF = total - wB;
    if (!wF) break;
    sB += i * hist[i]!;
    const mB = sB / wB, mF = (sum - sB) / wF;
    const between = wB * wF * (mB - mF) * (mB - mF);
    if (between > best) { best = between; t = i + 0.5; }
  }
  return t;
}

/** Black-on-white image of the module bits, function patterns taken from the version's template. */
export function renderSymbol(bits: Uint8Array, version: number, scale = RENDER_SCALE, quiet = RENDER_QUIET): GrayImage {
  const dim = dimensionOf(version), t = functionTemplate(version);
  const side = (dim + 2 * quiet) * scale;
  const data = new Uint8Array(side * side).fill(255);
  for (let r = 0; r < dim; r++) {
    for (let c = 0; c < dim; c++) {
      const known = t[r * dim + c]!;
      const dark = known === UNKNOWN ? bits[r * dim + c] === 1 : known === 1;
      if (!dark) continue;
      const y0 = (r + quiet) * scale, x0 = (c + quiet) * scale;
      for (let y = y0; y < y0 + scale; y++) data.fill(0, y * side + x0, y * side + x0 + scale);
    }
  }
  return { data, width: side, height: side };
}
