/**
 * The recognition plan.
 *
 * 1. whole:  the whole image read exactly as plain zxing-wasm reads it (every option on: tryHarder, tryRotate,
 *            tryInvert, tryDownscale), so that nothing plain zxing-wasm finds is lost by design. Images above
 *            WHOLE_MAX_PIXELS are box-downscaled under it first (a 12 MP photo read whole costs ~1.5 s); their
 *            small and dense codes are read at full resolution in 2.
 * 2. spots:  code-like places (regions.ts: cells dense in strong edges) that no read explains, best first, each
 *            cropped at full resolution and read; then, when still unexplained, with the spot variants
 *            (spot-reads.ts) — until maxCodes codes are known, the time budget or the phase's pixel budget is spent.
 * Every phase stops once maxCodes distinct codes are known or the time budget is spent.
 */
import { covered, foundRects } from "./crops.js";
import { boxBlur3, downscale, stretchContrast, type Rect } from "./image-ops.js";
import { findCandidates, joinSplitSpots, type Candidate } from "./regions.js";
import { readSpotPlain, readSpotVariants, spotCrop, type SpotCrop } from "./spot-reads.js";
import { halfOf } from "./variants.js";
import { SKIP, enough, readCost, readView, spent, type StrategyContext } from "./view-reads.js";
import type { GrayImage, ReadOptions } from "./zxing.js";

export type { StrategyContext } from "./view-reads.js";

export const FIRST_PASS = "whole";
/** zxing-wasm's defaults: what plain zxing-wasm reads with. */
export const PLAIN_OPTIONS: ReadOptions = { tryHarder: true, tryRotate: true, tryInvert: true, tryDownscale: true };
/** Larger images are read whole box-downscaled under this (plain zxing-wasm: ~1.5 s for 12 MP whole). */
export const WHOLE_MAX_PIXELS = 5_000_000;
/** …and the downscaled copy has at most this many (12 MP → 1333×1000). */
const DOWNSCALED_MAX_PIXELS = 1_400_000;
/** At most this many unexplained spots get pixel variants; a large image's full-resolution reads take up to
 * MAX_FULL_RES_SPOTS (a sheet of labels). */
export const MAX_SPOTS = 8;
const MAX_FULL_RES_SPOTS = 64;
/**
 * Effort for the spots (view-reads.ts readCost units, as multiples of the whole read's): full-resolution reads of a
 * downscaled large image's spots, then pixel variants — more when the whole read found nothing (a photo of a code
 * that the whole read missed) than when it found some (what is left is mostly text and texture).
 */
/** A large image's full-resolution spot reads may cost up to what plain zxing-wasm's read of the whole image at
 * full resolution costs: never more than plain, and as much where the image is covered with codes. */
const FULL_RES_WORK = 1;
const VARIANT_WORK = { found: 0.5, nothing: 1.5, floor: 400_000 };
/** Blobs are searched on a view of about this long side. */
const SPOT_VIEW_SIDE = 1200;

function wholeView(img: GrayImage): { view: GrayImage; scale: number } {
  const px = img.width * img.height;
  if (px <= WHOLE_MAX_PIXELS) return { view: img, scale: 1 };
  const f = Math.ceil(Math.sqrt(px / DOWNSCALED_MAX_PIXELS));
  return { view: downscale(img, f), scale: f };
}

/** The view blobs are searched on: the image box-downscaled to about SPOT_VIEW_SIDE (at least ½). */
function spotView(img: GrayImage, whole: { view: GrayImage; scale: number }): { view: GrayImage; scale: number } {
  const f = Math.max(2, Math.ceil(Math.max(img.width, img.height) / SPOT_VIEW_SIDE));
  if (f === whole.scale) return whole;
  return { view: f === 2 ? halfOf(img) : downscale(img, f), scale: f };
}

/**
 * Spots below this score (regions.ts: edge-dense cells, weighted by how compactly they fill their box; in cells of
 * the ~1200 px spot view) are texture, text or specks: on the tuning halves of the generated sets, those under 5
 * held 4 of 127 spots with an unread code and 871 of 1271 without one. (Not for a large image's full-resolution
 * reads: a small code in a 12 MP photo is a few cells of that view.)
 */
export const MIN_SPOT_SCORE = 5;

function unexplainedSpots(ctx: StrategyContext, sv: { view: GrayImage; scale: number }, max: number): Candidate[] {
  return findCandidates(sv.view, sv.scale, max * 2, foundRects(ctx))
    .filter((c) => !covered(ctx, c)).slice(0, max);
}

/** The share of the smaller of two rectangles that they have in common. */
function overlapShare(a: Rect, b: Rect): number {
  const w = Math.min(a.left + a.width, b.left + b.width) - Math.max(a.left, b.left);
  const h = Math.min(a.top + a.height, b.top + b.height) - Math.max(a.top, b.top);
  return w > 0 && h > 0 ? (w * h) / Math.min(a.width * a.height, b.width * b.height) : 0;
}

/** Codes read in the downscaled whole view, or unexplained spots' share of the image, that make a sheet. */
const SHEET_CODES = 8;
const SHEET_SPOT_SHARE = 0.4;

function isSheet(ctx: StrategyContext, spots: readonly Rect[]): boolean {
  const area = spots.reduce((a, r) => a + r.width * r.height, 0);
  return ctx.found.length >= SHEET_CODES || area >= SHEET_SPOT_SHARE * ctx.image.width * ctx.image.height;
}

export function runStrategy(ctx: StrategyContext): void {
  const whole = wholeView(ctx.image);
  readView(ctx, whole.view, { scale: whole.scale, left: 0, top: 0 }, FIRST_PASS, false, PLAIN_OPTIONS);
  if (enough(ctx) || SKIP.has("spots")) return;
  const wholeWork = readCost(whole.view, PLAIN_OPTIONS);
  const sv = spotView(ctx.image, whole);
  const spots = unexplainedSpots(ctx, sv, whole.scale > 1 ? MAX_FULL_RES_SPOTS : MAX_SPOTS);
  ctx.trace.push(`spots:${spots.length}`);
  ctx.spots = spots;
  const crops = new Map<Rect, SpotCrop | null>();
  const cropOf = (s: Rect) => {
    if (!crops.has(s)) crops.set(s, spotCrop(ctx, s));
    return crops.get(s)!;
  };
  if (whole.scale > 1 && isSheet(ctx, spots)) {
    // Codes all over a large image (a sheet of labels): its full resolution read whole, as plain zxing-wasm does,
    // costs no more than reading its many spots one by one, and misses none between them.
    ctx.trace.push("sheet");
    readView(ctx, ctx.image, { scale: 1, left: 0, top: 0 }, "whole-full", false, PLAIN_OPTIONS);
  } else if (whole.scale > 1) {
    ctx.workCap = (ctx.work ?? 0) + FULL_RES_WORK * readCost(ctx.image, PLAIN_OPTIONS);
    for (const [i, spot] of spots.entries()) {
      if (spent(ctx)) break;
      const crop = cropOf(spot);
      if (crop && !covered(ctx, spot)) readSpotPlain(ctx, spot, crop, `spot${i}`);
    }
  }
  if (enough(ctx) || SKIP.has("variants")) return;
  const share = ctx.found.length > 0 ? VARIANT_WORK.found : VARIANT_WORK.nothing;
  ctx.workCap = (ctx.work ?? 0) + Math.max(VARIANT_WORK.floor, share * wholeWork);
  // A symbol split in two by glare or a fold: the union of two blobs in line (one may be too weak on its own).
  let candidates = (SKIP.has("join") ? spots : joinSplitSpots(spots)).filter((c) => c.score >= MIN_SPOT_SCORE);
  if (ctx.found.length === 0) {
    // Nothing read: a faint code's steps fall under the edge threshold. The spot view smoothed (grain) and
    // stretched to full range shows it; its spots come after the plain ones.
    const faint = unexplainedSpots(ctx, { view: stretchContrast(boxBlur3(sv.view)), scale: sv.scale }, MAX_SPOTS)
      // (a union of two weak blobs, read only as bars, does not stand for a faint spot over it: that replaces it)
      .filter((c) => c.score >= MIN_SPOT_SCORE && !candidates.some((o) => !o.members && overlapShare(o, c) > 0.5));
    ctx.trace.push(`faint-spots:${faint.length}`);
    candidates = [...candidates.filter((o) => !o.members || !faint.some((c) => overlapShare(o, c) > 0.5)), ...faint];
    ctx.spots = [...spots, ...faint];
  }
  for (const [i, spot] of candidates.slice(0, MAX_SPOTS).entries()) {
    if (spent(ctx)) break;
    if (covered(ctx, spot)) continue; // a read of an earlier spot explained this one too
    const crop = cropOf(spot);
    // A union's crop holds its members' pixels: it is no second witness for what they read.
    const contains = spot.members?.map((m) => `spot${candidates.indexOf(m)}`) ?? [];
    if (crop) readSpotVariants(ctx, spot, crop, `spot${i}`, { barsOnly: spot.members !== undefined, contains });
  }
}
