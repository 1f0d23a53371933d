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
}

export interface DisplacementField {
  /** Strictly increasing module coordinates of the lattice nodes (same along x and y). */
  readonly nodes: readonly number[];
  /** Pixel displacement per node, row-major nodes.length². */
  readonly dx: Float64Array;
  readonly dy: Float64Array;
}

export function mapToImage(g: GridMap, x: number, y: number, out: [number, number]): boolean {
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

