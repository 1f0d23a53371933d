/**
 * The blob pass: a full-resolution view (150 kP – 2.4 MP) whose code-like blobs are few and small is read blob by
 * blob instead of whole. Most photos and screenshots are mostly background: their blobs (regions.ts, searched at
 * ½ scale) cover a third of the image at the median (suite), and hold every symbol the whole-view reads find
 * (suite and dataset: the same codes). Each blob's crop is read turned onto the pixel axes when its edge grid is
 * off them (1D and PDF417 turned 10–20° read only so), and as it lies with tryRotate (a vertical 1D symbol) when
 * it lies on them or the turned read found nothing. When no blob holds a symbol, the strategy goes on with the
 * whole view.
 */
import { aroundRect, blobMargin, covered, cropAround, readTurned, regionView } from "./crops.js";
import { findCandidates } from "./regions.js";
import { isSmallCrop } from "./variants.js";
import { enough, readView, type StrategyContext } from "./view-reads.js";
import type { GrayImage, ReadOptions } from "./zxing.js";
import type { Rect } from "./image-ops.js";

/** At most this many blobs (more: busy texture, cheaper read whole). */
const MAX_BLOBS = 10;
/** Their crops may cover at most this share of the view (more: no cheaper than the whole view; 0.7 measured
 * the same within noise). */
const MAX_SHARE = 0.5;
/** Upright crops: all formats, tryRotate on; tryInvert and tryDownscale stay off as in the whole-view read. */
const UPRIGHT: ReadOptions = { tryInvert: false, tryDownscale: false };

/** What the blob pass did: read a symbol, read every blob without one, or did not apply (no blobs, too many, too
 * large a share). */
export type BlobPassResult = "found" | "nothing" | "skipped";

/** A blob's crop of the image, where it starts, and the blob. */
export interface BlobCrop {
  c: Rect;
  sub: GrayImage;
  left: number;
  top: number;
}

/** Read `view` (the full-resolution image) blob by blob. */
export function readBlobs(ctx: StrategyContext, view: GrayImage, pass: string): { result: BlobPassResult; crops: BlobCrop[] } {
  const { rview, rf } = regionView(ctx, view, 1, undefined, 2);
  const blobs = findCandidates(rview, rf, MAX_BLOBS + 1);
  if (blobs.length === 0 || blobs.length > MAX_BLOBS) {
    ctx.trace.push(`blobs:${blobs.length}`);
    return { result: "skipped", crops: [] };
  }
  // The crops' share of the view, from their clamped rectangles (before copying any pixels).
  const area = blobs.reduce((a, c) => {
    const r = aroundRect(view, c, blobMargin(c));
    return a + r.width * r.height;
  }, 0);
  const share = area / (view.width * view.height);
  ctx.trace.push(`blobs:${blobs.length}:share:${share.toFixed(2)}`);
  if (share > MAX_SHARE) return { result: "skipped", crops: [] };
  const crops: BlobCrop[] = blobs.map((c) => ({ c, ...cropAround(ctx.image, c, blobMargin(c)) }));
  for (const [i, { c, sub, left, top }] of crops.entries()) {
    if (enough(ctx)) break;
    if (sub.width < 16 || sub.height < 16 || covered(ctx, c)) continue;
    const map = { scale: 1, left, top };
    const turned = readTurned(ctx, sub, map, `blob${i}-turned`);
    if (turned !== null && turned.length > 0) continue;
    // All symbols, not one first: a tiny symbol beside a large one in the same blob (a 20 px Data Matrix 2–12 px
    // from a QR code) leaves nothing in the ½-scale blob map that tells it from texture once the large one is
    // masked out, so a one-symbol read that stops at the large one would lose it.
    const upright = readView(ctx, sub, map, pass, false, UPRIGHT);
    // A small symbol spans few of the local binariser's blocks, whose thresholds its background then sets (suite
    // multi-25: a 53 px Aztec read only with the global histogram).
    if (upright.length === 0 && isSmallCrop(sub)) readView(ctx, sub, map, `blob${i}-gh`, false, { ...UPRIGHT, binarizer: "GlobalHistogram" });
  }
  return { result: ctx.found.length > 0 ? "found" : "nothing", crops };
}
