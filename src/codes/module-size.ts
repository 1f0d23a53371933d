/**
 * How narrow a crop's narrowest bars and spaces are: runs between crossings of the local mean, along sampled
 * rows and columns, where the local contrast says there is print. A symbol's narrow runs are its module (a bar
 * turned by θ measures 1/cos θ more across rows, so the direction with the shorter runs counts). Grain has short
 * runs too, but unlike print it changes from one line to the next: a direction whose neighbouring lines do not
 * agree (shifted by up to a pixel, for turned edges) measures nothing.
 */
import type { GrayImage } from "./zxing.js";

/** Lines sampled per direction, at most; the local mean's half-window (px); contrast under which a stretch is paper. */
const MAX_LINES = 48;
const HALF_WINDOW = 8;
const MIN_CONTRAST = 24;
/** The quantile of the runs taken as the narrow run (a symbol's runs are 1–4 modules wide, most of them 1 or 2). */
const NARROW_QUANTILE = 0.3;
/** Fewer runs than this: no print to measure. */
const MIN_RUNS = 24;
/** Correlation of neighbouring lines' deviations from their local means under which the runs are grain: printed
 * modules of 1.3 px and more keep it above ~0.5, independent grain near 0. */
const MIN_LINE_AGREEMENT = 0.3;

/** The crop's narrow run length in pixels; Infinity when it holds too little print to tell. */
export function narrowRun(img: GrayImage): number {
  const { width: w, height: h } = img;
  return Math.min(narrowAlong(img, h, w, w, 1), narrowAlong(img, w, h, 1, w));
}

/** Lines `count` of them, `length` samples each; line k starts at k·stride, samples `step` apart. */
function narrowAlong(img: GrayImage, count: number, length: number, stride: number, step: number): number {
  const data = img.data;
  const runs: number[] = [];
  const lines = Math.min(MAX_LINES, count - 1);
  if (lines < 1) return Infinity;
  const dev = (start: number) => {
    const values = new Float64Array(length), pre = new Float64Array(length + 1), out = new Float64Array(length);
    for (let i = 0; i < length; i++) { values[i] = data[start + i * step]!; pre[i + 1] = pre[i]! + values[i]!; }
    for (let i = 0; i < length; i++) {
      const a = Math.max(0, i - HALF_WINDOW), b = Math.min(length, i + HALF_WINDOW + 1);
      out[i] = values[i]! - (pre[b]! - pre[a]!) / (b - a);
    }
    return { values, out };
  };
  // neighbouring lines' agreement, at shifts −1, 0, +1
  const cross = [0, 0, 0];
  let e0 = 0, e1 = 0;
  for (let k = 0; k < lines; k++) {
    const line = Math.floor(((k + 0.5) * (count - 1)) / lines);
    const { values, out: d } = dev(line * stride);
    const { out: d1 } = dev((line + 1) * stride);
    let last = -1, lastSide = 0;
    for (let i = 0; i < length; i++) {
      const a = Math.max(0, i - HALF_WINDOW), b = Math.min(length, i + HALF_WINDOW + 1);
      let lo = 255, hi = 0;
      for (let j = a; j < b; j += 2) { const v = values[j]!; if (v < lo) lo = v; if (v > hi) hi = v; }
      if (hi - lo < MIN_CONTRAST) { last = -1; lastSide = 0; continue; }
      e0 += d[i]! * d[i]!;
      e1 += d1[i]! * d1[i]!;
      for (let s = -1; s <= 1; s++) cross[s + 1]! += d[i]! * (d1[i + s] ?? 0);
      const side = d[i]! > 0 ? 1 : -1;
      if (side !== lastSide) {
        // a crossing (not the entry into print, whose run started before it)
        if (lastSide !== 0) { if (last >= 0) runs.push(i - last); last = i; }
        lastSide = side;
      }
    }
  }
  if (runs.length < MIN_RUNS || Math.max(...cross) < MIN_LINE_AGREEMENT * Math.sqrt(e0 * e1)) return Infinity;
  runs.sort((a, b) => a - b);
  return runs[Math.floor(NARROW_QUANTILE * (runs.length - 1))]!;
}
