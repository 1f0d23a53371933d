/**
 * The optional native luminance decoder (native/luma.c, built by `npm ci` through scripts/build-native.js when
 * the libjpeg, libpng and libwebp headers are installed). It is a fast path only: when it is missing, disabled
 * (BARBUCKET_NATIVE_DECODE=0) or declines an image (returns null), decode-image.ts decodes with sharp as before.
 */
import { nativeAddon, nativeAddonError } from "./native-addon.js";

export interface NativeLuma {
  data: Uint8Array;
  width: number;
  height: number;
}

/** linearLight: libvips' "b-w" luminance (Rec. 709 on linear light) instead of zxing's Rec. 601 weights.
 * `format` is a libvips name from NATIVE_FORMATS; tests also pass "png-fast" and "png-libpng" to run one of the
 * two PNG decoders alone (native/png_fast.c with libdeflate, else libpng). */
export type DecodeLuma = (bytes: Uint8Array, format: string, maxPixels: number, linearLight: boolean) => NativeLuma | null;

/** The formats the native decoder takes (libvips names). */
export const NATIVE_FORMATS: ReadonlySet<string> = new Set(["jpeg", "png", "webp"]);

/** The native decoder, or undefined when it is not built or is disabled. */
export const nativeDecodeLuma: DecodeLuma | undefined = nativeAddon?.decodeLuma;

/** Which luminance decoder this process uses, for logs and benchmark headers. */
export function lumaDecoderName(): string {
  return nativeDecodeLuma ? "native (libjpeg/libpng/libwebp)" : `sharp (native decoder unavailable: ${nativeAddonError})`;
}
