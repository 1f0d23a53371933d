/**
 * Grouping finder candidates into (top-left, top-right, bottom-left) triples: similar module sizes, two
 * sides of similar length in modules meeting at roughly a right angle (tolerant: perspective), and the
 * dimension the side lengths imply. Orientation from the sign of the cross product (a mirrored symbol comes
 * out transposed, which zxing reads as mirrored).
 */
import type { Pt } from "./homography.js";
import type { FinderCandidate } from "./finder-scan.js";

export interface FinderTriple {
  tl: FinderCandidate;
  tr: FinderCandidate;
  bl: FinderCandidate;
  /** Dimension (modules per side) the finder distances imply, not rounded. */
  dim: number;
  score: number;
  /** A two-finder hypothesis's start from the finders' outlines (finder-outline.ts): the four anchors for a
   * symbol of `dim` modules, or null. */
  anchorsFor?: (dim: number) => Pt[] | null;
}

const MAX_FINDERS = 24;

export function groupTriples(finders: readonly FinderCandidate[], maxTriples = 12): FinderTriple[] {
  // A real finder is hit on several rows and windows; single hits are texture.
  const f = finders.filter((c) => c.count >= 2).slice(0, MAX_FINDERS);
  const out: FinderTriple[] = [];
  for (let i = 0; i < f.length; i++) {
    for (let j = i + 1; j < f.length; j++) {
      for (let k = j + 1; k < f.length; k++) {
        const t = bestTriple(f[i]!, f[j]!, f[k]!);
        if (t) out.push(t);
      }
    }
  }
  out.sort((a, b) => b.score - a.score);
  // Prefer triples that share no finder with a better one; keep the others after them.
  const used = new Set<FinderCandidate>(), first: FinderTriple[] = [], rest: FinderTriple[] = [];
  for (const t of out) {
    if (used.has(t.tl) || used.has(t.tr) || used.has(t.bl)) rest.push(t);
    else { first.push(t); used.add(t.tl); used.add(t.tr); used.add(t.bl); }
  }
  return first.concat(rest).slice(0, maxTriples);
}

function bestTriple(a: FinderCandidate, b: FinderCandidate, c: FinderCandidate): FinderTriple | null {
  if (a.dark !== b.dark || a.dark !== c.dark) return null;
  const ms = [a.module, b.module, c.module];
  const mMax = Math.max(...ms), mMin = Math.min(...ms);
  if (mMax > 2.5 * mMin) return null;
  let best: FinderTriple | null = null;
  for (const [tl, p, q] of [[a, b, c], [b, a, c], [c, a, b]] as const) {
    const ux = p.x - tl.x, uy = p.y - tl.y, vx = q.x - tl.x, vy = q.y - tl.y;
    const lu = Math.hypot(ux, uy), lv = Math.hypot(vx, vy);
    if (lu < 1e-6 || lv < 1e-6) continue;
    const cos = (ux * vx + uy * vy) / (lu * lv);
    if (Math.abs(cos) > 0.6) continue; // 53°..127°
    // Sides in modules (each side measured with the mean module of its two ends).
    const nu = lu / ((tl.module + p.module) / 2), nv = lv / ((tl.module + q.module) / 2);
    if (nu < 10 || nv < 10 || nu > 190 || nv > 190) continue;
    const ratio = Math.max(nu, nv) / Math.min(nu, nv);
    if (ratio > 1.8) continue;
    const cross = ux * vy - uy * vx;
    const [tr, bl] = cross > 0 ? [p, q] : [q, p];
    const dim = (nu + nv) / 2 + 7;
    // Evidence of the three finders, discounted for skew, unequal sides and unequal modules.
    const evidence = Math.log1p(tl.count) + Math.log1p(tr.count) + Math.log1p(bl.count);
    const score = evidence * (1 - Math.abs(cos)) / ratio / Math.sqrt(mMax / mMin);
    if (!best || score > best.score) best = { tl, tr, bl, dim, score };
  }
  return best;
}
