/**
 * The optional native addon (build/Release/barbucket_luma.node, built by `npm ci` through
 * scripts/build-native.js when a C toolchain and the libjpeg, libpng and libwebp headers are installed): the
 * luminance decoder (native/luma.c, see native-luma.ts) and the strategy's hot pixel loops (native/image_ops.c,
 * see kernels.ts). Everything it does has a JS or sharp path that gives the same result; it is only faster.
 * BARBUCKET_NATIVE_DECODE=0 turns the whole addon off.
 */
import { createRequire } from "node:module";
import type { Kernels } from "./kernels.js";
import type { DecodeLuma } from "./native-luma.js";

/** What the addon exports. One built from older sources may lack kernels added since: kernels.ts checks. */
export type NativeAddon = { decodeLuma: DecodeLuma; crc64Update?: (crc: bigint, data: Uint8Array) => bigint } & Partial<Kernels>;

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
