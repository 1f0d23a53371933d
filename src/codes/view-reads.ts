/**
 * Reading views into the strategy's context: zxing on one (cropped, scaled, turned or filtered) view, its points
 * mapped back to the image, fragments refused and reads merged (readView); pixel variants of a view tried in
 * turn, with a second witness required for reads that preprocessing may have invented (tryVariants).
 */
import { addFound } from "./dedupe.js";
import { mapPoint, type Corner, type Found, type ViewMapping } from "./found.js";
import { extendLinear } from "./linear-extent.js";
import { hasWeakChecksum, isLinearFormat } from "./result.js";
import type { Variant } from "./variants.js";
import { isValidItf14, itfQuietZonesClear, plausibleItfText, upceQuietZonesClear } from "./verify.js";
import { readGray, type GrayImage, type RawRead, type ReadOptions, type ReaderModule } from "./zxing.js";

export interface StrategyContext {
  mod: ReaderModule;
  image: GrayImage;
  maxCodes: number;
  deadline: number; // performance.now() value
  /** Collected reads (deduplicated). */
  found: Found[];
  /** Names of the passes run, for tuning/diagnostics. */
  trace: string[];
  /** Work handed to zxing so far (readCost units), and the cap for the current phase (a deterministic effort
   * bound, independent of the machine's speed). */
  work?: number;
  workCap?: number;
  /** Weak reads dropped for want of a second witness, by format + text, with the view that made them: the same
   * read from another view later is that witness (dropUnconfirmed). */
  unconfirmed?: Map<string, string>;
  /** The code-like spots found (diagnostics). */
  spots?: { left: number; top: number; width: number; height: number; score: number }[];
  /** Reads refused as fragments (ITF, UPC-E) so far. */
  fragments?: number;
  /** Work spent on bar profiles (spot-reads.ts), which have an allowance of their own. */
  profileWork?: number;
}

/** Tuning knob: BARBUCKET_CODES_SKIP=spots,variants,qr,profiles switches phases off, v:<name> one variant (e.g.
 * v:third), to measure what each one buys. */
export const SKIP = new Set((process.env.BARBUCKET_CODES_SKIP ?? "").split(",").filter(Boolean));

export const MIN_VIEW_SIDE = 1; // degenerate views upset zxing (a 1-pixel-high line is fine: it can hold a 1D scan)

export function enough(ctx: StrategyContext): boolean {
  return ctx.found.length >= ctx.maxCodes || performance.now() >= ctx.deadline;
}

/** No more work allowed in this phase. */
export function spent(ctx: StrategyContext): boolean {
  return enough(ctx) || (ctx.work ?? 0) >= (ctx.workCap ?? Infinity);
}

/**
 * What a zxing read costs, in pixels of a read with zxing-wasm's default options (all formats, tryHarder,
 * tryRotate, tryInvert, tryDownscale): its time is linear in pixels, and per pixel (measured, 1 MP photos) the
 * matrix readers cost ~0.2 and the linear ones ~0.17 of it with every try* option off; tryInvert doubles a
 * reader's work, tryRotate doubles the linear readers' (they scan columns too), tryDownscale adds ~15 %.
 */
export function readCost(view: GrayImage, o: ReadOptions): number {
  return view.width * view.height * perPixelCost(o) / PLAIN_PER_PIXEL;
}

function perPixelCost(o: ReadOptions): number {
  const f = o.formats ?? "";
  const linear = f === "" || /Linear|EAN|UPC|Code|ITF|Codabar|DataBar|Telepen/.test(f);
  const matrix = f === "" || /Matrix|QR|Aztec|PDF417|MaxiCode/.test(f);
  const invert = (o.tryInvert ?? true) ? 2 : 1;
  return ((matrix ? 0.2 : 0) + (linear ? 0.17 * ((o.tryRotate ?? true) ? 2 : 1) : 0)) * invert * ((o.tryDownscale ?? true) ? 1.15 : 1);
}
const PLAIN_PER_PIXEL = perPixelCost({});

/** How a synthesized view's reads are taken. */
export interface SynthesizedView {
  /** The view's rows are copies of one synthesized scan line, so zxing's count of agreeing lines says nothing
   * (each read counts as one line). */
  oneLine?: boolean;
  /** The symbol's box from a read's mapped corners, when the view knows it better than linear-extent.ts can
   * find it. */
  boxOf?: (corners: Corner[]) => Corner[];
  /** Source rows per view row (a row-binned view): zxing's count of agreeing lines is scaled by it, so that its
   * reads weigh as much as reads of the unbinned pixels. Default 1. */
  rowsPerLine?: number;
  /** A variant of a spot that the plain reads left unexplained: it searches harder, where fragments of a washed-out
   * symbol read as short ones, so an ITF that is not a valid ITF-14 needs a second witness there. */
  variant?: boolean;
}

/** Decode one view; map results to full-image coordinates and merge them. Returns the reads it made. */
export function readView(
  ctx: StrategyContext,
  view: GrayImage,
  map: ViewMapping,
  pass: string,
  preprocessed: boolean,
  options: ReadOptions = {},
  { oneLine = false, boxOf, rowsPerLine = 1, variant = false }: SynthesizedView = {},
): Found[] {
  if (view.width < MIN_VIEW_SIDE || view.height < MIN_VIEW_SIDE) return [];
  let reads: RawRead[];
  const t0 = performance.now();
  try {
    reads = readGray(ctx.mod, view, { maxNumberOfSymbols: ctx.maxCodes, ...options });
  } catch (err) {
    // zxing-cpp throws C++ exceptions (surfacing as numbers) on degenerate views; one view failing must not
    // fail the image.
    ctx.trace.push(`${pass}:error:${String(err).slice(0, 40)}`);
    return [];
  }
  ctx.work = (ctx.work ?? 0) + readCost(view, options);
  ctx.trace.push(`${pass}:${view.width}x${view.height}:${reads.length}@${(performance.now() - t0).toFixed(1)}`);
  const out: Found[] = [];
  for (const r of reads) {
    const linear = isLinearFormat(r.format);
    let corners = r.corners.map((c) => mapPoint(c, map));
    if (boxOf) corners = boxOf(corners);
    else if (linear) corners = extendLinear(ctx.image, corners);
    else if (r.format === "PDF417") corners = extendLinear(ctx.image, corners, 0.1);
    // A preprocessed ITF must be a valid ITF-14: glare washes out the bars next to a fragment so that its quiet
    // zones look clear, and a second binariser or a ½-scale view repeats the fragment.
    // A variant's shorter ITF (not a valid ITF-14) needs a second witness, as a preprocessed read, and 6 digits.
    const itfUnsure = variant && r.format === "ITF" && !isValidItf14(r.text);
    const fragment = r.format === "ITF" ? !itfLooksWhole(ctx.image, corners, r.text) || (preprocessed && !isValidItf14(r.text)) || (itfUnsure && r.text.length < MIN_VARIANT_ITF_DIGITS)
      : r.format === "UPCE" ? !upceQuietZonesClear(ctx.image, corners)
      : false;
    if (fragment) {
      ctx.trace.push(`${pass}:fragment:${r.format}:${r.text}`); // see verify.ts
      ctx.fragments = (ctx.fragments ?? 0) + 1;
      continue;
    }
    const f: Found = {
      text: r.text, bytes: r.bytes, format: r.format, linear, corners, pass,
      scale: map.scale, preprocessed: preprocessed || itfUnsure, hits: 1, lines: oneLine ? 1 : Math.max(1, r.lineCount) * rowsPerLine,
    };
    addFound(ctx.found, f);
    out.push(f);
  }
  return out;
}

/** What trying a view's variants came to. */
export interface VariantsOutcome {
  /** A variant read something (a symbol already found counts: the view is explained). */
  read: boolean;
  /** A linear read was dropped for want of a second witness: there are bars in the view. */
  unconfirmedLinear: boolean;
}

/**
 * Try pixel variants of a view until one reads something. Reads of weak-checksum linear symbologies that only a
 * variant produced must be confirmed by a second variant (preprocessing can invent 1D reads; 2D and EAN/UPC/
 * Code 128/DataBar carry checksums or error correction).
 */
export function tryVariants(
  ctx: StrategyContext, view: GrayImage, map: ViewMapping, pass: string, variants: readonly Variant[], extra: ReadOptions = {},
  notWitnessOf: readonly string[] = [],
): VariantsOutcome {
  // Weak reads wait here for a second witness; whatever is still single-witness at the end is dropped (also when
  // a later variant reads something else: an unconfirmed read never survives by being followed by another).
  const pending: Found[] = [];
  let read = false;
  for (const v of SKIP.has("variants") ? [] : variants) {
    if (spent(ctx)) break;
    if ((v.confirmOnly && pending.length === 0) || SKIP.has(`v:${v.name}`)) continue;
    const out = v.apply(view);
    if (!out) continue;
    const derived = "view" in out ? out : undefined;
    const img = derived ? derived.view : (out as GrayImage);
    const m = derived ? { ...map, scale: map.scale * (derived.factor ?? 1), ...(derived.rotation ? { rotation: derived.rotation } : {}), ...(derived.warp ? { warp: derived.warp } : {}) } : map;
    // A turn or a box downscale alone invents no edges: their reads count as unprocessed.
    const got = readView(ctx, img, m, `${pass}-${v.name}`, derived ? derived.filtered === true : true, { ...extra, ...v.options }, { oneLine: v.oneLine === true, variant: true });
    if (got.length === 0) continue;
    read = true;
    const weak = (g: Found) => needsConfirmation(g) || (v.confirmLinear === true && g.linear);
    if (got.some((g) => !weak(g))) break;
    if (got.some((g) => pending.some((p) => p.text === g.text && p.format === g.format))) break; // confirmed (hits ≥ 2)
    pending.push(...got);
  }
  const dropped = dropUnconfirmed(ctx, pending, pass, notWitnessOf); // variants of one view are not independent witnesses of each other
  return { read, unconfirmedLinear: dropped.some((f) => f.linear) };
}

/** ITF symbols shorter than this, read only by a spot variant, are fragments (4 digits of a washed-out ITF-14). */
const MIN_VARIANT_ITF_DIGITS = 6;

/** ITF fragment filter (verify.ts); a valid GTIN-14 is whole by its check digit, whatever the noise around it. */
function itfLooksWhole(img: GrayImage, corners: Corner[], text: string): boolean {
  return plausibleItfText(text) && (isValidItf14(text) || itfQuietZonesClear(img, corners, text.length));
}

/**
 * Code 39 and Codabar have no check character but are self-checking: every character has a fixed count of wide
 * and narrow elements, so an invented read must get every character's pattern right. Read alike on this many
 * scan lines of one variant, that is witness enough. ITF is not self-checking.
 */
const SELF_CHECKING = new Set(["Code39", "Code39Std", "Code39Ext", "Codabar"]);
const SELF_CHECKING_LINES = 8;
/** ITF is not self-checking: a wide/narrow error can turn one digit pair into another. Read alike on this many scan
 * lines (of a variant that neither filtered pixels nor cut the symbol: ≥ 6 digits), an error is implausible. */
const ITF_LINES = 24;

/**
 * Linear symbologies without a mandatory check character are where preprocessing can invent a read. PDF417
 * too: a low-EC symbol row-scanned on a contrast-stretched copy can read as a different valid text.
 */
function needsConfirmation(f: Found): boolean {
  if (SELF_CHECKING.has(f.format) && f.lines >= SELF_CHECKING_LINES) return false;
  if (f.format === "ITF" && f.lines >= ITF_LINES) return false;
  return (f.linear && hasWeakChecksum(f.format)) || f.format === "PDF417" || f.format === "MicroPDF417";
}

/** Remove single-witness reads that only preprocessing produced and that needed confirmation — unless an
 * earlier, independent pass (another view or crop) made the same read and was dropped for the same reason:
 * then the two confirm each other. */
function dropUnconfirmed(ctx: StrategyContext, reads: readonly Found[], view: string, notWitnessOf: readonly string[]): Found[] {
  const dropped: Found[] = [];
  for (const p of reads) {
    const i = ctx.found.findIndex(
      (f) => f.text === p.text && f.format === p.format && f.preprocessed && f.hits < 2,
    );
    if (i < 0) continue;
    const key = `${p.format}\u0000${p.text}`;
    const earlier = ctx.unconfirmed?.get(key);
    // A spot's pass label may carry a "b" (read as bars): the view it names is the same either way.
    if (earlier !== undefined && earlier !== view && !notWitnessOf.includes(earlier.replace(/b$/, ""))) {
      ctx.found[i]!.hits++;
      ctx.trace.push(`${p.pass}:confirmed-by:${earlier}`);
      continue;
    }
    (ctx.unconfirmed ??= new Map()).set(key, view);
    ctx.trace.push(`${p.pass}:unconfirmed:${p.format}:${p.text.slice(0, 24)}:lines${p.lines}`);
    dropped.push(...ctx.found.splice(i, 1));
  }
  return dropped;
}
