/**
 * Views derived from a view for another read: pixel variants (contrast, smoothing, deblurring), integer
 * downscales, and the de-rotation of a turned symbol. Each list is ordered by what it read first on the
 * synthetic suite; `confirmOnly` variants only run to give a pending weak read its second witness.
 */
import type { ViewRotation } from "./found.js";
import { boxBlur3, centreSplit, centreThreshold, downscale, invert, localNormalize, looksNoisy, median3, sharpen, stretchContrast, unsharp, upscale2 } from "./image-ops.js";
import { barProfileView, elementWidth, profileBasis, type ProfileMode } from "./bar-profile.js";
import { gridAngle, rotateGray, type GridAngle } from "./orientation.js";
import { ALL_LINEAR, type GrayImage, type ReadOptions } from "./zxing.js";

/** A view derived from another by a turn and/or an integer downscale (which a plain GrayImage result is not). */
export interface Derived {
  view: GrayImage;
  rotation?: ViewRotation;
  /** Box-downscale factor applied to the input view. */
  factor?: number;
  /** Pixel values were filtered (not only resampled): weak reads need a second witness. */
  filtered?: boolean;
}
/**
 * One result per input view: a confirm-only variant reads the same pixels as the variant it confirms (with the
 * other binariser), and the spot loop asks for the grid angle that de-rotation computes — compute each once.
 * Views are never mutated, so caching by identity is safe; entries go with their views.
 */
function perView<T>(fn: (i: GrayImage) => T): (i: GrayImage) => T {
  const cache = new WeakMap<GrayImage, T>();
  return (i) => {
    if (!cache.has(i)) cache.set(i, fn(i));
    return cache.get(i)!;
  };
}

/** The view's edge grid (orientation.ts), every other pixel voting above 0.4 MP. */
export const gridOf = perView((i) => gridAngle(i, i.width * i.height > 400_000 ? 2 : 1));

/** A plain box downscale is what zxing's own tryDownscale does: its reads count as unprocessed. */
const shrink = (view: GrayImage, factor: number, filtered = false): Derived => ({ view: downscale(view, factor), factor, filtered });

export interface Variant {
  name: string;
  /** null: not applicable to this view (e.g. upscaling an already large crop); a turned view carries its turn. */
  apply: (img: GrayImage) => GrayImage | Derived | null;
  options?: ReadOptions;
  /** Only run to confirm a pending weak read (see tryVariants), never to find one. */
  confirmOnly?: boolean;
  /** Its linear reads all need a second witness, check digit or not: strong deblurring can turn one EAN-13 into
   * another valid one (dataset ean13-1/36.webp: 5000213101025 read as 5010113101025). */
  confirmLinear?: boolean;
  /** Its rows are copies of one synthesized scan line: zxing's count of agreeing lines means nothing. */
  oneLine?: boolean;
}

/** Below this, zxing reads the symbol as it lies; above, a de-rotated copy is worth a read (orientation.ts). */
const DEROTATE_MIN_DEG = 6;
/** A weaker 4-fold agreement is texture or several symbols at different angles: no single turn helps. */
const DEROTATE_MIN_STRENGTH = 0.15;

/** The view turned so that its dominant edge grid lies on the pixel axes; null when it already does. Once per view:
 * a region's turned read and its variants share it. */
export const derotate = perView((img: GrayImage): { view: GrayImage; rotation: ViewRotation } | null => {
  const a = gridOf(img);
  return derotates(a) ? rotateGray(img, -a.deg) : null;
});
function derotates(a: GridAngle): boolean {
  return Math.abs(a.deg) >= DEROTATE_MIN_DEG && a.strength >= DEROTATE_MIN_STRENGTH;
}
const DEROTATE: Variant = { name: "derotate", apply: derotate };

/** Bars (a one-direction edge grid) whose label runs at an angle its bars do not show. */
const AXIS_MIN_COHERENCE = 0.45;
const AXIS_MIN_DEG = 3;

/**
 * The view turned so that the long axis of its bars' cloud runs along the pixel rows (or columns). Perspective
 * shears a barcode: its bars stay near upright (grid angle ~2°, no de-rotation) while the label's rows slant, so
 * that few scan lines cross every bar (suite perspective-25: ITF unread as it lies, read turned 4–15°). Null
 * unless the view is bar-like, the axis is off the pixel axes, and de-rotation does not make the same turn.
 */
export function alignAxis(img: GrayImage): { view: GrayImage; rotation: ViewRotation } | null {
  const a = gridOf(img);
  if (a.coherence < AXIS_MIN_COHERENCE) return null;
  let axis = a.axisDeg;
  if (axis > 45) axis -= 90; // a vertical symbol: zxing's tryRotate scans columns
  if (axis <= -45) axis += 90;
  if (Math.abs(axis) < AXIS_MIN_DEG) return null;
  if (derotates(a) && Math.abs(axis - a.deg) < AXIS_MIN_DEG) return null;
  return rotateGray(img, -axis);
}
const ALIGN_AXIS: Variant = { name: "axis", apply: alignAxis };

/** Below the spot loop's bars-only threshold: grain scatters gradient directions (suite noise-1: 0.40 on its
 * spot), and a profile of a matrix symbol (≤ 0.30) reads as nothing at the cost of one line. */
const PROFILE_MIN_COHERENCE = 0.3;
/** Scan-line synthesis (bar-profile.ts) on bar-like views: each column's median (grain: suite noise-1), or
 * deconvolved for several PSF widths (defocus: blur-6, -26). A few lines' worth of pixels: cheap to read. */
const profileBasisOf = perView((img) => {
  const grid = gridOf(img);
  return grid.coherence < PROFILE_MIN_COHERENCE ? null : profileBasis(img, grid);
});
const profileOf = (mode: ProfileMode) => (img: GrayImage): Derived | null => {
  const basis = profileBasisOf(img); // the turn, band and median, shared by both profile variants
  if (!basis) return null;
  const p = barProfileView(basis, mode);
  return { view: p.view, rotation: p.rotation, filtered: true };
};
/** Bars and spaces this narrow on average (px) are at the edge of what a row scan resolves. */
const FINE_ELEMENT_PX = 3;
/**
 * Fine bars (ITF at ~1.4 px a module after JPEG): the view 2× upscaled, then turned upright — the turn's
 * bilinear resampling interpolates between the replicated pixels (suite jpeg-26). Costs 4× the view: only when
 * the bars' mean element width says so.
 */
function fineBars(img: GrayImage): Derived | null {
  const grid = gridOf(img);
  if (grid.coherence < AXIS_MIN_COHERENCE || elementWidth(img) >= FINE_ELEMENT_PX) return null;
  const up = upscale2(img);
  if (Math.abs(grid.deg) < 0.5) return { view: up, factor: 0.5 };
  const turned = rotateGray(up, -grid.deg);
  return { view: turned.view, rotation: turned.rotation, factor: 0.5 };
}

const PROFILE: Variant = { name: "profile", apply: profileOf("median"), options: { formats: ALL_LINEAR }, oneLine: true };
const PROFILE_DEBLUR: Variant = { name: "profile-deblur", apply: profileOf("deblur"), options: { formats: ALL_LINEAR }, oneLine: true };

const stretched = perView((i) => stretchContrast(i));
/** The 3×3 box blur that keeps grain from breaking bars into speckle: shared by the smoothed variants and the
 * faintness test, which splits the same pixels the "otsu" variant thresholds. */
const smoothed = perView(boxBlur3);
const smoothSplit = perView((i) => centreSplit(smoothed(i)));
/** Faint: the centre's dark and light levels (image-ops centreSplit, after a 3×3 box blur) lie closer than this.
 * Suite symbols: low-contrast 11–35 levels, blur 39 and up, clean / noise / 2d / perspective 100 and up; glare
 * 3–137 (the washed-out ones are faint too). */
const FAINT_CONTRAST = 36;
const isFaint = (i: GrayImage) => {
  const s = smoothSplit(i);
  return s.threshold >= 0 && s.lightMean - s.darkMean < FAINT_CONTRAST;
};
/** A crop whose longer side is under this is small: few of the local binariser's 8×8 blocks (thresholded over
 * 5×5-block windows) fall on its symbol (2× upscale for region reads, the global histogram too). */
export const SMALL_CROP_SIDE = 200;
export const isSmallCrop = (i: GrayImage) => Math.max(i.width, i.height) < SMALL_CROP_SIDE;
const smoothNormalized = perView((i) => localNormalize(smoothed(i), lnormRadius(i)));
const normalized = perView((i) => localNormalize(i, lnormRadius(i)));
const deblurred = perView((i) => unsharp(stretchContrast(i), 2, 3));
const wideDeblurred = perView((i) => unsharp(stretched(i), 3, 3));
/** The view box-downscaled by 2, once per view: the blob searches (crops.ts regionView) and the rescue's ½ read
 * all want it of the same full-resolution image. */
export const halfOf = perView((i) => downscale(i, 2));
const halved = perView((i): Derived => ({ view: halfOf(i), factor: 2, filtered: false }));
/** A grainy view 3×3-median-filtered, at ½ scale; null when the view does not look grainy (looksNoisy). */
export const denoisedHalf = perView((i) => (looksNoisy(i) ? shrink(median3(i), 2, true) : null));

/** Local rescue on a code-like spot, most productive first (suite tally of first reads: derotate 29, stretch 20,
 * smoothed lnorm 16, smoothed stretch 12, deblur 4, lnorm 2). */
export const LOCAL_VARIANTS: Variant[] = [
  DEROTATE,
  { name: "stretch", apply: stretched },
  PROFILE,
  PROFILE_DEBLUR,
  // Glare and faint symbols: normalising contrast locally (radius 1/20 of the crop: a few modules) gives a
  // washed-out part of a symbol the contrast of the rest (zxing's binarisers skip low-range blocks); a 3×3 box
  // blur first keeps sensor grain, amplified as much as the symbol, from breaking bars into speckle.
  { name: "smooth-lnorm", apply: smoothNormalized },
  // Faint symbols on a background of another level: the stretch's percentiles from the crop's centre.
  { name: "smooth", apply: (i) => stretchContrast(smoothed(i), 0.01, 0.99, 0.6) },
  // Faint symbols on a flat label with grain: one threshold, Otsu's over the crop's centre, after a 3×3 box blur
  // (image-ops centreThreshold: zxing's local binariser turns the label's stretched grain into speckle). Only on
  // faint spots, so that the others keep their effort for the variants below (glare-15, perspective-18).
  { name: "otsu", apply: (i) => (isFaint(i) ? centreThreshold(smoothed(i), smoothSplit(i)) : null) },
  // Its weak reads (PDF417 above all) get a second witness from the unblurred pixels.
  { name: "otsu-raw", apply: (i) => (isFaint(i) ? centreThreshold(i) : null), confirmOnly: true },
  // Defocus: a wide unsharp mask (radius 3 px) restores edges spread over several pixels (suite blur σ ≤ 0.7
  // module); a 3×3 sharpen is too narrow for them.
  { name: "deblur", apply: wideDeblurred },
  // After the pixel variants: a sheared label is rarer than a faint or blurred one (suite: 2 of 30 perspective
  // scenes), and the spot's effort cap must leave room for those first (blur-9 read by deblur).
  ALIGN_AXIS,
  { name: "fine", apply: fineBars },
  { name: "lnorm", apply: normalized },
  // A small symbol spans few of the local binariser's 8×8 blocks, whose thresholds its background then sets:
  // small spots get the global histogram too (suite multi-25, blur-28: Aztecs of 53 and 150 px).
  { name: "small-gh", apply: (i) => (isSmallCrop(i) ? stretched(i) : null), options: { binarizer: "GlobalHistogram" } },
  { name: "small-deblur-gh", apply: (i) => (isSmallCrop(i) ? wideDeblurred(i) : null), options: { binarizer: "GlobalHistogram" } },
  // Heavier defocus (σ ~3 px on 4-px modules): a wider, stronger unsharp mask. Last, so that the effort cap
  // leaves the variants above their room (suite blur-18: a Data Matrix).
  { name: "deblur-wider", apply: (i) => unsharp(stretched(i), 5, 4) },
  // A weak read (Code 39, ITF, PDF417…) that no other variant repeated gets one more independent witness: the
  // other binariser. Confirms a correct Code 39 (suite scene low-contrast-25), not the PDF417 misread of 2d-11.
  { name: "stretch-gh", apply: stretched, options: { binarizer: "GlobalHistogram" }, confirmOnly: true },
  // The same for a glare read: confirms Code 39 / ITF-14 under glare (suite glare-12, -15). Its one misread, a
  // glare-split ITF fragment, is refused by the ITF-14 rule in readView.
  { name: "lnorm-gh", apply: smoothNormalized, options: { binarizer: "GlobalHistogram" }, confirmOnly: true },
];
/** The variants that spots after the first get: the local list up to the smoothed stretch. */
export const LATER_SPOT_VARIANTS: Variant[] = LOCAL_VARIANTS.slice(0, LOCAL_VARIANTS.findIndex((v) => v.name === "smooth") + 1);
/** The whole view at ½ and ⅓ scale — what zxing's own tryDownscale reads (off in the base pass, where it cost
 * 20–50 % of the time): blur, grain and big modules read better smaller; a weak read at ½ is confirmed by the
 * other binariser. Without tryRotate, as the base pass: it repeated every 1D scan on textured photos (a third of
 * a codeless photo's time went to the ½ view); vertical symbols get the spot reads, which keep it (suite: the
 * same codes, total −2 %, negatives and noise −9 %). */
export const SHRINK_VARIANTS: Variant[] = [
  { name: "box", apply: halved, options: { tryRotate: false } },
  { name: "third", apply: (i) => shrink(i, 3), options: { tryRotate: false } },
  { name: "box-gh", apply: halved, options: { binarizer: "GlobalHistogram", tryRotate: false }, confirmOnly: true },
];
/** Salt-and-pepper and heavy grain survive box averaging; a 3×3 median first removes them (suite noise +2).
 * Only on grainy images: the median costs ~40 ns a pixel, and codeless photos would pay it for nothing. */
export const DENOISE_VARIANTS: Variant[] = [
  { name: "median", apply: denoisedHalf },
  { name: "median-gh", apply: denoisedHalf, options: { binarizer: "GlobalHistogram" }, confirmOnly: true },
];
/** A region of a large photo that neither its plain nor its de-rotated read explained, when it is turned: the turned
 * view with the other binariser, then stretched (suite photo12mp-9: a PDF417 at 12° that the local binariser
 * misses; a weak read needs both). Upright regions get nothing more here. */
export const REGION_VARIANTS: Variant[] = [
  { name: "derotate-gh", apply: (i) => asFiltered(derotate(i)), options: { binarizer: "GlobalHistogram" } },
  // (turned by the angle the stretched copy's own edges give: photo12mp-9 reads only so)
  { name: "stretch-derotate", apply: (i) => (derotate(i) ? asFiltered(derotate(stretched(i))) : null) },
];
/** Another binariser or a contrast stretch on a turned view: its weak reads need a second witness. */
function asFiltered(turned: { view: GrayImage; rotation: ViewRotation } | null): Derived | null {
  return turned && { ...turned, filtered: true };
}
/** The union of split spots only gets the glare variant (stretch/sharpen already failed on its parts). */
export const UNION_VARIANTS = LOCAL_VARIANTS.filter((v) => v.name.startsWith("lnorm"));

function lnormRadius(i: GrayImage): number {
  return Math.max(6, Math.round(Math.max(i.width, i.height) / 20));
}

/** Pixel variants, cheapest and most productive first (see detect.ts header for the measured order). */
export const VARIANTS: Variant[] = [
  { name: "stretch", apply: stretched },
  { name: "invert", apply: (i) => invert(i) },
  { name: "sharpen", apply: (i) => sharpen(stretched(i)) },
  DEROTATE,
  ALIGN_AXIS,
  // Blurred close-ups and uneven light (dataset upca-5, upce-3, datamatrix-5), each linear read confirmed by
  // another variant or the other binariser.
  { name: "lnorm", apply: normalized, confirmLinear: true },
  { name: "deblur", apply: deblurred, confirmLinear: true },
  { name: "lnorm-gh", apply: normalized, options: { binarizer: "GlobalHistogram" }, confirmOnly: true },
  { name: "deblur-gh", apply: deblurred, options: { binarizer: "GlobalHistogram" }, confirmOnly: true },
  { name: "up2sharp", apply: (i) => (i.width * i.height <= 250_000 ? upscale2(sharpen(i)) : null) },
  { name: "gh", apply: (i) => i, options: { binarizer: "GlobalHistogram" } },
];
