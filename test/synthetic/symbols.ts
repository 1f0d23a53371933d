/**
 * Symbologies the generator draws: random content, the text zxing-cpp reports for it (default HRI text
 * mode), and the module bitmap from bwip-js `raw()` (we draw the modules ourselves so that the symbol's
 * extent, and hence the ground-truth box, is known exactly).
 */
import bwipjs from "bwip-js";
import type { Rng } from "./prng.js";

export type Symbology =
  | "QRCode" | "DataMatrix" | "Aztec" | "PDF417"
  | "EAN13" | "UPCA" | "EAN8" | "Code128" | "Code39" | "ITF" | "Codabar";

export const LINEAR: readonly Symbology[] = ["EAN13", "UPCA", "EAN8", "Code128", "Code39", "ITF", "Codabar"];
export const MATRIX: readonly Symbology[] = ["QRCode", "DataMatrix", "Aztec", "PDF417"];
export const ALL_SYMBOLOGIES: readonly Symbology[] = [...MATRIX, ...LINEAR];

/** A symbol as a grid of modules: `rows` rows of `cols` modules, each row `rowHeight` modules tall. */
export interface SymbolBitmap {
  readonly symbology: Symbology;
  /** Expected decoded text, as zxing-cpp reports it with default options. */
  readonly text: string;
  readonly cols: number;
  readonly rows: number;
  readonly rowHeight: number;
  /** 1 = dark module, row-major, cols * rows. */
  readonly dark: Uint8Array;
  /** Quiet zone, in modules, on every side. */
  readonly quiet: number;
  readonly linear: boolean;
}

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

function randomString(rng: Rng, alphabet: string, min: number, max: number): string {
  const n = rng.int(min, max);
  let s = "";
  for (let i = 0; i < n; i++) s += alphabet[rng.int(0, alphabet.length - 1)];
  return s;
}

function digits(rng: Rng, n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += String(rng.int(0, 9));
  return s;
}

/** GS1 mod-10 check digit (EAN/UPC/ITF-14): weights 3,1,3,... from the right. */
export function gs1Check(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const d = body.charCodeAt(body.length - 1 - i) - 48;
    sum += i % 2 === 0 ? d * 3 : d;
  }
  return String((10 - (sum % 10)) % 10);
}

/** Random content: [text passed to bwip-js, expected text]. */
function content(sym: Symbology, rng: Rng): [string, string] {
  switch (sym) {
    case "QRCode": {
      const s = rng.chance(0.4)
        ? `https://ex.am/${randomString(rng, ALNUM, 4, 24)}`
        : `${randomString(rng, ALNUM, 3, 12)} ${randomString(rng, ALNUM, 3, 30)}`;
      return [s, s];
    }
    case "DataMatrix":
    case "Aztec":
    case "PDF417": {
      const s = `${randomString(rng, ALNUM, 3, 10)}-${randomString(rng, ALNUM, 3, 20)}`;
      return [s, s];
    }
    case "EAN13": {
      const b = digits(rng, 12);
      return [b, b + gs1Check(b)];
    }
    case "UPCA": {
      const b = digits(rng, 11);
      return [b, `0${b}${gs1Check(b)}`]; // zxing-cpp reports UPC-A as EAN-13 with a leading 0
    }
    case "EAN8": {
      const b = digits(rng, 7);
      return [b, b + gs1Check(b)];
    }
    case "Code128": {
      const s = randomString(rng, ALNUM, 6, 14);
      return [s, s];
    }
    case "Code39": {
      const s = `${randomString(rng, UPPER, 3, 6)}-${randomString(rng, UPPER, 2, 5)}`;
      return [s, s];
    }
    case "ITF": {
      const b = digits(rng, 13);
      return [b + gs1Check(b), b + gs1Check(b)];
    }
    case "Codabar": {
      // zxing-cpp includes the start/stop characters in the text.
      const s = `${rng.pick(["A", "B", "C", "D"])}${digits(rng, rng.int(6, 12))}${rng.pick(["A", "B", "C", "D"])}`;
      return [s, s];
    }
  }
}

const BCID: Record<Symbology, string> = {
  QRCode: "qrcode", DataMatrix: "datamatrix", Aztec: "azteccode", PDF417: "pdf417",
  EAN13: "ean13", UPCA: "upca", EAN8: "ean8", Code128: "code128", Code39: "code39",
  ITF: "interleaved2of5", Codabar: "rationalizedCodabar",
};

interface RawMatrix { pixs: number[]; pixx: number; pixy: number }
interface RawLinear { sbs: number[] }

/** Build a random symbol of the given symbology. */
export function makeSymbol(sym: Symbology, rng: Rng): SymbolBitmap {
  const [input, text] = content(sym, rng);
  const raw = bwipjs.raw(BCID[sym], input, {})[0] as unknown as RawMatrix | RawLinear;
  if ("sbs" in raw) {
    const cols = raw.sbs.reduce((a, b) => a + b, 0);
    const dark = new Uint8Array(cols);
    let x = 0;
    raw.sbs.forEach((w, i) => {
      if (i % 2 === 0) dark.fill(1, x, x + w); // sbs alternates bar, space, bar, ...
      x += w;
    });
    // Bar height: 15-35 % of the width, at least 20 modules (typical printed labels).
    const rowHeight = Math.max(20, Math.round(cols * rng.range(0.15, 0.35)));
    return { symbology: sym, text, cols, rows: 1, rowHeight, dark, quiet: 10, linear: true };
  }
  const rows = raw.pixs.length / raw.pixx;
  const dark = Uint8Array.from(raw.pixs, (v) => (v ? 1 : 0));
  const quiet = sym === "PDF417" ? 2 : sym === "QRCode" ? 4 : 2;
  return { symbology: sym, text, cols: raw.pixx, rows, rowHeight: raw.pixy / rows, dark, quiet, linear: false };
}

/** Symbol size in modules, quiet zone excluded. */
export function symbolSize(s: SymbolBitmap): { w: number; h: number } {
  return { w: s.cols, h: s.rows * s.rowHeight };
}
