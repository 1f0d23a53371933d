/**
 * The recognition plan (numbers: the synthetic suite, `node dist/src/codes/tools/tune-suite.js 30`).
 *
 * 0. blobs:   a full-resolution image above SMALL_IMAGE_PIXELS whose code-like blobs are few and cover at most
 *             half of it is read blob by blob (blob-pass.ts: suite p50 −9 %, the same codes); when that reads
 *             something, the plan ends there, else it goes on at 1 with the whole view (linear symbologies only,
 *             and ½ / ⅓ views of the blobs' crops only in the rescue: the blobs were read at full resolution).
 * 1. base:    an all-formats read of the whole image — full resolution up to BASE_MAX_PIXELS, else an integer
 *             box-downscaled copy under it (12 MP → 1333×1000), without tryInvert, tryDownscale and (above
 *             SMALL_IMAGE_PIXELS) tryRotate (each costs 20–50 % of the call; later passes cover them); above
 *             SMALL_IMAGE_PIXELS as two calls, matrix symbologies on the view and linear ones on its 2-row bins;
 *             up to it, a read for one symbol first, and for all only when a code-like blob is left unexplained.
 *             Fragments (ITF, UPC-E) and unconfirmed preprocessed weak reads are dropped (view-reads.ts).
 * 2. regions: the base view was downscaled: code-like texture blobs (regions.ts) that no read explains are
 *             cropped at FULL resolution and read (2× upscaled when tiny), then de-rotated (orientation.ts) when
 *             that read leaves the blob unexplained; a bar-like blob with no read gets super-resolved scan lines
 *             (super-profile.ts: 1D symbols of ~1 px a module). This finds the small codes of 12 MP photos at
 *             ~⅙ of plain zxing-wasm's time.
 *    turns:   the base view was full resolution and found some codes: unexplained blobs whose edge grid is
 *             off the pixel axes get one de-rotated read (PDF417 and 1D turned 10–20°: suite multi 84 → 99 %),
 *             the others one read as they lie with tryRotate (vertical 1D symbols beside a code read upright).
 * 3. rescue:  nothing found at all. Small images (≤ SMALL_IMAGE_PIXELS): the whole image with pixel variants
 *             (stretch, invert, sharpen, 2× upscale, de-rotation). Larger ones: the whole view at ½ and ⅓ scale,
 *             then pixel variants (de-rotation, stretch, scan-line synthesis for bars, smoothed local
 *             normalisation, one global threshold for faint spots, wide unsharp, a turn along the bars' long
 *             axis…) on the 3 most code-like spots only (the best of two searches, on the plain and on the
 *             smoothed stretch), then a median-filtered view for grainy images, then the union of the spots
 *             for glare — so that codeless photos do not pay many whole-image passes.
 * Weak reads (1D without a check digit, PDF417) that only preprocessing produced need a second witness: another
 * variant of the same view, or an independent view (dropUnconfirmed). Every phase stops once maxCodes distinct
 * codes are known, the time budget is spent, or its pixel budget (a deterministic effort cap) is used up.
 */
import { readBlobs } from "./blob-pass.js";
import { blobMargin, covered, cropAround, cropFactor, foundRects, readFirstThenAll, readTurned, regionView } from "./crops.js";
import { type Corner, type Found, type ViewMapping } from "./found.js";
import { binRows, boxBlur3, downscale, stretchContrast, upscale2, type Rect } from "./image-ops.js";
import { findCandidates } from "./regions.js";
import { DENOISE_VARIANTS, LATER_SPOT_VARIANTS, LOCAL_VARIANTS, REGION_VARIANTS, denoisedHalf, SHRINK_VARIANTS, UNION_VARIANTS, gridOf, isSmallCrop } from "./variants.js";
import { SUPER_FACTOR, SUPER_FORMATS, superProfileView } from "./super-profile.js";
import { MIN_VIEW_SIDE, SKIP, enough, readView, spent, tryVariants, type StrategyContext } from "./view-reads.js";
import { ALL_LINEAR, ALL_MATRIX, type GrayImage, type ReadOptions } from "./zxing.js";

export type { StrategyContext } from "./view-reads.js";

export const BASE_MAX_PIXELS = 2_400_000;
const MAX_REGIONS = 10;
/** Effort caps per phase, as multiples of the base view's pixels (with floors for small images). */
// Regions: 2× (was 1.5× before crops were sized by pixels: full-resolution thin crops cost more, and the
// small codes ranked last must still be reached — suite scene photo12mp-3).
// 3× since turned reads (de-rotated crops grow by up to 2×) take their share (suite photo12mp-1, -19).
const REGION_WORK = { factor: 3, floor: 1_500_000 };
const RESCUE_WORK = { factor: 1.25, floor: 750_000 };
/** Up to this size a codeless image gets the whole-image variants; above, only local ones (see runStrategy). */
const SMALL_IMAGE_PIXELS = 150_000;
const SMALL_RESCUE_FLOOR = 1_500_000;
const RESCUE_REGIONS = 3;
const UNION_SPREAD = 2;
/** Spots whose edges run one way (orientation.ts coherence) are read for linear symbologies and PDF417 only. */
const LINEAR_COHERENCE = 0.45;
const LINEAR_FORMATS = `${ALL_LINEAR},PDF417,MicroPDF417`;
/** An upright blob beside codes already read is read again for what the base pass left out on purpose: 1D symbols
 * turned 90° (tryRotate) and PDF417 (suite multi: the same codes as an all-formats read, 2 % less time). */
const UPRIGHT_FORMATS = `${ALL_LINEAR},PDF417`;
/** Half-height of the band of super-resolved scan lines, as a share of the blob's shorter side. */
const SUPER_BAND = 0.2;
/** Larger crops are not read so (~80 ms for a 600×400 crop): a symbol of 1-px modules is small, and its blob too. */
const SUPER_MAX_PIXELS = 160_000;

export const FIRST_PASS = "base";
// tryRotate off too: it repeats every 1D scan on the 90°-turned image (−18 % of all zxing time on the suite
// without it, same recall): upright symbols missed that way are blobs the next passes read with it on.
const BASE_OPTIONS: ReadOptions = { tryInvert: false, tryDownscale: false, tryRotate: false };
const BASE_ROW_BIN = 2;

function baseView(img: GrayImage): { view: GrayImage; scale: number } {
  const px = img.width * img.height;
  if (px <= BASE_MAX_PIXELS) return { view: img, scale: 1 };
  const f = Math.ceil(Math.sqrt(px / BASE_MAX_PIXELS));
  return { view: downscale(img, f), scale: f };
}

/** Read a candidate region at full resolution (2× upscaled when the crop is tiny). */
function readRegion(ctx: StrategyContext, r: Rect, idx: number): void {
  const { sub: full, left, top } = cropAround(ctx.image, r, blobMargin(r));
  if (full.width < MIN_VIEW_SIDE || full.height < MIN_VIEW_SIDE) return;
  const f = cropFactor(full);
  const sub = downscale(full, f);
  const map: ViewMapping = { scale: f, left, top };
  // A read that leaves most of the blob unexplained (a blob can merge two symbols: suite photo12mp-16) does not
  // end the region's reads.
  let reads = 0;
  const done = (got: Found[]) => {
    reads += got.length;
    return spent(ctx) || (got.length > 0 && covered(ctx, r));
  };
  if (done(readView(ctx, sub, map, `region${idx}`, false))) return;
  if (isSmallCrop(sub)) {
    const up = upscale2(sub), upMap = { scale: f / 2, left, top };
    if (done(readView(ctx, up, upMap, `region${idx}-up`, false))) return;
    readTurned(ctx, up, upMap, `region${idx}-up-derotate`);
    return;
  }
  if (done(readTurned(ctx, sub, map, `region${idx}-derotate`) ?? [])) return;
  if (reads === 0) {
    const known = ctx.found.length;
    tryVariants(ctx, sub, map, `region${idx}`, REGION_VARIANTS);
    if (ctx.found.length > known || spent(ctx)) return;
  }
  // Nothing read in a blob seen at full resolution: bars too fine for zxing? (A downscaled crop is a large blob,
  // whose bars are not ~1 px.)
  if (reads === 0 && f === 1) readSuperProfile(ctx, full, map, r, `region${idx}-super`);
}

/**
 * Bars turned off the pixel grid, too fine for the reads above (about 1 px a module): super-resolved scan lines
 * of the full-resolution crop (super-profile.ts), read as Code 128 or ITF only (SUPER_FORMATS: checked
 * symbologies), boxed by the bars' measured extent.
 */
function readSuperProfile(ctx: StrategyContext, full: GrayImage, map: ViewMapping, blob: Rect, pass: string): void {
  // Bar-like only; elementWidth cannot gate this: turned upright, bars of ~1 px blur into wide ones.
  if (spent(ctx) || SKIP.has("super") || full.width * full.height > SUPER_MAX_PIXELS) return;
  const grid = gridOf(full);
  if (grid.coherence < LINEAR_COHERENCE) return;
  const t0 = performance.now();
  const sp = superProfileView(full, grid, SUPER_BAND * Math.min(blob.width, blob.height));
  ctx.trace.push(`${pass}-lines@${(performance.now() - t0).toFixed(1)}`);
  if (!sp) return;
  const superMap: ViewMapping = { scale: map.scale / SUPER_FACTOR, rowScale: SUPER_FACTOR, left: map.left, top: map.top, rotation: sp.rotation };
  const toCrop = (c: Corner): Corner => [(c[0] - map.left) / map.scale, (c[1] - map.top) / map.scale];
  const toImage = (c: Corner): Corner => [map.left + c[0] * map.scale, map.top + c[1] * map.scale];
  readView(ctx, sp.view, superMap, pass, true, { formats: SUPER_FORMATS, tryRotate: false },
    { boxOf: (corners) => sp.boxCorners(corners.map(toCrop)).map(toImage) });
}

/**
 * The first pass. Above SMALL_IMAGE_PIXELS: matrix symbologies on the view, linear ones on the view with every
 * BASE_ROW_BIN rows averaged into one. zxing's tryHarder scans every row of an image up to 512 rows high for 1D
 * symbols (~45 % of an all-formats read); bars run across the rows, so averaged rows lose no resolution along
 * the scan line and halve that cost (suite base read 11.5 → 9.1 ms an image, 2 more codes; on the dataset's
 * images above 150 kP no code is lost; below it thin images lost 6, so small images are read unbinned, with
 * tryRotate, for one symbol first). `linearOnly`: the blob pass read every blob without a symbol (runStrategy).
 */
function readBase(ctx: StrategyContext, view: GrayImage, scale: number, small: boolean, linearOnly: boolean): void {
  const map: ViewMapping = { scale, left: 0, top: 0 };
  if (small) {
    // One symbol first (crops.ts readFirstThenAll); the search for all when a code-like blob is left that no read
    // explains: a second symbol (330 symbols in 120 small scenes of 2–4 codes: all found).
    readFirstThenAll(ctx, view, map, FIRST_PASS, { ...BASE_OPTIONS, tryRotate: true }, () => {
      const { rview, rf } = regionView(ctx, view, scale);
      const left = findCandidates(rview, rf, MAX_REGIONS).filter((c) => !covered(ctx, c)).length;
      ctx.trace.push(`base-unexplained:${left}`);
      return left > 0;
    });
    return;
  }
  if (!linearOnly) readView(ctx, view, map, FIRST_PASS, false, { ...BASE_OPTIONS, formats: ALL_MATRIX });
  if (enough(ctx)) return;
  const binned: ViewMapping = { ...map, rowScale: BASE_ROW_BIN, rowOffset: (BASE_ROW_BIN - 1) / 2 };
  readView(ctx, binRows(view, BASE_ROW_BIN), binned, FIRST_PASS, false, { ...BASE_OPTIONS, formats: ALL_LINEAR },
    { rowsPerLine: BASE_ROW_BIN });
}

export function runStrategy(ctx: StrategyContext): void {
  const { view, scale } = baseView(ctx.image);
  // tryInvert off: it makes zxing repeat every search on the negative image (~30 % of the pass) for a case
  // (light-on-dark symbols) that the rescue phase covers with one inverted read.
  // Small images keep tryRotate: it costs little there, and a 1D symbol that fills a thin image has no blob
  // around it to read later (dataset itf-1/#220.png: 8×518 px).
  const small = view.width * view.height <= SMALL_IMAGE_PIXELS;
  // Full resolution, not small: blob by blob when the blobs are few and small (blob-pass.ts); every blob has
  // then been read, as the turn pass below would.
  const { result: blobPass, crops: blobCrops } = !small && scale === 1 && !SKIP.has("blobs") ? readBlobs(ctx, view, FIRST_PASS) : { result: "skipped", crops: [] };
  if (blobPass === "found") return;
  // Every blob was read at full resolution without a symbol: the whole view adds only what lies outside them
  // (faint symbols, which the rescue's spot search on the stretched view finds) and what averaging rows brings
  // out (a blurred 1D symbol: suite blur-5). So its linear read on 2-row bins only, and the rescue's ½ / ⅓ views
  // of the blobs' crops only (suite: 1 read in 71 such scenes came from the whole ½ / ⅓ views; p50 −3 % and −10 %,
  // glare, low-contrast and negatives −10 to −15 %, the same codes).
  const blobsUnread = blobPass === "nothing";
  readBase(ctx, view, scale, small, blobsUnread);
  if (enough(ctx)) return;
  const basePixels = view.width * view.height;

  // Regions only matter when the base pass did not see full resolution (measured: on images read at full
  // resolution, region re-reads found nothing the base pass had not, at 2–3× the cost).
  if (scale > 1 && !SKIP.has("regions")) {
    ctx.workCap = (ctx.work ?? 0) + Math.max(REGION_WORK.floor, REGION_WORK.factor * basePixels);
    const { rview, rf } = regionView(ctx, view, scale);
    const candidates = findCandidates(rview, rf, MAX_REGIONS * 2)
      .filter((c) => !covered(ctx, c))
      .slice(0, MAX_REGIONS);
    ctx.trace.push(`candidates:${candidates.length}`);
    for (const [i, c] of candidates.entries()) {
      if (spent(ctx)) break;
      if (i > 0 && covered(ctx, c)) continue; // read as part of an earlier region
      ctx.trace.push(`region${i}-at:${Math.round(c.left)},${Math.round(c.top)},${Math.round(c.width)}x${Math.round(c.height)}`);
      readRegion(ctx, c, i);
    }
  }
  // Read at full resolution with some codes found: the ones left are most likely turned beyond what zxing
  // handles (suite multi: PDF417 and 1D at 10–20°). Only spots off the pixel axes get a (turned) read.
  // (Not after a blob pass: it read every blob already, turned and as it lies.)
  if (scale === 1 && ctx.found.length > 0 && !blobsUnread && !enough(ctx) && !SKIP.has("regions")) {
    ctx.workCap = (ctx.work ?? 0) + Math.max(REGION_WORK.floor, REGION_WORK.factor * basePixels);
    // Turned symbols worth a read are not tiny: blobs are searched at ½ scale at least (~4× cheaper; this pass
    // runs on every full-resolution image with a code in it).
    const { rview, rf } = regionView(ctx, view, scale, undefined, 2);
    // Read symbols are masked out of the blob map: a blob that merged one with the label or texture beside it
    // came back whole and was read again, for the same symbol (suite: 43 of 335 upright reads "hit", 2 new codes;
    // masked, p50 −10 %, the same codes; 168 turned 1D/PDF417 symbols beside a read QR, 0–10 px apart: all found).
    const candidates = findCandidates(rview, rf, MAX_REGIONS * 2, foundRects(ctx))
      .filter((c) => !covered(ctx, c)).slice(0, MAX_REGIONS);
    ctx.trace.push(`turn-candidates:${candidates.length}`);
    for (const [i, c] of candidates.entries()) {
      if (spent(ctx)) break;
      const { sub, left, top } = cropAround(ctx.image, c, blobMargin(c));
      if (sub.width < 16 || sub.height < 16) continue;
      // Off the axes: turned onto them. On them: the crop as it is, with tryRotate (a vertical 1D symbol).
      const map = { scale: 1, left, top };
      if (readTurned(ctx, sub, map, `turn${i}`) !== null) continue;
      // A small image's base read had tryRotate on: an upright blob in it was read already with the local
      // binariser (dataset: the same codes, p50 3.4 → 3.0 ms: the blob was often the whole image).
      const upright = small ? [] : readView(ctx, sub, map, `turn${i}-upright`, false, { formats: UPRIGHT_FORMATS });
      if (upright.length === 0 && isSmallCrop(sub)) {
        // A small symbol spans few of the local binariser's blocks, whose thresholds its background then sets
        // (suite multi-25: a 53 px Aztec read only with the global histogram).
        readView(ctx, sub, map, `turn${i}-upright-gh`, false, { binarizer: "GlobalHistogram" });
      }
    }
  }
  if (ctx.found.length > 0 || enough(ctx) || SKIP.has("rescue")) return;
  // Small images get up to 1.5 MP of variant reads (10× a 150 kP image: a few ms in absolute terms).
  ctx.workCap = (ctx.work ?? 0) + Math.max(small ? SMALL_RESCUE_FLOOR : RESCUE_WORK.floor, RESCUE_WORK.factor * basePixels);
  if (small) {
    // Nothing at all in a small image: the whole view with the pixel variants.
    tryVariants(ctx, view, { scale, left: 0, top: 0 }, "rescue");
    return;
  }
  // Nothing at all in a larger image. First the whole view at ½ and ⅓ scale (36 % of the base pass's pixels).
  ctx.workCap = (ctx.workCap ?? 0) + Math.floor(view.width / 2) * Math.floor(view.height / 2);
  if (!blobsUnread) tryVariants(ctx, view, { scale, left: 0, top: 0 }, "rescue-half", SHRINK_VARIANTS);
  else {
    // After a blob pass: the blobs' crops at ½ and ⅓ (a blurred symbol reads smaller: suite blur-13 and -16, when
    // blobs covering up to 70 % of the image are read so; at most half the whole view's pixels, same p50).
    for (const [i, k] of blobCrops.entries()) {
      if (ctx.found.length > 0 || enough(ctx)) break;
      tryVariants(ctx, k.sub, { scale: 1, left: k.left, top: k.top }, `rescue-half${i}`, SHRINK_VARIANTS);
    }
  }
  if (ctx.found.length > 0 || enough(ctx)) return;
  // Pixel variants of the whole image would double the cost of every codeless photo (measured: p50 ×1.9 on
  // negatives, 1 extra read in 56 scenes). Instead, stretch contrast LOCALLY on the few places whose texture
  // (seen after a global stretch, so faint codes show up) looks like a code.
  const area = ctx.image.width * ctx.image.height;
  const spotsIn = (rview: GrayImage, rf: number) =>
    findCandidates(rview, rf, RESCUE_REGIONS * 2)
      .filter((c) => c.width * c.height <= 0.6 * area) // an image-wide blob is texture, not a code (a turned symbol may fill half of its image)
      .slice(0, RESCUE_REGIONS);
  const spotsOn = (process: (i: GrayImage) => GrayImage) => {
    const { rview, rf } = regionView(ctx, view, scale, process);
    return spotsIn(rview, rf);
  };
  // Grainy images: stretched, grain is edges everywhere (one image-wide blob, or specks that outrank the code:
  // suite noise-1, -12); searched on the median-filtered ½ view (which the denoise pass below reads anyway).
  const grainFree = denoisedHalf(view);
  let spots = grainFree ? spotsIn(stretchContrast(grainFree.view), scale * 2) : [];
  if (spots.length === 0) {
    // Stretching a faint image 4–5× turns sensor grain into edges: the whole image becomes one blob, or grain
    // specks outrank the symbol (suite low-contrast-17, -22); smoothed first (3×3 box), the grain goes and bars
    // and modules stay. But blur leaves some symbols only the plain stretch finds (suite blur-6): take the best
    // spots of both searches in turn.
    spots = interleaveSpots(spotsOn(stretchContrast), spotsOn((i) => stretchContrast(boxBlur3(i))), RESCUE_REGIONS);
  }
  ctx.trace.push(`rescue-candidates:${spots.length}`);
  for (const [i, c] of spots.entries()) {
    if (spent(ctx)) break;
    // Tight margin: 1D rows are thresholded over their whole width, background included.
    const { sub: full, left, top } = cropAround(ctx.image, c, Math.max(12, 0.08 * Math.max(c.width, c.height)));
    ctx.trace.push(`rescue${i}-at:${left},${top}`);
    if (full.width < 16 || full.height < 16) continue;
    const f = cropFactor(full);
    const map = { scale: f, left, top };
    const spot = downscale(full, f);
    // Bars only (one edge direction): skip the 2D detectors, ~half of each read (matrix symbols are ≤ 0.3).
    const bars = gridOf(spot).coherence >= LINEAR_COHERENCE;
    // The best spot gets every local variant; the others (codeless texture mostly: 2 of the suite's 85 spot reads
    // were on a later spot, by "smooth" and "derotate") the first, most productive ones only (suite: glare p50
    // −17 %, total −2.6 %, the same codes).
    const variants = i === 0 ? LOCAL_VARIANTS : LATER_SPOT_VARIANTS;
    tryVariants(ctx, spot, map, `rescue${i}${bars ? "l" : ""}`, variants, bars ? { formats: LINEAR_FORMATS } : {});
  }
  // Heavy pixel noise turns the whole image into texture, so no spot stands out (rescue-candidates:0) and
  // zxing's binariser breaks bars into speckle that the ½ view did not average away.
  if (ctx.found.length === 0 && !enough(ctx)) {
    ctx.workCap = (ctx.workCap ?? 0) + 2 * Math.floor(view.width / 2) * Math.floor(view.height / 2);
    tryVariants(ctx, view, { scale, left: 0, top: 0 }, "rescue-denoise", DENOISE_VARIANTS);
  }
  // A glare spot can split one symbol into two blobs, each crop holding only part of it (suite glare-0, -4):
  // read the union of the spots once, with the glare variants only — when the spots lie close together (their
  // union at most UNION_SPREAD × their summed areas): scattered blobs (text, texture on a codeless photo) are not
  // halves of one symbol, and their union is most of the image (suite: every productive union had a spread
  // ≤ 1.6; 6 of the 10 negatives' unions 2.4–17, up to 1152×611).
  if (ctx.found.length === 0 && spots.length > 1 && !enough(ctx)) {
    const x0 = Math.min(...spots.map((c) => c.left)), y0 = Math.min(...spots.map((c) => c.top));
    const x1 = Math.max(...spots.map((c) => c.left + c.width)), y1 = Math.max(...spots.map((c) => c.top + c.height));
    const spread = (x1 - x0) * (y1 - y0) / Math.max(1, spots.reduce((a, c) => a + c.width * c.height, 0));
    ctx.trace.push(`union-spread:${spread.toFixed(1)}`);
    if (spread <= UNION_SPREAD) {
      const { sub: full, left, top } = cropAround(ctx.image, { left: x0, top: y0, width: x1 - x0, height: y1 - y0 }, 16);
      const f = cropFactor(full);
      ctx.workCap = (ctx.workCap ?? 0) + full.width * full.height / (f * f);
      tryVariants(ctx, downscale(full, f), { scale: f, left, top }, "rescue-union", UNION_VARIANTS);
    }
  }
}

/** a[0], b[0], a[1], b[1]… without a spot that overlaps one already taken, at most `max`. */
function interleaveSpots<T extends Rect>(a: readonly T[], b: readonly T[], max: number): T[] {
  const out: T[] = [];
  const overlaps = (r: Rect) => out.some((o) => {
    const w = Math.min(o.left + o.width, r.left + r.width) - Math.max(o.left, r.left);
    const h = Math.min(o.top + o.height, r.top + r.height) - Math.max(o.top, r.top);
    return w > 0 && h > 0 && w * h >= 0.3 * Math.min(o.width * o.height, r.width * r.height);
  });
  for (let i = 0; i < Math.max(a.length, b.length) && out.length < max; i++) {
    for (const r of [a[i], b[i]]) if (r && out.length < max && !overlaps(r)) out.push(r);
  }
  return out;
}
