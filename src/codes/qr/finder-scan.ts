/**
 * Finder-pattern candidates on an image pyramid: each level (the image, then box-halved copies) is classified
 * against a fixed small window (finder-rays.ts), so a finder is scanned at the level where its modules are
 * 1.2–3.2 px, whatever its size, at the cost of about 4/3 of one pass over the image. On each scanned row,
 * runs of dark and of light pixels are checked for 1:1:3:1:1 (both polarities from one classification); a hit
 * is confirmed by rays in 2D and clustered with the hits of other rows and levels. The work is fixed by the
 * image size: every level, every other row of the full-size level, at most MAX_CONFIRMS ray confirmations.
 */
import { downscale } from "../image-ops.js";
import type { GrayImage } from "../zxing.js";
import { classifyRow, confirmFinder, DARK, finderRatios, integralImage, LIGHT, rowRuns, type Level, type RowRuns } from "./finder-rays.js";

export interface FinderCandidate {
  /** Centre in the scanned image's pixel coordinates. */
  x: number;
  y: number;
  /** Module size in pixels. */
  module: number;
  /** Row hits merged into it (over rows and levels): the evidence. */
  count: number;
  /** Diagonal rays that confirmed it at the first hit (0..2). */
  diagonals: number;
  /** True: dark rings on light (the usual); false: a light-on-dark symbol. */
  dark: boolean;
}

export interface ScanOptions {
  /** Scan light-on-dark too (default true). */
  bothPolarities?: boolean;
  maxCandidates?: number;
  /** Filled with the work done. */
  stats?: ScanStats;
}

export interface ScanStats { levels: number; rows: number; confirms: number }

const MAX_CLUSTERS = 400;
/** Ray confirmations per call (texture makes row hits; each costs a few rays). */
const MAX_CONFIRMS = 4000;
/** The smallest level worth scanning: a version-1 symbol at 1.2 px a module is 25 px. */
const MIN_LEVEL_SIDE = 24;
const MAX_LEVELS = 6;

/** The pyramid: the image, then box-halved copies down to MIN_LEVEL_SIDE. */
export function pyramid(img: GrayImage): Level[] {
  const out: Level[] = [];
  let cur = img, factor = 1;
  while (Math.min(cur.width, cur.height) >= MIN_LEVEL_SIDE && out.length < MAX_LEVELS) {
    out.push({ img: cur, sat: integralImage(cur), factor });
    cur = downscale(cur, 2);
    factor *= 2;
  }
  return out;
}

/** Scan `img` for finder candidates, strongest evidence first. */
export function scanFinders(img: GrayImage, opts: ScanOptions = {}): FinderCandidate[] {
  const clusters: FinderCandidate[] = [];
  const stats = opts.stats ?? { levels: 0, rows: 0, confirms: 0 };
  const both = opts.bothPolarities !== false;
  const row = rowRuns(img.width);
  const dRuns = new Int32Array(5), lRuns = new Int32Array(5);
  for (const lv of pyramid(img)) {
    stats.levels++;
    const h = lv.img.height;
    // Every other row: a finder's centre block is ≥ 3.6 px tall at the level that scans it (modules ≥ 1.2 px),
    // two rows or more; the smallest levels every row.
    const rowStep = h > 60 ? 2 : 1;
    for (let y = 0; y < h; y += rowStep) {
      stats.rows++;
      classifyRow(lv, y, row);
      scanRow(lv, row, y, DARK, dRuns, clusters, stats);
      if (both) scanRow(lv, row, y, LIGHT, lRuns, clusters, stats);
    }
  }
  clusters.sort((a, b) => b.count + b.diagonals * 0.5 - (a.count + a.diagonals * 0.5));
  return clusters.slice(0, opts.maxCandidates ?? 40);
}

/** Run lengths of `want` / not-`want` along one classified row; a 1:1:3:1:1 ending in `want` is a hit. */
function scanRow(lv: Level, row: RowRuns, y: number, want: number, runs: Int32Array, clusters: FinderCandidate[], stats: ScanStats): void {
  runs.fill(0);
  const cls = row.cls, lens = row.len, n = row.n;
  let cur = cls[0] === want, len = 0, x = 0;
  for (let i = 0; i <= n; i++) {
    const on = i < n ? cls[i] === want : !cur;
    if (on === cur) { len += lens[i]!; x += lens[i]!; continue; }
    runs[0] = runs[1]!; runs[1] = runs[2]!; runs[2] = runs[3]!; runs[3] = runs[4]!; runs[4] = len;
    if (cur && runs[0]! > 0 && finderRatios(runs[0]!, runs[1]!, runs[2]!, runs[3]!, runs[4]!)) {
      const total = runs[0]! + runs[1]! + runs[2]! + runs[3]! + runs[4]!;
      hit(lv, want, x - runs[4]! - runs[3]! - runs[2]! / 2 - 0.5, y, total, clusters, stats);
    }
    cur = on;
    len = i < n ? lens[i]! : 0;
    x += len;
  }
}

function hit(lv: Level, want: number, cx: number, y: number, total: number, clusters: FinderCandidate[], stats: ScanStats): void {
  const f = lv.factor, dark = want === DARK;
  const toX = (v: number): number => (v + 0.5) * f - 0.5;
  if (absorb(clusters, toX(cx), toX(y), (total / 7) * f, dark)) return;
  if (stats.confirms >= MAX_CONFIRMS) return;
  stats.confirms++;
  const c = confirmFinder(lv, want, cx, y, total);
  if (!c) return;
  const x = toX(c.x), yy = toX(c.y), module = c.module * f;
  if (absorb(clusters, x, yy, module, dark) || clusters.length >= MAX_CLUSTERS) return;
  clusters.push({ x, y: yy, module, count: 1, diagonals: c.diagonals, dark });
}

/** Count a hit into an existing cluster when it falls inside that finder's centre block. */
function absorb(clusters: FinderCandidate[], x: number, y: number, module: number, dark: boolean): boolean {
  for (const c of clusters) {
    if (c.dark !== dark) continue;
    const tol = 1.75 * c.module;
    if (Math.abs(c.x - x) > tol || Math.abs(c.y - y) > tol) continue;
    if (module > 2 * c.module || module < 0.5 * c.module) continue;
    c.count++;
    return true;
  }
  return false;
}
