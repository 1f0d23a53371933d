/**
 * Found → DetectedCode: content conventions, type, confidence, integer boxes.
 *
 * Content: zxing's "Plain" text mode — the raw payload as encoded (URLs, CR LF, GS1 FNC1 separators as
 *   U+001D, no "(01)" HRI brackets, no control pictures). EAN/UPC add-ons are appended without a space.
 * UPC-A: zxing-cpp reports it as EAN-13 with a leading 0. We report what ZXing (Java) and most phone
 *   scanners report: 12 digits, Format "UPCA" (any EAN-13 starting with 0 is by definition a UPC-A). UPC-E
 *   keeps zxing-cpp's text unchanged.
 * Type: "barcode" for linear symbologies (incl. DataBar), "qrcode" for every 2D one (QR, Micro QR, rMQR,
 *   DataMatrix, Aztec, PDF417, MicroPDF417, MaxiCode) — IMM's two classes.
 * Confidence (deterministic): 1.0 read in the first pass on unaltered pixels; 0.9 read only on another scale,
 *   a crop or a turned (de-rotated) view; 0.8 read only after pixel preprocessing (contrast/denoise/sharpen/other binariser); −0.05 per missing
 *   corroboration for linear symbologies without a mandatory checksum (Codabar, Code 39, ITF, Telepen, DX),
 *   +0.05 (capped at 1) when two or more passes agree.
 */
import { LINEAR_BARCODE_FORMATS } from "zxing-wasm/reader";
import { boundsOf, type Found } from "./found.js";
import type { DetectedCode } from "./types.js";

const LINEAR = new Set<string>(LINEAR_BARCODE_FORMATS);
const WEAK_CHECKSUM = new Set(["Codabar", "Code39", "Code39Std", "Code39Ext", "ITF", "Telepen", "TelepenAlpha", "TelepenNumeric", "DXFilmEdge"]);

export function isLinearFormat(format: string): boolean {
  return LINEAR.has(format);
}

export function hasWeakChecksum(format: string): boolean {
  return WEAK_CHECKSUM.has(format);
}

/** UPC-A convention (see header). */
export function normaliseContent(format: string, text: string): { format: string; text: string } {
  if (format === "EAN13" && /^0\d{12}(\d{2}|\d{5})?$/.test(text)) return { format: "UPCA", text: text.slice(1) };
  return { format, text };
}

export function confidenceOf(f: Found, firstPass: string): number {
  let c = f.pass === firstPass && !f.preprocessed ? 1 : f.preprocessed ? 0.8 : 0.9;
  if (f.hits >= 2) c += 0.05;
  if (WEAK_CHECKSUM.has(f.format) && f.hits < 2) c -= 0.05;
  return Math.round(Math.min(1, Math.max(0, c)) * 100) / 100;
}

export function toDetectedCode(f: Found, width: number, height: number, firstPass: string): DetectedCode {
  const clampX = (x: number) => Math.min(width - 1, Math.max(0, Math.round(x)));
  const clampY = (y: number) => Math.min(height - 1, Math.max(0, Math.round(y)));
  const b = boundsOf(f.corners);
  const left = clampX(b.x0), top = clampY(b.y0), right = clampX(b.x1), bottom = clampY(b.y1);
  const { format, text } = normaliseContent(f.format, f.text);
  return {
    Content: text,
    Type: f.linear ? "barcode" : "qrcode",
    Format: format,
    Confidence: confidenceOf(f, firstPass),
    Boundary: {
      Left: left,
      Top: top,
      Width: right - left + 1,
      Height: bottom - top + 1,
      Polygon: f.corners.map(([x, y]) => ({ X: clampX(x), Y: clampY(y) })),
    },
  };
}
