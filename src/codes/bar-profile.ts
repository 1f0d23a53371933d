/**
 * Scan-line synthesis for bar codes that no single pixel row shows cleanly: grain, faint print, defocus.
 *
 * A 1D symbol carries its whole message in one profile across its bars, and every row of the symbol repeats
 * it; zxing binarises row by row, so one row must survive on its own. Here the bars are set upright (grid
 * angle), each column of the symbol's band is summarised over ~100 pixels (grain averages out; glare-clipped
 * pixels are left out), the profile is stretched to 0..255 and — for defocus — deconvolved (Richardson–Lucy,
 * Gaussian PSF: noise-free thanks to the averaging, so it bears the iterations an image row could not). The
 * result is a thin image of identical rows whose points map back onto the band's centre line.
 */
import type { ViewRotation } from "./found.js";
import { rotateGray, type GridAngle } from "./orientation.js";
import type { GrayImage } from "./zxing.js";

/** Pixels at or above this are glare (clipped), not paper: they say nothing about the bar under them. */
const SATURATED = 250;
/** Rows whose horizontal edge energy is at least this share of the strongest (smoothed) row's form the band. */
const BAND_SHARE = 0.3;
/** Bars turned less than this are read as they stand (a turn resamples, i.e. blurs, every pixel). */
const MIN_TURN_DEG = 0.5;
/** Rows of the synthesized view: 4 per synthesized line (zxing wants 2 agreeing lines; more would only cost). */
const ROWS = 32;

export type ProfileMode = "median" | "deblur";

export interface ProfileView {
  view: GrayImage;
  /** Maps the synthesized view back to `img` (found.ts mapPoint): its rows lie on the band's centre line. */
  rotation: ViewRotation;
}

/** What every synthesized line of one view starts from: the view with its bars upright, their band of rows,
 * and each column's median over it. */
export interface ProfileBasis {
  view: GrayImage;
  /** The turn that set the bars upright, if any. */
  turn: ViewRotation | null;
  band: { top: number; bottom: number };
  median: Float64Array;
}

/** The basis of a bar-like `img` (`grid` is its gridAngle); null when no band of rows crosses bars. */
export function profileBasis(img: GrayImage, grid: GridAngle): ProfileBasis | null {
  const turned = Math.abs(grid.deg) >= MIN_TURN_DEG ? rotateGray(img, -grid.deg) : null;
  const view = turned ? turned.view : img;
  if (view.width < 16 || view.height < 4) return null;
  const band = barBand(view);
  if (!band) return null;
  return { view, turn: turned ? turned.rotation : null, band, median: columnProfile(view, band.top, band.bottom, "median") };
}

/**
 * The synthesized scan line of a bar-like view: "median" takes each column's median (grain, specks); "deblur"
 * its mean and its median, each deconvolved for four PSF widths (defocus of unknown extent: suite blur-6 reads
 * at σ 2.5 from the mean, blur-26 at σ 2 from the median), stacked as eight groups of 4 rows.
 */
export function barProfileView(basis: ProfileBasis, mode: ProfileMode): ProfileView {
  const { view, band, median } = basis;
  const { width: w, height: h } = view;
  let lines = [stretch(median)];
  if (mode === "deblur") {
    // One group of rows per (summary, assumed PSF width): one zxing call tries them all, each group's rows agree.
    const mean = columnProfile(view, band.top, band.bottom, "mean");
    lines = [mean, median].flatMap((p) => DEBLUR_SIGMAS.map((sigma) => stretch(richardsonLucy(p, sigma, DEBLUR_ITERATIONS))));
  }
  const per = ROWS / lines.length;
  const data = new Uint8Array(w * ROWS);
  for (let y = 0; y < ROWS; y++) data.set(lines[Math.floor(y / per)]!, y * w);
  // Synthesized row ROWS/2 is the band's centre row of `view`: shift the turn's output origin accordingly.
  const centre = (band.top + band.bottom - 1) / 2;
  const base: ViewRotation = basis.turn ?? { cos: 1, sin: 0, cx: (w - 1) / 2, cy: (h - 1) / 2, ox: (w - 1) / 2, oy: (h - 1) / 2 };
  const rotation = { ...base, oy: base.oy - (centre - (ROWS - 1) / 2) };
  return { view: { data, width: w, height: ROWS }, rotation };
}

/** Defocus PSFs tried by "deblur" (px) and the iterations: suite blur scenes, modules of 2–4 px. */
const DEBLUR_SIGMAS = [1.5, 2, 2.5, 3];
const DEBLUR_ITERATIONS = 10;

/** Rows [top, bottom) whose horizontal edge energy marks them as crossing the bars; null if under 4 rows. */
export function barBand(img: GrayImage): { top: number; bottom: number } | null {
  const { width: w, height: h, data: d } = img;
  const energy = new Float64Array(h);
  for (let y = 0; y < h; y++) {
    let e = 0;
    const row = y * w;
    for (let x = 0; x + 1 < w; x++) {
      const a = d[row + x]!, b = d[row + x + 1]!;
      if (a < SATURATED || b < SATURATED) e += Math.abs(a - b);
    }
    energy[y] = e;
  }
  // 5-row smoothing: one noisy row is not the band.
  let max = 0;
  const smooth = new Float64Array(h);
  for (let y = 0; y < h; y++) {
    let s = 0, n = 0;
    for (let k = Math.max(0, y - 2); k <= Math.min(h - 1, y + 2); k++) { s += energy[k]!; n++; }
    smooth[y] = s / n;
    if (smooth[y]! > max) max = smooth[y]!;
  }
  // Grain gives every row some energy: measure above the floor (the quietest quarter of rows).
  const floor = Float64Array.from(smooth).sort()[Math.floor(h / 4)]!;
  if (max - floor <= 0) return null;
  let top = -1, bottom = -1;
  for (let y = 0; y < h; y++) {
    if (smooth[y]! - floor < BAND_SHARE * (max - floor)) continue;
    if (top < 0) top = y;
    bottom = y + 1;
  }
  return bottom - top >= 4 ? { top, bottom } : null;
}

/** Per column, the median or mean of its unsaturated pixels in rows [top, bottom) (a fully clipped column
 * takes its nearest neighbour's value: a gap would read as a bar or a space). */
export function columnProfile(img: GrayImage, top: number, bottom: number, stat: "median" | "mean"): Float64Array {
  const { width: w, data: d } = img;
  const out = new Float64Array(w).fill(-1);
  const hist = new Uint32Array(SATURATED);
  for (let x = 0; x < w; x++) {
    let n = 0, sum = 0;
    if (stat === "median") hist.fill(0);
    for (let y = top; y < bottom; y++) {
      const v = d[y * w + x]!;
      if (v >= SATURATED) continue;
      n++;
      sum += v;
      if (stat === "median") hist[v]!++;
    }
    if (n === 0) continue;
    if (stat === "mean") { out[x] = sum / n; continue; }
    let acc = 0, v = 0;
    for (const want = (n - 1) >> 1; v < SATURATED - 1; v++) if ((acc += hist[v]!) > want) break;
    out[x] = v;
  }
  for (let x = 0; x < w; x++) if (out[x]! < 0) out[x] = nearestFilled(out, x);
  return out;
}

function nearestFilled(p: Float64Array, x: number): number {
  for (let k = 1; k < p.length; k++) {
    if (x - k >= 0 && p[x - k]! >= 0) return p[x - k]!;
    if (x + k < p.length && p[x + k]! >= 0) return p[x + k]!;
  }
  return 255;
}

/** Linear map of the profile's range onto 0..255 (a flat profile stays white). */
export function stretch(p: Float64Array): Uint8Array {
  let lo = Infinity, hi = -Infinity;
  for (const v of p) { if (v < lo) lo = v; if (v > hi) hi = v; }
  const out = new Uint8Array(p.length).fill(255);
  if (hi - lo < 1) return out;
  for (let i = 0; i < p.length; i++) out[i] = Math.round((255 * (p[i]! - lo)) / (hi - lo));
  return out;
}

/** Richardson–Lucy deconvolution of a 1D signal by a Gaussian of `sigma` px (edges clamped). */
export function richardsonLucy(p: Float64Array, sigma: number, iterations: number): Float64Array {
  const r = Math.ceil(3 * sigma), k = new Float64Array(2 * r + 1);
  let t = 0;
  for (let i = -r; i <= r; i++) t += k[i + r] = Math.exp(-(i * i) / (2 * sigma * sigma));
  for (let i = 0; i < k.length; i++) k[i]! /= t;
  const n = p.length;
  const observed = Float64Array.from(p, (v) => v + 1); // RL needs positive values
  let u = Float64Array.from(observed);
  const blurred = new Float64Array(n), ratio = new Float64Array(n), back = new Float64Array(n);
  for (let it = 0; it < iterations; it++) {
    convolve(u, k, blurred);
    for (let i = 0; i < n; i++) ratio[i] = observed[i]! / Math.max(1e-6, blurred[i]!);
    convolve(ratio, k, back); // the Gaussian is symmetric: its adjoint is itself
    const next = new Float64Array(n);
    for (let i = 0; i < n; i++) next[i] = u[i]! * back[i]!;
    u = next;
  }
  return u;
}

function convolve(src: Float64Array, k: Float64Array, out: Float64Array): void {
  const n = src.length, r = (k.length - 1) / 2;
  for (let x = 0; x < n; x++) {
    let s = 0;
    for (let j = -r; j <= r; j++) s += src[Math.min(n - 1, Math.max(0, x + j))]! * k[j + r]!;
    out[x] = s;
  }
}

/**
 * Mean width (px) of the bars and spaces across `img`'s band (its bars upright within a few degrees): runs of the
 * median profile between mid-level crossings (with 10 % hysteresis), over the span from the first crossing to
 * the last. Infinity when fewer than 8 runs: no bars to speak of.
 */
export function elementWidth(img: GrayImage): number {
  const band = barBand(img);
  if (!band) return Infinity;
  const p = columnProfile(img, band.top, band.bottom, "median");
  let lo = Infinity, hi = -Infinity;
  for (const v of p) { if (v < lo) lo = v; if (v > hi) hi = v; }
  const mid = (lo + hi) / 2, margin = 0.1 * (hi - lo);
  let state = 0, first = -1, last = -1, runs = 0;
  for (let x = 0; x < p.length; x++) {
    const next = p[x]! > mid + margin ? 1 : p[x]! < mid - margin ? -1 : state;
    if (next !== state && state !== 0) {
      if (first < 0) first = x;
      last = x;
      runs++;
    }
    state = next;
  }
  return runs >= 8 ? (last - first) / (runs - 1) : Infinity;
}
