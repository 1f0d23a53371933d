/**
 * What ISO/IEC 18004 fixes about a QR symbol's grid: its size, where the alignment patterns are, and the
 * function patterns (finders, separators, timing, alignment, the dark module) whose colour is known in advance.
 * Module (row r, column c) covers [c, c+1] × [r, r+1] in module coordinates (x = column, y = row).
 */

export const MIN_VERSION = 1;
export const MAX_VERSION = 40;

export const dimensionOf = (version: number): number => 17 + 4 * version;

/** Version whose dimension is nearest to `dim` (clamped to 1..40). */
export function versionNear(dim: number): number {
  return Math.max(MIN_VERSION, Math.min(MAX_VERSION, Math.round((dim - 17) / 4)));
}

/** Alignment-pattern centre coordinates per version (rows and columns alike). */
const ALIGNMENT: readonly (readonly number[])[] = [
  [], [], [6, 18], [6, 22], [6, 26], [6, 30], [6, 34],
  [6, 22, 38], [6, 24, 42], [6, 26, 46], [6, 28, 50], [6, 30, 54], [6, 32, 58], [6, 34, 62],
  [6, 26, 46, 66], [6, 26, 48, 70], [6, 26, 50, 74], [6, 30, 54, 78], [6, 30, 56, 82], [6, 30, 58, 86], [6, 34, 62, 90],
  [6, 28, 50, 72, 94], [6, 26, 50, 74, 98], [6, 30, 54, 78, 102], [6, 28, 54, 80, 106], [6, 32, 58, 84, 110],
  [6, 30, 58, 86, 114], [6, 34, 62, 90, 118],
  [6, 26, 50, 74, 98, 122], [6, 30, 54, 78, 102, 126], [6, 26, 52, 78, 104, 130], [6, 30, 56, 82, 108, 134],
  [6, 34, 60, 86, 112, 138], [6, 30, 58, 86, 114, 142], [6, 34, 62, 90, 118, 146],
  [6, 30, 54, 78, 102, 126, 150], [6, 24, 50, 76, 102, 128, 154], [6, 28, 54, 80, 106, 132, 158],
  [6, 32, 58, 84, 110, 136, 162], [6, 26, 54, 82, 110, 138, 166], [6, 30, 58, 86, 114, 142, 170],
];

export function alignmentCoords(version: number): readonly number[] {
  return ALIGNMENT[version] ?? [];
}

/** Alignment-pattern centres (module indices [row, col]) of a version, those under finders left out. */
export function alignmentCentres(version: number): [number, number][] {
  const c = alignmentCoords(version), last = c.length - 1, out: [number, number][] = [];
  for (let i = 0; i <= last; i++) {
    for (let j = 0; j <= last; j++) {
      if ((i === 0 && j === 0) || (i === 0 && j === last) || (i === last && j === 0)) continue;
      out.push([c[i]!, c[j]!]);
    }
  }
  return out;
}

/** Version information (v ≥ 7): 18-bit BCH words, most significant bit first. */
const VERSION_INFO = [
  0x07c94, 0x085bc, 0x09a99, 0x0a4d3, 0x0bbf6, 0x0c762, 0x0d847, 0x0e60d, 0x0f928, 0x10b78, 0x1145d, 0x12a17,
  0x13532, 0x149a6, 0x15683, 0x168c9, 0x177ec, 0x18ec4, 0x191e1, 0x1afab, 0x1b08e, 0x1cc1a, 0x1d33f, 0x1ed75,
  0x1f250, 0x209d5, 0x216f0, 0x228ba, 0x2379f, 0x24b0b, 0x2542e, 0x26a64, 0x27541, 0x28c69,
];

/**
 * Modules whose colour the version alone fixes: 1 = dark, 0 = light, 255 = data / format (unknown).
 * Cached per version (41 small arrays at most).
 */
const templates = new Map<number, Uint8Array>();
export const UNKNOWN = 255;

export function functionTemplate(version: number): Uint8Array {
  const cached = templates.get(version);
  if (cached) return cached;
  const dim = dimensionOf(version);
  const t = new Uint8Array(dim * dim).fill(UNKNOWN);
  const set = (r: number, c: number, v: number): void => {
    if (r >= 0 && c >= 0 && r < dim && c < dim) t[r * dim + c] = v;
  };
  // Finders with their separators (the separator is the light ring at Chebyshev distance 4).
  for (const [r0, c0] of [[3, 3], [3, dim - 4], [dim - 4, 3]] as const) {
    for (let dr = -4; dr <= 4; dr++) {
      for (let dc = -4; dc <= 4; dc++) {
        const d = Math.max(Math.abs(dr), Math.abs(dc));
        set(r0 + dr, c0 + dc, d === 2 || d === 4 ? 0 : 1);
      }
    }
  }
  for (let i = 8; i < dim - 8; i++) {
    set(6, i, i % 2 === 0 ? 1 : 0);
    set(i, 6, i % 2 === 0 ? 1 : 0);
  }
  for (const [r0, c0] of alignmentCentres(version)) {
    for (let dr = -2; dr <= 2; dr++) {
      for (let dc = -2; dc <= 2; dc++) set(r0 + dr, c0 + dc, Math.max(Math.abs(dr), Math.abs(dc)) === 1 ? 0 : 1);
    }
  }
  set(dim - 8, 8, 1); // the "dark module"
  if (version >= 7) {
    const bits = VERSION_INFO[version - 7]!;
    // Bit i (LSB = 0) sits at (i/3, dim-11+i%3) top right and transposed bottom left.
    for (let i = 0; i < 18; i++) {
      const v = (bits >> i) & 1;
      set(Math.floor(i / 3), dim - 11 + (i % 3), v);
      set(dim - 11 + (i % 3), Math.floor(i / 3), v);
    }
  }
  templates.set(version, t);
  return t;
}
