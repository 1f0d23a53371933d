/**
 * Following the symbol's own alignment-pattern lattice: each alignment pattern is searched for near where the
 * fitted homography puts it, and the pixel offsets found there become a displacement field over the lattice
 * (finder corners pinned at 0). A bent symbol (label on a bottle or can) or lens distortion that one plane
 * map cannot follow is then followed piece by piece.
 */
import type { GrayImage } from "../zxing.js";
import { project } from "./homography.js";
import { alignmentCoords } from "./qr-spec.js";
import { bilinear, type GridMap } from "./sampler.js";

const SEARCH = 1.5; // modules either way
const MIN_SCORE = 1.2; // contrast-normalised match below which a pattern counts as not found

/** The grid with an alignment-lattice displacement field, or null (version 1, or no pattern found). */
export function alignmentField(img: GrayImage, grid: GridMap, version: number, inverted: boolean): GridMap | null {
  const coords = alignmentCoords(version);
  if (coords.length < 2) return null;
  const n = coords.length, last = n - 1;
  const dx = new Float64Array(n * n), dy = new Float64Array(n * n);
  const p: [number, number] = [0, 0], q: [number, number] = [0, 0];
  let found = 0;
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      if ((i === 0 && j === 0) || (i === last && j === 0) || (i === 0 && j === last)) continue;
      const cx = coords[i]! + 0.5, cy = coords[j]! + 0.5;
      const best = search(img, grid, cx, cy, inverted);
      if (!best) continue;
      if (!project(grid.h, cx, cy, p) || !project(grid.h, cx + best[0], cy + best[1], q)) continue;
      dx[j * n + i] = q[0] - p[0];
      dy[j * n + i] = q[1] - p[1];
      found++;
    }
  }
  if (!found) return null;
  return { h: grid.h, dim: grid.dim, field: { nodes: coords.map((c) => c + 0.5), dx, dy } };
}

/** Best (dx, dy) in modules for the alignment pattern centred at module (cx, cy): coarse then fine steps. */
function search(img: GrayImage, grid: GridMap, cx: number, cy: number, inverted: boolean): [number, number] | null {
  let bx = 0, by = 0, best = -Infinity;
  for (let dy = -SEARCH; dy <= SEARCH + 1e-9; dy += 0.25) {
    for (let dx = -SEARCH; dx <= SEARCH + 1e-9; dx += 0.25) {
      const s = score(img, grid, cx + dx, cy + dy, inverted);
      if (s > best) { best = s; bx = dx; by = dy; }
    }
  }
  const x0 = bx, y0 = by;
  for (let dy = -0.1875; dy <= 0.19; dy += 0.0625) {
    for (let dx = -0.1875; dx <= 0.19; dx += 0.0625) {
      const s = score(img, grid, cx + x0 + dx, cy + y0 + dy, inverted);
      if (s > best) { best = s; bx = x0 + dx; by = y0 + dy; }
    }
  }
  return best >= MIN_SCORE ? [bx, by] : null;
}

const OFFS = [[0, 0], [0.3, 0], [-0.3, 0], [0, 0.3], [0, -0.3]] as const;

/** The 5×5 alignment pattern (dark centre, light ring, dark ring) matched at (cx, cy): contrast / spread. */
function score(img: GrayImage, grid: GridMap, cx: number, cy: number, inverted: boolean): number {
  const p: [number, number] = [0, 0];
  let sd = 0, sd2 = 0, nd = 0, sl = 0, sl2 = 0, nl = 0;
  for (let r = -2; r <= 2; r++) {
    for (let c = -2; c <= 2; c++) {
      const dark = (Math.max(Math.abs(r), Math.abs(c)) !== 1) !== inverted;
      for (const [ox, oy] of OFFS) {
        if (!project(grid.h, cx + c + ox, cy + r + oy, p)) return -Infinity;
        const v = bilinear(img, p[0], p[1]);
        if (dark) { sd += v; sd2 += v * v; nd++; } else { sl += v; sl2 += v * v; nl++; }
      }
    }
  }
  const md = sd / nd, ml = sl / nl;
  const vd = Math.max(0, sd2 / nd - md * md), vl = Math.max(0, sl2 / nl - ml * ml);
  return (ml - md) / Math.sqrt((vd + vl) / 2 + 64);
}
