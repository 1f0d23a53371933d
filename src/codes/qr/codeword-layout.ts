/**
 * Where a QR symbol keeps its bits (ISO/IEC 18004 §7.7–7.9): the format information's two copies, the data
 * modules in codeword order, the eight data masks, and how codewords are interleaved over the error-correction
 * blocks of each version and level.
 */
import { dimensionOf, functionTemplate, UNKNOWN } from "./qr-spec.js";

export type EcLevel = "L" | "M" | "Q" | "H";
const LEVELS: readonly EcLevel[] = ["L", "M", "Q", "H"];

// Table 9 of the standard as block counts and total check codewords per version (rows) and level (L M Q H).
const BLOCKS = [
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 1, 2, 2, 4, 1, 2, 4, 4, 2, 4, 4, 4, 2, 4, 6, 5, 2, 4, 6, 6, 2, 5, 8, 8,
  4, 5, 8, 8, 4, 5, 8, 11, 4, 8, 10, 11, 4, 9, 12, 16, 4, 9, 16, 16, 6, 10, 12, 18, 6, 10, 17, 16, 6, 11, 16, 19,
  6, 13, 18, 21, 7, 14, 21, 25, 8, 16, 20, 25, 8, 17, 23, 25, 9, 17, 23, 34, 9, 18, 25, 30, 10, 20, 27, 32,
  12, 21, 29, 35, 12, 23, 34, 37, 12, 25, 34, 40, 13, 26, 35, 42, 14, 28, 38, 45, 15, 29, 40, 48, 16, 31, 43, 51,
  17, 33, 45, 54, 18, 35, 48, 57, 19, 37, 51, 60, 19, 38, 53, 63, 20, 40, 56, 66, 21, 43, 59, 70, 22, 45, 62, 74,
  24, 47, 65, 77, 25, 49, 68, 81,
];
const CHECK_CODEWORDS = [
  7, 10, 13, 17, 10, 16, 22, 28, 15, 26, 36, 44, 20, 36, 52, 64, 26, 48, 72, 88, 36, 64, 96, 112, 40, 72, 108, 130,
  48, 88, 132, 156, 60, 110, 160, 192, 72, 130, 192, 224, 80, 150, 224, 264, 96, 176, 260, 308, 104, 198, 288, 352,
  120, 216, 320, 384, 132, 240, 360, 432, 144, 280, 408, 480, 168, 308, 448, 532, 180, 338, 504, 588,
  196, 364, 546, 650, 224, 416, 600, 700, 224, 442, 644, 750, 252, 476, 690, 816, 270, 504, 750, 900,
  300, 560, 810, 960, 312, 588, 870, 1050, 336, 644, 952, 1110, 360, 700, 1020, 1200, 390, 728, 1050, 1260,
  420, 784, 1140, 1350, 450, 812, 1200, 1440, 480, 868, 1290, 1530, 510, 924, 1350, 1620, 540, 980, 1440, 1710,
  570, 1036, 1530, 1800, 570, 1064, 1590, 1890, 600, 1120, 1680, 1980, 630, 1204, 1770, 2100, 660, 1260, 1860, 2220,
  720, 1316, 1950, 2310, 750, 1372, 2040, 2430,
];

/** Data-module indices (row·dim + column) in the order their bits are read, 8 to a codeword. */
const orders = new Map<number, Int32Array>();
export function dataModuleOrder(version: number): Int32Array {
  const cached = orders.get(version);
  if (cached) return cached;
  const dim = dimensionOf(version), t = functionTemplate(version), out: number[] = [];
  const isData = (r: number, c: number): boolean =>
    t[r * dim + c] === UNKNOWN && !(r === 8 && (c <= 8 || c >= dim - 8)) && !(c === 8 && (r <= 8 || r >= dim - 8));
  let up = true;
  for (let right = dim - 1; right > 0; right -= 2) {
    if (right === 6) right--; // the vertical timing column
    for (let k = 0; k < dim; k++) {
      const r = up ? dim - 1 - k : k;
      for (const c of [right, right - 1]) if (isData(r, c)) out.push(r * dim + c);
    }
    up = !up;
  }
  const order = Int32Array.from(out.slice(0, 8 * Math.floor(out.length / 8)));
  orders.set(version, order);
  return order;
}

/** Whether data mask `mask` flips the module at (row r, column c). */
export function maskFlips(mask: number, r: number, c: number): boolean {
  switch (mask) {
    case 0: return (r + c) % 2 === 0;
    case 1: return r % 2 === 0;
    case 2: return c % 3 === 0;
    case 3: return (r + c) % 3 === 0;
    case 4: return (Math.floor(r / 2) + Math.floor(c / 3)) % 2 === 0;
    case 5: return ((r * c) % 2) + ((r * c) % 3) === 0;
    case 6: return (((r * c) % 2) + ((r * c) % 3)) % 2 === 0;
    default: return (((r + c) % 2) + ((r * c) % 3)) % 2 === 0;
  }
}

export interface BlockLayout {
  /** Check codewords in every block. */
  check: number;
  /** Data codewords of each block, in order (the shorter blocks first). */
  data: number[];
  /** For each codeword in symbol order: [block, index within the block]. */
  place: [number, number][];
}

export function blockLayout(version: number, level: EcLevel): BlockLayout {
  const li = LEVELS.indexOf(level), count = BLOCKS[(version - 1) * 4 + li]!;
  const checkTotal = CHECK_CODEWORDS[(version - 1) * 4 + li]!;
  const total = dataModuleOrder(version).length / 8, dataTotal = total - checkTotal;
  const check = checkTotal / count, short = Math.floor(dataTotal / count), longFrom = count - (dataTotal % count);
  const data = Array.from({ length: count }, (_, b) => short + (b >= longFrom ? 1 : 0));
  const place: [number, number][] = [];
  // Data codewords interleaved column by column (the longer blocks' extra one last), then check codewords.
  for (let i = 0; i <= short; i++) for (let b = 0; b < count; b++) if (i < data[b]!) place.push([b, i]);
  for (let i = 0; i < check; i++) for (let b = 0; b < count; b++) place.push([b, data[b]! + i]);
  return { check, data, place };
}

// Format information: 5 bits (level, mask) + BCH(15,5) with generator 0x537, XOR 0x5412 (§7.9).
const FORMAT_LEVEL_BITS: Record<EcLevel, number> = { L: 1, M: 0, Q: 3, H: 2 };
export function formatWord(level: EcLevel, mask: number): number {
  const d = (FORMAT_LEVEL_BITS[level] << 3) | mask;
  let rem = d << 10;
  for (let bit = 14; bit >= 10; bit--) if (rem & (1 << bit)) rem ^= 0x537 << (bit - 10);
  return ((d << 10) | rem) ^ 0x5412;
}

/** The module (row, column) of each format bit, most significant first, for both copies. */
export function formatPositions(dim: number): [[number, number][], [number, number][]] {
  const first: [number, number][] = [];
  for (let c = 0; c <= 5; c++) first.push([8, c]);
  first.push([8, 7], [8, 8], [7, 8]);
  for (let r = 5; r >= 0; r--) first.push([r, 8]);
  const second: [number, number][] = [];
  for (let r = dim - 1; r >= dim - 7; r--) second.push([r, 8]);
  for (let c = dim - 8; c < dim; c++) second.push([8, c]);
  return [first, second];
}

export interface FormatInfo { level: EcLevel; mask: number; distance: number }

/**
 * The format word nearest to what both copies show, each bit weighted by its reliability (0 = erased … 1).
 * Null when the nearest word is not clearly nearer than the next (weighted distance gap below 1.5).
 */
export function readFormat(bits: Uint8Array, reliability: Float32Array, dim: number): FormatInfo | null {
  const copies = formatPositions(dim);
  let best: FormatInfo | null = null, second = Infinity;
  for (const level of LEVELS) {
    for (let mask = 0; mask < 8; mask++) {
      const word = formatWord(level, mask);
      let distance = 0;
      for (const copy of copies) {
        copy.forEach(([r, c], i) => {
          const k = r * dim + c, expected = (word >> (14 - i)) & 1;
          if (bits[k] !== expected) distance += reliability[k]!;
        });
      }
      if (!best || distance < best.distance) { second = best?.distance ?? Infinity; best = { level, mask, distance }; } else if (distance < second) second = distance;
    }
  }
  return best && second - best.distance >= 1.5 ? best : null;
}

export function writeFormat(bits: Uint8Array, dim: number, level: EcLevel, mask: number): void {
  const word = formatWord(level, mask);
  for (const copy of formatPositions(dim)) copy.forEach(([r, c], i) => { bits[r * dim + c] = (word >> (14 - i)) & 1; });
}
