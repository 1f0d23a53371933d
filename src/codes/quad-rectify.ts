/**
 * Perspective rectification of any symbol from its own outline. A symbol seen at an angle is a quadrilateral of
 * dense edges: zxing's 1D readers then meet bars whose widths shrink along the scan line, and its PDF417 and
 * Data Matrix detectors keystoned rows and columns. We find the symbol's quadrilateral (the largest quadrilateral
 * inside the convex hull of the largest blob of edge-dense cells) and map it back to a rectangle, its quiet zone
 * with it, at about the resolution the symbol had.
 */
import { stretchContrast } from "./image-ops.js";
import { kernels } from "./kernels.js";
import { dilateCells } from "./regions.js";
import { bilinear } from "./qr/sampler.js";
import { squareToQuad, project, type Pt } from "./qr/homography.js";
import type { GrayImage } from "./zxing.js";

/** Cell side in pixels: fine enough for the outline, coarse enough that one cell spans a few modules' edges. */
const CELL = 4;
const STEP = 24;
const DENSE = 0.16;
/** The quadrilateral must cover this share of the blob's hull: else the blob is not one quadrilateral symbol. */
const MIN_HULL_SHARE = 0.85;
/** A quadrilateral this close to a rectangle gains nothing from being rectified (the view is read as it is). */
const MIN_SKEW = 0.06;
/** Quiet zone added on each side, as a share of the symbol's side. */
const QUIET = 0.08;
const MAX_OUTPUT_PIXELS = 1_500_000;

const len = (a: Pt, b: Pt) => Math.hypot(b[0] - a[0], b[1] - a[1]);

/** Corners in order around the quadrilateral (image pixels of `img`). */
export type Quad = [Pt, Pt, Pt, Pt];

/** The symbol's quadrilateral in `img`, or null when no blob is dense and compact enough. */
export function symbolQuad(img: GrayImage): Quad | null {
  const s = stretchContrast(img);
  const cw = Math.floor(s.width / CELL), ch = Math.floor(s.height / CELL);
  if (cw < 4 || ch < 4) return null;
  const cells = kernels.edgeCells(s.data, s.width, s.height, CELL, STEP);
  const dense = new Uint8Array(cw * ch);
  for (let i = 0; i < cw * ch; i++) if ((cells[i]! & 0xffff) >= DENSE * CELL * CELL) dense[i] = 1;
  const blob = largestBlob(close(dense, cw, ch), cw, ch);
  if (blob.length < 12) return null;
  const pts: Pt[] = [];
  for (const i of blob) {
    const x = (i % cw) * CELL, y = Math.floor(i / cw) * CELL;
    pts.push([x, y], [x + CELL, y], [x, y + CELL], [x + CELL, y + CELL]);
  }
  const hull = convexHull(pts);
  if (hull.length < 4) return null;
  const quad = largestInscribedQuad(hull);
  if (!quad || polygonArea(quad) < MIN_HULL_SHARE * polygonArea(hull)) return null;
  return upright(quad);
}

/** Clockwise on screen (y down), starting at the corner nearest the top left: rectified views are neither mirrored
 * nor turned more than they must be. */
function upright(q: Quad): Quad {
  let signed = 0;
  for (let i = 0; i < 4; i++) signed += q[i]![0] * q[(i + 1) % 4]![1] - q[(i + 1) % 4]![0] * q[i]![1];
  const c = signed < 0 ? [q[0], q[3], q[2], q[1]] : [...q];
  let s = 0;
  for (let i = 1; i < 4; i++) if (c[i]![0] + c[i]![1] < c[s]![0] + c[s]![1]) s = i;
  return [c[s]!, c[(s + 1) % 4]!, c[(s + 2) % 4]!, c[(s + 3) % 4]!];
}

/** How far the quadrilateral is from a rectangle: the larger of |log| of opposite sides' length ratios and of the
 * corners' |cos|. */
export function skew(q: Quad): number {
  const top = len(q[0], q[1]), right = len(q[1], q[2]), bottom = len(q[2], q[3]), left = len(q[3], q[0]);
  const ratio = Math.max(Math.abs(Math.log(top / bottom)), Math.abs(Math.log(left / right)));
  let angle = 0;
  for (let i = 0; i < 4; i++) {
    const a = q[(i + 3) % 4]!, b = q[i]!, c = q[(i + 1) % 4]!;
    const u = [a[0] - b[0], a[1] - b[1]], v = [c[0] - b[0], c[1] - b[1]];
    const cos = (u[0]! * v[0]! + u[1]! * v[1]!) / (Math.hypot(u[0]!, u[1]!) * Math.hypot(v[0]!, v[1]!));
    angle = Math.max(angle, Math.abs(cos));
  }
  return Math.max(ratio, angle);
}

/** The quadrilateral mapped to an upright rectangle with a quiet zone; null when it is already nearly one. */
export function rectifyQuad(img: GrayImage, q: Quad, minSkew = MIN_SKEW): { view: GrayImage; toImage: (x: number, y: number) => [number, number] } | null {
  if (skew(q) < minSkew) return null;
  let w = Math.max(len(q[0], q[1]), len(q[3], q[2])), h = Math.max(len(q[0], q[3]), len(q[1], q[2]));
  const f = Math.min(1, Math.sqrt(MAX_OUTPUT_PIXELS / (w * h * (1 + 2 * QUIET) ** 2)));
  w *= f; h *= f;
  const H = squareToQuad(q[0], q[1], q[2], q[3]);
  if (!H) return null;
  const W = Math.round(w * (1 + 2 * QUIET)), Ht = Math.round(h * (1 + 2 * QUIET));
  if (W < 16 || Ht < 16) return null;
  const data = new Uint8Array(W * Ht);
  const at: [number, number] = [0, 0];
  // Output pixel → unit-square coordinates of the symbol (the quiet zone lies outside [0, 1]).
  const unit = (x: number, y: number): [number, number] => [(x + 0.5) / w - QUIET, (y + 0.5) / h - QUIET];
  for (let y = 0; y < Ht; y++) {
    for (let x = 0; x < W; x++) {
      const [u, v] = unit(x, y);
      if (!project(H, u, v, at)) { data[y * W + x] = 255; continue; }
      const [px, py] = at;
      data[y * W + x] = px < 0 || py < 0 || px > img.width - 1 || py > img.height - 1 ? 255 : bilinear(img, px, py);
    }
  }
  const toImage = (x: number, y: number): [number, number] => {
    const [u, v] = unit(x, y);
    project(H, u, v, at);
    return [at[0], at[1]];
  };
  return { view: { data, width: W, height: Ht }, toImage };
}

/** One-cell closing (dilate, then erode back), as regions.ts: symbols with big modules leave gaps between dense
 * cells. A wider gap (a barcode's 4-module space seen close up, over ~8 px) splits the symbol and the larger part
 * is taken: linking wider gaps joined symbols to the text and texture beside them on the tuning halves. */
function close(dense: Uint8Array, cw: number, ch: number): Uint8Array {
  const grown = dilateCells(dense, cw, ch);
  const out = new Uint8Array(cw * ch);
  for (let y = 0; y < ch; y++)
    for (let x = 0; x < cw; x++) {
      let all = grown[y * cw + x] === 1;
      for (let dy = -1; dy <= 1 && all; dy++)
        for (let dx = -1; dx <= 1 && all; dx++) {
          const nx = x + dx, ny = y + dy;
          if (nx >= 0 && ny >= 0 && nx < cw && ny < ch && !grown[ny * cw + nx]) all = false;
        }
      if (all) out[y * cw + x] = 1;
    }
  return out;
}

/** Cell indices of the largest 4-connected component. */
function largestBlob(mask: Uint8Array, cw: number, ch: number): number[] {
  const seen = new Uint8Array(cw * ch);
  let best: number[] = [];
  const stack: number[] = [];
  for (let i = 0; i < cw * ch; i++) {
    if (!mask[i] || seen[i]) continue;
    const comp: number[] = [];
    seen[i] = 1;
    stack.push(i);
    while (stack.length) {
      const j = stack.pop()!;
      comp.push(j);
      const x = j % cw, y = (j - x) / cw;
      for (const [nx, ny] of [[x - 1, y], [x + 1, y], [x, y - 1], [x, y + 1]] as const) {
        if (nx < 0 || ny < 0 || nx >= cw || ny >= ch) continue;
        const k = ny * cw + nx;
        if (mask[k] && !seen[k]) { seen[k] = 1; stack.push(k); }
      }
    }
    if (comp.length > best.length) best = comp;
  }
  return best;
}

/** Andrew's monotone chain, counter-clockwise in image coordinates' sense, no collinear points. */
export function convexHull(points: readonly Pt[]): Pt[] {
  const p = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (p.length < 3) return p;
  const cross = (o: Pt, a: Pt, b: Pt) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const lower: Pt[] = [], upper: Pt[] = [];
  for (const q of p) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, q) <= 0) lower.pop();
    lower.push(q);
  }
  for (let i = p.length - 1; i >= 0; i--) {
    const q = p[i]!;
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, q) <= 0) upper.pop();
    upper.push(q);
  }
  return [...lower.slice(0, -1), ...upper.slice(0, -1)];
}

export function polygonArea(p: readonly Pt[]): number {
  let a = 0;
  for (let i = 0; i < p.length; i++) {
    const q = p[i]!, r = p[(i + 1) % p.length]!;
    a += q[0] * r[1] - r[0] * q[1];
  }
  return Math.abs(a) / 2;
}

/** The largest-area quadrilateral on the hull's vertices: for each diagonal (i, k), the farthest vertex on each
 * side (O(h³) on a hull of a few dozen vertices). Corners in hull order. */
export function largestInscribedQuad(hull: readonly Pt[]): Quad | null {
  const n = hull.length;
  if (n < 4) return null;
  const tri = (a: Pt, b: Pt, c: Pt) => Math.abs((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])) / 2;
  let best = -1, quad: Quad | null = null;
  for (let i = 0; i < n; i++) {
    for (let k = i + 2; k < n; k++) {
      if (i === 0 && k === n - 1) continue;
      let bj = -1, aj = -1, bl = -1, al = -1;
      for (let j = i + 1; j < k; j++) { const t = tri(hull[i]!, hull[j]!, hull[k]!); if (t > aj) { aj = t; bj = j; } }
      for (let l = k + 1; l < n + i; l++) { const t = tri(hull[i]!, hull[k]!, hull[l % n]!); if (t > al) { al = t; bl = l % n; } }
      if (bj >= 0 && bl >= 0 && aj + al > best) {
        best = aj + al;
        quad = [hull[i]!, hull[bj]!, hull[k]!, hull[bl]!];
      }
    }
  }
  return quad;
}
