/**
 * Crops of the image for the strategy's local reads: where a blob is explained by the symbols read so far,
 * cropping around it, the view blobs are searched on, and the reads that crops share (a de-rotated read; one
 * symbol first, all of them when something is left).
 */
import { addFound } from "./dedupe.js";
import { boundsOf, type Found, type ViewMapping } from "./found.js";
import { clampRect, crop, downscale, type Rect } from "./image-ops.js";
import { derotate, halfOf } from "./variants.js";
import { enough, readView, type StrategyContext } from "./view-reads.js";
import type { GrayImage, ReadOptions } from "./zxing.js";

const REGION_VIEW_MAX_SIDE = 1200;
const CROP_MAX_SIDE = 1400;
/** Crops up to this many pixels are read at full resolution whatever their long side: a long thin blob (a small
 * EAN merged with a text line) downscaled by its long side loses the EAN (suite scene photo12mp-10). */
const CROP_FULL_RES_PIXELS = 700_000;

/** A symbol read so far covers at least 40 % of `r`. */
export function covered(ctx: StrategyContext, r: Rect): boolean {
  return ctx.found.some((f) => {
    const b = boundsOf(f.corners);
    const iw = Math.min(b.x1, r.left + r.width) - Math.max(b.x0, r.left);
    const ih = Math.min(b.y1, r.top + r.height) - Math.max(b.y0, r.top);
    return iw > 0 && ih > 0 && iw * ih >= 0.4 * r.width * r.height;
  });
}

/** The boxes of the symbols read so far (image coordinates). */
export function foundRects(ctx: StrategyContext): Rect[] {
  return ctx.found.map((f) => {
    const b = boundsOf(f.corners);
    return { left: b.x0, top: b.y0, width: b.x1 - b.x0, height: b.y1 - b.y0 };
  });
}

/** The integer downscale a crop is read at (1: full resolution). */
export function cropFactor(img: GrayImage): number {
  if (img.width * img.height <= CROP_FULL_RES_PIXELS) return 1;
  return Math.max(1, Math.ceil(Math.max(img.width, img.height) / CROP_MAX_SIDE));
}

/** `r` grown by `margin` on every side, on whole pixels and clamped to the image: what cropAround copies. */
export function aroundRect(img: GrayImage, r: Rect, margin: number): Rect {
  return clampRect(img, { left: r.left - margin, top: r.top - margin, width: r.width + 2 * margin, height: r.height + 2 * margin });
}

/** The image around `r`, grown by `margin` on every side (clamped to the image), and where that crop starts. */
export function cropAround(img: GrayImage, r: Rect, margin: number): { sub: GrayImage; left: number; top: number } {
  const rect = aroundRect(img, r, margin);
  return { sub: crop(img, rect), left: rect.left, top: rect.top };
}

/** The margin a blob's crop gets: quiet zones and the parts of the symbol the blob's cells missed. */
export function blobMargin(r: Rect): number {
  return Math.max(16, 0.15 * Math.max(r.width, r.height));
}

/** One read of `view` turned onto the pixel axes (variants.ts derotate); null when it already lies on them. */
export function readTurned(ctx: StrategyContext, view: GrayImage, map: ViewMapping, pass: string): Found[] | null {
  const turned = derotate(view);
  return turned ? readView(ctx, turned.view, { ...map, rotation: turned.rotation }, pass, false) : null;
}

/**
 * One symbol first: zxing stops at the first it finds, several times sooner than a search for all of them
 * (dataset images ≤ 150 kP: 1.1 vs 2.7 ms). The search for all follows when `leftOver()` says that something
 * code-like is left that no read explains, or when zxing stopped at a read refused as a fragment (ITF, UPC-E).
 * Returns the reads of the first read (empty: nothing read).
 */
export function readFirstThenAll(
  ctx: StrategyContext, view: GrayImage, map: ViewMapping, pass: string, options: ReadOptions, leftOver: () => boolean,
): Found[] {
  const known = ctx.found.length, refused = ctx.fragments ?? 0;
  const first = readView(ctx, view, map, pass, false, { ...options, maxNumberOfSymbols: 1 });
  const stoppedAtFragment = (ctx.fragments ?? 0) > refused;
  if ((first.length === 0 && !stoppedAtFragment) || enough(ctx)) return first;
  if (!stoppedAtFragment && !leftOver()) return first;
  // The search for all repeats the first read on the same pixels, which is no second witness: the first read
  // gives way to it, and stays only if the search misses it.
  const firstReads = ctx.found.splice(known);
  readView(ctx, view, map, pass, false, options);
  for (const f of firstReads) {
    if (!ctx.found.some((g) => g.text === f.text && g.format === f.format)) addFound(ctx.found, f);
  }
  return first;
}

/**
 * The view blobs are searched on, and its downscale factor: ~1200 px on the long side, at least 1/minFactor.
 * A downscaled base view (scale > 1) is already small enough: reused rather than box-filtering 12 MP again.
 * `process` runs on the view actually searched only.
 */
export function regionView(
  ctx: StrategyContext,
  view: GrayImage,
  scale: number,
  process: (img: GrayImage) => GrayImage = (img) => img,
  minFactor = 1,
): { rview: GrayImage; rf: number } {
  const rf = scale > 1 ? scale : Math.max(minFactor, Math.ceil(Math.max(ctx.image.width, ctx.image.height) / REGION_VIEW_MAX_SIDE));
  return { rview: process(rf === scale ? view : rf === 2 ? halfOf(ctx.image) : downscale(ctx.image, rf)), rf };
}
