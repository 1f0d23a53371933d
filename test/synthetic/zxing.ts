/**
 * Plain zxing-wasm, default options, on the full sharp-decoded image: the baseline every claim is measured
 * against. The .wasm comes from the package itself (no network).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import sharp from "sharp";
import { prepareZXingModule, readBarcodes } from "zxing-wasm/reader";
import { boundsOf, type Box } from "./geometry.js";

export interface FoundCode {
  readonly text: string;
  readonly format: string;
  /** Axis-aligned box, when the reader reports a position. */
  readonly box?: Box;
}

let ready: Promise<unknown> | undefined;

export function loadZxing(): Promise<unknown> {
  if (!ready) {
    const require = createRequire(import.meta.url);
    const wasmBinary = readFileSync(require.resolve("zxing-wasm/reader/zxing_reader.wasm"));
    ready = prepareZXingModule({ overrides: { wasmBinary: wasmBinary.buffer.slice(wasmBinary.byteOffset, wasmBinary.byteOffset + wasmBinary.byteLength) as ArrayBuffer }, fireImmediately: true });
  }
  return ready;
}

/** Decode with sharp (EXIF orientation applied, alpha flattened onto white) and read with default options. */
export async function readPlain(image: Uint8Array): Promise<FoundCode[]> {
  await loadZxing();
  const { data, info } = await sharp(image).rotate().flatten({ background: "#ffffff" }).ensureAlpha()
    .raw().toBuffer({ resolveWithObject: true });
  const results = await readBarcodes(
    { data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height, colorSpace: "srgb" },
  );
  return results.filter((r) => r.isValid).map((r) => {
    const p = r.position;
    return { text: r.text, format: r.format, box: boundsOf([p.topLeft, p.topRight, p.bottomRight, p.bottomLeft]) };
  });
}
