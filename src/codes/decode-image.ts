/**
 * Image bytes → 8-bit luminance pixmap in the displayed (EXIF-oriented) frame, with limits enforced
 * from the header BEFORE any pixel is decoded.
 *
 * Why luminance only: zxing binarises luminance anyway, and handing it 1 byte/pixel instead of RGBA saves
 * the RGBA copy out of libvips, the JS RGBA→Y loop inside zxing-wasm and 3/4 of the copy into the wasm heap
 * (measured on a 12 MP JPEG: see strategy.ts header).
 */
import sharp, { type Metadata } from "sharp";
import { CodesError, toCodesError } from "./errors.js";
import type { GrayImage } from "./zxing.js";
import { decodeBmpLuma, isBmp, readBmpHeader } from "./bmp.js";
import { applyExifOrientation } from "./exif-orient.js";
import { NATIVE_FORMATS, nativeDecodeLuma } from "./native-luma.js";
import { readStillHeader } from "./still-header.js";

export interface Limits {
  maxBytes: number;
  maxSide: number;
  /** Total pixels, every frame of an animation included (as OSS counts GIFs). */
  maxPixels: number;
}

/** OSS image-processing source limits (oss-api.md §2.2). */
export const LIMITS: Readonly<Limits> = {
  maxBytes: 20 * 1024 * 1024,
  maxSide: 30_000,
  maxPixels: 250_000_000,
};

/** libvips loaders we accept (OSS: JPG/PNG/BMP/GIF/WebP/TIFF/HEIC/AVIF). SVG/PDF/raw are refused on purpose. */
const ACCEPTED = new Set(["jpeg", "png", "webp", "gif", "tiff", "heif"]);

export interface DecodedImage extends GrayImage {
  /** Source format as libvips names it. */
  readonly format: string;
}

export interface ImageHeader {
  format: string;
  width: number; // displayed (after EXIF orientation) width
  height: number;
  pages: number;
  /** EXIF orientation (1–8; 1 when absent). */
  orientation: number;
}

sharp.cache(false); // every image is seen once; libvips' operation cache only holds memory

/**
 * The most pixels a byte of compressed data can describe, with a 1.5× margin: GIF's LZW emits at most one
 * 4096-pixel string per 12-bit code (2731 px/byte); PNG's deflate expands at most 1032:1, 8 pixels a byte at 1 bit
 * a pixel (8256 px/byte).
 */
const MAX_PIXELS_PER_BYTE: Readonly<Record<string, number>> = { gif: 4096, png: 12_384 };

/** Read and check the header only (sharp's metadata, or bmp.ts). Throws CodesError. */
export async function probeImage(bytes: Uint8Array, limits: Readonly<Limits> = LIMITS): Promise<ImageHeader> {
  checkByteSize(bytes, limits);
  if (isBmp(bytes)) {
    const bmp = readBmpHeader(bytes, limits); // libvips here has no BMP loader
    return { format: "bmp", width: bmp.width, height: bmp.height, pages: 1, orientation: 1 };
  }
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false, failOn: "none" }).metadata();
  } catch (err) {
    throw toCodesError(err);
  }
  return checkHeader({
    format: String(meta.format ?? ""),
    width: meta.width ?? 0,
    height: meta.pageHeight ?? meta.height ?? 0,
    pages: Math.max(1, meta.pages ?? 1),
    orientation: meta.orientation ?? 1,
  }, bytes, limits);
}

function checkByteSize(bytes: Uint8Array, limits: Readonly<Limits>): void {
  if (bytes.byteLength === 0) throw new CodesError("unsupported-format", "The image is empty.");
  if (bytes.byteLength > limits.maxBytes) {
    throw new CodesError("image-too-large", `The image is larger than ${limits.maxBytes} bytes.`);
  }
}

/** OSS's limits on a header whose width and height are the stored frame's (before EXIF orientation). */
function checkHeader(stored: ImageHeader, bytes: Uint8Array, limits: Readonly<Limits>): ImageHeader {
  const { format, width: w, height: h, pages, orientation } = stored;
  if (!ACCEPTED.has(format)) throw new CodesError("unsupported-format", `Image format "${format}" is not supported.`);
  if (w <= 0 || h <= 0) throw new CodesError("corrupt-image", "The image has no dimensions.");
  if (w > limits.maxSide || h > limits.maxSide) {
    throw new CodesError("image-too-large", `The image is ${w}x${h}; each side must be at most ${limits.maxSide} px.`);
  }
  // OSS counts every frame of an animation (GIF, animated WebP) towards the pixel limit; of a multi-page TIFF or
  // HEIF only the first page is ever decoded here, so only it counts.
  const counted = format === "gif" || format === "webp" ? pages : 1;
  if (w * h * counted > limits.maxPixels) {
    throw new CodesError("image-too-large", `The image has more than ${limits.maxPixels} pixels.`);
  }
  // A few hundred bytes cannot hold millions of GIF or PNG pixels: such a header is a bomb (decoding it would fill
  // the missing data with 100+ MP of background, ~5 s), so it is refused before any pixel is decoded. Only the
  // first frame is decoded, and an animation's later frames may store only what changed: the canvas is checked.
  const densest = MAX_PIXELS_PER_BYTE[format];
  if (densest && w * h > densest * bytes.byteLength) {
    throw new CodesError("corrupt-image", `The ${format} data is too short for a ${w}x${h} image.`);
  }
  const swap = orientation >= 5;
  return { format, width: swap ? h : w, height: swap ? w : h, pages, orientation };
}

/**
 * The header without a libvips call where the native decoder will decode the image (still-header.ts reads
 * still JPEG, PNG and WebP headers in JS); sharp's probe otherwise, and for anything that reader leaves alone.
 */
async function headerOf(bytes: Uint8Array, limits: Readonly<Limits>): Promise<ImageHeader> {
  checkByteSize(bytes, limits);
  const still = nativeDecodeLuma ? readStillHeader(bytes) : undefined;
  return still ? checkHeader({ ...still, pages: 1 }, bytes, limits) : probeImage(bytes, limits);
}

/*
 * Luminance is zxing-wasm's own (integer Rec. 601 weights on the sRGB values, or JPEG's Y plane, which is that), at
 * every size: the whole-image read then sees the pixels plain zxing-wasm sees, so that it cannot lose a code plain
 * zxing-wasm reads to a different conversion (libvips' linear-light "b-w" did, on large photos).
 */

/** Probe, then decode the first frame to luminance (EXIF-oriented, alpha flattened on white). */
export async function decodeImage(bytes: Uint8Array, limits: Readonly<Limits> = LIMITS): Promise<DecodedImage> {
  const header = await headerOf(bytes, limits);
  if (header.format === "bmp") {
    try {
      const bmp = readBmpHeader(bytes, limits);
      return { data: decodeBmpLuma(bytes, bmp), width: bmp.width, height: bmp.height, format: "bmp" };
    } catch (err) {
      throw err instanceof CodesError ? err : new CodesError("corrupt-image", `BMP: ${String(err)}`);
    }
  }
  const native = decodeNatively(bytes, header, limits);
  if (native) return native;
  try {
    const { data, info } = await sharp(bytes, {
      limitInputPixels: limits.maxPixels,
      pages: 1, // first frame of GIF / animated WebP / multi-page TIFF only
      sequentialRead: true,
      failOn: "error",
    })
      .rotate() // apply EXIF orientation
      .flatten({ background: "#ffffff" }) // transparent pixels are white paper, not black
      .toColourspace("srgb") // CMYK / 16-bit / palette → 8-bit sRGB
      .raw({ depth: "uchar" })
      .toBuffer({ resolveWithObject: true });
    const { width, height, channels } = info;
    if (channels === 1) {
      return { data: new Uint8Array(data.buffer, data.byteOffset, width * height), width, height, format: header.format };
    }
    if (channels < 3) throw new CodesError("corrupt-image", `Unexpected ${channels}-channel decode.`);
    return { data: lumaOf(data, width * height, channels), width, height, format: header.format };
  } catch (err) {
    throw toCodesError(err);
  }
}

/**
 * The fast path (native-luma.ts): JPEG's Y plane, PNG and WebP through zxing-wasm's weights — a 2–4× cheaper
 * decode than libvips' RGB. Only
 * single-frame images the header probe accepted; the decoder declines anything unusual, and a size that disagrees
 * with the probe is left to libvips too.
 */
function decodeNatively(bytes: Uint8Array, header: ImageHeader, limits: Readonly<Limits>): DecodedImage | undefined {
  if (!nativeDecodeLuma || !NATIVE_FORMATS.has(header.format) || header.pages > 1) return undefined;
  const stored = nativeDecodeLuma(bytes, header.format, limits.maxPixels, false);
  if (!stored) return undefined;
  const img = applyExifOrientation(stored, header.orientation);
  if (img.width !== header.width || img.height !== header.height) return undefined;
  return { ...img, format: header.format };
}

/** zxing-wasm's RGB→Y: (306 R + 601 G + 117 B + 512) >> 10. */
function lumaOf(rgb: Uint8Array, n: number, channels: number): Uint8Array {
  const y = new Uint8Array(n);
  for (let i = 0, j = 0; i < n; i++, j += channels) {
    y[i] = (306 * rgb[j]! + 601 * rgb[j + 1]! + 117 * rgb[j + 2]! + 512) >> 10;
  }
  return y;
}
