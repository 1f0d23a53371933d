/**
 * Plane projective maps (3×3, row-major, h[8] normalised to 1) between module coordinates (x = column,
 * y = row, in modules) and image pixels.
 */
export type Mat3 = Float64Array; // length 9
export type Pt = readonly [number, number];

/** The map taking the unit square's (0,0),(1,0),(1,1),(0,1) to p0..p3 (Heckbert's closed form). */
export function squareToQuad(p0: Pt, p1: Pt, p2: Pt, p3: Pt): Mat3 | null {
  const [x0, y0] = p0, [x1, y1] = p1, [x2, y2] = p2, [x3, y3] = p3;
  const dx3 = x0 - x1 + x2 - x3, dy3 = y0 - y1 + y2 - y3;
  const h = new Float64Array(9);
  if (Math.abs(dx3) < 1e-9 && Math.abs(dy3) < 1e-9) {
    h.set([x1 - x0, x3 - x0, x0, y1 - y0, y3 - y0, y0, 0, 0, 1]);
    return h;
  }
  const dx1 = x1 - x2, dx2 = x3 - x2, dy1 = y1 - y2, dy2 = y3 - y2;
  const den = dx1 * dy2 - dx2 * dy1;
  if (Math.abs(den) < 1e-12) return null;
  const g = (dx3 * dy2 - dx2 * dy3) / den, k = (dx1 * dy3 - dx3 * dy1) / den;
  h.set([x1 - x0 + g * x1, x3 - x0 + k * x3, x0, y1 - y0 + g * y1, y3 - y0 + k * y3, y0, g, k, 1]);
  return h;
}

export function multiply(a: Mat3, b: Mat3): Mat3 {
  const r = new Float64Array(9);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) r[i * 3 + j] = a[i * 3]! * b[j]! + a[i * 3 + 1]! * b[3 + j]! + a[i * 3 + 2]! * b[6 + j]!;
  }
  return r;
}

export function invert3(m: Mat3): Mat3 | null {
  const [a, b, c, d, e, f, g, h, i] = m as unknown as number[];
  const A = e! * i! - f! * h!, B = -(d! * i! - f! * g!), C = d! * h! - e! * g!;
  const det = a! * A + b! * B + c! * C;
  if (Math.abs(det) < 1e-15) return null;
  const r = new Float64Array([
    A, -(b! * i! - c! * h!), b! * f! - c! * e!,
    B, a! * i! - c! * g!, -(a! * f! - c! * d!),
    C, -(a! * h! - b! * g!), a! * e! - b! * d!,
  ]);
  for (let k = 0; k < 9; k++) r[k]! /= det;
  return r;
}

/** The map taking quad q (4 points) to quad p (4 points). */
export function quadToQuad(q: readonly Pt[], p: readonly Pt[]): Mat3 | null {
  const a = squareToQuad(q[0]!, q[1]!, q[2]!, q[3]!), b = squareToQuad(p[0]!, p[1]!, p[2]!, p[3]!);
  if (!a || !b) return null;
  const ai = invert3(a);
  return ai ? multiply(b, ai) : null;
}

/** Apply `h` to (x, y); writes into `out` (no allocation in hot loops). Returns false behind the horizon. */
export function project(h: Mat3, x: number, y: number, out: [number, number]): boolean {
  const w = h[6]! * x + h[7]! * y + h[8]!;
  if (w <= 1e-9) return false;
  out[0] = (h[0]! * x + h[1]! * y + h[2]!) / w;
  out[1] = (h[3]! * x + h[4]! * y + h[5]!) / w;
  return true;
}

/**
 * Least-squares homography from n ≥ 4 correspondences src → dst (DLT with h8 = 1, normal equations, points
 * normalised for conditioning). Null when degenerate.
 */
export function fitHomography(src: readonly Pt[], dst: readonly Pt[], weights?: readonly number[]): Mat3 | null {
  const n = src.length;
  if (n < 4 || dst.length !== n) return null;
  const ns = normaliser(src), nd = normaliser(dst);
  const M = new Float64Array(64), v = new Float64Array(8);
  const row = new Float64Array(8);
  for (let k = 0; k < n; k++) {
    const w = weights ? weights[k]! : 1;
    const x = (src[k]![0] - ns.cx) * ns.s, y = (src[k]![1] - ns.cy) * ns.s;
    const u = (dst[k]![0] - nd.cx) * nd.s, vv = (dst[k]![1] - nd.cy) * nd.s;
    row.set([x, y, 1, 0, 0, 0, -u * x, -u * y]);
    accumulate(M, v, row, u, w);
    row.set([0, 0, 0, x, y, 1, -vv * x, -vv * y]);
    accumulate(M, v, row, vv, w);
  }
  const sol = solve(M, v, 8);
  if (!sol) return null;
  const hn = new Float64Array([sol[0]!, sol[1]!, sol[2]!, sol[3]!, sol[4]!, sol[5]!, sol[6]!, sol[7]!, 1]);
  // h = Nd^-1 · hn · Ns
  const Ns = new Float64Array([ns.s, 0, -ns.s * ns.cx, 0, ns.s, -ns.s * ns.cy, 0, 0, 1]);
  const NdInv = new Float64Array([1 / nd.s, 0, nd.cx, 0, 1 / nd.s, nd.cy, 0, 0, 1]);
  const h = multiply(NdInv, multiply(hn, Ns));
  const z = h[8]!;
  if (Math.abs(z) < 1e-15) return null;
  for (let k = 0; k < 9; k++) h[k]! /= z;
  return h;
}

function normaliser(pts: readonly Pt[]): { cx: number; cy: number; s: number } {
  let cx = 0, cy = 0;
  for (const p of pts) { cx += p[0]; cy += p[1]; }
  cx /= pts.length; cy /= pts.length;
  let d = 0;
  for (const p of pts) d += Math.hypot(p[0] - cx, p[1] - cy);
  d /= pts.length;
  return { cx, cy, s: d > 1e-12 ? Math.SQRT2 / d : 1 };
}

function accumulate(M: Float64Array, v: Float64Array, row: Float64Array, rhs: number, w: number): void {
  for (let i = 0; i < 8; i++) {
    const ri = row[i]! * w;
    if (ri === 0) continue;
    v[i]! += ri * rhs;
    for (let j = 0; j < 8; j++) M[i * 8 + j]! += ri * row[j]!;
  }
}

/** Gaussian elimination with partial pivoting on an n×n system (M and v are consumed). */
export function solve(M: Float64Array, v: Float64Array, n: number): Float64Array | null {
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r * n + c]!) > Math.abs(M[p * n + c]!)) p = r;
    if (Math.abs(M[p * n + c]!) < 1e-12) return null;
    if (p !== c) {
      for (let j = 0; j < n; j++) { const t = M[c * n + j]!; M[c * n + j] = M[p * n + j]!; M[p * n + j] = t; }
      const t = v[c]!; v[c] = v[p]!; v[p] = t;
    }
    for (let r = c + 1; r < n; r++) {
      const f = M[r * n + c]! / M[c * n + c]!;
      if (f === 0) continue;
      for (let j = c; j < n; j++) M[r * n + j]! -= f * M[c * n + j]!;
      v[r]! -= f * v[c]!;
    }
  }
  const x = new Float64Array(n);
  for (let r = n - 1; r >= 0; r--) {
    let s = v[r]!;
    for (let j = r + 1; j < n; j++) s -= M[r * n + j]! * x[j]!;
    x[r] = s / M[r * n + r]!;
  }
  return x;
}
