/**
 * The file a scene is saved as: a phone's usual mix of formats, kept within what the recognition engine
 * accepts as a source image (20 MiB, 30 000 px a side). Decided from the plan (frame size and the format
 * drawn), never by encoding and retrying: a frame whose PNG could pass ~18 MiB (above ~6 MP) is saved as a
 * high-quality JPEG or WebP instead. The pipeline checks the encoded bytes against the limits all the same.
 */
import type { Rng } from "../synthetic/prng.js";
import type { Encoding } from "./canvas.js";

/** The engine refuses source images over 20 MiB ... */
export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;
/** ... or over 30 000 px a side. */
export const MAX_IMAGE_SIDE = 30_000;
/** What a planned encoding may take at worst (headroom under MAX_IMAGE_BYTES). */
export const PLANNED_IMAGE_BYTES = 18 * 1024 * 1024;

/** A phone's formats: JPEG q60-95 80 %, PNG 10 % (screenshots, edited copies), WebP q70-92 10 %. */
export function phoneEncoding(rng: Rng): Encoding {
  const r = rng.next();
  if (r < 0.8) return { kind: "jpeg", quality: Math.round(rng.range(60, 95)), chroma: "4:2:0" };
  if (r < 0.9) return { kind: "png" };
  return { kind: "webp", quality: Math.round(rng.range(70, 92)) };
}

/**
 * An upper bound on the PNG of a width x height RGB frame whatever its content: the raw rows (a filter byte
 * each) when deflate finds nothing to compress, plus zlib's worst-case expansion and PNG chunk framing.
 */
export function pngWorstCase(width: number, height: number): number {
  const raw = (3 * width + 1) * height;
  return Math.ceil(raw * 1.01) + 4096;
}

/**
 * The planned encoding if it cannot pass PLANNED_IMAGE_BYTES, else a high-quality lossy one: JPEG q85-95
 * (4:2:0; a 12 MP frame of sensor noise takes ~6.5 MiB at q95) 75 %, WebP q80-92 25 %. Only a PNG of a
 * large frame is ever replaced; JPEG and WebP at these qualities stay under ~0.8 bytes a pixel.
 */
export function encodingWithinLimit(enc: Encoding, width: number, height: number, rng: Rng): Encoding {
  if (enc.kind !== "png" || pngWorstCase(width, height) <= PLANNED_IMAGE_BYTES) return enc;
  return rng.chance(0.75)
    ? { kind: "jpeg", quality: Math.round(rng.range(85, 95)), chroma: "4:2:0" }
    : { kind: "webp", quality: Math.round(rng.range(80, 92)) };
}

/** Throws when an encoded scene breaks the engine's limits (a planning bug: never emit such an image). */
export function checkImageLimits(bytes: number, width: number, height: number): void {
  if (bytes > MAX_IMAGE_BYTES || width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE) {
    throw new Error(`photoreal: a ${width}x${height} image of ${bytes} bytes is over the source limits (${MAX_IMAGE_BYTES} bytes, ${MAX_IMAGE_SIDE} px a side)`);
  }
}
