/**
 * The crops the QR module is handed in the evaluation, as the engine's strategy would hand them:
 *   spots: the code-like spots (regions.ts findCandidates on the strategy's ~1200 px spot view) that the
 *          baseline's reads leave unexplained, best first, each cropped at full resolution with the strategy's
 *          margin (crops.ts blobMargin);
 *   truth: one crop per baseline-missed QR code, its true box with the same margin (the module's own reach,
 *          whatever the spot finder does).
 */
import { aroundRect, blobMargin } from "../../src/codes/crops.js";
import { crop, downscale, type Rect } from "../../src/codes/image-ops.js";
import { findCandidates } from "../../src/codes/regions.js";
import { MAX_SPOTS } from "../../src/codes/strategy.js";
import type { GrayImage } from "../../src/codes/zxing.js";

export interface EvalCrop { img: GrayImage; left: number; top: number }

/** The strategy's spot view factor (strategy.ts spotView: long side about 1200, at least ½). */
const SPOT_VIEW_SIDE = 1200;
/** The strategy gives spot variants to at most this many spots. */
export { MAX_SPOTS };

export function boxOfCorners(corners: readonly [number, number][]): Rect {
  const xs = corners.map((c) => c[0]), ys = corners.map((c) => c[1]);
  const left = Math.min(...xs), top = Math.min(...ys);
  return { left, top, width: Math.max(...xs) - left, height: Math.max(...ys) - top };
}

function covered(found: readonly Rect[], r: Rect): boolean {
  return found.some((b) => {
    const iw = Math.min(b.left + b.width, r.left + r.width) - Math.max(b.left, r.left);
    const ih = Math.min(b.top + b.height, r.top + r.height) - Math.max(b.top, r.top);
    return iw > 0 && ih > 0 && iw * ih >= 0.4 * r.width * r.height;
  });
}

function cropOf(img: GrayImage, r: Rect): EvalCrop {
  const rect = aroundRect(img, r, blobMargin(r));
  return { img: crop(img, rect), left: rect.left, top: rect.top };
}

export function spotCrops(img: GrayImage, found: readonly Rect[], max = MAX_SPOTS): EvalCrop[] {
  const f = Math.max(2, Math.ceil(Math.max(img.width, img.height) / SPOT_VIEW_SIDE));
  const spots = findCandidates(downscale(img, f), f, max * 2, found).filter((c) => !covered(found, c)).slice(0, max);
  return spots.map((s) => cropOf(img, s)).filter((c) => c.img.width >= 16 && c.img.height >= 16);
}

export function truthCrops(img: GrayImage, boxes: readonly Rect[]): EvalCrop[] {
  return boxes.map((b) => cropOf(img, { left: Math.floor(b.left), top: Math.floor(b.top), width: Math.ceil(b.width), height: Math.ceil(b.height) }));
}
