/**
 * One pyramid level of the finder scan: the image with its integral image, each pixel classified on demand
 * against the mean of its (2R+1)² window (dark, light or neither), and the 2D confirmation of a row hit by
 * rays through its centre at 0°, 90°, 45° and 135° (any chord through a finder's centre, even a
 * perspective-distorted one, crosses its rings about 1:1:3:1:1).
 */
import type { GrayImage } from "../zxing.js";

/** Window radius of the classification, in pixels of the level (window 17 px: finders of modules up to ~3.2 px
 * at this level; the next level, half the size, takes the larger ones). */
export const WINDOW_RADIUS = 8;
/** Levels a pixel must differ from its window's mean by to count as dark or light (sensor noise in flat areas). */
export const BIAS = 3;

export const DARK = 1, LIGHT = 2;

export interface Level {
  readonly img: GrayImage;
  /** Integral image, (w+1)·(h+1). */
  readonly sat: Uint32Array;
  /** Pixels of the scanned image per pixel of this level. */
  readonly factor: number;
}

export function integralImage(img: GrayImage): Uint32Array {
  const w = img.width, h = img.height, W = w + 1, d = img.data;
  const s = new Uint32Array(W * (h + 1));
  for (let y = 0; y < h; y++) {
    let row = 0;
    const o = y * w, so = (y + 1) * W;
    for (let x = 0; x < w; x++) {
      row += d[o + x]!;
      s[so + x + 1] = s[so - W + x + 1]! + row;
    }
  }
  return s;
}

/** A classified row as runs of one class: `cls[i]` (DARK, LIGHT or 0) for `len[i]` pixels, `n` runs. */
export interface RowRuns { cls: Uint8Array; len: Int32Array; n: number }

export function rowRuns(width: number): RowRuns {
  return { cls: new Uint8Array(width + 1), len: new Int32Array(width + 1), n: 0 };
}

/** Classify row y (DARK, LIGHT or 0 per pixel) into runs. */
export function classifyRow(lv: Level, y: number, out: RowRuns): void {
  const { width: w, height: h, data: d } = lv.img, sat = lv.sat, W = w + 1, r = WINDOW_RADIUS;
  const y0 = y - r < 0 ? 0 : y - r, y1 = y + r + 1 > h ? h : y + r + 1;
  const top = y0 * W, bot = y1 * W, rows = y1 - y0, o = y * w;
  const cls = out.cls, len = out.len;
  let n = 0, prev = -1, run = 0;
  const push = (c: number): void => {
    if (c === prev) { run++; return; }
    if (prev >= 0) { cls[n] = prev; len[n] = run; n++; }
    prev = c; run = 1;
  };
  // Borders: windows clipped by the image's sides.
  const xa = Math.min(r, w), xb = Math.max(xa, w - r - 1);
  for (let x = 0; x < xa; x++) push(classOf(sat, d, top, bot, rows, o, x, x - r < 0 ? 0 : x - r, x + r + 1 > w ? w : x + r + 1));
  // Interior: a constant window size.
  const nIn = rows * (2 * r + 1), bIn = BIAS * nIn;
  for (let x = xa; x < xb; x++) {
    const x0 = x - r, x1 = x + r + 1;
    const sum = sat[bot + x1]! - sat[top + x1]! - sat[bot + x0]! + sat[top + x0]!;
    const v = d[o + x]! * nIn;
    const c = v < sum - bIn ? DARK : v > sum + bIn ? LIGHT : 0;
    if (c === prev) { run++; continue; }
    if (prev >= 0) { cls[n] = prev; len[n] = run; n++; }
    prev = c; run = 1;
  }
  for (let x = xb; x < w; x++) push(classOf(sat, d, top, bot, rows, o, x, x - r < 0 ? 0 : x - r, x + r + 1 > w ? w : x + r + 1));
  if (prev >= 0) { cls[n] = prev; len[n] = run; n++; }
  out.n = n;
}

function classOf(sat: Uint32Array, d: Uint8Array, top: number, bot: number, rows: number, o: number, x: number, x0: number, x1: number): number {
  const n = rows * (x1 - x0);
  const sum = sat[bot + x1]! - sat[top + x1]! - sat[bot + x0]! + sat[top + x0]!;
  const v = d[o + x]! * n, b = BIAS * n;
  return v < sum - b ? DARK : v > sum + b ? LIGHT : 0;
}

function classAt(lv: Level, x: number, y: number): number {
  const { width: w, height: h, data: d } = lv.img, sat = lv.sat, W = w + 1, r = WINDOW_RADIUS;
  const y0 = y - r < 0 ? 0 : y - r, y1 = y + r + 1 > h ? h : y + r + 1;
  const x0 = x - r < 0 ? 0 : x - r, x1 = x + r + 1 > w ? w : x + r + 1;
  const n = (y1 - y0) * (x1 - x0);
  const sum = sat[y1 * W + x1]! - sat[y0 * W + x1]! - sat[y1 * W + x0]! + sat[y0 * W + x0]!;
  const v = d[y * w + x]! * n, b = BIAS * n;
  return v < sum - b ? DARK : v > sum + b ? LIGHT : 0;
}

/** 1:1:3:1:1 within blur-tolerant bounds (blur thickens dark rings and thins light ones, or the reverse). */
export function finderRatios(a: number, b: number, c: number, d: number, e: number): boolean {
  const total = a + b + c + d + e;
  if (total < 7) return false;
  const m = total / 7;
  const lo = 0.4 * m, hi = 1.75 * m;
  return a >= lo && a <= hi && b >= lo && b <= hi && d >= lo && d <= hi && e >= lo && e <= hi && c >= 1.8 * m && c <= 4.6 * m;
}

/** `span`: distance between the middles of the two outer rings, 6 modules in a finder; unlike the total length
 * it does not grow when blur or the threshold thickens the dark rings. `shift`: the centre run's midpoint as a
 * signed offset along the ray. */
interface RayResult { ok: boolean; total: number; span: number; shift: number }
const ray: RayResult = { ok: false, total: 0, span: 0, shift: 0 };
const runs = new Int32Array(6); // [centre+, other+, ring+, centre-, other-, ring-]

function castRay(lv: Level, want: number, cx: number, cy: number, dx: number, dy: number, maxLen: number): RayResult {
  ray.ok = false;
  const w = lv.img.width, h = lv.img.height;
  const x0 = Math.round(cx), y0 = Math.round(cy);
  if (x0 < 0 || y0 < 0 || x0 >= w || y0 >= h || classAt(lv, x0, y0) !== want) return ray;
  for (let side = 0; side < 2; side++) {
    const sx = side === 0 ? dx : -dx, sy = side === 0 ? dy : -dy;
    let state = 0, len = 0;
    for (let k = side === 0 ? 0 : 1; k <= maxLen; k++) {
      const x = Math.round(cx + sx * k), y = Math.round(cy + sy * k);
      if (x < 0 || y < 0 || x >= w || y >= h) return ray;
      const on = classAt(lv, x, y) === want;
      if (on === (state !== 1)) { len++; continue; }
      runs[side * 3 + state] = len;
      state++;
      if (state === 3) break;
      len = 1;
    }
    if (state < 3) return ray;
  }
  const cPlus = runs[0]!, cMinus = runs[3]!;
  const a = runs[5]!, b = runs[4]!, c = cPlus + cMinus, d = runs[1]!, e = runs[2]!;
  ray.ok = finderRatios(a, b, c, d, e);
  ray.total = a + b + c + d + e;
  ray.span = a / 2 + b + c + d + e / 2;
  ray.shift = (cPlus - cMinus) / 2;
  return ray;
}

export interface Confirmed { x: number; y: number; module: number; diagonals: number }

/** Confirm a row hit at (cx, cy) in 2D: the refined centre and module size (level pixels), or null. */
export function confirmFinder(lv: Level, want: number, cx: number, cy: number, rowTotal: number): Confirmed | null {
  const maxLen = Math.ceil(rowTotal * 2.5);
  let r = castRay(lv, want, cx, cy, 0, 1, maxLen);
  if (!r.ok) return null;
  cy += r.shift;
  r = castRay(lv, want, cx, cy, 1, 0, maxLen);
  if (!r.ok) return null;
  const hTotal = r.total, hSpan = r.span;
  cx += r.shift;
  r = castRay(lv, want, cx, cy, 0, 1, maxLen);
  if (!r.ok) return null;
  const vTotal = r.total, vSpan = r.span;
  cy += r.shift;
  if (hTotal > 3.5 * vTotal || vTotal > 3.5 * hTotal) return null;
  const s = Math.SQRT1_2;
  let diagonals = 0;
  // A chord through the centre of a square is shortest along the square's own axes: the shortest span of the
  // four rays is within 8 % of 6 modules at any rotation (the horizontal one alone is 1/cos θ too long).
  let span = Math.min(hSpan, vSpan);
  for (let k = 0; k < 2; k++) {
    const d = castRay(lv, want, cx, cy, s, k === 0 ? s : -s, maxLen);
    if (d.ok) { diagonals++; span = Math.min(span, d.span); }
  }
  if (diagonals === 0) return null;
  return { x: cx, y: cy, module: span / 6, diagonals };
}
