/**
 * locateQrCodes: finder candidates on a downscaled view, grouped into triples, each triple's grid fitted at
 * full resolution for the version its finder distances suggest and the neighbouring versions; every
 * (triple, version) fit is one QrLocation, best first.
 */
import { downscale } from "../image-ops.js";
import type { GrayImage } from "../zxing.js";
import type { FinderCandidate } from "./finder-scan.js";
import { scanFinders } from "./finder-scan.js";
import { anchorsOf, fitGrid, knownModules, templateScore, type GridFit } from "./grid-fit.js";
import { project, quadToQuad, type Pt } from "./homography.js";
import { dimensionOf, versionNear } from "./qr-spec.js";
import type { GridMap } from "./sampler.js";
import { groupTriples, type FinderTriple } from "./triples.js";

/** Coarse fits below this are not refined (tuning half: real symbols ≳ 1.5, false triples mostly < 1). */
const COARSE_MIN_SCORE = 0.8;
const MAX_VERSIONS_REFINED = 2;
/** Versions coarsely fitted per triple (of those ranked). */
const VERSIONS_FITTED = 2;
/** A triple whose best coarse score after the fourth point's search is below this is not a symbol. */
const COARSE_ABORT = 0.5;
/** A triple whose best function-pattern match at the unrefined grids is below this is not fitted (tuning half:
 * 80 % of the false triples of code-free spots score below it; the read symbols scored ≥ 2). */
const START_MIN_SCORE = 0.3;

export interface QrLocation {
  /** Outer corners of the symbol (TL, TR, BR, BL of the module grid) in the input image. */
  corners: [number, number][];
  version: number;
  /** Mean module size in pixels. */
  moduleSize: number;
  /** Function-pattern match (higher is better; ≳ 1.5 for a real symbol). */
  score: number;
  /** Locations with the same group come from the same finders (version hypotheses of one symbol). */
  group: number;
  /** The fitted map from module coordinates to image pixels. */
  grid: GridMap;
  /** Light-on-dark symbol. */
  inverted: boolean;
}

export interface LocateOptions {
  maxCandidates?: number;
  /** Longest side of the view the finders are searched on (default 1000). */
  viewSide?: number;
  /** Versions either side of the estimate to rank (default 2). */
  versionSpread?: number;
  /** Drop fits scoring below this. */
  minScore?: number;
}

/** The view's scale factor (integer box downscale) for an image. */
export function viewFactor(img: GrayImage, viewSide = 1000): number {
  return Math.max(1, Math.round(Math.max(img.width, img.height) / viewSide));
}

export function findFinderCandidates(img: GrayImage, viewSide = 1000): FinderCandidate[] {
  const f = viewFactor(img, viewSide);
  const view = downscale(img, f);
  const found = scanFinders(view);
  if (f === 1) return found;
  return found.map((c) => ({ ...c, x: (c.x + 0.5) * f - 0.5, y: (c.y + 0.5) * f - 0.5, module: c.module * f }));
}

/** Finder triples of `img` in its own coordinates, most plausible first. */
export function findTriples(img: GrayImage, opts: LocateOptions = {}): FinderTriple[] {
  const finders = findFinderCandidates(img, opts.viewSide);
  return groupTriples(finders, opts.maxCandidates ?? 8);
}

/** A version hypothesis of one triple, coarsely fitted (module centres only, ¼-module steps). */
export interface CoarseFit { fit: GridFit; group: number; module: number; inverted: boolean }

/** The best function-pattern match of a triple's version hypotheses at their unrefined grids (cheap: no search). */
export function tripleStartScore(img: GrayImage, t: FinderTriple, opts: LocateOptions = {}): number {
  const affine: Pt[] = [[t.tl.x, t.tl.y], [t.tr.x, t.tr.y], [t.tr.x + t.bl.x - t.tl.x, t.tr.y + t.bl.y - t.tl.y], [t.bl.x, t.bl.y]];
  return rankStarts(img, t.dim, startsOf(t, affine), !t.tl.dark, opts.versionSpread ?? 2).best;
}

/** Coarse fits of one triple for its estimated version and neighbours, best first (those that look like a symbol). */
export function fitTriple(img: GrayImage, t: FinderTriple, group: number, opts: LocateOptions = {}): CoarseFit[] {
  const spread = opts.versionSpread ?? 2;
  const module = (t.tl.module + t.tr.module + t.bl.module) / 3;
  const inverted = !t.tl.dark;
  const affine: Pt[] = [[t.tl.x, t.tl.y], [t.tr.x, t.tr.y], [t.tr.x + t.bl.x - t.tl.x, t.tr.y + t.bl.y - t.tl.y], [t.bl.x, t.bl.y]];
  // Both guesses of the fourth point (curved symbols fake a perspective in the finders' sizes), ranked together.
  const out: CoarseFit[] = [];
  const { ranked, best } = rankStarts(img, t.dim, startsOf(t, affine), inverted, spread);
  if (!(best >= START_MIN_SCORE)) return [];
  for (const [v, start4] of ranked) {
    const fit = fitGrid(img, v, start4, {
      module, fourthSearch: v >= 2 ? 3 : 1, inverted, fine: false, minStep: 1 / 4, maxEvaluations: 200, abortBelow: COARSE_ABORT,
    });
    if (fit && fit.score >= COARSE_MIN_SCORE) out.push({ fit, group, module, inverted });
  }
  return out.sort((a, b) => b.fit.score - a.fit.score);
}

/** Starts of a triple for a symbol of `dim` modules: the parallelogram, the perspective guess, and for a two-finder
 * hypothesis the start its finders' outlines give. */
function startsOf(t: FinderTriple, affine: Pt[]): (dim: number) => Pt[][] {
  const fixed = [affine, fourthFromPerspective(t)];
  return (dim) => {
    const outlined = t.anchorsFor?.(dim);
    return outlined ? [...fixed, outlined] : fixed;
  };
}

/**
 * The four anchors with the fourth guessed from perspective: along a line a plane projective map's scale
 * goes as 1/w², so the finders' module sizes give the homogeneous weight w at each finder (w_TL = 1); w and
 * the homogeneous numerator are affine in module coordinates, which extrapolates them to the fourth point.
 * (The plain parallelogram guess is off by several modules on a steeply tilted symbol.)
 */
export function fourthFromPerspective(t: FinderTriple): Pt[] {
  const clamp = (v: number): number => Math.max(0.6, Math.min(1.7, v));
  const wTl = 1, wTr = clamp(Math.sqrt(t.tl.module / t.tr.module)), wBl = clamp(Math.sqrt(t.tl.module / t.bl.module));
  const wBr = wTr + wBl - wTl;
  const pts: Pt[] = [[t.tl.x, t.tl.y], [t.tr.x, t.tr.y], [0, 0], [t.bl.x, t.bl.y]];
  if (wBr < 0.3) return [pts[0]!, pts[1]!, [t.tr.x + t.bl.x - t.tl.x, t.tr.y + t.bl.y - t.tl.y], pts[3]!];
  const nx = t.tr.x * wTr + t.bl.x * wBl - t.tl.x * wTl, ny = t.tr.y * wTr + t.bl.y * wBl - t.tl.y * wTl;
  pts[2] = [nx / wBr, ny / wBr];
  return pts;
}

/**
 * (version, start) pairs worth fitting, most likely first: versions within `spread` of the finder-distance
 * estimate, ranked by the function-pattern match at the unrefined grid (it already tells the timing period).
 */
function rankStarts(img: GrayImage, dim: number, starts: (dim: number) => Pt[][], inverted: boolean, spread: number): { ranked: [number, Pt[]][]; best: number } {
  const v0 = versionNear(dim), scored: [number, Pt[], number][] = [];
  for (let v = Math.max(1, v0 - spread); v <= Math.min(40, v0 + spread); v++) {
    const d = dimensionOf(v);
    for (const start4 of starts(d)) {
      const h = quadToQuad(anchorsOf(d), start4);
      scored.push([v, start4, h ? templateScore(img, h, knownModules(v), inverted, false) : -Infinity]);
    }
  }
  scored.sort((a, b) => b[2] - a[2]);
  // One start per version: the better one.
  const out: [number, Pt[]][] = [];
  for (const [v, st] of scored) if (out.length < VERSIONS_FITTED && !out.some(([u]) => u === v)) out.push([v, st]);
  return { ranked: out, best: scored[0]?.[2] ?? -Infinity };
}

/** Sub-module refinement of a coarse fit (off-centre samples); null when it no longer looks like a symbol. */
export function refineFit(img: GrayImage, c: CoarseFit, minScore = 0.8): QrLocation | null {
  const fit = fitGrid(img, c.fit.version, c.fit.anchors, { module: c.module, inverted: c.inverted, startStep: 1 / 4, maxEvaluations: 120 });
  return fit && fit.score >= minScore ? toLocation(fit.h, fit.version, fit.score, c.group, c.inverted) : null;
}

export function locateQrCodes(img: GrayImage, opts: LocateOptions = {}): QrLocation[] {
  const out: QrLocation[] = [];
  findTriples(img, opts).forEach((t, group) => {
    for (const c of fitTriple(img, t, group, opts).slice(0, MAX_VERSIONS_REFINED)) {
      const loc = refineFit(img, c, opts.minScore);
      if (loc) out.push(loc);
    }
  });
  return out;
}

function toLocation(h: GridMap["h"], version: number, score: number, group: number, inverted: boolean): QrLocation {
  const dim = dimensionOf(version), p: [number, number] = [0, 0];
  const corners: [number, number][] = [];
  for (const [x, y] of [[0, 0], [dim, 0], [dim, dim], [0, dim]] as const) {
    project(h, x, y, p);
    corners.push([p[0], p[1]]);
  }
  const side = (Math.hypot(corners[1]![0] - corners[0]![0], corners[1]![1] - corners[0]![1])
    + Math.hypot(corners[3]![0] - corners[0]![0], corners[3]![1] - corners[0]![1])) / 2;
  return { corners, version, moduleSize: side / dim, score, group, grid: { h, dim }, inverted };
}
