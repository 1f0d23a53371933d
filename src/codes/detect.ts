/**
 * detectCodes: the in-process, single-threaded recognition core (pool.ts runs it in worker threads).
 *
 *   decode (decode-image.ts: header limits first, EXIF-oriented luminance) → passes (strategy.ts) →
 *   dedupe + misread conflicts (dedupe.ts) → DetectedCode (result.ts: conventions) → order.
 *
 * Output order (stable, documented): at most `maxCodes` codes; if more were read, the ones with the highest
 * Confidence (then larger area) are kept; the kept codes are then sorted top-to-bottom by the centre of their
 * Boundary, then left-to-right (centres within ½ of the smaller box height count as the same row).
 *
 * Coordinates: Boundary/Polygon are integer pixels in the EXIF-oriented frame, clamped to the image; 1D
 * symbols are boxed over the bars' full height (linear-extent.ts), not zxing's scan band.
 *
 * Time budget (options.timeBudgetMs, default 3 s): checked between zxing calls; once spent, the codes found so
 * far are returned. Decoding alone exceeding it is CodesError("timeout").
 */
import { decodeImage } from "./decode-image.js";
import { resolveConflicts } from "./dedupe.js";
import { toDetectedCode } from "./result.js";
import { FIRST_PASS, runStrategy, type StrategyContext } from "./strategy.js";
import { CodesError, type DetectedCode, type DetectOptions } from "./types.js";
import { loadZXing } from "./zxing.js";

export const DEFAULT_TIME_BUDGET_MS = 3000;

export interface DetectDiagnostics {
  trace: string[];
  decodeMs: number;
  totalMs: number;
  /** zxing work done (view-reads.ts readCost units: pixels of a read with zxing-wasm's default options); a
   * machine-independent measure of effort. */
  work?: number;
  /** The code-like spots the strategy looked at (image coordinates), best first. */
  spots?: { left: number; top: number; width: number; height: number; score: number }[];
  /** Raw payload bytes of each returned code, same order (binary payloads; not part of the JSON shape). */
  bytes?: Uint8Array[];
}

export async function detectCodes(image: Uint8Array, options: DetectOptions, diag?: DetectDiagnostics): Promise<DetectedCode[]> {
  const t0 = performance.now();
  const maxCodes = Math.max(1, Math.min(255, Math.floor(options.maxCodes || 1)));
  const budget = options.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS;
  const mod = await loadZXing();
  const img = await decodeImage(image);
  const t1 = performance.now();
  if (t1 - t0 > budget) throw new CodesError("timeout", "The image took longer than the time budget to decode.");
  // Every view the passes make is a plain { data, width, height }: the image gets that shape too (without
  // `format`), so that the pixel loops see one object shape and stay optimised.
  const gray = { data: img.data, width: img.width, height: img.height };
  const ctx: StrategyContext = { mod, image: gray, maxCodes, deadline: t0 + budget, found: [], trace: [] };
  runStrategy(ctx);
  const kept = resolveConflicts(ctx.found);
  const codes = kept.map((f) => toDetectedCode(f, img.width, img.height, FIRST_PASS));
  const ordered = orderCodes(codes, maxCodes);
  if (diag) {
    diag.trace = ctx.trace;
    diag.decodeMs = t1 - t0;
    diag.totalMs = performance.now() - t0;
    diag.work = ctx.work ?? 0;
    diag.spots = ctx.spots ?? [];
    diag.bytes = ordered.map((c) => kept[codes.indexOf(c)]!.bytes);
  }
  return ordered;
}

/** Keep the best `max`, then sort by position (see header). */
export function orderCodes<T extends DetectedCode>(codes: readonly T[], max: number): T[] {
  const area = (c: DetectedCode) => c.Boundary.Width * c.Boundary.Height;
  const kept = [...codes].sort((a, b) => b.Confidence - a.Confidence || area(b) - area(a)).slice(0, max);
  const cy = (c: DetectedCode) => c.Boundary.Top + c.Boundary.Height / 2;
  const cx = (c: DetectedCode) => c.Boundary.Left + c.Boundary.Width / 2;
  return kept.sort((a, b) => {
    const tol = Math.min(a.Boundary.Height, b.Boundary.Height) / 2;
    if (Math.abs(cy(a) - cy(b)) > tol) return cy(a) - cy(b);
    return cx(a) - cx(b) || cy(a) - cy(b);
  });
}
