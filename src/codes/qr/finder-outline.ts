/**
 * A finder's outer square in the image: its four corners, found from the outer edge of its dark ring. Two visible
 * finders' eight corners sit at known module positions, so they give the symbol's homography — both axes' scale
 * and perspective — where the two finder centres alone leave the missing third finder's place to a right-angle
 * guess (the two-finder fallback of finder-pairs.ts; a glare spot over one finder is the usual cause).
 *
 * The square's sides fall into two groups by their gradient direction (edgeNormals); along each group's normal the
 * ring's outer edge points project furthest out at its two sides, whose lines meet at the corners.
 */
import type { GrayImage } from "../zxing.js";
import type { FinderCandidate } from "./finder-scan.js";
import { fitHomography, project, type Mat3, type Pt } from "./homography.js";
import { bilinear } from "./sampler.js";

/** Orientation bins over 180°. */
const BINS = 36;
/** The second group of edges must lie this many bins (5° each) from the first. */
const MIN_SEPARATION = 6;
/** Gradients below this (central differences) are not edges. */
const MIN_GRADIENT = 16;
/** Rays cast from the centre to the ring's outer edge. */
const RAYS = 48;
/** Share of edge points, at each end of a normal's projections, left out as strays. */
const TRIM = 0.04;

/** Outer corners of the finder in order around the square (image orientation: starting anywhere), or null. */
export function finderCorners(img: GrayImage, f: FinderCandidate): Pt[] | null {
  const normals = edgeNormals(img, f);
  if (!normals) return null;
  const pts = ringEdge(img, f);
  if (pts.length < RAYS / 2) return null;
  // Each normal: the two side lines n·p = lo and n·p = hi.
  const sides = normals.map((t) => {
    const nx = Math.cos(t), ny = Math.sin(t);
    const proj = pts.map(([x, y]) => nx * x + ny * y).sort((a, b) => a - b);
    const k = Math.floor(TRIM * proj.length);
    return { nx, ny, lo: proj[k]!, hi: proj[proj.length - 1 - k]! };
  });
  const [a, b] = sides as [typeof sides[0], typeof sides[0]];
  const meet = (ca: number, cb: number): Pt | null => {
    const det = a.nx * b.ny - a.ny * b.nx;
    if (Math.abs(det) < 0.2) return null;
    return [(ca * b.ny - a.ny * cb) / det, (a.nx * cb - ca * b.nx) / det];
  };
  const rough = [meet(a.lo, b.lo), meet(a.hi, b.lo), meet(a.hi, b.hi), meet(a.lo, b.hi)].filter((c): c is Pt => c !== null);
  if (rough.length < 4) return null;
  // Perspective leaves opposite sides not quite parallel: each side's own line through the edge points nearest it.
  const corners = refineSides(rough, pts) ?? rough;
  // Each side about 7 modules.
  const side = (Math.hypot(corners[1]![0] - corners[0]![0], corners[1]![1] - corners[0]![1]) + Math.hypot(corners[3]![0] - corners[0]![0], corners[3]![1] - corners[0]![1])) / 2;
  if (side < 4 * f.module || side > 11 * f.module) return null;
  return corners;
}

/**
 * The homography (module → image, in (along the pair, across it) coordinates) that puts the corner finder `c`
 * (outline `cc`) at modules 0..7 of both axes and the finder `o` (outline `oc`) at dim−7..dim along the axis
 * through both, the missing finder on the side of `toward`; null when an outline's corners are not one of each.
 */
export function pairHomography(
  c: FinderCandidate, cc: readonly Pt[], o: FinderCandidate, oc: readonly Pt[], dim: number, toward: readonly [number, number],
): Mat3 | null {
  const ux = o.x - c.x, uy = o.y - c.y;
  const src: Pt[] = [], dst: Pt[] = [];
  for (const [corners, f, u0] of [[cc, c, 0], [oc, o, dim - 7]] as const) {
    const kinds = new Set<number>();
    for (const p of corners) {
      const dx = p[0] - f.x, dy = p[1] - f.y;
      // Along the pair's axis: before or after the centre; across it: toward the missing finder or away.
      const after = dx * ux + dy * uy > 0, toward_ = dx * toward[0] + dy * toward[1] > 0;
      kinds.add((after ? 1 : 0) + (toward_ ? 2 : 0));
      src.push([u0 + (after ? 7 : 0), toward_ ? 7 : 0]);
      dst.push(p);
    }
    if (kinds.size < 4) return null; // a corner of each kind, or the outline is not the finder's square
  }
  return fitHomography(src, dst);
}

/** Image points of module-space points through h. */
export function through(h: Mat3, pts: readonly Pt[]): Pt[] | null {
  const out: Pt[] = [];
  const p: [number, number] = [0, 0];
  for (const [x, y] of pts) {
    if (!project(h, x, y, p)) return null;
    out.push([p[0], p[1]]);
  }
  return out;
}

/** Each side refitted (total least squares) to the edge points nearest it, away from the corners; adjacent sides
 * intersected. Null when a side has too few points. */
function refineSides(q: readonly Pt[], pts: readonly Pt[]): Pt[] | null {
  const lines: { px: number; py: number; dx: number; dy: number }[] = [];
  for (let k = 0; k < 4; k++) {
    const p0 = q[k]!, p1 = q[(k + 1) % 4]!;
    const ex = p1[0] - p0[0], ey = p1[1] - p0[1], len2 = ex * ex + ey * ey;
    const mine = pts.filter((p) => {
      const t = ((p[0] - p0[0]) * ex + (p[1] - p0[1]) * ey) / len2;
      if (t < 0.15 || t > 0.85) return false;
      const dist = Math.abs((p[0] - p0[0]) * ey - (p[1] - p0[1]) * ex) / Math.sqrt(len2);
      return dist < 0.12 * Math.sqrt(len2);
    });
    if (mine.length < 3) return null;
    let mx = 0, my = 0;
    for (const p of mine) { mx += p[0]; my += p[1]; }
    mx /= mine.length; my /= mine.length;
    let sxx = 0, sxy = 0, syy = 0;
    for (const p of mine) { const x = p[0] - mx, y = p[1] - my; sxx += x * x; sxy += x * y; syy += y * y; }
    const t = 0.5 * Math.atan2(2 * sxy, sxx - syy);
    lines.push({ px: mx, py: my, dx: Math.cos(t), dy: Math.sin(t) });
  }
  const out: Pt[] = [];
  for (let k = 0; k < 4; k++) {
    // Corner k joins side k−1 (ending at it) and side k (starting at it).
    const l1 = lines[(k + 3) % 4]!, l2 = lines[k]!;
    const det = l1.dx * -l2.dy - l1.dy * -l2.dx;
    if (Math.abs(det) < 0.2) return null;
    const rx = l2.px - l1.px, ry = l2.py - l1.py;
    const s1 = (rx * -l2.dy - ry * -l2.dx) / det;
    out.push([l1.px + s1 * l1.dx, l1.py + s1 * l1.dy]);
  }
  // A refit that moved a corner by more than a module is not the same square.
  return out.every((c, k) => Math.hypot(c[0] - q[k]![0], c[1] - q[k]![1]) < Math.hypot(q[1]![0] - q[0]![0], q[1]![1] - q[0]![1]) / 7) ? out : null;
}

/** Points on the outer edge of the finder's dark ring: along each ray, dark core, light ring, dark ring, then light. */
function ringEdge(img: GrayImage, f: FinderCandidate): Pt[] {
  const { lo, hi } = levels(img, f);
  const thr = (lo + hi) / 2, dark = f.dark;
  const isDark = (v: number) => (v < thr) === dark;
  const out: Pt[] = [];
  const maxR = 6 * f.module, step = Math.max(0.35, f.module / 6);
  for (let k = 0; k < RAYS; k++) {
    const t = (2 * Math.PI * k) / RAYS, dx = Math.cos(t), dy = Math.sin(t);
    let phase = 0; // 0 core, 1 light ring, 2 dark ring
    for (let r = 0; r <= maxR; r += step) {
      const x = f.x + dx * r, y = f.y + dy * r;
      if (x < 0 || y < 0 || x > img.width - 1 || y > img.height - 1) break;
      const d = isDark(bilinear(img, x, y));
      if (phase === 0 && !d) phase = 1;
      else if (phase === 1 && d) phase = 2;
      else if (phase === 2 && !d) { out.push([x - dx * step / 2, y - dy * step / 2]); break; }
    }
  }
  return out;
}

/** Dark and light levels around the finder (10th and 90th percentiles over its square). */
function levels(img: GrayImage, f: FinderCandidate): { lo: number; hi: number } {
  const hist = new Uint32Array(256);
  const r = Math.ceil(4 * f.module), step = Math.max(1, Math.floor(f.module / 2));
  let n = 0;
  for (let y = Math.max(0, Math.floor(f.y - r)); y <= Math.min(img.height - 1, f.y + r); y += step) {
    for (let x = Math.max(0, Math.floor(f.x - r)); x <= Math.min(img.width - 1, f.x + r); x += step) { hist[img.data[y * img.width + x]!]!++; n++; }
  }
  const at = (q: number) => { let acc = 0; for (let v = 0; v < 256; v++) if ((acc += hist[v]!) > q * n) return v; return 255; };
  return { lo: at(0.1), hi: at(0.9) };
}

/** The two dominant gradient orientations (radians in [0, π)) over the finder's square, strongest first: the two
 * strongest bins well apart, each refined to the magnitude-weighted mean orientation of the gradients within
 * REFINE_RADIUS of it (a pixel staircase spreads one edge's gradients over several bins). */
function edgeNormals(img: GrayImage, f: FinderCandidate): [number, number] | null {
  const { width: w, height: h, data: d } = img;
  const r = Math.ceil(4.5 * f.module);
  const x0 = Math.max(1, Math.floor(f.x - r)), x1 = Math.min(w - 2, Math.ceil(f.x + r));
  const y0 = Math.max(1, Math.floor(f.y - r)), y1 = Math.min(h - 2, Math.ceil(f.y + r));
  const step = Math.max(1, Math.floor(f.module / 3));
  const hist = new Float64Array(BINS);
  const angles: number[] = [], weights: number[] = [];
  for (let y = y0; y <= y1; y += step) {
    for (let x = x0; x <= x1; x += step) {
      const i = y * w + x;
      const gx = d[i + 1]! - d[i - 1]!, gy = d[i + w]! - d[i - w]!;
      const m = Math.hypot(gx, gy);
      if (m < MIN_GRADIENT) continue;
      let t = Math.atan2(gy, gx);
      if (t < 0) t += Math.PI;
      hist[Math.min(BINS - 1, Math.floor((t / Math.PI) * BINS))]! += m;
      angles.push(t);
      weights.push(m);
    }
  }
  const smooth = hist.map((_, k) => hist[(k + BINS - 1) % BINS]! + 2 * hist[k]! + hist[(k + 1) % BINS]!);
  let a = 0;
  for (let k = 1; k < BINS; k++) if (smooth[k]! > smooth[a]!) a = k;
  let b = -1;
  for (let k = 0; k < BINS; k++) {
    const sep = Math.min(Math.abs(k - a), BINS - Math.abs(k - a));
    if (sep >= MIN_SEPARATION && (b < 0 || smooth[k]! > smooth[b]!)) b = k;
  }
  if (b < 0 || smooth[b]! < 0.25 * smooth[a]!) return null;
  return [refine(angles, weights, ((a + 0.5) / BINS) * Math.PI), refine(angles, weights, ((b + 0.5) / BINS) * Math.PI)];
}

/** Orientations within this of a peak (radians) average into it. */
const REFINE_RADIUS = (20 * Math.PI) / 180;

/** Weighted mean orientation (doubled angles, so that 179° and 1° average to 0°) of those near `peak`. */
function refine(angles: readonly number[], weights: readonly number[], peak: number): number {
  let c = 0, s = 0;
  for (let i = 0; i < angles.length; i++) {
    let diff = Math.abs(angles[i]! - peak);
    if (diff > Math.PI / 2) diff = Math.PI - diff;
    if (diff > REFINE_RADIUS) continue;
    c += weights[i]! * Math.cos(2 * angles[i]!);
    s += weights[i]! * Math.sin(2 * angles[i]!);
  }
  let t = Math.atan2(s, c) / 2;
  if (t < 0) t += Math.PI;
  return t;
}
