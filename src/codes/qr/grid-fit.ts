/**
 * Fitting a version's module grid to the image: a homography (from four image points that correspond to the
 * three finder centres and the point where a fourth finder would be), adjusted by pattern search to maximise
 * how well the version's function patterns (finders, separators, timing, alignment, version information)
 * match the greyscale pixels. The match score is contrast-invariant, so it also ranks version hypotheses.
 */
import type { GrayImage } from "../zxing.js";
import { quadToQuad, type Mat3, type Pt } from "./homography.js";
import { dimensionOf, functionTemplate, UNKNOWN } from "./qr-spec.js";

/** The known modules of a version as module-centre coordinates and colours (1 dark, 0 light). */
interface KnownModules { xs: Float32Array; ys: Float32Array; dark: Uint8Array }
const knownCache = new Map<number, KnownModules>();

export function knownModules(version: number): KnownModules {
  const hit = knownCache.get(version);
  if (hit) return hit;
  const dim = dimensionOf(version), t = functionTemplate(version);
  const xs: number[] = [], ys: number[] = [], dark: number[] = [];
  for (let r = 0; r < dim; r++) {
    for (let c = 0; c < dim; c++) {
      const v = t[r * dim + c]!;
      if (v === UNKNOWN) continue;
      xs.push(c + 0.5); ys.push(r + 0.5); dark.push(v);
    }
  }
  const km: KnownModules = { xs: Float32Array.from(xs), ys: Float32Array.from(ys), dark: Uint8Array.from(dark) };
  knownCache.set(version, km);
  return km;
}

/** Sample points within a module, relative to its centre: off-centre points make the score drop as soon as
 * the grid is shifted by a fraction of a module, which is what lets the search converge below one module. */
const FINE: readonly Pt[] = [[0, 0], [0.3, 0], [-0.3, 0], [0, 0.3], [0, -0.3]];
const COARSE: readonly Pt[] = [[0, 0]];

/** Every sample point of a version's known modules (module centre + offset), precomputed per offset set. */
interface SamplePlan { xs: Float64Array; ys: Float64Array; dark: Uint8Array }
const plans = new WeakMap<KnownModules, { fine?: SamplePlan; coarse?: SamplePlan }>();

function samplePlan(km: KnownModules, fine: boolean): SamplePlan {
  let entry = plans.get(km);
  if (!entry) plans.set(km, entry = {});
  const hit = fine ? entry.fine : entry.coarse;
  if (hit) return hit;
  const offsets = fine ? FINE : COARSE, n = km.xs.length * offsets.length;
  const plan: SamplePlan = { xs: new Float64Array(n), ys: new Float64Array(n), dark: new Uint8Array(n) };
  let i = 0;
  for (let k = 0; k < km.xs.length; k++) {
    for (const [ox, oy] of offsets) {
      plan.xs[i] = km.xs[k]! + ox;
      plan.ys[i] = km.ys[k]! + oy;
      plan.dark[i++] = km.dark[k]!;
    }
  }
  if (fine) entry.fine = plan; else entry.coarse = plan;
  return plan;
}

/**
 * Separation of the dark-expected and light-expected samples: (mean light − mean dark) / pooled sd (+ a floor
 * against flat regions). Modules outside the image count against the fit.
 */
export function templateScore(img: GrayImage, h: Mat3, km: KnownModules, inverted = false, fine = true): number {
  const { xs: sx, ys: sy, dark: sdark } = samplePlan(km, fine);
  let sd = 0, sd2 = 0, nd = 0, sl = 0, sl2 = 0, nl = 0;
  const w = img.width, hh = img.height, data = img.data;
  const h0 = h[0]!, h1 = h[1]!, h2 = h[2]!, h3 = h[3]!, h4 = h[4]!, h5 = h[5]!, h6 = h[6]!, h7 = h[7]!, h8 = h[8]!;
  const darkValue = inverted ? 0 : 1;
  for (let k = 0; k < sx.length; k++) {
    const x = sx[k]!, y = sy[k]!;
    const z = h6 * x + h7 * y + h8;
    if (z <= 1e-9) return -Infinity;
    let px = (h0 * x + h1 * y + h2) / z, py = (h3 * x + h4 * y + h5) / z;
    if (px < -1 || py < -1 || px > w || py > hh) return -Infinity;
    // bilinear() inlined (the fit's hot loop): edges clamped, same arithmetic.
    if (px < 0) px = 0; else if (px > w - 1) px = w - 1;
    if (py < 0) py = 0; else if (py > hh - 1) py = hh - 1;
    const x0 = px | 0, y0 = py | 0, fx = px - x0, fy = py - y0;
    const x1 = x0 + 1 < w ? x0 + 1 : x0, y1 = y0 + 1 < hh ? y0 + 1 : y0;
    const a = data[y0 * w + x0]!, b = data[y0 * w + x1]!, c = data[y1 * w + x0]!, e = data[y1 * w + x1]!;
    const v = (a + (b - a) * fx) * (1 - fy) + (c + (e - c) * fx) * fy;
    if (sdark[k] === darkValue) { sd += v; sd2 += v * v; nd++; } else { sl += v; sl2 += v * v; nl++; }
  }
  if (nd === 0 || nl === 0) return -Infinity;
  const md = sd / nd, ml = sl / nl;
  const vd = Math.max(0, sd2 / nd - md * md), vl = Math.max(0, sl2 / nl - ml * ml);
  return (ml - md) / Math.sqrt((vd + vl) / 2 + 64);
}

/** Module-space anchors of the four fitted points: the finder centres and their fourth-corner counterpart. */
export function anchorsOf(dim: number): Pt[] {
  return [[3.5, 3.5], [dim - 3.5, 3.5], [dim - 3.5, dim - 3.5], [3.5, dim - 3.5]];
}

export interface GridFit {
  version: number;
  h: Mat3;
  /** Image points of the four anchors (TL, TR, BR-counterpart, BL finder centres). */
  anchors: Pt[];
  score: number;
  evaluations: number;
}

export interface FitOptions {
  /** Module size in pixels near the finders (sets the search steps). */
  module: number;
  /** Search the fourth point on a grid of ± this many modules first (0 = no grid search). */
  fourthSearch?: number;
  maxEvaluations?: number;
  /** Light-on-dark symbol. */
  inverted?: boolean;
  /** Off-centre samples (sub-module precision) or module centres only (cheap, coarse). */
  fine?: boolean;
  /** Pattern search from `module` × startStep down to `module` × minStep. */
  startStep?: number;
  minStep?: number;
  /** Give up (null) when the score is still below this after the fourth point's grid search. */
  abortBelow?: number;
}

/** Fit `version` starting from image anchors `start` (TL, TR, 4th, BL finder centres). */
export function fitGrid(img: GrayImage, version: number, start: readonly Pt[], opts: FitOptions): GridFit | null {
  const dim = dimensionOf(version), km = knownModules(version), q = anchorsOf(dim);
  const p = start.map((a) => [a[0], a[1]] as [number, number]);
  const maxEval = opts.maxEvaluations ?? 400;
  let evals = 0;
  const evaluate = (): number => {
    evals++;
    const h = quadToQuad(q, p);
    return h ? templateScore(img, h, km, opts.inverted, opts.fine ?? true) : -Infinity;
  };
  let best = evaluate();
  // Grid search of the fourth point along the symbol's own axes (perspective moves it most).
  const span = opts.fourthSearch ?? 0;
  if (span > 0) {
    const ax = [(p[1]![0] - p[0]![0]) / (dim - 7), (p[1]![1] - p[0]![1]) / (dim - 7)];
    const ay = [(p[3]![0] - p[0]![0]) / (dim - 7), (p[3]![1] - p[0]![1]) / (dim - 7)];
    const [bx, by] = p[2]!;
    let bestX = bx, bestY = by;
    for (let i = -span; i <= span; i++) {
      for (let j = -span; j <= span; j++) {
        if (i === 0 && j === 0) continue;
        p[2]![0] = bx + i * ax[0]! + j * ay[0]!;
        p[2]![1] = by + i * ax[1]! + j * ay[1]!;
        const s = evaluate();
        if (s > best) { best = s; bestX = p[2]![0]; bestY = p[2]![1]; }
      }
    }
    p[2]![0] = bestX; p[2]![1] = bestY;
  }
  if (opts.abortBelow !== undefined && !(best >= opts.abortBelow)) return null;
  // Pattern search on the 8 coordinates, the step halving when no move improves.
  let step = opts.module * (opts.startStep ?? 1);
  const minStep = opts.module * (opts.minStep ?? 1 / 16);
  while (step >= minStep && evals < maxEval) {
    let improved = false;
    for (let k = 0; k < 8 && evals < maxEval; k++) {
      const pt = p[k >> 1]!, axis = k & 1, orig = pt[axis]!;
      for (const sgn of [1, -1]) {
        pt[axis] = orig + sgn * step;
        const s = evaluate();
        if (s > best) { best = s; improved = true; break; }
        pt[axis] = orig;
      }
    }
    if (!improved) step /= 2;
  }
  const h = quadToQuad(q, p);
  if (!h || !Number.isFinite(best)) return null;
  return { version, h, anchors: p, score: best, evaluations: evals };
}
