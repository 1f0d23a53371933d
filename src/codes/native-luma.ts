/**
 * The optional native luminance decoder (native/luma.c, built by `npm ci` through scripts/build-native.js when
 * the libjpeg, libpng and libwebp headers are installed). It is a fast path only: when it is missing, disabled
 * (BARBUCKET_NATIVE_DECODE=0) or declines an image (returns null), decode-image.ts decodes with sharp as before.
 */
import { createRequire } from "node:module";

export interface NativeLuma {
  data: Uint8Array;
  width: number;
  height: number;
}

/** linearLight: libvips' "b-w" luminance (Rec. 709 on linear light) instead of zxing's Rec. 601 weights. */
type DecodeLuma = (bytes: Uint8Array, format: string, maxPixels: number, linearLight: boolean) => NativeLuma | null;

/** The formats the native decoder takes (libvips names). */
export const NATIVE_FORMATS: ReadonlySet<string> = new Set(["jpeg", "png", "webp"]);

function load(): { decodeLuma?: DecodeLuma; error?: string } {
  if (process.env.BARBUCKET_NATIVE_DECODE === "0") return { error: "disabled by BARBUCKET_NATIVE_DECODE=0" };
  try {
    const require = createRequire(import.meta.url);
    // dist/src/codes → repository root
    const addon = require("../../../build/Release/barbucket_luma.node") as { decodeLuma: DecodeLuma };
    return { decodeLuma: addon.decodeLuma };
  } catch (err) {
    return { error: (err as Error).message.split("\n")[0] };
  }
}

const loaded = load();

/** The native decoder, or undefined when it is not built or is disabled. */
export const nativeDecodeLuma: DecodeLuma | undefined = loaded.decodeLuma;

/** Which luminance decoder this process uses, for logs and benchmark headers. */
export function lumaDecoderName(): string {
  return nativeDecodeLuma ? "native (libjpeg/libpng/libwebp)" : `sharp (native decoder unavailable: ${loaded.error})`;
}
