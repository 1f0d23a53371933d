/**
 * The optional native addon (build/Release/barbucket_luma.node, built by `npm ci` through
 * scripts/build-native.js when a C toolchain and the libjpeg, libpng and libwebp headers are installed): the
 * luminance decoder (native/luma.c, see native-luma.ts) and the strategy's hot pixel loops (native/image_ops.c,
 * see kernels.ts). Everything it does has a JS or sharp path that gives the same result; it is only faster.
 * BARBUCKET_NATIVE_DECODE=0 turns the whole addon off.
 */
import { createRequire } from "node:module";

export interface NativeAddon {
  decodeLuma(bytes: Uint8Array, format: string, maxPixels: number, linearLight: boolean): { data: Uint8Array; width: number; height: number } | null;
  histogram(data: Uint8Array, width: number, height: number, mx: number, my: number): Uint32Array;
  mapLut(data: Uint8Array, lut: Uint8Array): Uint8Array;
  boxBlur3(data: Uint8Array, width: number, height: number): Uint8Array;
  edgeCells(data: Uint8Array, width: number, height: number, cell: number, step: number): Uint32Array;
  median3(data: Uint8Array, width: number, height: number): Uint8Array;
  localNormalize(data: Uint8Array, width: number, height: number, radius: number, k: number): Uint8Array;
  gridSums(data: Uint8Array, width: number, height: number, step: number, minGradient2: number): Float64Array;
  rotateBilinear(data: Uint8Array, width: number, height: number, W: number, H: number, cos: number, sin: number,
    cx: number, cy: number, ox: number, oy: number, fill: number): Uint8Array;
  boxDownscale(data: Uint8Array, width: number, height: number, f: number): Uint8Array;
  binRows(data: Uint8Array, width: number, height: number, k: number): Uint8Array;
}

function load(): { addon?: NativeAddon; error?: string } {
  if (process.env.BARBUCKET_NATIVE_DECODE === "0") return { error: "disabled by BARBUCKET_NATIVE_DECODE=0" };
  try {
    const require = createRequire(import.meta.url);
    // dist/src/codes → repository root
    return { addon: require("../../../build/Release/barbucket_luma.node") as NativeAddon };
  } catch (err) {
    return { error: (err as Error).message.split("\n")[0] };
  }
}

const loaded = load();

/** The addon, or undefined when it is not built or is disabled. */
export const nativeAddon: NativeAddon | undefined = loaded.addon;
/** Why there is no addon (for logs). */
export const nativeAddonError: string | undefined = loaded.error;
