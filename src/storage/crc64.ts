/**
 * CRC-64/ECMA-182 as OSS computes it for `x-oss-hash-crc64ecma` (a.k.a. CRC-64/XZ): reflected
 * polynomial 0xC96C5795D7870F42, init and xorout all ones. "123456789" → 0x995DC9BBDF1939FA.
 *
 * Like zlib's crc32(), values passed in and out are finished CRCs: start with 0n and feed
 * chunks through `crc64Update`. Internally the 64-bit register is split into two int32 halves
 * (BigInt per byte would be far slower) and the bulk is consumed 8 bytes at a time (slicing-by-8)
 * through aligned 32-bit word loads. Measured on the dev box (Node 20, 1 MiB random buffers):
 * ~1.25 GB/s; slicing-by-8 with byte loads ~0.5–0.7 GB/s; byte-at-a-time ~0.38 GB/s;
 * slicing-by-16 ~0.84 GB/s (table pressure). For scale, MD5 runs at ~0.63 GB/s here.
 *
 * `crc64Combine` derives crc(A ‖ B) from crc(A), crc(B) and len(B) with zlib's crc32_combine
 * method (GF(2) 64×64 matrices for "append n zero bytes"), so a multipart or appendable object's
 * CRC comes from its parts' CRCs without re-reading data.
 *
 * With the native addon built (native/crc64.c, slicing-by-8 on 64-bit words) `crc64Update` runs
 * there for buffers of 4 KiB and more: ~4× the JS rate, which on a 1 MiB PUT was ~3 ms of CPU
 * (bench/store.ts, `--ops put`). The JS version stays the reference and the fallback.
 */
import { nativeAddon } from "../codes/native-addon.js";

const nativeUpdate = nativeAddon?.crc64Update;
/** Below this the N-API call costs more than it saves. */
const NATIVE_MIN_BYTES = 4096;

const POLY_LO = 0xd7870f42;
const POLY_HI = 0xc96c5795;
const POLY = 0xc96c5795d7870f42n;
const MASK64 = 0xffffffffffffffffn;

/** TABLE_LO[k * 256 + b] / TABLE_HI[...]: slicing table k for byte b (low / high 32 bits). */
const TABLE_LO = new Uint32Array(8 * 256);
const TABLE_HI = new Uint32Array(8 * 256);

(function buildTables(): void {
  for (let b = 0; b < 256; b++) {
    let lo = b;
    let hi = 0;
    for (let bit = 0; bit < 8; bit++) {
      const lsb = lo & 1;
      lo = ((lo >>> 1) | ((hi & 1) << 31)) >>> 0;
      hi = hi >>> 1;
      if (lsb) {
        lo = (lo ^ POLY_LO) >>> 0;
        hi = (hi ^ POLY_HI) >>> 0;
      }
    }
    TABLE_LO[b] = lo;
    TABLE_HI[b] = hi;
  }
  for (let k = 1; k < 8; k++) {
    for (let b = 0; b < 256; b++) {
      const prevLo = TABLE_LO[(k - 1) * 256 + b]!;
      const prevHi = TABLE_HI[(k - 1) * 256 + b]!;
      const idx = prevLo & 0xff;
      TABLE_LO[k * 256 + b] = (TABLE_LO[idx]! ^ ((prevLo >>> 8) | (prevHi << 24))) >>> 0;
      TABLE_HI[k * 256 + b] = (TABLE_HI[idx]! ^ (prevHi >>> 8)) >>> 0;
    }
  }
})();

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Continues `crc` (a finished CRC, 0n for empty input) over `buf`. */
export function crc64Update(crc: bigint, buf: Uint8Array): bigint {
  return nativeUpdate !== undefined && buf.length >= NATIVE_MIN_BYTES ? nativeUpdate(crc, buf) : crc64UpdateJs(crc, buf);
}

/** `crc64Update` in JS (the reference; what runs without the addon). */
export function crc64UpdateJs(crc: bigint, buf: Uint8Array): bigint {
  const inverted = ~crc & MASK64;
  let lo = Number(inverted & 0xffffffffn) | 0;
  let hi = Number(inverted >> 32n) | 0;
  const T_LO = TABLE_LO;
  const T_HI = TABLE_HI;
  const len = buf.length;
  let i = 0;
  // Byte-wise until 4-byte aligned, so the bulk can be read as 32-bit little-endian words
  // (a big-endian host goes byte-wise all the way).
  while (i < len && (LITTLE_ENDIAN ? (buf.byteOffset + i) & 3 : 1) !== 0) {
    const idx = (lo ^ buf[i]!) & 0xff;
    lo = T_LO[idx]! ^ ((lo >>> 8) | (hi << 24));
    hi = T_HI[idx]! ^ (hi >>> 8);
    i++;
  }
  const wordCount = ((len - i) >>> 3) << 1;
  if (wordCount > 0) {
    const words = new Int32Array(buf.buffer, buf.byteOffset + i, wordCount);
    for (let w = 0; w < wordCount; w += 2) {
      lo ^= words[w]!;
      hi ^= words[w + 1]!;
      const a = 7 * 256 + (lo & 0xff);
      const b = 6 * 256 + ((lo >>> 8) & 0xff);
      const c = 5 * 256 + ((lo >>> 16) & 0xff);
      const d = 4 * 256 + (lo >>> 24);
      const e = 3 * 256 + (hi & 0xff);
      const f = 2 * 256 + ((hi >>> 8) & 0xff);
      const g = 256 + ((hi >>> 16) & 0xff);
      const h = hi >>> 24;
      lo = T_LO[a]! ^ T_LO[b]! ^ T_LO[c]! ^ T_LO[d]! ^ T_LO[e]! ^ T_LO[f]! ^ T_LO[g]! ^ T_LO[h]!;
      hi = T_HI[a]! ^ T_HI[b]! ^ T_HI[c]! ^ T_HI[d]! ^ T_HI[e]! ^ T_HI[f]! ^ T_HI[g]! ^ T_HI[h]!;
    }
    i += wordCount * 4;
  }
  for (; i < len; i++) {
    const idx = (lo ^ buf[i]!) & 0xff;
    lo = T_LO[idx]! ^ ((lo >>> 8) | (hi << 24));
    hi = T_HI[idx]! ^ (hi >>> 8);
  }
  const result = (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
  return ~result & MASK64;
}

/** CRC-64/ECMA-182 of one buffer. */
export function crc64(buf: Uint8Array): bigint {
  return crc64Update(0n, buf);
}

// ---- combine -------------------------------------------------------------------------------

/** A GF(2) 64×64 matrix: column i is the image of bit i. */
type Gf2Matrix = bigint[];

function matrixTimes(mat: Gf2Matrix, vec: bigint): bigint {
  let sum = 0n;
  let i = 0;
  while (vec !== 0n) {
    if (vec & 1n) sum ^= mat[i]!;
    vec >>= 1n;
    i++;
  }
  return sum;
}

function matrixSquare(mat: Gf2Matrix): Gf2Matrix {
  return mat.map((column) => matrixTimes(mat, column));
}

/** ZERO_BYTE_OPERATORS[k] appends 2^k zero bytes to a (raw, un-inverted) CRC register. Built lazily. */
const ZERO_BYTE_OPERATORS: Gf2Matrix[] = [];

function zeroBytesOperator(k: number): Gf2Matrix {
  while (ZERO_BYTE_OPERATORS.length <= k) {
    const last = ZERO_BYTE_OPERATORS[ZERO_BYTE_OPERATORS.length - 1];
    if (last) {
      ZERO_BYTE_OPERATORS.push(matrixSquare(last));
      continue;
    }
    // Operator for one zero bit: shift right, xor the polynomial when the low bit was set.
    const oneBit: Gf2Matrix = [POLY];
    for (let i = 1; i < 64; i++) oneBit.push(1n << BigInt(i - 1));
    const twoBits = matrixSquare(oneBit);
    const fourBits = matrixSquare(twoBits);
    ZERO_BYTE_OPERATORS.push(matrixSquare(fourBits)); // eight bits = one byte
  }
  return ZERO_BYTE_OPERATORS[k]!;
}

/** crc(A ‖ B) from crcA = crc(A), crcB = crc(B) and lengthB = len(B) in bytes. */
export function crc64Combine(crcA: bigint, crcB: bigint, lengthB: number): bigint {
  if (!Number.isSafeInteger(lengthB) || lengthB < 0) throw new RangeError(`bad length ${lengthB}`);
  // The init/xorout terms cancel out exactly as in zlib: shifting crcA through len(B) zero bytes
  // and xoring crcB gives the CRC of the concatenation.
  let vec = crcA;
  let remaining = lengthB;
  for (let k = 0; remaining > 0; k++) {
    if (remaining % 2 === 1) vec = matrixTimes(zeroBytesOperator(k), vec);
    remaining = Math.floor(remaining / 2);
  }
  return (vec ^ crcB) & MASK64;
}

/** Formats a CRC as the decimal string stored in records and sent in x-oss-hash-crc64ecma. */
export function crc64ToString(crc: bigint): string {
  return BigInt.asUintN(64, crc).toString(10);
}
