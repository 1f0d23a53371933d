/**
 * A label wrapped round a bottle or a can, or paper bent along a line: the surface bends along one of the
 * symbol's axes, so the columns (or rows) of modules sit off the plane grid by amounts that change smoothly
 * across the symbol and reach a module or more, where the fitted homography (anchored on the finders) is worst.
 * On the tuning half such symbols' wrong modules fill whole bands of columns while the finder columns are right.
 *
 * Model (sampler.ts AxisWarp): along the bend's axis the surface is straight, so each line of modules stays a
 * straight line; its two ends (at the finder centres' coordinate) move by offsets in module coordinates, linear
 * between nodes ~6 modules apart. Each node's four offsets are searched in turn, coarse to fine, for the grid at
 * which the modules of the lines it moves are sampled crisply — five points of a module agree when the grid
 * sits on it and straddle module edges when it does not — and the known function modules among them (timing,
 * finders, alignment) have the right colour, which keeps a line from slipping a whole module. Both axes are
 * tried; the better objective wins, if it beats the plane grid.
 */
import type { GrayImage } from "../zxing.js";
import { dimensionOf, functionTemplate, UNKNOWN } from "./qr-spec.js";
import { bilinear, mapToImage, warpAt, type AxisWarp, type GridMap } from "./sampler.js";

/** Modules between nodes (about). */
const NODE_SPACING = 6;
/** Weight of a known module's colour (in contrast units) against a module's within-module spread. */
const KNOWN_WEIGHT = 2;
/** Largest offset a node may take, in modules. */
const MAX_OFFSET = 2;
/** Search stages: [step, reach in steps, sweeps over the nodes]. */
const STAGES: readonly (readonly [number, number, number])[] = [[0.5, 2, 2], [0.25, 1, 2], [0.125, 1, 2]];
const SUB: readonly (readonly [number, number])[] = [[0, 0], [0.3, 0], [-0.3, 0], [0, 0.3], [0, -0.3]];

export function axisNodes(dim: number): number[] {
  const n = Math.max(3, Math.round((dim - 7) / NODE_SPACING) + 1);
  return Array.from({ length: n }, (_, k) => 3.5 + (k * (dim - 7)) / (n - 1));
}

/** The grid with the better of the two axis warps, or null when neither improves on the plane grid. */
export function warpGrid(img: GrayImage, grid: GridMap, version: number, inverted: boolean): GridMap | null {
  const dim = dimensionOf(version);
  const objective = new WarpObjective(img, grid, version, inverted);
  const plain = objective.total(grid);
  let best: { map: GridMap; score: number } | null = null;
  for (const axis of ["u", "v"] as const) {
    const nodes = axisNodes(dim);
    const warp: AxisWarp = { axis, nodes, ends: [3.5, dim - 3.5], du: new Float64Array(2 * nodes.length), dv: new Float64Array(2 * nodes.length) };
    const map: GridMap = { h: grid.h, dim: grid.dim, warp };
    searchWarp(objective, map, warp);
    const score = objective.total(map);
    if (score > plain && (!best || score > best.score)) best = { map, score };
  }
  return best?.map ?? null;
}

function searchWarp(objective: WarpObjective, map: GridMap, warp: AxisWarp): void {
  const n = warp.nodes.length;
  // Candidates are compared on every stride-th module of each line: about 15 a line whatever the version.
  const stride = Math.max(2, Math.round(map.dim / 15));
  for (const [step, reach, sweeps] of STAGES) {
    for (let sweep = 0; sweep < sweeps; sweep++) {
      let moved = false;
      for (let i = 0; i < n; i++) {
        const band = bandOf(warp.nodes, i, map.dim);
        for (const [param, at] of [[warp.du, i], [warp.dv, i], [warp.du, n + i], [warp.dv, n + i]] as const) {
          const start = param[at]!;
          let bestValue = start, bestScore = objective.band(map, warp.axis, band, stride);
          for (let k = -reach; k <= reach; k++) {
            const value = start + k * step;
            if (k === 0 || Math.abs(value) > MAX_OFFSET) continue;
            param[at] = value;
            const s = objective.band(map, warp.axis, band, stride);
            if (s > bestScore + 1e-9) { bestScore = s; bestValue = value; }
          }
          param[at] = bestValue;
          if (bestValue !== start) moved = true;
        }
      }
      if (!moved) break;
    }
  }
}

/** Module indices along the axis that node i moves: between its neighbours (to the edge for the end nodes). */
function bandOf(nodes: readonly number[], i: number, dim: number): [number, number] {
  const lo = i === 0 ? 0 : Math.ceil(nodes[i - 1]! - 0.5);
  const hi = i === nodes.length - 1 ? dim - 1 : Math.floor(nodes[i + 1]! - 0.5);
  return [lo, hi];
}

/** Exported for the lab scripts that compare a warp's objective with the true map's. */
export class WarpObjective {
  private readonly template: Uint8Array;
  private readonly thr: number;
  private readonly scale: number;
  private readonly p: [number, number] = [0, 0];

  constructor(private readonly img: GrayImage, grid: GridMap, private readonly version: number, private readonly inverted: boolean) {
    this.template = functionTemplate(version);
    // Threshold and contrast from the plane grid's known modules.
    const dim = grid.dim;
    let sd = 0, nd = 0, sl = 0, nl = 0;
    for (let r = 0; r < dim; r++) {
      for (let c = 0; c < dim; c++) {
        const t = this.template[r * dim + c]!;
        if (t === UNKNOWN || !mapToImage(grid, c + 0.5, r + 0.5, this.p)) continue;
        const v = bilinear(img, this.p[0], this.p[1]);
        if ((t === 1) !== inverted) { sd += v; nd++; } else { sl += v; nl++; }
      }
    }
    const dark = nd ? sd / nd : 0, light = nl ? sl / nl : 255;
    this.thr = (dark + light) / 2;
    this.scale = Math.max(12, Math.abs(light - dark) / 2);
  }

  /** Sum of the module terms over every module. */
  total(map: GridMap): number {
    return this.band(map, "u", [0, map.dim - 1]);
  }

  /** Sum of the module terms over the columns (axis u) or rows (axis v) lo..hi, every `stride`-th module of the
   * other axis (the search compares candidates on half of them: the same evidence for all, at half the cost). */
  band(map: GridMap, axis: "u" | "v", [lo, hi]: [number, number], stride = 1): number {
    const dim = map.dim;
    let s = 0;
    for (let a = lo; a <= hi; a++) {
      for (let b = a % stride; b < dim; b += stride) s += axis === "u" ? this.term(map, b, a) : this.term(map, a, b);
    }
    return s;
  }

  /** −(spread of the module's five samples) / contrast², + the known colour's agreement for function modules. */
  private term(map: GridMap, r: number, c: number): number {
    const w = map.warp, h = map.h, p = this.p;
    let sum = 0, sum2 = 0, centre = 0;
    for (let k = 0; k < SUB.length; k++) {
      let x = c + 0.5 + SUB[k]![0], y = r + 0.5 + SUB[k]![1];
      if (w) {
        warpAt(w, w.axis === "u" ? x : y, w.axis === "u" ? y : x, p);
        x += p[0];
        y += p[1];
      }
      const z = h[6]! * x + h[7]! * y + h[8]!;
      if (z <= 1e-9) return -4;
      const v = bilinear(this.img, (h[0]! * x + h[1]! * y + h[2]!) / z, (h[3]! * x + h[4]! * y + h[5]!) / z);
      if (k === 0) centre = v;
      sum += v;
      sum2 += v * v;
    }
    const mean = sum / SUB.length;
    let t = -(sum2 / SUB.length - mean * mean) / (this.scale * this.scale);
    const known = this.template[r * map.dim + c]!;
    if (known !== UNKNOWN) {
      const agree = ((known === 1) !== this.inverted ? this.thr - centre : centre - this.thr) / this.scale;
      t += KNOWN_WEIGHT * Math.max(-1, Math.min(1, agree));
    }
    return t;
  }
}
