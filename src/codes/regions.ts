/**
 * Candidate regions: where in a large or busy image might an unread code be? Codes are dense, high-contrast
 * edge fields (in one direction for 1D, both for 2D); photo backgrounds mostly are not. We measure, per cell of
 * a small view, the share of pixels with a strong horizontal or vertical step, keep dense cells, group them
 * into 8-connected blobs, and return the blobs' boxes (best first) in full-image coordinates.
 */
import type { Rect } from "./image-ops.js";
import { kernels } from "./kernels.js";
import type { GrayImage } from "./zxing.js";

export interface Candidate extends Rect {
  score: number;
  /** The two blobs in line that this candidate is the union of (joinSplitSpots). */
  members?: readonly [Candidate, Candidate];
}

const CELL = 8; // view pixels per cell side
const STEP = 24; // a luminance step at least this large counts as an edge
const DENSE = 0.16; // share of edge pixels for a "code-like" cell

/**
 * `view` is a downscaled copy of the image, `scale` source pixels per view pixel. `explained`: boxes (image
 * coordinates) of symbols already read; their cells, and one cell around them, are not code-like any more, so a
 * blob that merged a read symbol with the text or texture beside it comes back as that text or texture alone.
 */
export function findCandidates(view: GrayImage, scale: number, maxCandidates = 12, explained: readonly Rect[] = []): Candidate[] {
  const { width: w, height: h, data: d } = view;
  const cw = Math.floor(w / CELL), ch = Math.floor(h / CELL);
  if (cw < 1 || ch < 1) return [];
  const dense = new Uint8Array(cw * ch);
  const density = new Float32Array(cw * ch);
  const cells = kernels.edgeCells(d, w, h, CELL, STEP);
  for (let i = 0; i < cw * ch; i++) {
    const share = (cells[i]! & 0xffff) / (CELL * CELL);
    density[i] = share;
    if (share >= DENSE && cells[i]! >>> 16 >= 48) dense[i] = 1;
  }
  for (const r of explained) {
    const x0 = Math.max(0, Math.floor(r.left / scale / CELL) - 1), x1 = Math.min(cw - 1, Math.floor((r.left + r.width) / scale / CELL) + 1);
    const y0 = Math.max(0, Math.floor(r.top / scale / CELL) - 1), y1 = Math.min(ch - 1, Math.floor((r.top + r.height) / scale / CELL) + 1);
    for (let y = y0; y <= y1; y++) dense.fill(0, y * cw + x0, y * cw + x1 + 1);
  }
  // 8-connected components with a one-cell closing (codes with big modules leave gaps).
  const grown = dilateCells(dense, cw, ch);
  const label = new Int32Array(cw * ch).fill(-1);
  const out: Candidate[] = [];
  const stack: number[] = [];
  for (let i = 0; i < cw * ch; i++) {
    if (!grown[i] || label[i] !== -1) continue;
    let x0 = cw, y0 = ch, x1 = 0, y1 = 0, cells = 0, sum = 0;
    stack.push(i);
    label[i] = out.length;
    while (stack.length) {
      const j = stack.pop()!;
      const x = j % cw, y = (j - x) / cw;
      if (dense[j]) { cells++; sum += density[j]!; }
      if (x < x0) x0 = x;
      if (y < y0) y0 = y;
      if (x > x1) x1 = x;
      if (y > y1) y1 = y;
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx, ny = y + dy;
          if (nx < 0 || ny < 0 || nx >= cw || ny >= ch) continue;
          const k = ny * cw + nx;
          if (grown[k] && label[k] === -1) { label[k] = out.length; stack.push(k); }
        }
    }
    if (cells < 2) continue; // a lone dense cell is noise or a glyph
    const bw = x1 - x0 + 1, bh = y1 - y0 + 1;
    // Compact blobs of dense cells look like codes; long thin streaks (text lines, edges) less so.
    const fill = cells / (bw * bh);
    out.push({
      left: x0 * CELL * scale,
      top: y0 * CELL * scale,
      width: bw * CELL * scale,
      height: bh * CELL * scale,
      score: sum * (0.5 + fill),
    });
  }
  return out.sort((a, b) => b.score - a.score).slice(0, maxCandidates);
}

/** `mask` (cw × ch cells) grown by one cell in each of the 8 directions. */
export function dilateCells(mask: Uint8Array, cw: number, ch: number): Uint8Array {
  const grown = new Uint8Array(cw * ch);
  for (let cy = 0; cy < ch; cy++)
    for (let cx = 0; cx < cw; cx++) {
      if (!mask[cy * cw + cx]) continue;
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const x = cx + dx, y = cy + dy;
          if (x >= 0 && y >= 0 && x < cw && y < ch) grown[y * cw + x] = 1;
        }
    }
  return grown;
}

/** Two blobs in line, at most this share of the larger one's extent (along the line) apart, may be one symbol. */
const SPLIT_GAP = 0.6;
/** …when their extents across the line overlap by at least this share of the smaller one's. */
const SPLIT_ALIGN = 0.6;

/**
 * A glare spot, fold or stain across a symbol leaves its two sides as two blobs, neither holding the whole symbol
 * (a barcode's start and stop patterns are then in different crops). Pairs of blobs side by side or one above
 * the other, close and aligned, come back as their union too, after every blob (read with what budget the blobs
 left, and only when the union's edges are bars: a 2D symbol's finders are found in each half by the QR locator).
 */
export function joinSplitSpots<T extends Candidate>(spots: readonly T[]): Candidate[] {
  const joined: Candidate[] = [];
  for (let i = 0; i < spots.length; i++) {
    for (let j = i + 1; j < spots.length; j++) {
      const a = spots[i]!, b = spots[j]!;
      if (inLine(a, b, "x") || inLine(a, b, "y")) {
        const left = Math.min(a.left, b.left), top = Math.min(a.top, b.top);
        const right = Math.max(a.left + a.width, b.left + b.width), bottom = Math.max(a.top + a.height, b.top + b.height);
        joined.push({ left, top, width: right - left, height: bottom - top, score: a.score + b.score, members: [a, b] });
      }
    }
  }
  return [...spots, ...joined];
}

function inLine(a: Rect, b: Rect, axis: "x" | "y"): boolean {
  const [p, ext, q, qext] = axis === "x" ? ["left", "width", "top", "height"] as const : ["top", "height", "left", "width"] as const;
  const gap = Math.max(a[p], b[p]) - Math.min(a[p] + a[ext], b[p] + b[ext]);
  const overlap = Math.min(a[q] + a[qext], b[q] + b[qext]) - Math.max(a[q], b[q]);
  return gap <= SPLIT_GAP * Math.max(a[ext], b[ext]) && overlap >= SPLIT_ALIGN * Math.min(a[qext], b[qext]);
}
