/** Crops of the image for the strategy's local reads: whether a blob is explained by the symbols read so far, and
 * cropping around it. */
import { boundsOf } from "./found.js";
import { clampRect, crop, type Rect } from "./image-ops.js";
import type { StrategyContext } from "./view-reads.js";
import type { GrayImage } from "./zxing.js";

const CROP_MAX_SIDE = 1400;
/** Crops up to this many pixels are read at full resolution whatever their long side: a long thin blob (a small
 * EAN merged with a text line) downscaled by its long side would lose the EAN's bars. */
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
