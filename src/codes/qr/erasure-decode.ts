/**
 * Reading a QR symbol whose patches are unreadable (specular glare, bright spots, washed-out corners): each
 * module gets a reliability from the grey levels (how far it sits from its local threshold, and how much
 * contrast its neighbourhood still has), each codeword the reliability of its weakest module, and every
 * Reed–Solomon block is decoded by generalised minimum-distance decoding (Forney): its least reliable codewords
 * are declared erased, a few more at each try, so a glared patch costs one check symbol a codeword instead of
 * two. The corrected codewords are written back into the module grid and zxing reads the clean symbol (format,
 * bit stream), so a text still has to parse as a QR bit stream to be returned.
 */
import { blockLayout, dataModuleOrder, maskFlips, readFormat, writeFormat, type FormatInfo } from "./codeword-layout.js";
import { localLevels, otsu } from "./modules.js";
import { functionTemplate, UNKNOWN } from "./qr-spec.js";
import { rsDecode } from "./reed-solomon.js";

/** Check symbols every block keeps unused after its correction (the margin against a wrong correction). */
export const MIN_SPARE = 3;
/** Erasures added per try of one block (its least reliable codewords first). */
const ERASURE_STEP = 2;

export interface ErasureDecoded {
  /** The corrected module grid (1 = dark), format information rewritten. */
  bits: Uint8Array;
  /** Whether the grid was read transposed (a mirrored symbol). */
  transposed: boolean;
  format: FormatInfo;
  erasures: number;
  errors: number;
}

/**
 * `values`: sampled module luminance (dark = low), dim² row-major. Null when the format is unreadable or a
 * block stays beyond reach.
 */
export function erasureDecode(values: Float32Array, version: number): ErasureDecoded | null {
  const dim = Math.round(Math.sqrt(values.length));
  const { bits, reliability } = softModules(values, dim, version);
  let best: ErasureDecoded | null = null;
  for (const transposed of [false, true]) {
    const b = transposed ? transpose(bits, dim) : bits, rel = transposed ? transpose(reliability, dim) : reliability;
    const format = readFormat(b, rel, dim);
    if (!format || (best && best.format.distance <= format.distance)) continue;
    const decoded = correctCodewords(b, rel, dim, version, format);
    if (decoded) best = { ...decoded, transposed, format };
  }
  return best;
}

/** Hard decisions against local levels and a reliability in [0, 1] per module. */
export function softModules(values: Float32Array, dim: number, version: number): { bits: Uint8Array; reliability: Float32Array } {
  const global = otsu(values);
  const { lo, hi } = localLevels(values, dim, 3, global);
  // The symbol's own contrast, measured on its function patterns where both colours are known.
  const t = functionTemplate(version);
  let sd = 0, nd = 0, sl = 0, nl = 0;
  for (let i = 0; i < t.length; i++) {
    if (t[i] === 1) { sd += values[i]!; nd++; } else if (t[i] === 0) { sl += values[i]!; nl++; }
  }
  const contrast = Math.max(12, (nl ? sl / nl : 255) - (nd ? sd / nd : 0));
  const bits = new Uint8Array(values.length), reliability = new Float32Array(values.length);
  for (let r = 0; r < dim; r++) {
    for (let c = 0; c < dim; c++) {
      const i = r * dim + c;
      const span = hi[i]! - lo[i]!, thr = (lo[i]! + hi[i]!) / 2;
      bits[i] = values[i]! < thr ? 1 : 0;
      const margin = Math.min(1, Math.abs(values[i]! - thr) / Math.max(6, span / 2));
      // Nearly every 3×3 patch of a symbol holds both colours: one that does not span the symbol's contrast is
      // washed out (glare) or smeared, whatever the wider window says.
      let mn = 255, mx = 0;
      for (let y = Math.max(0, r - 1); y <= Math.min(dim - 1, r + 1); y++) {
        for (let x = Math.max(0, c - 1); x <= Math.min(dim - 1, c + 1); x++) { const v = values[y * dim + x]!; if (v < mn) mn = v; if (v > mx) mx = v; }
      }
      reliability[i] = margin * Math.min(1, span / contrast) * Math.min(1, (mx - mn) / (0.6 * contrast));
    }
  }
  return { bits, reliability };
}

function correctCodewords(bits: Uint8Array, rel: Float32Array, dim: number, version: number, format: FormatInfo): Omit<ErasureDecoded, "transposed" | "format"> | null {
  const order = dataModuleOrder(version), layout = blockLayout(version, format.level);
  const count = order.length / 8;
  const words = new Uint8Array(count), wordRel = new Float32Array(count);
  for (let w = 0; w < count; w++) {
    let v = 0, r = 1;
    for (let j = 0; j < 8; j++) {
      const k = order[w * 8 + j]!;
      const bit = bits[k]! ^ (maskFlips(format.mask, Math.floor(k / dim), k % dim) ? 1 : 0);
      v = (v << 1) | bit;
      r = Math.min(r, rel[k]!);
    }
    words[w] = v;
    wordRel[w] = r;
  }
  const blocks = layout.data.map((d) => ({ words: new Uint8Array(d + layout.check), rel: new Float32Array(d + layout.check), symbolIndex: new Int32Array(d + layout.check) }));
  layout.place.forEach(([b, i], w) => { blocks[b]!.words[i] = words[w]!; blocks[b]!.rel[i] = wordRel[w]!; blocks[b]!.symbolIndex[i] = w; });
  let erasures = 0, errors = 0;
  for (const block of blocks) {
    const byRel = [...block.rel.keys()].sort((a, b) => block.rel[a]! - block.rel[b]!);
    let fixed = null, used = 0;
    for (let e = 0; e <= layout.check - MIN_SPARE && !fixed; e += ERASURE_STEP) {
      fixed = rsDecode(block.words, layout.check, byRel.slice(0, e), MIN_SPARE);
      used = e;
    }
    if (!fixed) return null;
    erasures += used;
    errors += fixed.errors;
    fixed.block.forEach((v, i) => { words[block.symbolIndex[i]!] = v; });
  }
  const out = Uint8Array.from(bits);
  for (let w = 0; w < count; w++) {
    for (let j = 0; j < 8; j++) {
      const k = order[w * 8 + j]!;
      out[k] = ((words[w]! >> (7 - j)) & 1) ^ (maskFlips(format.mask, Math.floor(k / dim), k % dim) ? 1 : 0);
    }
  }
  writeFormat(out, dim, format.level, format.mask);
  // Function patterns as the version fixes them (the renderer paints them too; kept consistent here).
  const t = functionTemplate(version);
  for (let i = 0; i < t.length; i++) if (t[i] !== UNKNOWN) out[i] = t[i]!;
  return { bits: out, erasures, errors };
}

function transpose<T extends Uint8Array | Float32Array>(a: T, dim: number): T {
  const out = a.slice() as T;
  for (let r = 0; r < dim; r++) for (let c = 0; c < dim; c++) out[c * dim + r] = a[r * dim + c]!;
  return out;
}
