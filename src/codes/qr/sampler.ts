/** Reading greyscale values at sub-pixel positions, and the module-grid → image map. */
import type { GrayImage } from "../zxing.js";
import { project, type Mat3 } from "./homography.js";

/** Bilinear luminance at (x, y) in pixel-centre coordinates (pixel i covers [i-0.5, i+0.5]), edges clamped. */
export function bilinear(img: GrayImage, x: number, y: number): number {
  const w = img.width, h = img.height, d = img.data;
  if (x < 0) x = 0; else if (x > w - 1) x = w - 1;
  if (y < 0) y = 0; else if (y > h - 1) y = h - 1;
  const x0 = x | 0, y0 = y | 0;
  const fx = x - x0, fy = y - y0;
  const x1 = x0 + 1 < w ? x0 + 1 : x0, y1 = y0 + 1 < h ? y0 + 1 : y0;
  const a = d[y0 * w + x0]!, b = d[y0 * w + x1]!, c = d[y1 * w + x0]!, e = d[y1 * w + x1]!;
  return (a + (b - a) * fx) * (1 - fy) + (c + (e - c) * fx) * fy;
}

/**
 * Module coordinates → image pixels: a homography, optionally corrected by a displacement field given on a
 * lattice of module coordinates (curved surfaces, lens distortion): bilinear between lattice nodes, the
 * nearest cell's plane beyond the outer nodes.
 */
export interface GridMap {
  readonly h: Mat3;
  readonly dim: number;
  readonly field?: DisplacementField;
  /** Applied in module coordinates before the homography. */
  readonly warp?: AxisWarp;
}

/**
 * A module-space offset for a label on a cylinder (axis-warp.ts): along the cylinder's axis the surface is
 * straight, so each line of modules across the other axis stays a straight line, shifted and stretched by an
 * amount that changes smoothly along `axis` ("u": columns, a function of the column coordinate; "v": rows).
 * Offsets (in modules) at `nodes` along that axis, each given at both ends of the line (`ends`, coordinates
 * along the other axis): linear between nodes and between (and beyond) the ends, constant beyond the end nodes.
 */
export interface AxisWarp {
  readonly axis: "u" | "v";
  readonly nodes: readonly number[];
  readonly ends: readonly [number, number];
  /** du and dv per node at the first end, then at the second end (2 × nodes.length each). */
  readonly du: Float64Array;
  readonly dv: Float64Array;
}

/** The warp's (du, dv) at coordinate `t` along its axis, `s` along the other. */
export function warpAt(w: AxisWarp, t: number, s: number, out: [number, number]): void {
  const n = w.nodes, k = n.length, last = k - 1;
  let i = 0, f = 0;
  if (t >= n[last]!) { i = last - 1; f = 1; } else if (t > n[0]!) {
    while (t > n[i + 1]!) i++;
    f = (t - n[i]!) / (n[i + 1]! - n[i]!);
  }
  const g = (s - w.ends[0]) / (w.ends[1] - w.ends[0]);
  const du = w.du, dv = w.dv;
  const u0 = du[i]! + (du[i + 1]! - du[i]!) * f, u1 = du[k + i]! + (du[k + i + 1]! - du[k + i]!) * f;
  const v0 = dv[i]! + (dv[i + 1]! - dv[i]!) * f, v1 = dv[k + i]! + (dv[k + i + 1]! - dv[k + i]!) * f;
  out[0] = u0 + (u1 - u0) * g;
  out[1] = v0 + (v1 - v0) * g;
}

const warpScratch: [number, number] = [0, 0];

export interface DisplacementField {
  /** Strictly increasing module coordinates of the lattice nodes (same along x and y). */
  readonly nodes: readonly number[];
  /** Pixel displacement per node, row-major nodes.length². */
  readonly dx: Float64Array;
  readonly dy: Float64Array;
}

export function mapToImage(g: GridMap, x: number, y: number, out: [number, number]): boolean {
  if (g.warp) {
    warpAt(g.warp, g.warp.axis === "u" ? x : y, g.warp.axis === "u" ? y : x, warpScratch);
    x += warpScratch[0];
    y += warpScratch[1];
  }
  if (!project(g.h, x, y, out)) return false;
  const f = g.field;
  if (f) {
    const n = f.nodes.length;
    const [i, tx] = cell(f.nodes, x), [j, ty] = cell(f.nodes, y);
    const k00 = j * n + i, k01 = k00 + 1, k10 = k00 + n, k11 = k10 + 1;
    out[0] += (f.dx[k00]! * (1 - tx) + f.dx[k01]! * tx) * (1 - ty) + (f.dx[k10]! * (1 - tx) + f.dx[k11]! * tx) * ty;
    out[1] += (f.dy[k00]! * (1 - tx) + f.dy[k01]! * tx) * (1 - ty) + (f.dy[k10]! * (1 - tx) + f.dy[k11]! * tx) * ty;
  }
  return true;
}

function cell(nodes: readonly number[], v: number): [number, number] {
  const last = nodes.length - 2;
  let i = 0;
  while (i < last && v > nodes[i + 1]!) i++;
  const a = nodes[i]!, b = nodes[i + 1]!;
  const t = (v - a) / (b - a);
  return [i, t < -0.5 ? -0.5 : t > 1.5 ? 1.5 : t];
}

