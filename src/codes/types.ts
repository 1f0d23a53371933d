/**
 * The recognition engine's public shapes. The HTTP layer (image/codes), IMM DetectImageCodes and
 * the `barbucket scan` CLI all call the engine through `CodesEngine` and get these results.
 */

export interface Point {
  readonly X: number;
  readonly Y: number;
}

/** One detected symbol, in the field names IMM DetectImageCodes uses. */
export interface DetectedCode {
  /** Decoded text (see README "Content" for GS1 / UPC-A / binary conventions). */
  readonly Content: string;
  /** IMM's coarse type: 2D symbols are "qrcode", linear ones "barcode". */
  readonly Type: "qrcode" | "barcode";
  /** zxing-cpp format name, e.g. "QRCode", "EAN-13", "DataMatrix". */
  readonly Format: string;
  /** 0..1. */
  readonly Confidence: number;
  /** Axis-aligned box of the whole symbol in the displayed (EXIF-oriented) frame, plus its quad. */
  readonly Boundary: {
    readonly Left: number;
    readonly Top: number;
    readonly Width: number;
    readonly Height: number;
    readonly Polygon: readonly Point[];
  };
}

export interface DetectOptions {
  /** Most codes to return (OSS caps image/codes at 5). */
  readonly maxCodes: number;
  /** Per-image time budget in ms; past it the engine returns what it has found (or times out). */
  readonly timeBudgetMs?: number;
  /** The caller hands `image` over: when it spans its whole ArrayBuffer, the worker pool moves that memory to
   * the worker instead of copying it, and `image` is left detached (empty). */
  readonly transfer?: boolean;
}

/** Why an image could not be scanned. Mapped to OSS / IMM errors by the callers. */
export type CodesErrorKind =
  | "unsupported-format" // not an image, or a format libvips here cannot decode
  | "corrupt-image" // recognised format, broken data
  | "image-too-large" // over byte, side or pixel limits (checked before full decode)
  | "busy" // worker queue full
  | "timeout"; // time budget exceeded before any result

export class CodesError extends Error {
  constructor(readonly kind: CodesErrorKind, message: string) {
    super(message);
    this.name = "CodesError";
  }
}

export interface CodesEngine {
  detect(image: Uint8Array, options: DetectOptions): Promise<DetectedCode[]>;
  close(): Promise<void>;
}
