/**
 * The readers every recognition figure compares, as functions from image bytes to results (judge.ts Read):
 * the engine in this process, and plain zxing-wasm with default options (the baseline: sharp's RGBA of the
 * EXIF-oriented image, alpha flattened on white, `readBarcodes` with no options, so up to 255 symbols).
 */
import sharp from "sharp";
import { readBarcodes } from "zxing-wasm/reader";
import { detectCodes, type DetectDiagnostics } from "../../src/codes/detect.js";
import { boundsOf } from "../synthetic/geometry.js";
import { loadZxing } from "../synthetic/zxing.js";
import type { Read } from "./judge.js";

export type ReadFn = (bytes: Uint8Array) => Promise<Read[]>;

export async function readPlainFull(image: Uint8Array): Promise<Read[]> {
  await loadZxing();
  const { data, info } = await sharp(image).rotate().flatten({ background: "#ffffff" }).ensureAlpha()
    .raw().toBuffer({ resolveWithObject: true });
  const results = await readBarcodes(
    { data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height, colorSpace: "srgb" },
  );
  return results.filter((r) => r.isValid).map((r) => {
    const p = r.position;
    return { text: r.text, bytes: r.bytes.slice(), format: r.format, box: boundsOf([p.topLeft, p.topRight, p.bottomRight, p.bottomLeft]) };
  });
}

/** The engine as `barbucket scan` runs it, at most `maxCodes` results. */
export function engineReader(maxCodes: number, timeBudgetMs = 60_000): ReadFn {
  return async (bytes) => {
    const diag: DetectDiagnostics = { trace: [], decodeMs: 0, totalMs: 0 };
    const codes = await detectCodes(bytes, { maxCodes, timeBudgetMs }, diag);
    return codes.map((c, i) => ({
      text: c.Content, format: c.Format, ...(diag.bytes?.[i] ? { bytes: diag.bytes[i] } : {}),
      box: { Left: c.Boundary.Left, Top: c.Boundary.Top, Width: c.Boundary.Width, Height: c.Boundary.Height },
    }));
  };
}
