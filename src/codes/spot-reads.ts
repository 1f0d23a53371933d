/**
 * Reading one code-like spot that the whole-image read left unexplained.
 *
 * The spot's crop is taken at full resolution. When the whole read was of a downscaled copy (large images), the
 * crop is first read as plain zxing-wasm would read it at full resolution — that is where the small and dense
 * codes of large photos are. Then, while it stays unexplained, pixel variants of the crop (variants.ts
 * SPOT_VARIANTS), each read for the symbologies the spot's edges allow: bars (one edge direction) for linear
 * symbologies and PDF417, a grid (two) for all.
 */
import { blobMargin, covered, cropAround, cropFactor } from "./crops.js";
import type { ViewMapping } from "./found.js";
import { downscale, type Rect } from "./image-ops.js";
import { gridOf, SPOT_VARIANTS } from "./variants.js";
import { readView, spent, tryVariants, type StrategyContext } from "./view-reads.js";
import { ALL_LINEAR, type GrayImage, type ReadOptions } from "./zxing.js";

const PLAIN: ReadOptions = { tryHarder: true, tryRotate: true, tryInvert: true, tryDownscale: true };
/** One edge direction (orientation.ts coherence): bars. Matrix symbols measure ≤ 0.3. */
const BARS_COHERENCE = 0.45;
const BAR_FORMATS = `${ALL_LINEAR},PDF417,MicroPDF417`;

export interface SpotCrop {
  sub: GrayImage;
  map: ViewMapping;
}

export function spotCrop(ctx: StrategyContext, spot: Rect): SpotCrop | null {
  const { sub: full, left, top } = cropAround(ctx.image, spot, blobMargin(spot));
  if (full.width < 16 || full.height < 16) return null;
  const f = cropFactor(full);
  return { sub: f > 1 ? downscale(full, f) : full, map: { scale: f, left, top } };
}

/** The crop as plain zxing-wasm reads a whole image; true when that explained the spot. */
export function readSpotPlain(ctx: StrategyContext, spot: Rect, crop: SpotCrop, pass: string): boolean {
  const got = readView(ctx, crop.sub, crop.map, pass, false, PLAIN);
  return got.length > 0 && covered(ctx, spot);
}

/** Pixel variants of the crop until one reads something. */
export function readSpotVariants(ctx: StrategyContext, crop: SpotCrop, pass: string): void {
  if (spent(ctx)) return;
  const bars = gridOf(crop.sub).coherence >= BARS_COHERENCE;
  const options: ReadOptions = bars
    ? { formats: BAR_FORMATS, tryRotate: true, tryInvert: true, tryDownscale: true }
    : { tryRotate: true, tryInvert: true, tryDownscale: true };
  tryVariants(ctx, crop.sub, crop.map, `${pass}${bars ? "b" : ""}`, SPOT_VARIANTS, options);
}
