/**
 * The recognition plan. Each step is justified by measurements recorded in docs at the top of detect.ts.
 *
 * 1. base:    one all-formats pass on the whole image, at full resolution up to BASE_MAX_PIXELS, else on an
 *             integer box-downscaled copy under that size (zxing's cost is ~linear in pixels; 12 MP at full
 *             size costs 4–8× a 1.3 MP copy and finds the same large codes).
 * 2. regions: code-like texture blobs (regions.ts) that no read explains yet are cropped at FULL resolution and
 *             read again; a crop that yields nothing is retried with pixel variants (contrast stretch, other
 *             binariser, denoise, sharpen, 2× upscale for tiny crops). Small codes in large photos, glare,
 *             blur, noise and low contrast are local problems: fixing them locally is cheap.
 * 3. rescue:  nothing found at all → the whole base view with the same variants.
 * Stops as soon as maxCodes distinct codes are known or the time budget is spent.
 */
import { addFound } from "./dedupe.js";
import { boundsOf, mapPoint, type Found, type ViewMapping } from "./found.js";
import { boxBlur3, crop, downscale, sharpen, stretchContrast, upscale2, type Rect } from "./image-ops.js";
import { extendLinear } from "./linear-extent.js";
import { findCandidates } from "./regions.js";
import { isLinearFormat } from "./result.js";
import { readGray, type GrayImage, type ReadOptions, type ReaderModule } from "./zxing.js";

export const BASE_MAX_PIXELS = 2_400_000;
const REGION_VIEW_MAX_SIDE = 1200;
const CROP_MAX_SIDE = 1400;
const MAX_REGIONS = 10;

export interface StrategyContext {
  mod: ReaderModule;
  image: GrayImage;
  maxCodes: number;
  deadline: number; // performance.now() value
  /** Collected reads (deduplicated). */
  found: Found[];
  /** Names of the passes run, for tuning/diagnostics. */
  trace: string[];
}

export const FIRST_PASS = "base";

interface Variant {
  name: string;
  apply: (img: GrayImage) => GrayImage;
  options?: ReadOptions;
}

/** Pixel variants, cheapest and most productive first (see detect.ts header for the measured order). */
export const VARIANTS: Variant[] = [
  { name: "stretch", apply: (i) => stretchContrast(i) },
  { name: "global", apply: (i) => i, options: { binarizer: "GlobalHistogram" } },
  { name: "blur", apply: (i) => boxBlur3(i) },
  { name: "sharpen", apply: (i) => sharpen(stretchContrast(i)) },
];

function enough(ctx: StrategyContext): boolean {
  return ctx.found.length >= ctx.maxCodes || performance.now() >= ctx.deadline;
}

/** Decode one view; map results to full-image coordinates and merge them. Returns how many reads it made. */
export function readView(
  ctx: StrategyContext,
  view: GrayImage,
  map: ViewMapping,
  pass: string,
  preprocessed: boolean,
  options: ReadOptions = {},
): Found[] {
  const reads = readGray(ctx.mod, view, { maxNumberOfSymbols: ctx.maxCodes + 3, ...options });
  ctx.trace.push(`${pass}:${view.width}x${view.height}:${reads.length}`);
  const out: Found[] = [];
  for (const r of reads) {
    const linear = isLinearFormat(r.format);
    let corners = r.corners.map((c) => mapPoint(c, map));
    if (linear) corners = extendLinear(ctx.image, corners);
    const f: Found = { text: r.text, bytes: r.bytes, format: r.format, linear, corners, pass, scale: map.scale, preprocessed, hits: 1 };
    addFound(ctx.found, f);
    out.push(f);
  }
  return out;
}

function baseView(img: GrayImage): { view: GrayImage; scale: number } {
  const px = img.width * img.height;
  if (px <= BASE_MAX_PIXELS) return { view: img, scale: 1 };
  const f = Math.ceil(Math.sqrt(px / BASE_MAX_PIXELS));
  return { view: downscale(img, f), scale: f };
}

function covered(ctx: StrategyContext, r: Rect): boolean {
  return ctx.found.some((f) => {
    const b = boundsOf(f.corners);
    const iw = Math.min(b.x1, r.left + r.width) - Math.max(b.x0, r.left);
    const ih = Math.min(b.y1, r.top + r.height) - Math.max(b.y0, r.top);
    return iw > 0 && ih > 0 && iw * ih >= 0.4 * r.width * r.height;
  });
}

/** Read a crop of the full image; if it yields nothing, retry the pixel variants. Linear reads that only a
 * variant produced must be confirmed by a second variant (misreads are mostly 1D). */
function readRegion(ctx: StrategyContext, r: Rect, idx: number): void {
  const margin = Math.max(16, 0.15 * Math.max(r.width, r.height));
  const rect = { left: r.left - margin, top: r.top - margin, width: r.width + 2 * margin, height: r.height + 2 * margin };
  let sub = crop(ctx.image, rect);
  if (sub.width < 8 || sub.height < 8) return;
  const left = Math.max(0, Math.floor(rect.left)), top = Math.max(0, Math.floor(rect.top));
  const f = Math.max(1, Math.ceil(Math.max(sub.width, sub.height) / CROP_MAX_SIDE));
  sub = downscale(sub, f);
  let map: ViewMapping = { scale: f, left, top };
  if (readView(ctx, sub, map, `region${idx}`, false).length > 0 || enough(ctx)) return;
  if (Math.max(sub.width, sub.height) < 400) {
    sub = upscale2(sub);
    map = { scale: f / 2, left, top };
    if (readView(ctx, sub, map, `region${idx}-up`, false).length > 0 || enough(ctx)) return;
  }
  let pending: Found[] = [];
  for (const v of VARIANTS) {
    if (performance.now() >= ctx.deadline) break;
    const got = readView(ctx, v.apply(sub), map, `region${idx}-${v.name}`, true, v.options);
    if (got.length === 0) continue;
    if (got.some((g) => !g.linear)) return;
    if (pending.length && got.some((g) => pending.some((p) => p.text === g.text))) return; // confirmed
    pending = got;
  }
  dropUnconfirmed(ctx, pending);
}

/** Remove single-witness linear reads that only preprocessing produced. */
function dropUnconfirmed(ctx: StrategyContext, reads: readonly Found[]): void {
  for (const p of reads) {
    const i = ctx.found.findIndex((f) => f.text === p.text && f.format === p.format && f.linear && f.preprocessed && f.hits < 2);
    if (i >= 0) ctx.found.splice(i, 1);
  }
}

export function runStrategy(ctx: StrategyContext): void {
  const { view, scale } = baseView(ctx.image);
  readView(ctx, view, { scale, left: 0, top: 0 }, FIRST_PASS, false);
  if (enough(ctx)) return;

  // Regions are searched on a ~1200 px view: enough to see 20 px codes of a 12 MP photo as texture.
  const rf = Math.max(1, Math.ceil(Math.max(ctx.image.width, ctx.image.height) / REGION_VIEW_MAX_SIDE));
  const rview = rf === scale ? view : downscale(ctx.image, rf);
  const candidates = findCandidates(rview, rf, MAX_REGIONS * 2).filter((c) => !covered(ctx, c));
  ctx.trace.push(`candidates:${candidates.length}`);
  for (const [i, c] of candidates.slice(0, MAX_REGIONS).entries()) {
    if (enough(ctx)) return;
    // A candidate as large as the base view holds nothing the base pass had not already seen.
    if (scale === 1 && c.width * c.height > 0.6 * ctx.image.width * ctx.image.height) continue;
    readRegion(ctx, c, i);
  }
  if (ctx.found.length > 0 || enough(ctx)) return;

  let pending: Found[] = [];
  for (const v of VARIANTS) {
    if (performance.now() >= ctx.deadline) return;
    const got = readView(ctx, v.apply(view), { scale, left: 0, top: 0 }, `rescue-${v.name}`, true, v.options);
    if (got.length === 0) continue;
    if (got.some((g) => !g.linear)) return;
    if (pending.length && got.some((g) => pending.some((p) => p.text === g.text))) return;
    pending = got;
  }
  dropUnconfirmed(ctx, pending);
}
