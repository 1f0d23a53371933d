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
import { addFound } from "./dedupe.js";
import { mapPoint, type ViewMapping } from "./found.js";
import { clampRect, downscale, type Rect } from "./image-ops.js";
import { barProfiles } from "./bar-profile.js";
import { gridAngle } from "./orientation.js";
import { gridOf, isBars, profileVariants, SPOT_VARIANTS } from "./variants.js";
import { readQrCodes } from "./qr/index.js";
import { enough, readView, SKIP, spent, tryVariants, type StrategyContext } from "./view-reads.js";
import { ALL_BUT_FILM_EDGE, LINEAR_BUT_FILM_EDGE, type GrayImage, type ReadOptions } from "./zxing.js";

const PLAIN: ReadOptions = { tryHarder: true, tryRotate: true, tryInvert: true, tryDownscale: true };
const BAR_FORMATS = `${LINEAR_BUT_FILM_EDGE},PDF417,MicroPDF417`;

export interface SpotCrop {
  /** The crop as zxing reads it (box-downscaled when large: crops.ts cropFactor), and how it maps to the image. */
  sub: GrayImage;
  map: ViewMapping;
  /** The crop at full resolution, for the QR locator (qr/: it builds its own pyramid). */
  full: GrayImage;
  fullMap: ViewMapping;
}

export function spotCrop(ctx: StrategyContext, spot: Rect): SpotCrop | null {
  const { sub: full, left, top } = cropAround(ctx.image, spot, blobMargin(spot));
  if (full.width < 16 || full.height < 16) return null;
  const f = cropFactor(full);
  return { sub: f > 1 ? downscale(full, f) : full, map: { scale: f, left, top }, full, fullMap: { scale: 1, left, top } };
}

/** The crop as plain zxing-wasm reads a whole image; true when that explained the spot. */
export function readSpotPlain(ctx: StrategyContext, spot: Rect, crop: SpotCrop, pass: string): boolean {
  const got = readView(ctx, crop.sub, crop.map, pass, false, PLAIN);
  return got.length > 0 && covered(ctx, spot);
}

/** Pixel variants of the crop until one reads something (`barsOnly`: only when the crop is bars; `contains`: the
 * passes of spots inside this one, whose reads it does not witness); then, for a spot that is not bars and is still
 * unexplained, the QR locator (qr/), which finds and samples QR symbols that zxing's detector misses. */
export function readSpotVariants(
  ctx: StrategyContext, spot: Rect, crop: SpotCrop, pass: string, { barsOnly = false, contains = [] }: { barsOnly?: boolean; contains?: readonly string[] } = {},
): void {
  if (spent(ctx)) return;
  const bars = isBars(crop.sub);
  if (barsOnly && !bars) return;
  const options: ReadOptions = bars
    ? { formats: BAR_FORMATS, tryRotate: true, tryInvert: true, tryDownscale: true }
    : { formats: ALL_BUT_FILM_EDGE, tryRotate: true, tryInvert: true, tryDownscale: true };
  const { read, unconfirmedLinear } = tryVariants(ctx, crop.sub, crop.map, `${pass}${bars ? "b" : ""}`, SPOT_VARIANTS, options, contains);
  // Bars the variants could not read, or read without a second witness: their profiles.
  if ((bars || unconfirmedLinear) && !SKIP.has("profiles") && !enough(ctx) && !covered(ctx, spot)) readSpotProfiles(ctx, spot, crop, `${pass}b`, contains);
  // A variant that read something (if only a symbol found before: a spot larger than the symbol's box) explained it.
  if (!bars && !read && !enough(ctx) && !SKIP.has("qr") && !covered(ctx, spot)) readSpotQr(ctx, crop, `${pass}-qr`);
}

/**
 * A bars spot's profiles (bar-profile.ts, variants.ts profileVariants) on its crop grown along the scan direction by
 * the spot's length on either side: glare or a fold splits a 1D symbol's bars into blobs that each hold only part of
 * the symbol, and the profile needs every bar (what lies beyond it, paper or clutter, its line weights drop). Then,
 * when those did not read, the profiles sharpened (blur).
 */
function readSpotProfiles(ctx: StrategyContext, spot: Rect, crop: SpotCrop, pass: string, contains: readonly string[]): void {
  if ((ctx.profileWork ?? 0) >= PROFILE_ALLOWANCE) return;
  const g = gridOf(crop.sub);
  // the scan direction: of the grid's two axes, the one nearer the mean gradient (bars: their normal)
  const off = (a: number) => Math.abs(((a - g.gradientDeg + 270) % 180) - 90);
  const deg = off(g.deg) <= off(g.deg + 90) ? g.deg : g.deg + 90;
  const ext = Math.max(spot.width, spot.height), a = (deg * Math.PI) / 180;
  const ex = Math.abs(Math.cos(a)) * ext, ey = Math.abs(Math.sin(a)) * ext;
  const grown = clampRect(ctx.image, { left: spot.left - ex, top: spot.top - ey, width: spot.width + 2 * ex, height: spot.height + 2 * ey });
  const { sub: full, left, top } = cropAround(ctx.image, grown, blobMargin(spot));
  if (full.width < 16 || full.height < 16) return;
  const f = cropFactor(full);
  const sub = f > 1 ? downscale(full, f) : full;
  // windows scale with the spot (the symbol, or the part of it the spot holds), not with the grown crop
  const profiles = barProfiles(sub, gridAngle(sub), Math.hypot(crop.full.width, crop.full.height) / f);
  const before = ctx.work ?? 0;
  ctx.work = before + PROFILE_WORK_PER_SAMPLE * (profiles?.samples ?? 0);
  // The profiles' own allowance, whatever the variants before them left of the phase's.
  const cap = ctx.workCap;
  ctx.workCap = before + PROFILE_ALLOWANCE - (ctx.profileWork ?? 0);
  // Each pair in a call of its own: a sharpened profile is no witness for the profile it was sharpened from.
  const own = [pass.replace(/b$/, ""), ...contains];
  if (profiles && !tryVariants(ctx, sub, { scale: f, left, top }, `${pass}-grown`, profileVariants(profiles), {}, own).read && !covered(ctx, spot)) {
    tryVariants(ctx, sub, { scale: f, left, top }, `${pass}-grown-sharp`, profileVariants(profiles, true), {}, [...own, `${pass}-grown`]);
  }
  // …and what they took is not taken from the phase's (the next spots' variants keep theirs)
  const took = (ctx.work ?? 0) - before;
  ctx.workCap = cap === undefined ? undefined : cap + took;
  ctx.profileWork = (ctx.profileWork ?? 0) + took;
}

/** A profile's work per bilinear sample, in readCost units (plain zxing-wasm's per pixel): measured ~0.1. */
const PROFILE_WORK_PER_SAMPLE = 0.1;

/** Work (readCost units) all bar profiles of an image may take: about one plain read of a 0.4 MP image. */
const PROFILE_ALLOWANCE = 400_000;

/**
 * The QR locator's cost in readCost units per pixel of the full-resolution crop: its finder scan (~24 ms/MP on
 * photo crops) against ~300 ms/MP for plain zxing-wasm's read; a crop whose finders fit costs ~5× that.
 */
const QR_LOCATOR_COST = 0.1;

/** Larger crops are box-downscaled under this for the QR locator: on the photoreal tuning half its reads of crops
 * over 1 MP were none in 46 (4.3 s), and a symbol filling such a crop has modules of several pixels. */
const QR_MAX_PIXELS = 1_000_000;

function readSpotQr(ctx: StrategyContext, crop: SpotCrop, pass: string): void {
  const t0 = performance.now();
  const px = crop.full.width * crop.full.height;
  const f = px > QR_MAX_PIXELS ? Math.ceil(Math.sqrt(px / QR_MAX_PIXELS)) : 1;
  const img = f > 1 ? downscale(crop.full, f) : crop.full;
  const map: ViewMapping = { ...crop.fullMap, scale: f };
  const reads = readQrCodes(ctx.mod, img);
  ctx.work = (ctx.work ?? 0) + QR_LOCATOR_COST * img.width * img.height;
  ctx.trace.push(`${pass}:${img.width}x${img.height}:${reads.length}@${(performance.now() - t0).toFixed(1)}`);
  for (const r of reads) {
    // Every text passed zxing's Reed–Solomon decoding of the rectified symbol: no second witness needed.
    addFound(ctx.found, {
      text: r.text, bytes: r.bytes, format: "QRCode", linear: false, corners: r.corners.map((c) => mapPoint(c, map)),
      pass, scale: f, preprocessed: true, hits: 1, lines: 1,
    });
  }
}
