/**
 * Judging one reader's results on one item: which expected codes it found (text or payload bytes, forgiving only
 * presentation: score.ts sameContent), which results are misreads (a text that matches no code in the image;
 * every result on an image without codes), and which of another reader's finds it lacks ("never below plain").
 */
import { iou, type Box } from "../synthetic/geometry.js";
import { sameContent } from "../synthetic/score.js";
import type { ExpectedCode, ItemTruth } from "./items.js";

export interface Read {
  readonly text: string;
  /** Raw payload, where the reader gives it (binary samples are compared by it). */
  readonly bytes?: Uint8Array;
  readonly format: string;
  readonly box?: Box;
}

export interface Verdict {
  /** Expected codes (0 on negatives and unlabelled images). */
  expected: number;
  /** Expected codes found. */
  matched: number;
  /** Of the matched codes with a box on both sides, those with IoU ≥ 0.5. */
  boxChecked: number;
  boxOk: number;
  /** Results whose content matches no code of the image (all results on a negative). */
  misreads: number;
  /** Indexes of the expected codes found. */
  found: Set<number>;
  /** The misread results themselves (for reports). */
  wrong: Read[];
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Does a result carry this expected code? */
export function matches(code: ExpectedCode, r: Read): boolean {
  if (code.bytes) return r.bytes !== undefined && bytesEqual(code.bytes, r.bytes);
  if (sameContent(code.text, r.text)) return true;
  if (!r.bytes) return false;
  // A payload in another character set than the reader's text decoding assumed.
  return sameContent(code.text, Buffer.from(r.bytes).toString("utf8")) || sameContent(code.text, Buffer.from(r.bytes).toString("latin1"));
}

export function judge(truth: ItemTruth, reads: readonly Read[]): Verdict {
  const v: Verdict = { expected: 0, matched: 0, boxChecked: 0, boxOk: 0, misreads: 0, found: new Set(), wrong: [] };
  if (truth.negative) {
    v.misreads = reads.length;
    v.wrong = [...reads];
    return v;
  }
  if (truth.codes === null) return v;
  v.expected = truth.codes.length;
  // Each expected code takes the unused result that matches it best (by box where both have one): two labels
  // with the same text are two codes and need two results.
  const used = new Set<number>();
  truth.codes.forEach((code, k) => {
    let best = -1, bestIou = -1;
    reads.forEach((r, i) => {
      if (used.has(i) || !matches(code, r)) return;
      const o = code.box && r.box ? iou(code.box, r.box) : 0;
      if (o > bestIou) { best = i; bestIou = o; }
    });
    if (best < 0) return;
    used.add(best);
    v.found.add(k);
    v.matched++;
    if (code.box && reads[best]!.box) {
      v.boxChecked++;
      if (bestIou >= 0.5) v.boxOk++;
    }
  });
  // A result that repeats a found code is a duplicate, not a misread.
  for (const r of reads) {
    if (!truth.codes.some((c) => matches(c, r))) { v.misreads++; v.wrong.push(r); }
  }
  return v;
}

/**
 * The codes `peer` found that `ours` did not: on a labelled image, expected codes the peer matched and we did
 * not; on an unlabelled one, peer results whose content none of ours has. A peer's misreads are not codes.
 */
export function missedAgainst(truth: ItemTruth, ours: readonly Read[], peer: readonly Read[]): string[] {
  if (truth.negative) return [];
  if (truth.codes !== null) {
    const a = judge(truth, ours), b = judge(truth, peer);
    return [...b.found].filter((k) => !a.found.has(k)).map((k) => truth.codes![k]!.text || "(binary)");
  }
  const same = (x: Read, y: Read) => sameContent(x.text, y.text) || sameContent(y.text, x.text) || (x.bytes && y.bytes ? bytesEqual(x.bytes, y.bytes) : false);
  const left = [...ours];
  const missed: string[] = [];
  for (const p of peer) {
    const i = left.findIndex((o) => same(o, p));
    if (i >= 0) left.splice(i, 1);
    else missed.push(`${p.format}:${p.text}`);
  }
  return missed;
}
