/**
 * A 5x7 bitmap font (digits, capitals, a few signs) for printed text: label captions, the digits under
 * EAN/UPC bars, document pages and keyboards in the background. Our own glyphs, not system fonts, so the
 * pixels do not depend on what fonts a machine has installed.
 */
import type { Rng } from "../synthetic/prng.js";

const GLYPHS: Record<string, string> = {
  "0": "01110 10001 10011 10101 11001 10001 01110", "1": "00100 01100 00100 00100 00100 00100 01110",
  "2": "01110 10001 00001 00010 00100 01000 11111", "3": "11111 00010 00100 00010 00001 10001 01110",
  "4": "00010 00110 01010 10010 11111 00010 00010", "5": "11111 10000 11110 00001 00001 10001 01110",
  "6": "00110 01000 10000 11110 10001 10001 01110", "7": "11111 00001 00010 00100 01000 01000 01000",
  "8": "01110 10001 10001 01110 10001 10001 01110", "9": "01110 10001 10001 01111 00001 00010 01100",
  A: "01110 10001 10001 11111 10001 10001 10001", B: "11110 10001 10001 11110 10001 10001 11110",
  C: "01110 10001 10000 10000 10000 10001 01110", D: "11100 10010 10001 10001 10001 10010 11100",
  E: "11111 10000 10000 11110 10000 10000 11111", F: "11111 10000 10000 11110 10000 10000 10000",
  G: "01110 10001 10000 10111 10001 10001 01111", H: "10001 10001 10001 11111 10001 10001 10001",
  I: "01110 00100 00100 00100 00100 00100 01110", J: "00111 00010 00010 00010 00010 10010 01100",
  K: "10001 10010 10100 11000 10100 10010 10001", L: "10000 10000 10000 10000 10000 10000 11111",
  M: "10001 11011 10101 10101 10001 10001 10001", N: "10001 10001 11001 10101 10011 10001 10001",
  O: "01110 10001 10001 10001 10001 10001 01110", P: "11110 10001 10001 11110 10000 10000 10000",
  Q: "01110 10001 10001 10001 10101 10010 01101", R: "11110 10001 10001 11110 10100 10010 10001",
  S: "01111 10000 10000 01110 00001 00001 11110", T: "11111 00100 00100 00100 00100 00100 00100",
  U: "10001 10001 10001 10001 10001 10001 01110", V: "10001 10001 10001 10001 10001 01010 00100",
  W: "10001 10001 10001 10101 10101 10101 01010", X: "10001 10001 01010 00100 01010 10001 10001",
  Y: "10001 10001 10001 01010 00100 00100 00100", Z: "11111 00001 00010 00100 01000 10000 11111",
  a: "00000 00000 01110 00001 01111 10001 01111", e: "00000 00000 01110 10001 11111 10000 01110",
  o: "00000 00000 01110 10001 10001 10001 01110", n: "00000 00000 10110 11001 10001 10001 10001",
  r: "00000 00000 10110 11001 10000 10000 10000", s: "00000 00000 01110 10000 01110 00001 11110",
  t: "01000 01000 11100 01000 01000 01001 00110", i: "00100 00000 01100 00100 00100 00100 01110",
  l: "01100 00100 00100 00100 00100 00100 01110", c: "00000 00000 01110 10000 10000 10001 01110",
  "-": "00000 00000 00000 11111 00000 00000 00000", ".": "00000 00000 00000 00000 00000 01100 01100",
  ":": "00000 01100 01100 00000 01100 01100 00000", "/": "00001 00010 00010 00100 01000 01000 10000",
  "%": "11001 11010 00010 00100 01000 01011 10011", "#": "01010 11111 01010 01010 01010 11111 01010",
  "€": "00111 01000 11110 01000 11110 01000 00111", "+": "00000 00100 00100 11111 00100 00100 00000",
};

/** Glyph rows as bit masks (bit 4 = leftmost column); unknown characters draw nothing (a space). */
const BITS = new Map<string, number[]>(
  Object.entries(GLYPHS).map(([ch, rows]) => [ch, rows.split(" ").map((r) => parseInt(r, 2))]),
);

export const WORD_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZaeonrstilc";
export const DIGITS = "0123456789";

/** An alpha target: `data[y * width + x]` in 0..1. */
export interface AlphaTarget {
  readonly width: number;
  readonly height: number;
  readonly data: Float32Array;
}

/**
 * Draw `text` with its top-left at (x, y), glyph cells `h` texels tall (7 rows) and `h * 5/7 * widthScale`
 * wide, with area coverage (anti-aliased at any size). `weight` thickens (>1) or thins (<1) the strokes.
 * Returns the x after the last glyph.
 */
export function drawText(t: AlphaTarget, text: string, x: number, y: number, h: number, alpha = 1, widthScale = 1, weight = 1): number {
  const ph = h / 7, pw = ph * widthScale, adv = pw * 6;
  for (const ch of text) {
    const rows = BITS.get(ch);
    if (rows) {
      for (let r = 0; r < 7; r++) {
        const bits = rows[r]!;
        if (!bits) continue;
        for (let c = 0; c < 5; c++) {
          if (!(bits & (16 >> c))) continue;
          const grow = (weight - 1) * pw * 0.5;
          fillRectAlpha(t, x + c * pw - grow, y + r * ph - grow, pw + 2 * grow, ph + 2 * grow, alpha);
        }
      }
    }
    x += adv;
  }
  return x;
}

export function textWidth(text: string, h: number, widthScale = 1): number {
  return (h / 7) * widthScale * 6 * [...text].length;
}

/** Fill an axis-aligned rectangle with exact area coverage (max-combined with what is there). */
export function fillRectAlpha(t: AlphaTarget, x0: number, y0: number, w: number, h: number, alpha = 1): void {
  const x1 = x0 + w, y1 = y0 + h;
  const xa = Math.max(0, Math.floor(x0)), xb = Math.min(t.width, Math.ceil(x1));
  const ya = Math.max(0, Math.floor(y0)), yb = Math.min(t.height, Math.ceil(y1));
  for (let y = ya; y < yb; y++) {
    const cy = Math.min(y + 1, y1) - Math.max(y, y0);
    if (cy <= 0) continue;
    for (let x = xa; x < xb; x++) {
      const cx = Math.min(x + 1, x1) - Math.max(x, x0);
      if (cx <= 0) continue;
      const a = cx * cy * alpha, i = y * t.width + x;
      if (a > t.data[i]!) t.data[i] = a > 1 ? 1 : a;
    }
  }
}

/** Random "words" of glyphs, like print seen from a distance. */
export function randomWords(rng: Rng, minChars: number, maxChars: number, alphabet = WORD_CHARS): string {
  const n = rng.int(minChars, maxChars);
  let s = "";
  let word = rng.int(2, 8);
  for (let i = 0; i < n; i++) {
    if (word === 0) { s += " "; word = rng.int(2, 9); continue; }
    s += alphabet[rng.int(0, alphabet.length - 1)];
    word--;
  }
  return s;
}

/** A block of text lines in [x, x + w] x [y, y + h]: paragraphs of random words. */
export function textBlock(rng: Rng, t: AlphaTarget, x: number, y: number, w: number, h: number, size: number, alpha = 1): void {
  const line = size * Math.max(1.25, rng.range(1.3, 1.9)), ws = rng.range(0.75, 1.05), weight = rng.range(0.8, 1.3);
  for (let yy = y; yy + size <= y + h; yy += line) {
    const chars = Math.floor(w / ((size / 7) * ws * 6));
    const n = rng.chance(0.2) ? rng.int(Math.floor(chars * 0.2), chars) : chars;
    if (n <= 0) continue;
    drawText(t, randomWords(rng, Math.max(1, n - 3), n), x, yy, size, alpha, ws, weight);
  }
}
