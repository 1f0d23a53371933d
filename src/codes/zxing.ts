/**
 * Thin, allocation-conscious wrapper over zxing-wasm's reader.
 *
 * - The .wasm is read from the installed package (no network at run time).
 * - We hand zxing an 8-bit luminance buffer directly (`readBarcodesFromPixmap` with a 1-channel pixmap)
 *   instead of going through `readBarcodes(ImageData)`, which would first make us build an RGBA copy and then
 *   convert it back to luminance in JS (a 4x larger buffer and a per-pixel JS loop: ~25 ms per 12 MP).
 * - One wasm heap buffer is kept and reused across calls; it only grows.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import {
  BINARIZERS,
  CHARACTER_SETS,
  EAN_ADD_ON_SYMBOLS,
  TEXT_MODES,
  prepareZXingModule,
  type Binarizer,
  type TextMode,
  type ZXingReaderModule,
  type ZXingReaderOptions,
  type ZXingReadResult,
} from "zxing-wasm/reader";

/**
 * Every linear symbology, with the rules of an all-formats read. Not "AllLinear" alone: zxing-cpp's ITF reader
 * accepts 4-character symbols when exactly one format is asked for (`formats().count() == 1`) and counts a meta
 * format as one, so "AllLinear" returns ITF fragments (4 digits of a washed-out ITF-14) that an
 * all-formats read refuses. Naming ITF again makes two: the same linear reads as formats "" on every suite and
 * dataset image (measured).
 */
export const ALL_LINEAR = "AllLinear,ITF";
/** Every 2D symbology (PDF417 and MaxiCode included): the same matrix reads as formats "" (measured). */
export const ALL_MATRIX = "AllMatrix";
/**
 * Every linear symbology but DX film edge codes, which lie along a film strip's edge and which a pixel variant of
 * striped texture forms easily (a false read on a codeless scene). The same reads as formats "" otherwise (the
 * zxing-cpp samples). Variant reads use these; the whole-image read keeps every format, as plain zxing-wasm.
 */
export const LINEAR_BUT_FILM_EDGE = "Codabar,Code39,Code93,Code128,ITF,DataBar,EANUPC,Telepen";
export const ALL_BUT_FILM_EDGE = `${LINEAR_BUT_FILM_EDGE},${ALL_MATRIX}`;

export interface GrayImage {
  readonly data: Uint8Array; // one byte per pixel, row-major, no padding
  readonly width: number;
  readonly height: number;
}

export interface ReadOptions {
  /** zxing format names (comma-joined); "" = all readable formats. */
  formats?: string;
  binarizer?: Binarizer;
  textMode?: TextMode;
  tryHarder?: boolean;
  tryRotate?: boolean;
  tryInvert?: boolean;
  tryDownscale?: boolean;
  tryDenoise?: boolean;
  isPure?: boolean;
  downscaleThreshold?: number;
  downscaleFactor?: number;
  maxNumberOfSymbols?: number;
  minLineCount?: number;
  /** Read EAN-2/EAN-5 add-ons next to EAN/UPC symbols (appended to the text). */
  eanAddOn?: boolean;
}

/** What we keep of a zxing result (plain data; the embind object is not retained). */
export interface RawRead {
  text: string;
  bytes: Uint8Array;
  format: string;
  symbologyIdentifier: string;
  /** Corners: topLeft, topRight, bottomRight, bottomLeft, in the pixmap's coordinates. */
  corners: [number, number][];
  lineCount: number;
  orientation: number;
  isInverted: boolean;
  isMirrored: boolean;
}

/** The parts of the Emscripten module we use (its typings need @types/emscripten, which we do not install). */
export interface ReaderModule {
  _malloc(size: number): number;
  _free(ptr: number): void;
  readonly HEAPU8: Uint8Array;
  readBarcodesFromPixmap: ZXingReaderModule["readBarcodesFromPixmap"];
}

let modulePromise: Promise<ReaderModule> | undefined;
let heapPtr = 0;
let heapSize = 0;

/** Load (once per thread) the reader module from the package's own .wasm file. */
export function loadZXing(): Promise<ReaderModule> {
  modulePromise ??= (async () => {
    const require = createRequire(import.meta.url);
    const wasmPath = require.resolve("zxing-wasm/reader/zxing_reader.wasm");
    const wasmBinary = await readFile(wasmPath);
    const overrides = {
      wasmBinary: wasmBinary.buffer.slice(wasmBinary.byteOffset, wasmBinary.byteOffset + wasmBinary.byteLength),
      // Never fetch anything: the binary above is all it needs.
      locateFile: (path: string) => path,
    };
    const mod = await prepareZXingModule({ overrides: overrides as never, fireImmediately: true });
    return mod as unknown as ReaderModule;
  })();
  return modulePromise;
}

function toZXingOptions(o: ReadOptions): ZXingReaderOptions {
  return {
    formats: o.formats ?? "",
    tryHarder: o.tryHarder ?? true,
    tryRotate: o.tryRotate ?? true,
    tryInvert: o.tryInvert ?? true,
    tryDownscale: o.tryDownscale ?? true,
    tryDenoise: o.tryDenoise ?? false,
    binarizer: BINARIZERS.indexOf(o.binarizer ?? "LocalAverage"),
    isPure: o.isPure ?? false,
    downscaleThreshold: o.downscaleThreshold ?? 500,
    downscaleFactor: o.downscaleFactor ?? 3,
    minLineCount: o.minLineCount ?? 2,
    maxNumberOfSymbols: o.maxNumberOfSymbols ?? 255,
    validateOptionalChecksum: false,
    returnErrors: false,
    eanAddOnSymbol: EAN_ADD_ON_SYMBOLS.indexOf(o.eanAddOn ? "Read" : "Ignore"),
    textMode: TEXT_MODES.indexOf(o.textMode ?? "Plain"),
    characterSet: CHARACTER_SETS.indexOf("Unknown"),
    tryCode39ExtendedMode: true,
  };
}

/** Decode a luminance image. Synchronous once the module is loaded (`await loadZXing()` first). */
export function readGray(mod: ReaderModule, img: GrayImage, options: ReadOptions = {}): RawRead[] {
  const n = img.width * img.height;
  if (img.data.length < n) throw new RangeError("gray buffer smaller than width*height");
  if (n > heapSize) {
    if (heapPtr) mod._free(heapPtr);
    heapSize = 0;
    heapPtr = mod._malloc(n);
    if (!heapPtr) throw new RangeError(`zxing: cannot allocate ${n} bytes`);
    heapSize = n;
  }
  // HEAPU8 may be replaced when the heap grows: always read it after malloc.
  mod.HEAPU8.set(img.data.subarray(0, n), heapPtr);
  const vec = mod.readBarcodesFromPixmap(heapPtr, img.width, img.height, toZXingOptions(options));
  const out: RawRead[] = [];
  try {
    for (let i = 0; i < vec.size(); i++) {
      const r = vec.get(i) as ZXingReadResult | undefined;
      if (!r || !r.isValid) continue;
      const p = r.position;
      out.push({
        text: r.text,
        bytes: r.bytes.slice(),
        format: r.format,
        symbologyIdentifier: r.symbologyIdentifier,
        corners: [
          [p.topLeft.x, p.topLeft.y],
          [p.topRight.x, p.topRight.y],
          [p.bottomRight.x, p.bottomRight.y],
          [p.bottomLeft.x, p.bottomLeft.y],
        ],
        lineCount: r.lineCount,
        orientation: r.rotation,
        isInverted: r.isInverted,
        isMirrored: r.isMirrored,
      });
    }
  } finally {
    (vec as unknown as { delete?: () => void }).delete?.();
  }
  return out;
}

/** Release the reusable heap buffer (e.g. after an unusually large image). */
export function releaseHeapBuffer(mod: ReaderModule): void {
  if (heapPtr) mod._free(heapPtr);
  heapPtr = 0;
  heapSize = 0;
}
