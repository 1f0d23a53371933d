/**
 * Super-resolved scan lines for 1D symbols whose bars are too fine for zxing (about 1 px a module, suite small-3,
 * -5, -12: ITF-14 at 1.1–1.2 px a module in 2000×1500 photos, turned 6–9°).
 *
 * The slanted-edge method of MTF measurement: when the bars cross the pixel rows at an angle, each row samples
 * them at another sub-pixel phase. Projecting every pixel of the bars' band onto the axis across the bars and
 * averaging in bins of 1/K px gives one scan line at K× the resolution, with the grain averaged away. It needs
 * the bars' angle to ~0.1° (over a band 20 px high a 0.3° error smears an edge by 0.1 px), so the angle is found
 * by search: the sharpest profile (highest variance) wins, starting from the edge grid's angle. Lines for three
 * band heights and three angles about the best, and the best one deconvolved for two defocus widths, are stacked
 * in one view (one zxing call reads them all).
 */
import type { Corner, ViewRotation } from "./found.js";
import type { GridAngle } from "./orientation.js";
import type { GrayImage } from "./zxing.js";
import { richardsonLucy, stretch } from "./bar-profile.js";

/** Bins per source pixel along the scan line. */
export const SUPER_FACTOR = 4;
/** Rows per synthesized line: enough for zxing's minimum of 2 agreeing rows whichever rows it scans. */
const GROUP_ROWS = 8;
/** What these lines may be read as: symbologies whose check characters catch a misread bar (Code 128: mod 103;
 * ITF only as a valid ITF-14, view-reads.ts). Deconvolution can turn one valid EAN-13 into another
 * (variants.ts confirmLinear), and Code 39 / Codabar have no check at all. */
export const SUPER_FORMATS = "ITF,Code128";
const SEARCH_DEG = 3;
const COARSE_STEP = 0.25;
const FINE_STEP = 0.05;
/** Lines synthesized around the best angle and band (one zxing call reads them all). */
const ANGLE_OFFSETS = [0, -0.15, 0.15];
const BAND_FACTORS = [1, 0.6, 1.4];
/** Defocus (Gaussian σ, source px) undone on the best line (Richardson–Lucy): a narrow bar of ~1 px blurred by
 * σ 0.7 keeps under half its contrast. */
const DEBLUR_SIGMAS = [0.6, 0.9];
const DEBLUR_ITERATIONS = 10;

export interface SuperProfileView {
  view: GrayImage;
  /** Maps the view back to `img` with scale 1/SUPER_FACTOR and rowScale SUPER_FACTOR (found.ts mapPoint). */
  rotation: ViewRotation;
  /** The bars' angle found (degrees, the edge normal from the x axis). */
  deg: number;
  /** The box of a read (its corners mapped back to `img`): its ends across the bars, the bars' extent along. */
  boxCorners: (read: readonly Corner[]) => Corner[];
}

/**
 * Scan lines of the bar-like `img` (a crop around the symbol; `grid` is its gridAngle) over bands of about
 * ±`halfBand` px about the symbol's long axis through its edges' centroid. Null when the bars lie too close to
 * the pixel grid for the rows to sample different phases, or the crop is degenerate.
 */
export function superProfileView(img: GrayImage, grid: GridAngle, halfBand: number): SuperProfileView | null {
  if (img.width < 16 || img.height < 8 || halfBand < 3) return null;
  // Over the band the bars must drift by ≥ 1 px across the rows, or every row samples the same phase.
  if (2 * halfBand * Math.abs(Math.tan((grid.deg * Math.PI) / 180)) < 1) return null;
  // About the edges' centroid: a region's blob (and so the crop) may reach past the symbol on one side.
  const cx = grid.cx + 0.5, cy = grid.cy + 0.5;
  const band = bandOf(img, grid.axisDeg, halfBand * Math.max(...BAND_FACTORS), cx, cy);
  const sharpness = (deg: number) => variance(project(band, deg, halfBand));
  let best = grid.deg, bestScore = -1;
  for (let d = grid.deg - SEARCH_DEG; d <= grid.deg + SEARCH_DEG + 1e-9; d += COARSE_STEP) {
    const s = sharpness(d);
    if (s > bestScore) { bestScore = s; best = d; }
  }
  const coarse = best;
  for (let d = coarse - COARSE_STEP; d <= coarse + COARSE_STEP + 1e-9; d += FINE_STEP) {
    const s = sharpness(d);
    if (s > bestScore) { bestScore = s; best = d; }
  }
  const projections = BAND_FACTORS.flatMap((f) => ANGLE_OFFSETS.map((o) => project(band, best + o, Math.max(3, halfBand * f))));
  // All lines on one grid of bins: the best line's (offsets of ±0.15° move the ends by under a bin's width).
  const ref = projections[0]!;
  const width = ref.values.length;
  const filled = fillGaps(ref.values);
  const lines = [...projections.map((p) => p.values), ...DEBLUR_SIGMAS.map((sigma) => richardsonLucy(filled, sigma * SUPER_FACTOR, DEBLUR_ITERATIONS))];
  const rows = lines.length * GROUP_ROWS;
  const data = new Uint8Array(width * rows);
  for (const [k, line] of lines.entries()) {
    const px = stretchLine(line, width);
    for (let r = 0; r < GROUP_ROWS; r++) data.set(px, (k * GROUP_ROWS + r) * width);
  }
  // View (X, Y) ↦ crop point C + (u − uC)·n + (Y − (rows − 1)/2)·a, with C the edges' centroid, n across and a
  // along the bars, u = (X + 0.5)/K: in mapPoint's terms (rows K canvas units apart, the turn, then scale 1/K)
  // that is the turn below. The rows are copies, so where along the bars a read lies means nothing: boxCorners
  // gives the box.
  const t = (best * Math.PI) / 180, c = Math.cos(t), s = Math.sin(t);
  const uC = cx * c + cy * s - ref.umin;
  const K = SUPER_FACTOR;
  const rotation: ViewRotation = { cos: c, sin: -s, ox: K * uC - 0.5, oy: (K * (rows - 1)) / 2, cx: K * cx - 0.5, cy: K * cy - 0.5 };
  const [lo, hi] = barExtent(img, best, cx, cy, filled, ref.umin, halfBand * EXTENT_SEARCH);
  const boxCorners = (read: readonly Corner[]): Corner[] => {
    // The read's ends across the bars, then the bars' extent along them, about the centroid.
    const us = read.map(([x, y]) => (x + 0.5 - cx) * c + (y + 0.5 - cy) * s);
    const u0 = Math.min(...us), u1 = Math.max(...us);
    const at = (u: number, v: number): Corner => [cx + u * c - v * s - 0.5, cy + u * s + v * c - 0.5];
    return [at(u0, lo), at(u1, lo), at(u1, hi), at(u0, hi)];
  };
  return { view: { data, width, height: rows }, rotation, deg: best, boxCorners };
}

/** How far along the bars (px, each side of the centroid) to look for their ends, as a multiple of halfBand. */
const EXTENT_SEARCH = 4;
/** A 1-px slice along the bars still belongs to them when its profile correlates this well with the line's. */
const EXTENT_MIN_CORRELATION = 0.5;

/**
 * The bars' extent along their direction, [lo, hi] px from the centroid: the run of 1-px slices about it whose
 * own profile (1-px bins) correlates with the synthesized line's (fine bars defeat linear-extent.ts, which
 * follows one binarised row at a time).
 */
function barExtent(img: GrayImage, deg: number, cx: number, cy: number, line: Float64Array, umin: number, maxHalf: number): [number, number] {
  const { width: w, height: h, data: d } = img;
  const t = (deg * Math.PI) / 180, c = Math.cos(t), s = Math.sin(t);
  const K = SUPER_FACTOR;
  const bins = Math.ceil(line.length / K);
  // The line at 1-px bins, as the slices are.
  const ref = new Float64Array(bins);
  for (let b = 0; b < bins; b++) {
    let sum = 0, n = 0;
    for (let i = b * K; i < Math.min(line.length, (b + 1) * K); i++) { sum += line[i]!; n++; }
    ref[b] = sum / n;
  }
  const half = Math.max(1, Math.round(maxHalf));
  const slices = 2 * half + 1;
  const sum = new Float64Array(slices * bins), cnt = new Uint32Array(slices * bins);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const px = x + 0.5, py = y + 0.5;
      const v = Math.round(-(px - cx) * s + (py - cy) * c) + half;
      if (v < 0 || v >= slices) continue;
      const b = Math.floor(px * c + py * s - umin);
      if (b < 0 || b >= bins) continue;
      sum[v * bins + b]! += d[y * w + x]!;
      cnt[v * bins + b]!++;
    }
  }
  const correlates = (v: number): boolean => {
    let n = 0, sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
    for (let b = 0; b < bins; b++) {
      const k = cnt[v * bins + b]!;
      if (k === 0) continue;
      const a = sum[v * bins + b]! / k, r = ref[b]!;
      n++; sa += a; sb += r; saa += a * a; sbb += r * r; sab += a * r;
    }
    if (n < 8) return false;
    const cov = sab / n - (sa / n) * (sb / n), va = saa / n - (sa / n) ** 2, vb = sbb / n - (sb / n) ** 2;
    return va > 0 && vb > 0 && cov / Math.sqrt(va * vb) >= EXTENT_MIN_CORRELATION;
  };
  // Out from the centroid while slices correlate; one stray slice (a speck, a JPEG block edge) is stepped over.
  const grow = (dir: number): number => {
    let last = 0;
    for (let v = dir, misses = 0; Math.abs(v) <= half; v += dir) {
      if (correlates(v + half)) { last = v; misses = 0; } else if (++misses > 1) break;
    }
    return last;
  };
  return [grow(-1) - 0.5, grow(1) + 0.5];
}

interface Projection {
  /** Mean luminance per bin of 1/K px along the axis across the bars; NaN where no pixel fell. */
  values: Float64Array;
  counts: Uint32Array;
  /** Axis coordinate of bin 0's start. */
  umin: number;
}

/** The pixels within ±maxHalf of the symbol's long axis (angle `axisDeg`, through (cx, cy)), collected once for
 * the angle search and every line: each projection then visits the band only, not the whole crop. */
interface Band {
  x: Float64Array; // pixel centres
  y: Float64Array;
  value: Float64Array;
  /** Distance from the long axis (px). */
  off: Float64Array;
  /** Extent of the crop along any axis across the bars (bounds the bins). */
  width: number;
  height: number;
}

function bandOf(img: GrayImage, axisDeg: number, maxHalf: number, cx: number, cy: number): Band {
  const { width: w, height: h, data: d } = img;
  const ta = (axisDeg * Math.PI) / 180, ca = Math.cos(ta), sa = Math.sin(ta);
  const xs: number[] = [], ys: number[] = [], vs: number[] = [], offs: number[] = [];
  for (let y = 0; y < h; y++) {
    const py = y + 0.5;
    for (let x = 0; x < w; x++) {
      const px = x + 0.5;
      const off = -(px - cx) * sa + (py - cy) * ca;
      if (Math.abs(off) > maxHalf) continue;
      xs.push(px); ys.push(py); vs.push(d[y * w + x]!); offs.push(off);
    }
  }
  return { x: Float64Array.from(xs), y: Float64Array.from(ys), value: Float64Array.from(vs), off: Float64Array.from(offs), width: w, height: h };
}

/** The band's pixels within ±halfBand of the axis, binned across bars at `deg` (1/K px bins). */
function project(band: Band, deg: number, halfBand: number): Projection {
  const { width: w, height: h } = band;
  const t = (deg * Math.PI) / 180, c = Math.cos(t), s = Math.sin(t);
  const umin = Math.min(0, w * c, h * s, w * c + h * s);
  const umax = Math.max(0, w * c, h * s, w * c + h * s);
  const K = SUPER_FACTOR;
  const n = Math.ceil((umax - umin) * K) + 1;
  const sum = new Float64Array(n), counts = new Uint32Array(n);
  for (let i = 0; i < band.value.length; i++) {
    if (Math.abs(band.off[i]!) > halfBand) continue;
    const b = Math.floor((band.x[i]! * c + band.y[i]! * s - umin) * K);
    sum[b]! += band.value[i]!;
    counts[b]!++;
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = counts[i]! > 0 ? sum[i]! / counts[i]! : NaN;
  return { values, counts, umin };
}

/** Variance of the binned means, weighted by their pixel counts: a smeared (mis-angled) profile has less. */
function variance(p: Projection): number {
  let n = 0, s1 = 0, s2 = 0;
  for (let i = 0; i < p.values.length; i++) {
    const k = p.counts[i]!;
    if (k < 2) continue;
    const v = p.values[i]!;
    n += k; s1 += k * v; s2 += k * v * v;
  }
  return n > 0 ? s2 / n - (s1 / n) ** 2 : 0;
}

/** Empty bins (NaN) take the nearest filled bin's value before them, else after them. */
function fillGaps(values: Float64Array): Float64Array {
  const v = Float64Array.from(values);
  let last = NaN;
  for (let i = 0; i < v.length; i++) (Number.isNaN(v[i]!) ? (v[i] = last) : (last = v[i]!));
  last = NaN;
  for (let i = v.length - 1; i >= 0; i--) (Number.isNaN(v[i]!) ? (v[i] = last) : (last = v[i]!));
  return v;
}

/** Bins as 8-bit pixels stretched min..max (bar-profile.ts stretch), empty bins filled from their neighbours,
 * cut or extended to `width`. */
function stretchLine(values: Float64Array, width: number): Uint8Array {
  return stretch(fillGaps(Float64Array.from({ length: width }, (_, i) => (i < values.length ? values[i]! : NaN))));
}
