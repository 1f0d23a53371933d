/**
 * The two-finder fallback: a symbol whose third finder is glared out, stained or torn off still has two
 * finders, and a square symbol puts the third where the two imply. For a pair of similar finders, the third is
 * hypothesised at each place the square allows (the pair as a side, either finder the corner, either side of
 * it; or the pair as the diagonal, the corner either side), each hypothesis made a triple for the usual fit,
 * which ranks it by how well the version's other function patterns (the two finders, timing, alignment)
 * match; the fit's pattern search then moves the hypothesised finder onto the grid.
 */
import type { GrayImage } from "../zxing.js";
import { finderCorners, pairHomography, through } from "./finder-outline.js";
import type { FinderCandidate } from "./finder-scan.js";
import { anchorsOf } from "./grid-fit.js";
import type { Mat3, Pt } from "./homography.js";
import type { FinderTriple } from "./triples.js";

/** Finders (best evidence first) paired. */
const MAX_PAIR_FINDERS = 6;

/** With `img`, each side hypothesis also starts from the homography of the two finders' outlines
 * (finder-outline.ts), which carries the perspective a right-angle guess misses. */
export function pairTriples(finders: readonly FinderCandidate[], img?: GrayImage): FinderTriple[] {
  const f = finders.filter((c) => c.count >= 2).slice(0, MAX_PAIR_FINDERS);
  const out: FinderTriple[] = [];
  const outlines = new Map<FinderCandidate, Pt[] | null>();
  const outline = (c: FinderCandidate): Pt[] | null => {
    if (!outlines.has(c)) outlines.set(c, img ? finderCorners(img, c) : null);
    return outlines.get(c)!;
  };
  for (let i = 0; i < f.length; i++) {
    for (let j = i + 1; j < f.length; j++) {
      const a = f[i]!, b = f[j]!;
      if (a.dark !== b.dark || Math.max(a.module, b.module) > 1.6 * Math.min(a.module, b.module)) continue;
      const module = (a.module + b.module) / 2;
      const dx = b.x - a.x, dy = b.y - a.y, dist = Math.hypot(dx, dy) / module;
      const evidence = Math.log1p(a.count) + Math.log1p(b.count);
      const virtual = (x: number, y: number): FinderCandidate => ({ x, y, module, count: 0, diagonals: 0, dark: a.dark });
      // The pair as a side (14 + 4k modules apart at most 177): the corner at either end, the third off either side.
      if (dist >= 10 && dist <= 170) {
        for (const [c, o] of [[a, b], [b, a]] as const) {
          for (const s of [1, -1]) {
            const px = -(o.y - c.y) * s, py = (o.x - c.x) * s;
            const t = oriented(c, o, virtual(c.x + px, c.y + py), dist + 7, evidence);
            if (img) {
              const toward: [number, number] = [px, py];
              // The homography is in (along the pair, across) coordinates: swapped when the pair is the v axis.
              const swap = t.tr !== o;
              t.anchorsFor = (dim) => {
                const cc = outline(c), oc = outline(o);
                const h = cc && oc && pairHomography(c, cc, o, oc, dim, toward);
                return h ? through(swap ? swapAxes(h) : h, anchorsOf(dim)) : null;
              };
            }
            out.push(t);
          }
        }
      }
      // The pair as the diagonal: the corner finder either side of its middle.
      const side = dist / Math.SQRT2;
      if (side >= 10 && side <= 170) {
        for (const s of [1, -1]) {
          const mx = (a.x + b.x) / 2, my = (a.y + b.y) / 2;
          out.push(oriented(virtual(mx - (dy / 2) * s, my + (dx / 2) * s), a, b, side + 7, evidence));
        }
      }
    }
  }
  return out.sort((p, q) => q.score - p.score);
}

/** h with its two module axes exchanged: h(y, x). */
function swapAxes(h: Mat3): Mat3 {
  return Float64Array.from([h[1]!, h[0]!, h[2]!, h[4]!, h[3]!, h[5]!, h[7]!, h[6]!, h[8]!]);
}

/** (corner, p, q) as TL, TR, BL by the sign of the cross product (as triples.ts orders them). */
function oriented(tl: FinderCandidate, p: FinderCandidate, q: FinderCandidate, dim: number, score: number): FinderTriple {
  const cross = (p.x - tl.x) * (q.y - tl.y) - (p.y - tl.y) * (q.x - tl.x);
  return cross > 0 ? { tl, tr: p, bl: q, dim, score } : { tl, tr: q, bl: p, dim, score };
}
