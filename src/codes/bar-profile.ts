/**
 * A 1D symbol's bar profile: every line along its bars votes for each position across them.
 *
 * zxing's 1D readers decode one scan line at a time. Glare that washes out the middle of the bars, grain and
 * blur each spoil every single line somewhere, while the bars themselves run unbroken from top to bottom: what
 * one line loses, the lines above and below still hold. So the crop is resampled on a frame turned to the bars,
 * each line's samples are normalised over a wide window (so that a label's margin and the spaces between its bars
 * keep one level) and weighted by their local spread (a washed-out stretch has none and so no vote; the weight
 * grows steeply with it, so that the few clear lines above and below a glare spot outvote the many washed-out
 * ones through it), and the lines are averaged, weighted again by how well each agrees with the first average
 * (lines over text or paper beside the symbol drop out). The frame's angle is the one whose average keeps the
 * most contrast (a residual tilt smears the bars). The result is one synthesized scan line repeated down a view
 * that zxing reads: its rows are not independent scan lines.
 *
 * The lines on either side of the bars' middle give two more profiles from disjoint pixels: two independent
 * witnesses for a read that its symbology's check does not make certain.
 */
import type { GridAngle } from "./orientation.js";
import type { GrayImage } from "./zxing.js";

/** Samples per pixel across the bars: a 1.3 px module still spans two (the angle search takes one). */
const SAMPLES_PER_PX = 2;
const SEARCH_SAMPLES_PER_PX = 1;
/** A sample's vote: the spread within 1/20 of the crop's diagonal on either side (a few modules of a symbol
 * filling it), cubed. */
const WEIGHT_WINDOW_SHARE = 1 / 20;
/** Its value: normalised by the mean and spread within 1/8 of the diagonal on either side (wider than a label's
 * margin, so that the margin is compared with the bars beside it). */
const NORM_WINDOW_SHARE = 1 / 8;
/** Spread (grey levels) under which a stretch of a line has no bars to vote for: glare, paper, the crop's outside. */
const MIN_SPREAD = 6;
/** Angle offsets (degrees) tried around each axis of the grid, coarse (every COARSE_ROW_STEP-th line) then fine. */
const COARSE_STEPS = [-3, -1.5, 0, 1.5, 3];
const COARSE_ROW_STEP = 16;
/** …the fine ones every FINE_ROW_STEP-th, the profiles read every ROW_STEP-th (bars run unbroken: every other line
 * holds what both would). */
const FINE_ROW_STEP = 4;
const ROW_STEP = 2;
const FINE_STEPS = [-0.5, 0, 0.5];
/** Lines agreeing with the first average at least this well span the bars (the box of a read). */
const BAND_AGREEMENT = 0.5;
/** Rows of the synthesized view: zxing's hybrid binariser wants 40 or more. */
const VIEW_ROWS = 48;
/** The line between ink (−1) and paper (+1) levels, to grey levels. */
const GAIN = 100;
/** Ink and paper levels: these quantiles of the profile where the bars are. */
const INK_QUANTILE = 0.1;
const PAPER_QUANTILE = 0.8;

export interface BarProfileView {
  view: GrayImage;
  /** View point → crop point (across the bars: the profile's position; down: the band of the lines averaged). */
  warp: (x: number, y: number) => [number, number];
}

/** The synthesized scan lines of a bars crop: from its even and its odd lines (two disjoint sets of pixels). */
export interface BarProfiles {
  halves: [BarProfileView, BarProfileView];
  /** The same, each sharpened (a 1D unsharp mask of about a module: blur merges thin bars' edges). */
  sharpened: [BarProfileView, BarProfileView];
  /** Samples taken (bilinear), for the caller's effort accounting. */
  samples: number;
}

interface Frame {
  cx: number;
  cy: number;
  /** Unit vector across the bars (the scan direction). */
  nx: number;
  ny: number;
  /** The crop's extent across the bars (offsets from the centre, pixels) and along them. */
  t0: number;
  t1: number;
  s0: number;
  s1: number;
  /** Window sizes are shares of this (pixels). */
  diag: number;
}

interface Profile {
  values: Float64Array;
  /** Sum of squared values where lines voted: the contrast the average kept. */
  energy: number;
  /** Range of bar-direction offsets (pixels) of the lines that agree with the average. */
  band: [number, number];
  samples: number;
}

/** The bar profiles of a bars crop; null when no line has bars on it. Windows are shares of `scale` (pixels; default
 * the crop's diagonal): the symbol's size, when the crop holds more than the symbol. */
export function barProfiles(img: GrayImage, grid: GridAngle, scale = Math.hypot(img.width, img.height)): BarProfiles | null {
  if (img.width < 2 || img.height < 2) return null;
  const diag = scale;
  const corners = [[0, 0], [img.width - 1, 0], [0, img.height - 1], [img.width - 1, img.height - 1]] as const;
  const frameAt = (deg: number): Frame => {
    const a = (deg * Math.PI) / 180, nx = Math.cos(a), ny = Math.sin(a);
    const ts = corners.map(([x, y]) => (x - grid.cx) * nx + (y - grid.cy) * ny);
    const ss = corners.map(([x, y]) => -(x - grid.cx) * ny + (y - grid.cy) * nx);
    return { cx: grid.cx, cy: grid.cy, nx, ny, t0: Math.min(...ts), t1: Math.max(...ts), s0: Math.min(...ss), s1: Math.max(...ss), diag };
  };
  let samples = 0;
  // The grid's angle is known modulo 90°; which of its axes crosses the bars, the profiles tell (on a faint
  // symbol the card's edges, not the bars, can set the mean gradient direction).
  let coarse = { deg: 0, energy: -1 };
  for (const axis of [grid.deg, grid.deg + 90]) {
    for (const d of COARSE_STEPS) {
      const p = profile(img, frameAt(axis + d), COARSE_ROW_STEP, SEARCH_SAMPLES_PER_PX);
      samples += p.samples;
      if (p.energy > coarse.energy) coarse = { deg: axis + d, energy: p.energy };
    }
  }
  let best: { deg: number; energy: number } | null = null;
  for (const d of FINE_STEPS) {
    const p = profile(img, frameAt(coarse.deg + d), FINE_ROW_STEP, SEARCH_SAMPLES_PER_PX);
    samples += p.samples;
    if (!best || p.energy > best.energy) best = { deg: coarse.deg + d, energy: p.energy };
  }
  if (!best || best.energy <= 0) return null;
  const f = frameAt(best.deg);
  // every other line of the same grid: disjoint pixels (bilinear samples of lines 2 px apart share none)
  const even = profile(img, f, 2 * ROW_STEP, SAMPLES_PER_PX), odd = profile(img, f, 2 * ROW_STEP, SAMPLES_PER_PX, ROW_STEP);
  samples += even.samples + odd.samples;
  if (even.energy <= 0 || odd.energy <= 0) return null;
  const radius = windowRadius(diag, WEIGHT_WINDOW_SHARE);
  return {
    halves: [lineView(even, f, radius), lineView(odd, f, radius)],
    sharpened: [lineView(sharpen(even), f, radius), lineView(sharpen(odd), f, radius)],
    samples,
  };
}

const windowRadius = (diag: number, share: number, spp = SAMPLES_PER_PX) => Math.max(4, Math.round(diag * share * spp));

/** The view of one profile: its line repeated down VIEW_ROWS rows, mapped back over the lines' band. */
function lineView(p: Profile, f: Frame, radius: number): BarProfileView {
  const n = p.values.length;
  const line = betweenInkAndPaper(p.values, radius);
  const data = new Uint8Array(n * VIEW_ROWS);
  for (let i = 0; i < n; i++) data[i] = Math.max(0, Math.min(255, Math.round(128 + GAIN * line[i]!)));
  for (let r = 1; r < VIEW_ROWS; r++) data.copyWithin(r * n, 0, n);
  const [s0, s1] = p.band;
  const warp = (x: number, y: number): [number, number] => {
    const t = f.t0 + x / SAMPLES_PER_PX;
    const s = s0 + (Math.max(0, Math.min(VIEW_ROWS, y)) / VIEW_ROWS) * (s1 - s0);
    return [f.cx + t * f.nx - s * f.ny, f.cy + t * f.ny + s * f.nx];
  };
  return { view: { width: n, height: VIEW_ROWS, data }, warp };
}

/** Unsharp strength and the module estimate's quantile of the runs between the profile's mean crossings. */
const SHARPEN_GAIN = 3;
const SHARPEN_SIGMA_MODULES = 0.8;
const NARROW_RUN_QUANTILE = 0.2;

/** The profile with a 1D unsharp mask whose Gaussian spans about a module (the narrow runs' width). */
function sharpen(p: Profile): Profile {
  const v = p.values, n = v.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += v[i]!;
  mean /= n;
  const runs: number[] = [];
  for (let i = 1, start = 0; i < n; i++) {
    if ((v[i]! > mean) !== (v[i - 1]! > mean)) {
      if (start > 0) runs.push(i - start);
      start = i;
    }
  }
  if (runs.length < 8) return p;
  runs.sort((a, b) => a - b);
  const sigma = Math.max(0.75, SHARPEN_SIGMA_MODULES * runs[Math.floor(NARROW_RUN_QUANTILE * (runs.length - 1))]!);
  const r = Math.ceil(3 * sigma), kernel = new Float64Array(2 * r + 1);
  let ks = 0;
  for (let k = -r; k <= r; k++) ks += kernel[k + r] = Math.exp(-(k * k) / (2 * sigma * sigma));
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let acc = 0, wsum = 0;
    for (let k = -r; k <= r; k++) {
      const j = i + k;
      if (j < 0 || j >= n) continue;
      acc += kernel[k + r]! * v[j]!;
      wsum += kernel[k + r]!;
    }
    out[i] = v[i]! + SHARPEN_GAIN * (v[i]! - acc / wsum);
  }
  return { ...p, values: out };
}

/**
 * The profile scaled between its ink (−1) and paper (+1) levels, measured where the bars are (where it varies
 * most); what is lighter than the paper between the bars (the ground around a grey label) is clipped to paper,
 * so that the label's margin stays a quiet zone.
 */
function betweenInkAndPaper(values: Float64Array, radius: number): Float64Array {
  const n = values.length;
  const spreads = windowSpreads(values, radius);
  const top = Float64Array.from(spreads).sort()[Math.floor(0.9 * (n - 1))]!;
  const inBars: number[] = [];
  for (let i = 0; i < n; i++) if (spreads[i]! >= 0.5 * top) inBars.push(values[i]!);
  if (inBars.length < 8) return values;
  inBars.sort((a, b) => a - b);
  const ink = inBars[Math.floor(INK_QUANTILE * (inBars.length - 1))]!;
  const paper = inBars[Math.floor(PAPER_QUANTILE * (inBars.length - 1))]!;
  if (!(paper > ink)) return values;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.max(-1.25, Math.min(1, (2 * (values[i]! - ink)) / (paper - ink) - 1));
  return out;
}

/** Standard deviation of `values` within `radius` of each position. */
function windowSpreads(values: Float64Array, radius: number): Float64Array {
  const n = values.length;
  const pre = new Float64Array(n + 1), pre2 = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    pre[i + 1] = pre[i]! + values[i]!;
    pre2[i + 1] = pre2[i]! + values[i]! * values[i]!;
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = Math.max(0, i - radius), b = Math.min(n, i + radius + 1), cnt = b - a;
    const mean = (pre[b]! - pre[a]!) / cnt;
    out[i] = Math.sqrt(Math.max(0, (pre2[b]! - pre2[a]!) / cnt - mean * mean));
  }
  return out;
}

/** The weighted profile across the bars in one frame, from every `rowStep`-th line along them within `lineRange`
 * (offsets along the bars, pixels). */
function profile(img: GrayImage, f: Frame, rowStep: number, spp: number, offset = 0): Profile {
  const n = Math.max(8, Math.floor((f.t1 - f.t0) * spp) + 1);
  const lines = Math.max(1, Math.floor((f.s1 - f.s0) / rowStep));
  const radius = windowRadius(f.diag, WEIGHT_WINDOW_SHARE, spp), normRadius = windowRadius(f.diag, NORM_WINDOW_SHARE, spp);
  // z-scores and weights of every line, kept for the second (agreement-weighted) average
  const z = new Float32Array(n * lines), w = new Float32Array(n * lines);
  const sumWZ = new Float64Array(n), sumW = new Float64Array(n);
  const row = new Float64Array(n);
  const pre = new Float64Array(n + 1), pre2 = new Float64Array(n + 1);
  const dx = f.nx / spp, dy = f.ny / spp;
  let samples = 0;
  for (let j = 0; j < lines; j++) {
    const s = f.s0 + offset + (j + 0.5) * rowStep;
    const ox = f.cx - s * f.ny + f.t0 * f.nx, oy = f.cy + s * f.nx + f.t0 * f.ny;
    const [i0, i1] = insideSpan(img, ox, oy, dx, dy, n);
    if (i1 - i0 < 2 * radius) continue;
    samples += i1 - i0;
    for (let i = i0; i < i1; i++) row[i] = bilinear(img, ox + i * dx, oy + i * dy);
    pre[i0] = 0;
    pre2[i0] = 0;
    for (let i = i0; i < i1; i++) {
      pre[i + 1] = pre[i]! + row[i]!;
      pre2[i + 1] = pre2[i]! + row[i]! * row[i]!;
    }
    for (let i = i0; i < i1; i++) {
      let a = Math.max(i0, i - radius), b = Math.min(i1, i + radius + 1), cnt = b - a;
      if (cnt < radius) continue; // the window is mostly outside the crop
      let mean = (pre[b]! - pre[a]!) / cnt;
      const spread = Math.sqrt(Math.max(0, (pre2[b]! - pre2[a]!) / cnt - mean * mean));
      if (spread < MIN_SPREAD) continue;
      a = Math.max(i0, i - normRadius);
      b = Math.min(i1, i + normRadius + 1);
      cnt = b - a;
      mean = (pre[b]! - pre[a]!) / cnt;
      const wide = Math.sqrt(Math.max(1, (pre2[b]! - pre2[a]!) / cnt - mean * mean));
      const k = j * n + i;
      z[k] = (row[i]! - mean) / wide;
      w[k] = spread * spread * spread; // WEIGHT_POWER
      sumWZ[i] = sumWZ[i]! + w[k]! * z[k]!;
      sumW[i] = sumW[i]! + w[k]!;
    }
  }
  const first = new Float64Array(n);
  for (let i = 0; i < n; i++) first[i] = sumW[i]! > 0 ? sumWZ[i]! / sumW[i]! : 0;
  // Second average: each line weighted by its agreement with the first (squared correlation, positive only).
  sumWZ.fill(0);
  sumW.fill(0);
  let s0 = Infinity, s1 = -Infinity;
  for (let j = 0; j < lines; j++) {
    let xy = 0, xx = 0, yy = 0;
    for (let i = 0, k = j * n; i < n; i++, k++) {
      const wk = w[k]!;
      if (wk === 0) continue;
      xy += wk * z[k]! * first[i]!;
      xx += wk * z[k]! * z[k]!;
      yy += wk * first[i]! * first[i]!;
    }
    const corr = xx > 0 && yy > 0 ? xy / Math.sqrt(xx * yy) : 0;
    if (corr <= 0) continue;
    if (corr >= BAND_AGREEMENT) {
      const s = f.s0 + offset + (j + 0.5) * rowStep;
      s0 = Math.min(s0, s - rowStep / 2);
      s1 = Math.max(s1, s + rowStep / 2);
    }
    const rho = corr * corr;
    for (let i = 0, k = j * n; i < n; i++, k++) {
      const wk = w[k]!;
      if (wk === 0) continue;
      sumWZ[i] = sumWZ[i]! + rho * wk * z[k]!;
      sumW[i] = sumW[i]! + rho * wk;
    }
  }
  const values = new Float64Array(n);
  let energy = 0;
  for (let i = 0; i < n; i++) {
    if (sumW[i]! <= 0) continue;
    values[i] = sumWZ[i]! / sumW[i]!;
    energy += values[i]! * values[i]!;
  }
  if (!(s1 > s0)) return { values, energy: 0, band: [0, 0], samples };
  return { values, energy, band: [s0, s1], samples };
}

/** The samples i in [0, n) of the line (ox + i·dx, oy + i·dy) that fall inside the image: [i0, i1). */
function insideSpan(img: GrayImage, ox: number, oy: number, dx: number, dy: number, n: number): [number, number] {
  let lo = 0, hi = n - 1;
  for (const [o, d, max] of [[ox, dx, img.width - 1], [oy, dy, img.height - 1]] as const) {
    if (Math.abs(d) < 1e-12) {
      if (o < 0 || o > max) return [0, 0];
      continue;
    }
    const a = (0 - o) / d, b = (max - o) / d;
    lo = Math.max(lo, Math.ceil(Math.min(a, b) + 1e-9));
    hi = Math.min(hi, Math.floor(Math.max(a, b) - 1e-9));
  }
  return hi >= lo ? [lo, hi + 1] : [0, 0];
}

/** Bilinear sample of `img` at (x, y) (pixel centres at integers), inside the image. */
function bilinear(img: GrayImage, x: number, y: number): number {
  const { width: w, height: h, data } = img;
  const x0 = Math.min(w - 2, Math.floor(x)), y0 = Math.min(h - 2, Math.floor(y));
  const fx = x - x0, fy = y - y0, i = y0 * w + x0;
  const top = data[i]! + fx * (data[i + 1]! - data[i]!);
  const bottom = data[i + w]! + fx * (data[i + w + 1]! - data[i + w]!);
  return top + fy * (bottom - top);
}
