/** Plane geometry for the generator and the scorer: homographies, quads, axis-aligned boxes, IoU. */

export interface Pt {
  x: number;
  y: number;
}

/** Axis-aligned box in the OSS / IMM field names. */
export interface Box {
  Left: number;
  Top: number;
  Width: number;
  Height: number;
}

/** Row-major 3x3 matrix. */
export type Mat3 = [number, number, number, number, number, number, number, number, number];

export function applyH(h: Mat3, p: Pt): Pt {
  const w = h[6] * p.x + h[7] * p.y + h[8];
  return { x: (h[0] * p.x + h[1] * p.y + h[2]) / w, y: (h[3] * p.x + h[4] * p.y + h[5]) / w };
}

/** The homography mapping src[i] to dst[i] (4 point pairs), by solving the 8x8 DLT system. */
export function homography(src: readonly Pt[], dst: readonly Pt[]): Mat3 {
  const a: number[][] = [];
  for (let i = 0; i < 4; i++) {
    const s = src[i]!;
    const d = dst[i]!;
    a.push([s.x, s.y, 1, 0, 0, 0, -d.x * s.x, -d.x * s.y, d.x]);
    a.push([0, 0, 0, s.x, s.y, 1, -d.y * s.x, -d.y * s.y, d.y]);
  }
  const x = solve(a);
  return [x[0]!, x[1]!, x[2]!, x[3]!, x[4]!, x[5]!, x[6]!, x[7]!, 1];
}

export function invert(m: Mat3): Mat3 {
  const [a, b, c, d, e, f, g, h, i] = m;
  const A = e * i - f * h;
  const B = -(d * i - f * g);
  const C = d * h - e * g;
  const det = a * A + b * B + c * C;
  if (Math.abs(det) < 1e-12) throw new Error("singular homography");
  const k = 1 / det;
  return [
    A * k, -(b * i - c * h) * k, (b * f - c * e) * k,
    B * k, (a * i - c * g) * k, -(a * f - c * d) * k,
    C * k, -(a * h - b * g) * k, (a * e - b * d) * k,
  ];
}

/** Gaussian elimination with partial pivoting on an augmented n x (n+1) matrix. */
function solve(m: number[][]): number[] {
  const n = m.length;
  for (let col = 0; col < n; col++) {
    let piv = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[piv]![col]!)) piv = r;
    [m[col], m[piv]] = [m[piv]!, m[col]!];
    const p = m[col]!;
    if (Math.abs(p[col]!) < 1e-12) throw new Error("degenerate point set");
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const row = m[r]!;
      const f = row[col]! / p[col]!;
      if (f === 0) continue;
      for (let c = col; c <= n; c++) row[c] = row[c]! - f * p[c]!;
    }
  }
  return m.map((row, i) => row[n]! / row[i]!);
}

export function boundsOf(points: readonly Pt[]): Box {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const p of points) {
    minX = Math.min(minX, p.x); minY = Math.min(minY, p.y);
    maxX = Math.max(maxX, p.x); maxY = Math.max(maxY, p.y);
  }
  return { Left: minX, Top: minY, Width: maxX - minX, Height: maxY - minY };
}

export function roundBox(b: Box): Box {
  const l = Math.round(b.Left), t = Math.round(b.Top);
  return { Left: l, Top: t, Width: Math.round(b.Left + b.Width) - l, Height: Math.round(b.Top + b.Height) - t };
}

export function iou(a: Box, b: Box): number {
  const x0 = Math.max(a.Left, b.Left), y0 = Math.max(a.Top, b.Top);
  const x1 = Math.min(a.Left + a.Width, b.Left + b.Width), y1 = Math.min(a.Top + a.Height, b.Top + b.Height);
  const inter = Math.max(0, x1 - x0) * Math.max(0, y1 - y0);
  const union = a.Width * a.Height + b.Width * b.Height - inter;
  return union > 0 ? inter / union : 0;
}

/** True if the boxes, each grown by `margin` px, overlap. */
export function overlaps(a: Box, b: Box, margin = 0): boolean {
  return !(a.Left + a.Width + margin <= b.Left || b.Left + b.Width + margin <= a.Left ||
    a.Top + a.Height + margin <= b.Top || b.Top + b.Height + margin <= a.Top);
}
