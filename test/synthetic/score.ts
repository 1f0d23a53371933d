/**
 * Scoring one reader's output against the truth of one image, and aggregating per group.
 * Shared by bench/codes.ts and test/codes-synthetic.test.ts.
 */
import { iou, type Box } from "./geometry.js";
import type { FoundCode } from "./zxing.js";

export interface Truth {
  /** Expected codes; `null` = unlabelled (count what is found, skip recall and precision). */
  readonly codes: readonly { text: string; box?: Box }[] | null;
  /** An image with no code at all: anything found is a false positive. */
  readonly negative: boolean;
}

export interface ImageScore {
  expected: number;
  matched: number;
  /** Results returned on labelled and negative images (denominator of precision). */
  found: number;
  /** Of those, results that match an expected code (duplicates and misreads do not). */
  correct: number;
  boxChecked: number;
  boxOk: number;
  falsePositives: number;
}

/** Map Unicode control pictures (zxing's HRI text mode) back to control characters. */
function unpicture(s: string): string {
  return s.replace(/[\u2400-\u241f]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x2400));
}

/** UPC-E (8 digits: number system, 6 digits, check) expanded to its 12-digit UPC-A. */
export function upceToUpca(e: string): string | undefined {
  if (!/^[01]\d{7}$/.test(e)) return undefined;
  const d = e.slice(1, 7), last = d[5]!;
  const body = last <= "2" ? `${d.slice(0, 2)}${last}0000${d.slice(2, 5)}`
    : last === "3" ? `${d.slice(0, 3)}00000${d.slice(3, 5)}`
    : last === "4" ? `${d.slice(0, 4)}00000${d[4]}`
    : `${d.slice(0, 5)}0000${last}`;
  return `${e[0]}${body}${e[7]}`;
}

/**
 * Same content, forgiving only presentation differences between readers and versions: UPC-A as 12 digits
 * or as EAN-13 with a leading 0, UPC-E as 8 digits or expanded, Codabar with or without its start/stop
 * characters, GS1 AI parentheses vs. GS separators (and DataBar without its 01 AI), control pictures vs.
 * control characters, CR LF vs. LF (the dataset's .txt files hold LF where QR codes encode CR LF), and an EAN
 * add-on reported after a space, or not at all (default reader options ignore add-ons; the dataset's
 * expected texts were made with add-on reading on: "<13 digits><add-on>").
 */
export function sameContent(expected: string, got: string): boolean {
  if (expected === got) return true;
  const canon = (s: string): string => {
    // Control characters (GS1 and MaxiCode separators, RS/EOT of ISO 15434 messages) are framing, not content.
    const t = unpicture(s).replace(/\r\n/g, "\n").replace(/[()\x00-\x09\x0b-\x1f]/g, "").trim();
    const upca = upceToUpca(t) ?? (/^\d{12}$/.test(t) ? t : undefined);
    return upca ? `0${upca}` : t;
  };
  const e = canon(expected), g = canon(got);
  if (e === g) return true;
  if (/^[A-D].+[A-D]$/.test(e) && e.slice(1, -1) === g) return true; // Codabar start/stop stripped
  if (/^[A-HJ-NPR-Z0-9]{17}$/.test(e) && g === `I${e}`) return true; // a VIN without the import marker "I" its Code 39 carries
  if (/^01\d{14}$/.test(e) && e.slice(2) === g) return true; // DataBar GTIN without its "(01)" AI
  if (/^\d{15}$|^\d{18}$/.test(e) && /^\d{13}( \d{2}| \d{5})?$/.test(g)) {
    return g.replace(" ", "") === e || (!g.includes(" ") && e.startsWith(g)); // EAN-13 + add-on
  }
  return false;
}

export function scoreImage(truth: Truth, found: readonly FoundCode[]): ImageScore {
  const s: ImageScore = { expected: 0, matched: 0, found: 0, correct: 0, boxChecked: 0, boxOk: 0, falsePositives: 0 };
  if (truth.negative) {
    s.found = found.length;
    s.falsePositives = found.length;
    return s;
  }
  if (truth.codes === null) return s;
  s.expected = truth.codes.length;
  s.found = found.length;
  const used = new Set<number>();
  for (const code of truth.codes) {
    let best = -1, bestIou = -1;
    found.forEach((f, i) => {
      if (used.has(i) || !sameContent(code.text, f.text)) return;
      const v = code.box && f.box ? iou(code.box, f.box) : 0;
      if (v > bestIou) { best = i; bestIou = v; }
    });
    if (best < 0) continue;
    used.add(best);
    s.matched++;
    if (code.box && found[best]!.box) {
      s.boxChecked++;
      if (bestIou >= 0.5) s.boxOk++;
    }
  }
  s.correct = used.size;
  return s;
}

export interface GroupStats extends ImageScore {
  images: number;
  negatives: number;
  negativesWithFp: number;
  errors: number;
  ms: number[];
}

export function emptyGroup(): GroupStats {
  return { images: 0, negatives: 0, negativesWithFp: 0, errors: 0, ms: [], expected: 0, matched: 0, found: 0, correct: 0, boxChecked: 0, boxOk: 0, falsePositives: 0 };
}

export function addToGroup(g: GroupStats, truth: Truth, s: ImageScore, ms: number, error: boolean): void {
  g.images++;
  if (truth.negative) { g.negatives++; if (s.falsePositives > 0) g.negativesWithFp++; }
  if (error) g.errors++;
  g.ms.push(ms);
  g.expected += s.expected; g.matched += s.matched; g.found += s.found; g.correct += s.correct;
  g.boxChecked += s.boxChecked; g.boxOk += s.boxOk; g.falsePositives += s.falsePositives;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export const recall = (g: GroupStats): number => (g.expected ? g.matched / g.expected : NaN);
/** Over labelled and negative images; unlabelled ones cannot say what is wrong. */
export const precision = (g: GroupStats): number => (g.found ? (g.correct) / g.found : NaN);
export const boxRate = (g: GroupStats): number => (g.boxChecked ? g.boxOk / g.boxChecked : NaN);
