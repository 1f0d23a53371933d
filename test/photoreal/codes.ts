/**
 * Symbols for the photo-realistic generator: realistic content (URLs, Wi-Fi and vCard payloads, serials,
 * GTINs), QR codes of a chosen version and EC level, and module bitmaps for every symbology. QR codes come
 * from the `qrcode` package (10-20x faster than bwip-js for large versions), the rest from bwip-js `raw()`.
 * The expected `text` is what zxing-cpp reports in the Plain text mode.
 */
import bwipjs from "bwip-js";
import QRCode from "qrcode";
import type { Rng } from "../synthetic/prng.js";
import { gs1Check, type Symbology, type SymbolBitmap } from "../synthetic/symbols.js";

export type { Symbology };
export type EcLevel = "L" | "M" | "Q" | "H";

export const LINEAR_SYMS: readonly Symbology[] = ["EAN13", "UPCA", "EAN8", "Code128", "Code39", "ITF", "Codabar"];
export const MATRIX_SYMS: readonly Symbology[] = ["QRCode", "DataMatrix", "Aztec", "PDF417"];
export const NON_QR: readonly Symbology[] = ["DataMatrix", "Aztec", "PDF417", ...LINEAR_SYMS];

/** A symbol as modules (synthetic/symbols.ts SymbolBitmap; 1D: one row), its dark modules already mirrored when
 * `mirrored`, its quiet zone kept free of print by the label. */
export interface PhotoSymbol extends SymbolBitmap {
  readonly mirrored: boolean;
  /** Human-readable line printed under 1D bars (digits for EAN/UPC), if any. */
  readonly hri?: string;
  readonly qrVersion?: number;
  readonly ecLevel?: EcLevel;
}

/** Symbol width and height in modules (quiet zone excluded). */
export function symbolDims(s: PhotoSymbol): { w: number; h: number } {
  return { w: s.cols, h: s.rows * s.rowHeight };
}

// QR byte-mode capacity (characters) for versions 1..40 at L, M, Q, H.
const QR_BYTES: readonly (readonly [number, number, number, number])[] = [
  [17, 14, 11, 7], [32, 26, 20, 14], [53, 42, 32, 24], [78, 62, 46, 34], [106, 84, 60, 44], [134, 106, 74, 58],
  [154, 122, 86, 64], [192, 152, 108, 84], [230, 180, 130, 98], [271, 213, 151, 119], [321, 251, 177, 137],
  [367, 287, 203, 155], [425, 331, 241, 177], [458, 362, 258, 194], [520, 412, 292, 220], [586, 450, 322, 250],
  [644, 504, 364, 280], [718, 560, 394, 310], [792, 624, 442, 338], [858, 666, 482, 382], [929, 711, 509, 403],
  [1003, 779, 565, 439], [1091, 857, 611, 461], [1171, 911, 661, 511], [1273, 997, 715, 535], [1367, 1059, 751, 593],
  [1465, 1125, 805, 625], [1528, 1190, 868, 658], [1628, 1264, 908, 698], [1732, 1370, 982, 742], [1840, 1452, 1030, 790],
  [1952, 1538, 1112, 842], [2068, 1628, 1168, 898], [2188, 1722, 1228, 958], [2303, 1809, 1283, 983], [2431, 1911, 1351, 1051],
  [2563, 1989, 1423, 1093], [2699, 2099, 1499, 1139], [2809, 2213, 1579, 1219], [2953, 2331, 1663, 1273],
];
const EC_INDEX: Record<EcLevel, number> = { L: 0, M: 1, Q: 2, H: 3 };

export function qrCapacity(version: number, ec: EcLevel): number {
  return QR_BYTES[version - 1]![EC_INDEX[ec]]!;
}

const LOWER = "abcdefghijklmnopqrstuvwxyz";
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const UPPER_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const WORDS = [
  "order", "ticket", "scan", "menu", "table", "parcel", "return", "invoice", "batch", "lot", "serial", "device", "asset",
  "room", "gate", "seat", "event", "coupon", "offer", "product", "manual", "support", "warranty", "register", "pay",
  "the", "and", "for", "your", "with", "this", "please", "thank", "you", "visit", "our", "store", "online", "today",
];
const HOSTS = ["example.com", "shop.example.org", "ex.am", "qr.example.net", "go.example.io", "pay.example.co", "t.example.de", "menu.example.fr"];

function str(rng: Rng, alphabet: string, n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += alphabet[rng.int(0, alphabet.length - 1)];
  return s;
}
const digits = (rng: Rng, n: number): string => str(rng, "0123456789", n);
const words = (rng: Rng, n: number): string => Array.from({ length: n }, () => rng.pick(WORDS)).join(" ");

/** A realistic payload of about `target` characters (ASCII only: no charset guessing in the expected text). */
export function payload(rng: Rng, target: number): string {
  // Tiny capacities (QR version 1 at EC H holds 7 bytes): a random code, not a truncated URL.
  if (target < 14) return rng.chance(0.5) ? digits(rng, Math.max(4, target)) : str(rng, UPPER_DIGITS, Math.max(4, target));
  const kind = rng.pick(["url", "url", "url", "short-url", "text", "wifi", "vcard", "id", "json"] as const);
  let s: string;
  switch (kind) {
    case "short-url": s = `https://${rng.pick(["bit.ly", "t.co", "ex.am", "qr.io"])}/${str(rng, ALNUM, rng.int(5, 9))}`; break;
    case "url": {
      s = `${rng.chance(0.85) ? "https" : "http"}://${rng.chance(0.3) ? "www." : ""}${rng.pick(HOSTS)}/${str(rng, LOWER, rng.int(2, 8))}`;
      while (s.length < target) {
        s += rng.chance(0.5) ? `/${str(rng, ALNUM, rng.int(3, 12))}` : `${s.includes("?") ? "&" : "?"}${str(rng, LOWER, rng.int(2, 6))}=${str(rng, ALNUM, rng.int(3, 16))}`;
      }
      break;
    }
    case "text": {
      s = words(rng, 3);
      s = s[0]!.toUpperCase() + s.slice(1);
      while (s.length < target) s += rng.chance(0.15) ? `. ${words(rng, 2)}` : ` ${rng.pick(WORDS)}`;
      break;
    }
    case "wifi": s = `WIFI:T:WPA;S:${str(rng, ALNUM, rng.int(4, 12))};P:${str(rng, ALNUM, rng.int(8, 20))};;`; break;
    case "vcard": {
      s = `BEGIN:VCARD\nVERSION:3.0\nN:${str(rng, LOWER, rng.int(3, 9))};${str(rng, LOWER, rng.int(3, 8))}\nTEL:+${digits(rng, 11)}\nEMAIL:${str(rng, LOWER, rng.int(3, 8))}@${rng.pick(HOSTS)}\n`;
      while (s.length < target - 10) s += `NOTE:${words(rng, rng.int(2, 6))}\n`;
      s += "END:VCARD";
      break;
    }
    case "id": s = rng.chance(0.5) ? digits(rng, Math.max(4, target)) : `${str(rng, UPPER_DIGITS, 3)}-${str(rng, UPPER_DIGITS, Math.max(3, target - 4))}`; break;
    case "json": {
      s = `{"id":"${str(rng, ALNUM, 8)}","sku":${digits(rng, 6)}`;
      while (s.length < target - 1) s += `,"${str(rng, LOWER, rng.int(2, 6))}":"${str(rng, ALNUM, rng.int(2, 12))}"`;
      s += "}";
      break;
    }
  }
  return s.length > target + 4 && kind !== "vcard" && kind !== "json" ? s.slice(0, Math.max(target, 8)) : s;
}

export interface QrOptions {
  readonly version: number;
  readonly ec: EcLevel;
  /** Fraction of the version's byte capacity to fill (the encoder may pick a smaller mode; version is forced). */
  readonly fill: number;
}

export function makeQr(rng: Rng, o: QrOptions, mirrored = false): PhotoSymbol {
  const cap = qrCapacity(o.version, o.ec);
  let target = Math.max(4, Math.floor(cap * o.fill));
  let text = payload(rng, target);
  for (let attempt = 0; ; attempt++) {
    if (text.length > cap) text = text.slice(0, cap);
    try {
      const q = QRCode.create(text, { version: o.version, errorCorrectionLevel: o.ec });
      const n = q.modules.size;
      const dark = new Uint8Array(n * n);
      for (let i = 0; i < n * n; i++) dark[i] = q.modules.data[i] ? 1 : 0;
      return {
        symbology: "QRCode", text, cols: n, rows: n, rowHeight: 1, dark: mirrored ? mirror(dark, n, n) : dark,
        quiet: 4, linear: false, mirrored, qrVersion: o.version, ecLevel: o.ec,
      };
    } catch (e) {
      if (attempt >= 6) throw e;
      target = Math.max(4, Math.floor(target * 0.8));
      text = text.slice(0, target);
    }
  }
}

/** QR version 1..25 weighted towards the small versions most printed codes use; EC L/M/Q/H. */
export function randomQrOptions(rng: Rng, versions: [number, number] = [1, 25], ecs: readonly EcLevel[] = ["L", "M", "M", "Q", "H"]): QrOptions {
  const [lo, hi] = versions;
  const version = lo + Math.floor((hi - lo + 1) * rng.next() ** 1.6);
  return { version: Math.min(hi, version), ec: rng.pick(ecs), fill: rng.range(0.45, 1) };
}

function mirror(dark: Uint8Array, cols: number, rows: number): Uint8Array {
  const out = new Uint8Array(dark.length);
  for (let y = 0; y < rows; y++) for (let x = 0; x < cols; x++) out[y * cols + (cols - 1 - x)] = dark[y * cols + x]!;
  return out;
}

interface RawMatrix { pixs: number[]; pixx: number; pixy: number }
interface RawLinear { sbs: number[] }
type BwipOpts = Record<string, string | number | boolean>;

function bwipRaw(bcid: string, text: string, opts: BwipOpts): RawMatrix | RawLinear {
  return bwipjs.raw(bcid, text, opts as never)[0] as unknown as RawMatrix | RawLinear;
}

function matrixSymbol(sym: Symbology, text: string, raw: RawMatrix, quiet: number, mirrored: boolean): PhotoSymbol {
  const rows = raw.pixs.length / raw.pixx;
  const rowHeight = raw.pixy / rows;
  let dark: Uint8Array = Uint8Array.from(raw.pixs, (v) => (v ? 1 : 0));
  if (mirrored) dark = mirror(dark, raw.pixx, rows);
  return { symbology: sym, text, cols: raw.pixx, rows, rowHeight, dark, quiet, linear: false, mirrored };
}

function linearSymbol(sym: Symbology, text: string, raw: RawLinear, rng: Rng, hri: string | undefined): PhotoSymbol {
  const cols = raw.sbs.reduce((a, b) => a + b, 0);
  const dark = new Uint8Array(cols);
  let x = 0;
  raw.sbs.forEach((w, i) => {
    if (i % 2 === 0) dark.fill(1, x, x + w);
    x += w;
  });
  // Bar height relative to the width: EAN/UPC are tall (nominal ~0.7), logistics labels flatter.
  const retail = sym === "EAN13" || sym === "UPCA" || sym === "EAN8";
  const ratio = retail ? rng.range(0.4, 0.8) : rng.range(0.15, 0.5);
  const rowHeight = Math.max(15, Math.round(cols * ratio));
  return { symbology: sym, text, cols, rows: 1, rowHeight, dark, quiet: rng.int(8, 12), linear: true, mirrored: false, ...(hri ? { hri } : {}) };
}

/** A random symbol of `sym`. `mirrored` applies to 2D symbologies only. `ec` restricts QR's EC levels. */
export function makePhotoSymbol(sym: Symbology, rng: Rng, opts: { mirrored?: boolean; qr?: QrOptions } = {}): PhotoSymbol {
  const mirrored = !!opts.mirrored;
  switch (sym) {
    case "QRCode": {
      const s = makeQr(rng, opts.qr ?? randomQrOptions(rng), mirrored);
      return { ...s, quiet: rng.pick([2, 3, 4, 4, 4]) };
    }
    case "DataMatrix": {
      const text = rng.chance(0.5) ? `${str(rng, UPPER_DIGITS, rng.int(2, 4))}${digits(rng, rng.int(4, 16))}` : payload(rng, rng.int(6, 90));
      const o: BwipOpts = rng.chance(0.15) && text.length < 40 ? { format: "rectangle" } : {};
      return matrixSymbol(sym, text, bwipRaw("datamatrix", text, o) as RawMatrix, rng.int(1, 3), mirrored);
    }
    case "Aztec": {
      const text = payload(rng, rng.int(6, 120));
      return matrixSymbol(sym, text, bwipRaw("azteccode", text, { eclevel: rng.int(15, 45) }) as RawMatrix, rng.int(1, 3), mirrored);
    }
    case "PDF417": {
      const text = rng.chance(0.5) ? payload(rng, rng.int(10, 120)) : `${str(rng, UPPER_DIGITS, 6)}-${digits(rng, rng.int(6, 20))}`;
      const raw = bwipRaw("pdf417", text, { columns: rng.int(2, 6), eclevel: rng.int(2, 5), rowmult: rng.int(2, 4) }) as RawMatrix;
      return matrixSymbol(sym, text, raw, 2, false);
    }
    case "EAN13": {
      const b = digits(rng, 12), t = b + gs1Check(b);
      return linearSymbol(sym, t, bwipRaw("ean13", b, {}) as RawLinear, rng, t);
    }
    case "UPCA": {
      const b = digits(rng, 11), t = b + gs1Check(b);
      // zxing-cpp reports UPC-A as 13 digits with a leading 0 (as test/synthetic does).
      return linearSymbol(sym, `0${t}`, bwipRaw("upca", b, {}) as RawLinear, rng, t);
    }
    case "EAN8": {
      const b = digits(rng, 7), t = b + gs1Check(b);
      return linearSymbol(sym, t, bwipRaw("ean8", b, {}) as RawLinear, rng, t);
    }
    case "Code128": {
      const r = rng.next();
      const text = r < 0.35 ? digits(rng, 2 * rng.int(5, 10)) : r < 0.7 ? `${str(rng, UPPER_DIGITS, rng.int(2, 4))}${digits(rng, rng.int(6, 12))}` : str(rng, ALNUM, rng.int(5, 16));
      return linearSymbol(sym, text, bwipRaw("code128", text, {}) as RawLinear, rng, text);
    }
    case "Code39": {
      let text = `${str(rng, UPPER_DIGITS, rng.int(2, 6))}${rng.pick(["-", ".", "", " "])}${str(rng, UPPER_DIGITS, rng.int(2, 6))}`.trim();
      // zxing-cpp reports a 6-character Code 39 whose check works out as Code 32 (Italian pharmacode): avoid 6.
      if (text.length === 6) text += str(rng, UPPER_DIGITS, 1);
      return linearSymbol(sym, text, bwipRaw("code39", text, {}) as RawLinear, rng, text);
    }
    case "ITF": {
      let text: string;
      if (rng.chance(0.5)) { const b = digits(rng, 13); text = b + gs1Check(b); } // ITF-14
      else text = digits(rng, 2 * rng.int(3, 8));
      return linearSymbol(sym, text, bwipRaw("interleaved2of5", text, {}) as RawLinear, rng, text);
    }
    case "Codabar": {
      const text = `${rng.pick(["A", "B", "C", "D"])}${str(rng, "0123456789", rng.int(5, 12))}${rng.chance(0.3) ? rng.pick(["-", "$", ".", "/"]) + digits(rng, 2) : ""}${rng.pick(["A", "B", "C", "D"])}`;
      return linearSymbol(sym, text, bwipRaw("rationalizedCodabar", text, {}) as RawLinear, rng, text);
    }
  }
}

/** QR with probability `qrShare`, else one of the others uniformly (optionally from a restricted list). */
export function pickSymbology(rng: Rng, qrShare = 0.6, others: readonly Symbology[] = NON_QR): Symbology {
  return rng.chance(qrShare) ? "QRCode" : rng.pick(others);
}
