/**
 * The picture between actions. A chain runs as one decode and one encode: each pixel action queues
 * its sharp operations on `img`; before the next action the queued work is run to raw pixels
 * (`settle`), because sharp applies its operations in a fixed order, not in the order OSS's chain
 * names them. No intermediate image is ever encoded.
 */
import sharp, { type Sharp } from "sharp";
import { OssError } from "../errors/oss-error.js";

export interface Canvas {
  readonly img: Sharp;
  readonly width: number;
  readonly height: number;
  /** Operations are queued on `img` that have not run yet. */
  readonly pending: boolean;
}

/** OSS output limits (oss-api.md §2.2): sides ≤ 16,384 px, ≤ 16,777,216 px in all. */
export const MAX_OUTPUT_SIDE = 16_384;
export const MAX_OUTPUT_PIXELS = 16_777_216;

export function checkOutputSize(width: number, height: number): void {
  if (width > MAX_OUTPUT_SIDE || height > MAX_OUTPUT_SIDE || width * height > MAX_OUTPUT_PIXELS) {
    throw new OssError("ImageTooLarge", `The processed image would be ${width}×${height} px; OSS allows at most ${MAX_OUTPUT_SIDE} px a side and ${MAX_OUTPUT_PIXELS} px in all.`);
  }
}

export function queued(img: Sharp, width: number, height: number): Canvas {
  checkOutputSize(width, height);
  return { img, width, height, pending: true };
}

/** Runs what is queued into raw pixels and starts a fresh pipeline from them (no encode). */
export async function settle(canvas: Canvas): Promise<Canvas> {
  if (!canvas.pending) return canvas;
  const { data, info } = await canvas.img.raw().toBuffer({ resolveWithObject: true });
  const raw = { width: info.width, height: info.height, channels: info.channels };
  return { img: sharp(data, { raw }), width: info.width, height: info.height, pending: false };
}
