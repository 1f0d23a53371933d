/**
 * Views derived from a spot's crop for another read (spot-reads.ts): the de-rotation of a turned symbol,
 * integer downscales, contrast and sharpness variants. `confirmOnly` variants only run to give a pending weak
 * read its second witness (view-reads.ts tryVariants).
 */
import type { BarProfiles } from "./bar-profile.js";
import type { ViewRotation } from "./found.js";
import { boxBlur3, downscale, flattenLight, invert, localNormalize, stretchContrast, unsharp, upscale2 } from "./image-ops.js";
import { narrowRun } from "./module-size.js";
import { gridAngle, rotateGray, type GridAngle } from "./orientation.js";
import { rectifyQuad, symbolQuad } from "./quad-rectify.js";
import { LINEAR_BUT_FILM_EDGE, type GrayImage, type ReadOptions } from "./zxing.js";

/** A view derived from another by a turn and/or an integer downscale (which a plain GrayImage result is not). */
export interface Derived {
  view: GrayImage;
  rotation?: ViewRotation;
  /** Box-downscale factor applied to the input view. */
  factor?: number;
  /** Pixel values were filtered (not only resampled): weak reads need a second witness. */
  filtered?: boolean;
  /** The view is the input resampled through a map: view point → input point. */
  warp?: (x: number, y: number) => [number, number];
}

/**
 * One result per input view: a confirm-only variant reads the same pixels as the variant it confirms, and the
 * spot's symbology test asks for the grid angle that de-rotation computes — compute each once. Views are never
 * mutated, so caching by identity is safe; entries go with their views.
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
const shrink = (view: GrayImage, factor: number): Derived => ({ view: downscale(view, factor), factor, filtered: false });

export interface Variant {
  name: string;
  /** null: not applicable to this view; a turned view carries its turn. */
  apply: (img: GrayImage) => GrayImage | Derived | null;
  options?: ReadOptions;
  /** Only run to confirm a pending weak read (see tryVariants), never to find one. */
  confirmOnly?: boolean;
  /** Its linear reads all need a second witness, check digit or not. */
  confirmLinear?: boolean;
  /** Its rows are copies of one synthesized scan line: zxing's count of agreeing lines means nothing. */
  oneLine?: boolean;
}

/** One edge direction (orientation.ts coherence): bars. Matrix symbols measure ≤ 0.3. */
const BARS_COHERENCE = 0.45;
export const isBars = (img: GrayImage): boolean => gridOf(img).coherence >= BARS_COHERENCE;

/** Below this, zxing reads the symbol as it lies; above, a de-rotated copy is worth a read (orientation.ts). */
const DEROTATE_MIN_DEG = 6;
/** A weaker 4-fold agreement is texture or several symbols at different angles: no single turn helps. */
const DEROTATE_MIN_STRENGTH = 0.15;

/** The view turned so that its dominant edge grid lies on the pixel axes; null when it already does. */
export const derotate = perView((img: GrayImage): { view: GrayImage; rotation: ViewRotation } | null => {
  const a = gridOf(img);
  return derotates(a) ? rotateGray(img, -a.deg) : null;
});
function derotates(a: GridAngle): boolean {
  return Math.abs(a.deg) >= DEROTATE_MIN_DEG && a.strength >= DEROTATE_MIN_STRENGTH;
}

const stretched = perView((i) => stretchContrast(i));
/** Local contrast normalisation over a few modules (radius 1/20 of the crop), after a 3×3 box blur so that sensor
 * grain, amplified as much as the symbol, does not break bars into speckle: glare, shadows, faint symbols. */
const smoothNormalized = perView((i) => localNormalize(boxBlur3(i), Math.max(6, Math.round(Math.max(i.width, i.height) / 20))));
/** Light flattened under a closing of radius 1/12 of the crop (a few modules of a symbol filling it): shadows. */
const flattened = perView((i) => flattenLight(i, Math.max(4, Math.round(Math.max(i.width, i.height) / 12))));
/** A wide unsharp mask (radius 3 px) restores edges that defocus spread over several pixels. */
const wideDeblurred = perView((i) => unsharp(stretched(i), 3, 3));
/** The view box-downscaled by 2, once per view. */
export const halfOf = perView((i) => downscale(i, 2));
const halved = perView((i): Derived => ({ view: halfOf(i), factor: 2, filtered: false }));

/** Pixel filters are read for dark-on-light symbols only: light-on-dark ones are rare, and the inverted read doubles
 * the cost of the most expensive variants. */
const FILTERED_OPTIONS: ReadOptions = { tryInvert: false };

/** A spot the whole read left unexplained (spot-reads.ts), in this order until one reads: by reads per ms on the
 * tuning halves (de-rotation and the ½ view first, the wide unsharp mask last). */
const DEROTATE: Variant = { name: "derotate", apply: derotate };
const HALF: Variant = { name: "half", apply: halved };
const THIRD: Variant = { name: "third", apply: (i) => shrink(i, 3) };
const LNORM: Variant = { name: "lnorm", apply: smoothNormalized, options: FILTERED_OPTIONS };
const FLATTEN: Variant = { name: "flatten", apply: flattened, options: FILTERED_OPTIONS };
const STRETCH: Variant = { name: "stretch", apply: stretched, options: FILTERED_OPTIONS };
const DEBLUR: Variant = { name: "deblur", apply: wideDeblurred, options: FILTERED_OPTIONS };
/**
 * Light-on-dark symbols with their pixels inverted (de-rotated first when the grid is turned). zxing's own
 * tryInvert inverts the binarised matrix, which serves its 2D readers; its 1D readers miss light-on-dark EAN/UPC
 * that they read once the pixels are inverted (photoreal tuning half: 4 of 4 inverted EAN-13 missed by the
 * plain read, all read so by this variant). Inversion invents no edges: its reads count as unprocessed. Only for
 * a crop that looks light-on-dark (lightOnDark), so that dark-on-light spots keep their budget for the filters.
 */
const inverted = perView((img): Derived | null => {
  if (!lightOnDark(img)) return null;
  const turned = derotate(img);
  return turned ? { view: invert(turned.view), rotation: turned.rotation, filtered: false } : { view: invert(img), filtered: false };
});
/** The crop's middle (where the symbol is) is mostly dark: its median nearer its 10th percentile than its 90th.
 * A printed symbol lies on light paper that outweighs its dark modules; a light-on-dark one on a dark ground. */
function lightOnDark(img: GrayImage): boolean {
  const { width: w, height: h, data } = img;
  const hist = new Uint32Array(256);
  let n = 0;
  for (let y = Math.floor(h / 4); y < (3 * h) / 4; y += 2) {
    for (let x = Math.floor(w / 4); x < (3 * w) / 4; x += 2) { hist[data[y * w + x]!]!++; n++; }
  }
  const at = (q: number) => { let acc = 0; for (let v = 0; v < 256; v++) if ((acc += hist[v]!) > q * n) return v; return 255; };
  return n > 0 && at(0.5) < (at(0.1) + at(0.9)) / 2;
}
/** The symbol's outline mapped to an upright rectangle (quad-rectify.ts): perspective undone for bars (1D and
 * PDF417: a 2D grid's perspective is the QR locator's and zxing's detectors' job). A projective resample invents
 * no edges, as a turn does not: its reads count as unprocessed. */
const rectified = perView((img): Derived | null => {
  if (!isBars(img)) return null;
  const q = symbolQuad(img);
  const r = q && rectifyQuad(img, q);
  if (!r) return null;
  return { view: r.view, warp: r.toImage, filtered: false };
});
const RECTIFY: Variant = { name: "rectify", apply: rectified };
/** A crop whose narrow runs (module-size.ts) are this short or shorter is also read at twice its size
 * (image-ops.ts upscale2), up to this many pixels: modules under ~2 px, which zxing rounds away, in a crop the size
 * of a small symbol (a larger crop holds larger modules, and 4× its pixels would cost). */
const UP2_MAX_RUN = 2;
const UP2_MAX_PIXELS = 150_000;
const doubled = perView((img): Derived | null =>
  img.width * img.height > UP2_MAX_PIXELS || narrowRun(img) > UP2_MAX_RUN ? null : { view: upscale2(img), factor: 0.5, filtered: false });
const UP2: Variant = { name: "up2", apply: doubled, options: { tryDownscale: false } };
const INVERTED: Variant = { name: "inverted", apply: inverted, options: { tryInvert: false } };
const CONFIRM_GH: Variant = { name: "stretch-gh", apply: stretched, options: { binarizer: "GlobalHistogram" }, confirmOnly: true };
/**
 * Bars read from their profiles (bar-profile.ts): every other line along the bars averaged into one scan line, and
 * the lines between them into another — disjoint pixels, so two reads that agree are two witnesses. Glare, grain
 * and faint ink spoil each scan line somewhere but not the same bars on every line.
 */
const PROFILE_OPTIONS: ReadOptions = { formats: LINEAR_BUT_FILM_EDGE, tryRotate: false, tryInvert: true, tryDownscale: false };
export function profileVariants(p: BarProfiles, sharpened = false): Variant[] {
  const views = sharpened ? p.sharpened : p.halves;
  const of = (which: 0 | 1) => (): Derived | null => {
    const half = views[which];
    return { view: half.view, warp: half.warp, filtered: true };
  };
  const name = sharpened ? "profile-sharp" : "profile";
  return [
    { name, apply: of(0), options: PROFILE_OPTIONS, oneLine: true },
    { name: `${name}2`, apply: of(1), options: PROFILE_OPTIONS, oneLine: true },
  ];
}

export const SPOT_VARIANTS: Variant[] = [DEROTATE, HALF, THIRD, INVERTED, RECTIFY, LNORM, FLATTEN, STRETCH, DEBLUR, UP2, CONFIRM_GH];
