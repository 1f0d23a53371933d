/**
 * Structural checks for reads that zxing can return wrong or partial.
 *
 * ITF fragments: ITF has no mandatory checksum and its start pattern (four narrow elements) also occurs inside
 * the data, so a scan line that crosses only part of a tilted or perspective-distorted ITF (entering or leaving
 * through the bars' top/bottom edge) decodes a shorter, even-length fragment (`532895` out of 14 digits).
 * zxing-cpp (and plain zxing-wasm) return these too. zxing only checks the quiet zone on its own scan line; a
 * real symbol also has it across the bars' full height. So beyond each end of the read, over the height that
 * linear-extent.ts found, we look for bars: a fragment's box ends where the rest of the symbol continues.
 */
import type { Corner } from "./found.js";
import type { GrayImage } from "./zxing.js";

/** Narrow-module widths checked beyond each end (zxing-cpp accepts a 6-module quiet zone; the spec asks 10). */
const QUIET_FROM = 1.5, QUIET_TO = 6;
/** Share of sampled lines that may see a bar in a quiet zone (noise, a label edge). */
const BUSY_LINES = 0.25;
const LINES = 16;

/** ITF text shapes zxing can produce for a real symbol: digits, even count. */
export function plausibleItfText(text: string): boolean {
  return /^\d+$/.test(text) && text.length % 2 === 0;
}

/** An ITF-14 (GTIN-14) with a valid GS1 check digit: a fragment passes this by chance 1 in 10 only. */
export function isValidItf14(text: string): boolean {
  if (!/^\d{14}$/.test(text)) return false;
  let sum = 0;
  for (let i = 0; i < 13; i++) sum += Number(text[i]) * (i % 2 === 0 ? 3 : 1);
  return (10 - (sum % 10)) % 10 === Number(text[13]);
}

/**
 * Does the ITF read boxed by `corners` (TL, TR, BR, BL; TL→TR the reading direction, over the bars' height)
 * have clear quiet zones at both ends over its whole height? Outside the image counts as quiet (zxing accepts
 * a symbol touching the border).
 */
export function itfQuietZonesClear(img: GrayImage, corners: readonly Corner[], digits: number): boolean {
  // Narrow modules: start (4) + 8 per digit (2 wide at ~2.5 + 3 narrow) + stop (~4.5).
  return quietZonesClear(img, corners, 8.5 + 8 * digits, 0.1, 0.9);
}

/**
 * UPC-E fragments: the left half of an EAN-13 (guard, 6 digits, centre guard + the next bar) also parses as a
 * UPC-E (plain zxing-wasm reports such fragments too). A real UPC-E's bars stop at its end guard; only the
 * middle of the bars' height is checked, since the check digit is printed next to the guard, low down.
 */
export function upceQuietZonesClear(img: GrayImage, corners: readonly Corner[]): boolean {
  return quietZonesClear(img, corners, 51, 0.3, 0.7);
}

/** No bars within a few modules beyond either end, on lines spread over [from, to] of the bars' height. */
function quietZonesClear(img: GrayImage, corners: readonly Corner[], modules: number, from: number, to: number): boolean {
  if (corners.length !== 4) return true;
  const [tl, tr, br, bl] = corners as [Corner, Corner, Corner, Corner];
  const ux = (tr[0] - tl[0] + br[0] - bl[0]) / 2, uy = (tr[1] - tl[1] + br[1] - bl[1]) / 2;
  const len = Math.hypot(ux, uy);
  if (len < 8) return true;
  const dirX = ux / len, dirY = uy / len;
  const module = len / modules;
  // Average over about a module: keeps bars, removes pixel noise.
  const r = Math.max(1, Math.min(3, Math.round(module * 0.4)));
  const px = (x: number, y: number) => pixel(img, x, y, r);
  const contrast = symbolContrast(px, tl, tr, bl, br);
  if (contrast < 24) return true; // too faint to judge: keep zxing's verdict
  const step = Math.max(12, 0.3 * contrast);
  const end = (a: Corner, b: Corner, sign: 1 | -1): boolean => {
    let busy = 0;
    for (let k = 0; k < LINES; k++) {
      const s = from + ((to - from) * k) / (LINES - 1);
      const ox = a[0] + (b[0] - a[0]) * s, oy = a[1] + (b[1] - a[1]) * s;
      if (edgesOnSegment(px, ox, oy, sign * dirX, sign * dirY, QUIET_FROM * module, QUIET_TO * module, step) >= 2) busy++;
    }
    return busy <= BUSY_LINES * LINES;
  };
  return end(tl, bl, -1) && end(tr, br, 1);
}

/** Luminance range along the symbol's centre line (bars vs spaces). */
type Sampler = (x: number, y: number) => number | undefined;

function symbolContrast(px: Sampler, tl: Corner, tr: Corner, bl: Corner, br: Corner): number {
  const a: Corner = [(tl[0] + bl[0]) / 2, (tl[1] + bl[1]) / 2], b: Corner = [(tr[0] + br[0]) / 2, (tr[1] + br[1]) / 2];
  const n = Math.max(16, Math.round(Math.hypot(b[0] - a[0], b[1] - a[1])));
  let lo = 255, hi = 0;
  for (let i = 0; i < n; i++) {
    const v = px(a[0] + ((b[0] - a[0]) * i) / n, a[1] + ((b[1] - a[1]) * i) / n);
    if (v === undefined) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return hi - lo;
}

/** Count luminance steps ≥ `step` along a segment [from, to] px from the origin in direction (dx, dy). */
function edgesOnSegment(px: Sampler, ox: number, oy: number, dx: number, dy: number, from: number, to: number, step: number): number {
  let edges = 0, prev: number | undefined, level: number | undefined;
  for (let t = from; t <= to; t += 1) {
    const v = px(ox + dx * t, oy + dy * t);
    if (v === undefined) break; // outside the image: quiet
    if (prev === undefined) { prev = v; level = v; continue; }
    // Hysteresis on a running level: count a step once per bar edge, not per pixel of a blurred edge.
    if (Math.abs(v - level!) >= step) { edges++; level = v; }
    prev = v;
  }
  return edges;
}

/** Mean of the (2r+1)² block at (x, y); undefined outside the image. */
function pixel(img: GrayImage, x: number, y: number, r: number): number | undefined {
  const xi = Math.round(x), yi = Math.round(y);
  if (xi < 0 || yi < 0 || xi >= img.width || yi >= img.height) return undefined;
  let sum = 0, n = 0;
  for (let y2 = Math.max(0, yi - r); y2 <= Math.min(img.height - 1, yi + r); y2++)
    for (let x2 = Math.max(0, xi - r); x2 <= Math.min(img.width - 1, xi + r); x2++) { sum += img.data[y2 * img.width + x2]!; n++; }
  return sum / n;
}
