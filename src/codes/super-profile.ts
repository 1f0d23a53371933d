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
import type { ViewRotation } from "./found.js";
import type { GridAngle } from "./orientation.js";
import type { GrayImage } from "./zxing.js";
import { richardsonLucy } from "./bar-profile.js";

/** Bins per source pixel along the scan line. */
export const SUPER_FACTOR = 4;
/** Fewest rows per synthesized line. */
const MIN_GROUP_ROWS = 4;
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
  /** Maps the view back to `img` with scale 1/SUPER_FACTOR (found.ts mapPoint). */
  rotation: ViewRotation;
  /** The bars' angle found (degrees, the edge normal from the x axis). */
  deg: number;
}

/**
 * Scan lines of the bar-like `img` (a crop centred on the symbol; `grid` is its gridAngle) over a band of
 * ±`halfBand` px about the symbol's long axis through the crop's centre. Null when the bars lie too close to
 * the pixel grid for the rows to sample different phases, or the crop is degenerate.
 */
export function superProfileView(img: GrayImage, grid: GridAngle, halfBand: number): SuperProfileView | null {
  if (img.width < 16 || img.height < 8 || halfBand < 3) return null;
  // Over the band the bars must drift by ≥ 1 px across the rows, or every row samples the same phase.
  if (2 * halfBand * Math.abs(Math.tan((grid.deg * Math.PI) / 180)) < 1) return null;
  const sharpness = (deg: number) => variance(project(img, deg, grid.axisDeg, halfBand));
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
  const lines: Projection[] = [];
  for (const f of BAND_FACTORS) for (const o of ANGLE_OFFSETS) lines.push(project(img, best + o, grid.axisDeg, Math.max(3, halfBand * f)));
  // All lines on one grid of bins: the best line's (offsets of ±0.15° move the ends by under a bin's width).
  const ref = lines[0]!;
  const width = ref.values.length;
  const filled = fillGaps(ref.values);
  for (const sigma of DEBLUR_SIGMAS) {
    lines.push({ values: richardsonLucy(filled, sigma * SUPER_FACTOR, DEBLUR_ITERATIONS), counts: ref.counts, umin: ref.umin });
  }
  // The rows together span the widest band (K rows a source pixel), so that a read's position covers the bars'
  // height as the lines that read it do.
  const perLine = Math.max(MIN_GROUP_ROWS, Math.round((2 * halfBand * Math.max(...BAND_FACTORS) * SUPER_FACTOR) / lines.length));
  const rows = lines.length * perLine;
  const data = new Uint8Array(width * rows);
  for (const [k, line] of lines.entries()) {
    const px = stretchLine(line.values, width);
    for (let r = 0; r < perLine; r++) data.set(px, (k * perLine + r) * width);
  }
  // View (X, Y) ↦ crop point C + (u − uC)·n + ((Y − rows/2)/K)·a, with n across and a along the bars; in
  // mapPoint's terms (turn, then scale 1/K) that is the turn below (see found.ts mapPoint).
  const t = (best * Math.PI) / 180, c = Math.cos(t), s = Math.sin(t);
  const cx = img.width / 2, cy = img.height / 2;
  const uC = cx * c + cy * s - ref.umin;
  const K = SUPER_FACTOR;
  const rotation: ViewRotation = { cos: c, sin: -s, ox: K * uC - 0.5, oy: (rows - 1) / 2, cx: K * cx - 0.5, cy: K * cy - 0.5 };
  return { view: { data, width, height: rows }, rotation, deg: best };
}

interface Projection {
  /** Mean luminance per bin of 1/K px along the axis across the bars; NaN where no pixel fell. */
  values: Float64Array;
  counts: Uint32Array;
  /** Axis coordinate of bin 0's start. */
  umin: number;
}

/** Pixels within ±halfBand of the long axis (angle `axisDeg`, through the centre), binned across bars at `deg`. */
function project(img: GrayImage, deg: number, axisDeg: number, halfBand: number): Projection {
  const { width: w, height: h, data: d } = img;
  const t = (deg * Math.PI) / 180, c = Math.cos(t), s = Math.sin(t);
  const ta = (axisDeg * Math.PI) / 180, ca = Math.cos(ta), sa = Math.sin(ta);
  const umin = Math.min(0, w * c, h * s, w * c + h * s);
  const umax = Math.max(0, w * c, h * s, w * c + h * s);
  const K = SUPER_FACTOR;
  const n = Math.ceil((umax - umin) * K) + 1;
  const sum = new Float64Array(n), counts = new Uint32Array(n);
  const cx = w / 2, cy = h / 2;
  for (let y = 0; y < h; y++) {
    const py = y + 0.5;
    for (let x = 0; x < w; x++) {
      const px = x + 0.5;
      if (Math.abs(-(px - cx) * sa + (py - cy) * ca) > halfBand) continue; // off the band
      const b = Math.floor((px * c + py * s - umin) * K);
      sum[b]! += d[y * w + x]!;
      counts[b]!++;
    }
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

/** Bins as 8-bit pixels stretched min..max, empty bins filled from their neighbours, `width` long. */
function stretchLine(values: Float64Array, width: number): Uint8Array {
  const v = fillGaps(Float64Array.from({ length: width }, (_, i) => (i < values.length ? values[i]! : NaN)));
  let lo = Infinity, hi = -Infinity;
  for (const x of v) if (!Number.isNaN(x)) { if (x < lo) lo = x; if (x > hi) hi = x; }
  const out = new Uint8Array(width).fill(255);
  if (!(hi > lo)) return out;
  for (let i = 0; i < width; i++) out[i] = Math.round(((v[i]! - lo) / (hi - lo)) * 255);
  return out;
}
