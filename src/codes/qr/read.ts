/**
 * rectifyQr and readQrCodes: a located grid sampled into a clean symbol image that zxing reads with
 * isPure (zxing does format information, unmasking, Reed–Solomon and the bit stream, so every text returned
 * passed its error correction).
 */
import { readGray, type GrayImage, type ReaderModule } from "../zxing.js";
import { findFinderCandidates, fitTriple, refineFit, tripleStartScore, type CoarseFit, type LocateOptions, type QrLocation } from "./locate.js";
import { pairTriples } from "./finder-pairs.js";
import { groupTriples, type FinderTriple } from "./triples.js";
import { RENDER_QUIET, RENDER_SCALE, renderSymbol, sampleModules, thresholdModules, type ThresholdKind } from "./modules.js";
import { alignmentField } from "./alignment-field.js";
import { followGrid } from "./grid-follow.js";
import { mapToImage, type GridMap } from "./sampler.js";
import { erasureDecode } from "./erasure-decode.js";
import { warpGrid } from "./axis-warp.js";

/** field: the alignment-pattern displacement field; follow: the grid-following field (grid-follow.ts); warp: the
 * one-axis warp of a label on a cylinder (axis-warp.ts). */
export interface Variant { threshold: ThresholdKind; spread: number; field?: boolean; follow?: boolean; warp?: boolean }
/** Rectification variants, in the order readQrCodes tries them. */
export const VARIANTS: readonly Variant[] = [
  { threshold: "local", spread: 0.22 },
  { threshold: "wide", spread: 0.1 },
  { threshold: "deblur", spread: 0 },
  { threshold: "local", spread: 0.22, warp: true },
  { threshold: "global", spread: 0.22 },
  { threshold: "local", spread: 0.22, field: true },
  { threshold: "global", spread: 0.22, field: true },
  { threshold: "local", spread: 0.22, follow: true },
  { threshold: "global", spread: 0.22, follow: true },
];
/** Variants tried by default: on the tuning half every read came from these four (the others are kept for
 * `variants` up to VARIANTS.length, to measure them). */
export const DEFAULT_VARIANTS = 4;

/** Displacement-field grids of a location, computed once for all the variants that use them. */
const fieldGrids = new WeakMap<QrLocation, { field?: GridMap | null; follow?: GridMap | null; warp?: GridMap | null }>();

function gridFor(img: GrayImage, loc: QrLocation, v: Variant): GridMap | null {
  if (!v.field && !v.follow && !v.warp) return loc.grid;
  let cached = fieldGrids.get(loc);
  if (!cached) fieldGrids.set(loc, cached = {});
  if (v.warp) return cached.warp === undefined ? (cached.warp = warpGrid(img, loc.grid, loc.version, loc.inverted)) : cached.warp;
  if (v.field) return cached.field === undefined ? (cached.field = alignmentField(img, loc.grid, loc.version, loc.inverted)) : cached.field;
  return cached.follow === undefined ? (cached.follow = followGrid(img, loc.grid, loc.version, loc.inverted)) : cached.follow;
}

/** Module luminances sampled on `grid`, dark = low whatever the symbol's polarity. */
function moduleValues(img: GrayImage, grid: GridMap, loc: QrLocation, spread: number): Float32Array {
  const values = sampleModules(img, grid, spread);
  if (loc.inverted) for (let i = 0; i < values.length; i++) values[i] = 255 - values[i]!;
  return values;
}

export function rectifyQr(img: GrayImage, loc: QrLocation, variant = 0): GrayImage | null {
  const v = VARIANTS[variant];
  if (!v) return null;
  const grid = gridFor(img, loc, v);
  if (!grid) return null;
  const bits = thresholdModules(moduleValues(img, grid, loc, v.spread), loc.grid.dim, v.threshold, loc.version);
  return bits && renderSymbol(bits, loc.version);
}

export interface QrRead {
  text: string;
  bytes: Uint8Array;
  /** TL, TR, BR, BL of the symbol as zxing oriented it, in the input image. */
  corners: [number, number][];
  version: number;
}

/**
 * Effort bounds: the work is fixed by these counts (and the image size), never by the clock, so a result does
 * not depend on the machine's load. `safetyDeadlineMs` only cuts off a pathological input.
 */
export interface ReadQrOptions extends LocateOptions {
  /** Finder triples fitted, most plausible first (default 8). */
  maxTriples?: number;
  /** Version hypotheses of one triple refined and read, best coarse score first (default 2). */
  maxVersions?: number;
  /** Rectification variants tried per hypothesis, in VARIANTS order (default DEFAULT_VARIANTS). */
  variants?: number;
  /** Two-finder hypotheses fitted when no triple read (default 4; 0 = none). */
  maxPairFits?: number;
  /** A safety net far above the normal cost (default 2000 ms): checked between triples. */
  safetyDeadlineMs?: number;
  /** Filled with what the call did. */
  stats?: QrReadStats;
  /** After the variants, decode with the least reliable codewords erased (erasure-decode.ts; default true). */
  erasures?: boolean;
}

export interface QrReadStats { finders: number; triples: number; pairs?: number; fits: number; rectified: number; deadlineHit: boolean; erasureReads?: number }

const PURE = { formats: "QRCode", isPure: true, tryHarder: false, tryRotate: false, tryInvert: false, tryDownscale: false, textMode: "Plain" } as const;

export function readQrCodes(mod: ReaderModule, img: GrayImage, opts: ReadQrOptions = {}): QrRead[] {
  const start = performance.now();
  const deadline = opts.safetyDeadlineMs ?? 2000;
  const stats: QrReadStats = opts.stats ?? { finders: 0, triples: 0, fits: 0, rectified: 0, deadlineHit: false };
  const finders = findFinderCandidates(img, opts.viewSide);
  stats.finders = finders.filter((f) => f.count >= 2).length;
  const triples = groupTriples(finders, opts.maxTriples ?? 8);
  stats.triples = triples.length;
  const out: QrRead[] = [];
  const nVariants = Math.min(opts.variants ?? DEFAULT_VARIANTS, VARIANTS.length);
  const tryTriples = (list: readonly FinderTriple[], offset: number): void => {
    for (let k = 0; k < list.length; k++) {
      const t = list[k]!;
      // Finders inside a symbol already read are its own (or its data's look-alikes): symbols do not overlap.
      if (out.some((o) => inside(o.corners, t.tl) || inside(o.corners, t.tr) || inside(o.corners, t.bl))) continue;
      if (performance.now() - start > deadline) { stats.deadlineHit = true; return; }
      const read = readFits(mod, img, fitTriple(img, t, offset + k, opts), opts.maxVersions ?? 2, nVariants, stats, opts.erasures ?? true);
      if (read && !out.some((o) => o.text === read.text)) out.push(read);
    }
  };
  tryTriples(triples, 0);
  const maxPairFits = opts.maxPairFits ?? 4;
  if (out.length === 0 && maxPairFits > 0) {
    // Hypotheses whose third finder is a finder the scan saw were triples already.
    const seen = finders.filter((f) => f.count >= 2);
    const fresh = pairTriples(finders, img).filter((t) => ![t.tl, t.tr, t.bl].some((v) => v.count === 0 && seen.some((f) => f.dark === v.dark && Math.hypot(f.x - v.x, f.y - v.y) < 3 * v.module)));
    const ranked = fresh.map((t) => ({ t, s: tripleStartScore(img, t, { versionSpread: 0 }) })).filter((r) => r.s >= PAIR_MIN_START).sort((a, b) => b.s - a.s);
    stats.pairs = ranked.length;
    tryTriples(ranked.slice(0, maxPairFits).map((r) => r.t), triples.length);
  }
  return out;
}

/** A two-finder hypothesis must match its function patterns at least this well before it is fitted (a glared or
 * missing finder costs some of the match a full triple has). */
const PAIR_MIN_START = 0.5;

function readFits(mod: ReaderModule, img: GrayImage, fits: CoarseFit[], maxVersions: number, nVariants: number, stats: QrReadStats, erasures: boolean): QrRead | null {
  const located: QrLocation[] = [];
  for (const [k, c] of fits.slice(0, maxVersions).entries()) {
    stats.fits++;
    const loc = refineFit(img, c);
    if (!loc) continue;
    located.push(loc);
    for (let v = 0; v < nVariants; v++) {
      // The warp search costs more than all the other variants together: only for the best version hypothesis.
      if (VARIANTS[v]!.warp && k > 0) continue;
      stats.rectified++;
      const sym = rectifyQr(img, loc, v);
      const res = sym && readGray(mod, sym, PURE)[0];
      if (!res) continue;
      return { text: res.text, bytes: res.bytes, corners: res.corners.map(([x, y]) => toImage(gridFor(img, loc, VARIANTS[v]!) ?? loc.grid, x, y)), version: loc.version };
    }
  }
  // Only once no plain rectification read: erasures spend check symbols that guard against a wrong correction.
  // On the plane grid, and on the warped one where a warp variant computed it.
  if (!erasures) return null;
  const grids = located.flatMap((loc) => [loc.grid, fieldGrids.get(loc)?.warp].flatMap((grid) => (grid ? [{ loc, grid }] : [])));
  for (const { loc, grid } of grids) {
    const fixed = erasureDecode(moduleValues(img, grid, loc, VARIANTS[0]!.spread), loc.version);
    const res = fixed && readGray(mod, renderSymbol(fixed.bits, loc.version), PURE)[0];
    if (!res || !fixed) continue;
    stats.erasureReads = (stats.erasureReads ?? 0) + 1;
    // A mirrored symbol was corrected transposed: swap back to the grid's axes.
    const corners = res.corners.map(([x, y]) => (fixed.transposed ? toImage(grid, y, x) : toImage(grid, x, y)));
    return { text: res.text, bytes: res.bytes, corners, version: loc.version };
  }
  return null;
}

function inside(quad: readonly [number, number][], p: { x: number; y: number }): boolean {
  let sign = 0;
  for (let i = 0; i < 4; i++) {
    const a = quad[i]!, b = quad[(i + 1) % 4]!;
    const c = Math.sign((b[0] - a[0]) * (p.y - a[1]) - (b[1] - a[1]) * (p.x - a[0]));
    if (c === 0) continue;
    if (sign === 0) sign = c; else if (c !== sign) return false;
  }
  return true;
}

/** A point of the rendered symbol back into the input image, through the grid it was sampled on. */
function toImage(grid: GridMap, x: number, y: number): [number, number] {
  const p: [number, number] = [0, 0];
  mapToImage(grid, x / RENDER_SCALE - RENDER_QUIET, y / RENDER_SCALE - RENDER_QUIET, p);
  return [p[0], p[1]];
}
