/**
 * Estimates a JPEG's quality (1–100) from its luminance quantisation table, by the IJG scaling that
 * libjpeg, mozjpeg and most encoders use: `q_` (relative quality) is relative to it.
 */
const IJG_LUMA = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
  18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
];

/** The quality of the first 8-bit luminance table (id 0), or undefined for a non-JPEG or an odd table. */
export function estimateJpegQuality(bytes: Uint8Array): number | undefined {
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) return undefined;
  let i = 2;
  while (i + 4 <= bytes.length) {
    if (bytes[i] !== 0xff) return undefined;
    const marker = bytes[i + 1]!;
    const length = (bytes[i + 2]! << 8) | bytes[i + 3]!;
    if (marker === 0xda || marker === 0xd9) return undefined;
    if (marker === 0xdb) {
      let p = i + 4;
      const end = i + 2 + length;
      while (p < end) {
        const precision = bytes[p]! >> 4;
        const id = bytes[p]! & 15;
        const size = precision ? 128 : 64;
        if (id === 0 && precision === 0 && p + 65 <= bytes.length) return qualityOf(bytes.subarray(p + 1, p + 65));
        p += 1 + size;
      }
    }
    i += 2 + length;
  }
  return undefined;
}

function qualityOf(table: Uint8Array): number {
  // Order does not matter for the sum: zig-zag or natural, the scale factor is the same.
  let sum = 0;
  let base = 0;
  for (let k = 0; k < 64; k++) {
    sum += table[k]!;
    base += IJG_LUMA[k]!;
  }
  const scale = (sum * 100) / base; // IJG: scale = q < 50 ? 5000/q : 200 - 2q
  const q = scale <= 100 ? (200 - scale) / 2 : 5000 / scale;
  return Math.min(100, Math.max(1, Math.round(q)));
}
