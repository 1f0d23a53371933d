/**
 * Following the symbol's own module grid where one plane map cannot (a label on a bottle, folded or crumpled
 * paper): a lattice of nodes every ~4 modules carries a pixel displacement added to the fitted homography.
 * Nodes are solved outward from the three finder centres (pinned at 0): each node's displacement is
 * predicted from its solved neighbours (the surface bends smoothly, so the local trend continues) and then
 * searched within ±½ module of that prediction for the offset at which the modules round it are sampled
 * crisply — module centres far from the patch's mid level (a grid off by a fraction of a module samples module
 * edges, which come out grey) and the known function modules (timing, alignment, finders) the right colour.
 * The ±½ module bound keeps the grid from slipping a whole module: it only follows what changes smoothly.
 */
import type { GrayImage } from "../zxing.js";
import { project } from "./homography.js";
import { dimensionOf, functionTemplate, UNKNOWN } from "./qr-spec.js";
import { bilinear, type GridMap } from "./sampler.js";

/** Modules between lattice nodes (about). */
const NODE_SPACING = 4;
/** Search: ±SEARCH_STEPS × STEP modules round the prediction. */
const STEP = 1 / 8;
const SEARCH_STEPS = 4;
/** Weight of a known function module's colour against a data module's crispness. */
const KNOWN_WEIGHT = 2;
/** Preference for the prediction: the score's share lost per module² of offset from it. */
const STAY = 0.3;

export function latticeNodes(dim: number): number[] {
  const n = Math.max(2, Math.round((dim - 7) / NODE_SPACING)) + 1;
  return Array.from({ length: n }, (_, k) => 3.5 + (k * (dim - 7)) / (n - 1));
}

/** The grid with a displacement field that follows the modules, or null when the symbol is too small for one. */
export function followGrid(img: GrayImage, grid: GridMap, version: number, inverted: boolean): GridMap | null {
  const dim = dimensionOf(version), nodes = latticeNodes(dim), n = nodes.length;
  if (n < 3) return null;
  const template = functionTemplate(version);
  const dx = new Float64Array(n * n), dy = new Float64Array(n * n);
  const solved = new Uint8Array(n * n);
  solved[0] = solved[n - 1] = solved[(n - 1) * n] = 1;
  const half = (dim - 7) / (n - 1) * 0.6;
  // Outward from the top-left finder, by distance in nodes; each pass re-solves with the others known.
  const order: number[] = [];
  for (let s = 1; s <= 2 * (n - 1); s++) for (let j = 0; j < n; j++) { const i = s - j; if (i >= 0 && i < n && !solved[j * n + i]) order.push(j * n + i); }
  for (let pass = 0; pass < 2; pass++) {
    for (const k of order) {
      const i = k % n, j = (k - i) / n;
      const pred = predict(dx, dy, solved, n, i, j);
      const best = searchNode(img, grid.h, template, dim, nodes[i]!, nodes[j]!, half, pred, inverted, pass === 0 ? SEARCH_STEPS : SEARCH_STEPS / 2);
      dx[k] = best[0]; dy[k] = best[1];
      solved[k] = 1;
    }
  }
  return { h: grid.h, dim: grid.dim, field: { nodes, dx, dy } };
}

/** The displacement the solved neighbours suggest: parallelogram continuations where they exist, else their mean. */
function predict(dx: Float64Array, dy: Float64Array, solved: Uint8Array, n: number, i: number, j: number): [number, number] {
  const ok = (a: number, b: number): boolean => a >= 0 && b >= 0 && a < n && b < n && solved[b * n + a] === 1;
  let sx = 0, sy = 0, c = 0;
  // Continuations of a straight trend along a row or column, and parallelograms with a diagonal neighbour.
  const trios: [number, number, number, number, number, number][] = [
    [i - 1, j, i, j - 1, i - 1, j - 1], [i + 1, j, i, j - 1, i + 1, j - 1], [i - 1, j, i, j + 1, i - 1, j + 1], [i + 1, j, i, j + 1, i + 1, j + 1],
  ];
  for (const [a1, b1, a2, b2, a3, b3] of trios) {
    if (!ok(a1, b1) || !ok(a2, b2) || !ok(a3, b3)) continue;
    const k1 = b1 * n + a1, k2 = b2 * n + a2, k3 = b3 * n + a3;
    sx += dx[k1]! + dx[k2]! - dx[k3]!; sy += dy[k1]! + dy[k2]! - dy[k3]!; c++;
  }
  if (c) return [sx / c, sy / c];
  for (const [a, b] of [[i - 1, j], [i + 1, j], [i, j - 1], [i, j + 1]] as const) {
    if (!ok(a, b)) continue;
    sx += dx[b * n + a]!; sy += dy[b * n + a]!; c++;
  }
  return c ? [sx / c, sy / c] : [0, 0];
}

const pa: [number, number] = [0, 0], pb: [number, number] = [0, 0];

/** The best displacement (pixels) for the node at module (cx, cy), searched round `pred` in module steps. */
function searchNode(img: GrayImage, h: Float64Array, template: Uint8Array, dim: number, cx: number, cy: number, half: number,
  pred: readonly number[], inverted: boolean, steps: number): [number, number] {
  project(h, cx, cy, pa);
  const ox = pa[0], oy = pa[1];
  project(h, cx + 1, cy, pb);
  const ex = [pb[0] - ox, pb[1] - oy];
  project(h, cx, cy + 1, pb);
  const ey = [pb[0] - ox, pb[1] - oy];
  // The patch's module centres (a pc × pr block) and their positions without displacement.
  const c0 = Math.max(0, Math.floor(cx - half)), c1 = Math.min(dim - 1, Math.ceil(cx + half) - 1);
  const r0 = Math.max(0, Math.floor(cy - half)), r1 = Math.min(dim - 1, Math.ceil(cy + half) - 1);
  const pc = c1 - c0 + 1, pr = r1 - r0 + 1, m = pc * pr;
  if (pc < 2 || pr < 2) return [pred[0]!, pred[1]!];
  const xs = new Float64Array(m), ys = new Float64Array(m), known = new Int8Array(m);
  let nDark = 0, nLight = 0;
  for (let r = r0, k = 0; r <= r1; r++) {
    for (let c = c0; c <= c1; c++, k++) {
      project(h, c + 0.5, r + 0.5, pb);
      xs[k] = pb[0]; ys[k] = pb[1];
      const t = template[r * dim + c]!;
      known[k] = t === UNKNOWN ? 0 : (t === 1) !== inverted ? 1 : -1;
      if (known[k] === 1) nDark++; else if (known[k] === -1) nLight++;
    }
  }
  const knownShare = nDark && nLight ? (nDark + nLight) / m : 0;
  const pairs = (pc - 1) * pr + pc * (pr - 1);
  const vals = new Float64Array(m);
  let best = -Infinity, bx = pred[0]!, by = pred[1]!;
  for (let a = -steps; a <= steps; a++) {
    for (let b = -steps; b <= steps; b++) {
      const u = a * STEP, v = b * STEP;
      const ddx = pred[0]! + u * ex[0]! + v * ey[0]!, ddy = pred[1]! + u * ex[1]! + v * ey[1]!;
      let sd = 0, sl = 0;
      for (let k = 0; k < m; k++) {
        const val = bilinear(img, xs[k]! + ddx, ys[k]! + ddy);
        vals[k] = val;
        if (known[k] === 1) sd += val; else if (known[k] === -1) sl += val;
      }
      // Neighbouring module centres differ most when they are sampled at the modules' middles.
      let diff = 0;
      for (let r = 0; r < pr; r++) {
        for (let c = 0; c < pc; c++) {
          const k = r * pc + c;
          if (c + 1 < pc) diff += Math.abs(vals[k]! - vals[k + 1]!);
          if (r + 1 < pr) diff += Math.abs(vals[k]! - vals[k + pc]!);
        }
      }
      diff /= pairs;
      const knownContrast = knownShare ? (sl / nLight - sd / nDark) * knownShare * KNOWN_WEIGHT : 0;
      const raw = diff + knownContrast;
      const score = raw - STAY * (u * u + v * v) * Math.abs(raw);
      if (score > best) { best = score; bx = ddx; by = ddy; }
    }
  }
  return [bx, by];
}
