/**
 * Surface -> image mappings. Each maps a printed surface's own coordinates (u, v; one unit = one module for
 * code labels) to image pixels and back, and gives the shading the surface's orientation receives there.
 * The inverse (image -> surface) runs once per pixel corner, so every model is written with a closed-form
 * inverse; the forward direction (used only for ground-truth corners and bounds) may iterate.
 */
import { hyp } from "./canvas.js";
import { applyH, homography, invert, type Mat3, type Pt } from "../synthetic/geometry.js";
import { ValueNoise } from "./noise.js";

export type { Mat3, Pt };

export interface Mapping {
  /**
   * Image (x, y) -> surface: out[0] = u, out[1] = v, out[2] = shade (multiplies the surface colour),
   * out[3] = specular (added, 0..255 scale). False when the pixel's ray misses the surface.
   */
  inverse(x: number, y: number, out: Float64Array): boolean;
  forward(u: number, v: number): Pt;
}

export function mulH(a: Mat3, b: Mat3): Mat3 {
  const r = new Array<number>(9);
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
    r[i * 3 + j] = a[i * 3]! * b[j]! + a[i * 3 + 1]! * b[3 + j]! + a[i * 3 + 2]! * b[6 + j]!;
  }
  return r as Mat3;
}

/** Similarity in a plane: scale s, rotation `angle` (rad), then translation (tx, ty). */
export function similarity(s: number, angle: number, tx: number, ty: number): Mat3 {
  const c = Math.cos(angle) * s, n = Math.sin(angle) * s;
  return [c, -n, tx, n, c, ty, 0, 0, 1];
}

export class PlanarMapping implements Mapping {
  readonly inv: Mat3;
  constructor(readonly h: Mat3) {
    this.inv = invert(h);
  }
  inverse(x: number, y: number, out: Float64Array): boolean {
    const m = this.inv;
    const w = m[6] * x + m[7] * y + m[8];
    if (w <= 0) return false;
    out[0] = (m[0] * x + m[1] * y + m[2]) / w;
    out[1] = (m[3] * x + m[4] * y + m[5]) / w;
    out[2] = 1; out[3] = 0;
    return true;
  }
  forward(u: number, v: number): Pt {
    return applyH(this.h, { x: u, y: v });
  }
}

/** Pinhole camera: focal length and principal point in pixels. */
export interface Camera {
  readonly f: number;
  readonly cx: number;
  readonly cy: number;
}

export interface PlanePose {
  /** Image position of the surface point (uc, vc). */
  readonly px: number;
  readonly py: number;
  readonly uc: number;
  readonly vc: number;
  /** Pixels per surface unit at the anchor, before foreshortening. */
  readonly scale: number;
  /** In-plane rotation (rad). */
  readonly roll: number;
  /** Out-of-plane tilt (rad) about an in-plane axis at angle `tiltAxis` (rad). */
  readonly tilt: number;
  readonly tiltAxis: number;
}

/** Rotate (x, y, z) about the unit axis (ax, ay, 0) by `t` (Rodrigues). */
function rotAboutInPlaneAxis(x: number, y: number, ax: number, ay: number, t: number): [number, number, number] {
  const c = Math.cos(t), s = Math.sin(t), dot = x * ax + y * ay;
  // v cos t + (k x v) sin t + k (k.v)(1 - cos t), with v = (x, y, 0), k = (ax, ay, 0): k x v = (0, 0, ax*y - ay*x)
  return [x * c + ax * dot * (1 - c), y * c + ay * dot * (1 - c), (ax * y - ay * x) * s];
}

/** The homography (surface units -> image px) of a plane posed in front of a pinhole camera. */
export function planeHomography(cam: Camera, pose: PlanePose): Mat3 {
  const src: Pt[] = [{ x: pose.uc - 1, y: pose.vc - 1 }, { x: pose.uc + 1, y: pose.vc - 1 }, { x: pose.uc + 1, y: pose.vc + 1 }, { x: pose.uc - 1, y: pose.vc + 1 }]
    .map((p) => ({ x: pose.uc + (p.x - pose.uc) * 50, y: pose.vc + (p.y - pose.vc) * 50 }));
  const dst = src.map((p) => projectPlanePoint(cam, pose, p.x, p.y));
  return homography(src, dst);
}

export function projectPlanePoint(cam: Camera, pose: PlanePose, u: number, v: number): Pt {
  const cr = Math.cos(pose.roll), sr = Math.sin(pose.roll);
  const x0 = (u - pose.uc) * pose.scale, y0 = (v - pose.vc) * pose.scale;
  const x1 = x0 * cr - y0 * sr, y1 = x0 * sr + y0 * cr;
  const [X, Y, Z] = rotAboutInPlaneAxis(x1, y1, Math.cos(pose.tiltAxis), Math.sin(pose.tiltAxis), pose.tilt);
  const Z0 = cam.f, X0 = ((pose.px - cam.cx) * Z0) / cam.f, Y0 = ((pose.py - cam.cy) * Z0) / cam.f;
  const z = Z0 + Z;
  return { x: cam.cx + (cam.f * (X0 + X)) / z, y: cam.cy + (cam.f * (Y0 + Y)) / z };
}

/**
 * Radial lens distortion around (cx, cy): an image point at normalised radius r_d shows the undistorted
 * point at r_u = r_d (1 + k r_d^2) (k > 0: barrel). The radius is normalised by `norm` px.
 */
export class LensMapping implements Mapping {
  constructor(private readonly inner: Mapping, private readonly cx: number, private readonly cy: number, private readonly k: number, private readonly norm: number) {}
  inverse(x: number, y: number, out: Float64Array): boolean {
    const dx = (x - this.cx) / this.norm, dy = (y - this.cy) / this.norm;
    const f = 1 + this.k * (dx * dx + dy * dy);
    return this.inner.inverse(this.cx + dx * f * this.norm, this.cy + dy * f * this.norm, out);
  }
  forward(u: number, v: number): Pt {
    const p = this.inner.forward(u, v);
    const dx = (p.x - this.cx) / this.norm, dy = (p.y - this.cy) / this.norm;
    const ru = hyp(dx, dy);
    if (ru < 1e-9) return p;
    let rd = ru;
    for (let i = 0; i < 30; i++) { // Newton on rd (1 + k rd^2) = ru
      const g = rd * (1 + this.k * rd * rd) - ru, dg = 1 + 3 * this.k * rd * rd;
      rd -= g / dg;
    }
    const s = rd / ru;
    return { x: this.cx + dx * s * this.norm, y: this.cy + dy * s * this.norm };
  }
}

export interface Light {
  /** Unit vector from the surface towards the light, camera frame (x right, y down, z into the scene). */
  readonly dir: [number, number, number];
  readonly ambient: number;
  readonly diffuse: number;
  /** Specular strength (0..1 of full scale) and exponent; 0 = matte. */
  readonly specular: number;
  readonly shininess: number;
}

/**
 * A surface wrapped on a cylinder (bottle, can): the surface's u runs around the circumference, v along the
 * axis. The cylinder (radius `radius` px-at-depth-f) has its axis through (X0, Y0, Z0) in camera space,
 * turned by `roll` about the optical axis and `pitch` towards the camera. Shading is Lambert plus a Blinn
 * highlight: the bright vertical band of a glossy bottle.
 */
export class CylinderMapping implements Mapping {
  private readonly m: number[]; // cylinder frame -> camera, row-major 3x3
  private readonly o: [number, number, number]; // camera origin in the cylinder frame
  private readonly specCut: number; // below this n.h the highlight adds less than 1/4 level
  constructor(
    private readonly cam: Camera,
    private readonly radius: number,
    private readonly centre: [number, number, number],
    roll: number, pitch: number,
    /** Surface units -> px-at-depth-f, and the surface point at the front of the axis centre. */
    private readonly scale: number, private readonly uc: number, private readonly vc: number,
    private readonly light: Light,
  ) {
    const cr = Math.cos(roll), sr = Math.sin(roll), cp = Math.cos(pitch), sp = Math.sin(pitch);
    // M = Rz(roll) * Rx(pitch)
    this.m = [cr, -sr * cp, sr * sp, sr, cr * cp, -cr * sp, 0, sp, cp];
    const [X, Y, Z] = centre, m = this.m;
    // o' = M^T (0 - C)
    this.specCut = light.specular > 0 ? Math.pow(0.25 / (255 * light.specular), 1 / light.shininess) : 2;
    this.o = [-(m[0]! * X + m[3]! * Y + m[6]! * Z), -(m[1]! * X + m[4]! * Y + m[7]! * Z), -(m[2]! * X + m[5]! * Y + m[8]! * Z)];
  }

  inverse(x: number, y: number, out: Float64Array): boolean {
    const m = this.m, c = this.cam;
    const dx = (x - c.cx) / c.f, dy = (y - c.cy) / c.f;
    const ex = m[0]! * dx + m[3]! * dy + m[6]!, ey = m[1]! * dx + m[4]! * dy + m[7]!, ez = m[2]! * dx + m[5]! * dy + m[8]!;
    const [ox, oy, oz] = this.o, R = this.radius;
    const a = ex * ex + ez * ez, b = 2 * (ox * ex + oz * ez), cc = ox * ox + oz * oz - R * R;
    const disc = b * b - 4 * a * cc;
    if (disc < 0 || a < 1e-12) return false;
    const t = (-b - Math.sqrt(disc)) / (2 * a);
    if (t <= 0) return false;
    const qx = ox + t * ex, qy = oy + t * ey, qz = oz + t * ez;
    const phi = Math.atan2(qx, -qz);
    out[0] = this.uc + (phi * R) / this.scale;
    out[1] = this.vc + qy / this.scale;
    // Normal (sin phi, 0, -cos phi) in camera space; view vector towards the camera.
    const nx0 = qx / R, nz0 = qz / R;
    const nx = m[0]! * nx0 + m[2]! * nz0, ny = m[3]! * nx0 + m[5]! * nz0, nz = m[6]! * nx0 + m[8]! * nz0;
    const L = this.light;
    const ndl = nx * L.dir[0] + ny * L.dir[1] + nz * L.dir[2];
    out[2] = L.ambient + L.diffuse * (ndl > 0 ? ndl : 0);
    if (L.specular > 0) {
      const vl = Math.sqrt(dx * dx + dy * dy + 1);
      const hx = L.dir[0] - dx / vl, hy = L.dir[1] - dy / vl, hz = L.dir[2] - 1 / vl, hl = Math.sqrt(hx * hx + hy * hy + hz * hz) || 1;
      const ndh = (nx * hx + ny * hy + nz * hz) / hl;
      out[3] = ndh > this.specCut ? 255 * L.specular * Math.pow(ndh, L.shininess) : 0;
    } else out[3] = 0;
    return true;
  }

  forward(u: number, v: number): Pt {
    const R = this.radius, phi = ((u - this.uc) * this.scale) / R, yy = (v - this.vc) * this.scale;
    const qx = R * Math.sin(phi), qz = -R * Math.cos(phi), m = this.m, [X, Y, Z] = this.centre;
    const px = X + m[0]! * qx + m[1]! * yy + m[2]! * qz, py = Y + m[3]! * qx + m[4]! * yy + m[5]! * qz, pz = Z + m[6]! * qx + m[7]! * yy + m[8]! * qz;
    return { x: this.cam.cx + (this.cam.f * px) / pz, y: this.cam.cy + (this.cam.f * py) / pz };
  }

  /** Whether the surface point faces the camera (for bounds of the visible part). */
  visible(u: number, v: number): boolean {
    const p = this.forward(u, v), o = new Float64Array(4);
    if (!this.inverse(p.x, p.y, o)) return false;
    return Math.abs(o[0]! - u) < 1e-3 * Math.max(1, Math.abs(u)) && Math.abs(o[1]! - v) < 1e-3 * Math.max(1, Math.abs(v));
  }
}

/** One fold of a sheet: the part beyond the line (signed distance > 0) turns away by `theta`. */
export interface Fold {
  /** A point on the fold line and the unit normal pointing to the folded side, in the previous stage's coordinates. */
  readonly px: number;
  readonly py: number;
  readonly nx: number;
  readonly ny: number;
  /** Turn of the far side (rad) and the width of the rounded crease (surface units). */
  readonly theta: number;
  readonly width: number;
  /** Brightness change of the far side (multiplier - 1) and of the crease line itself. */
  readonly step: number;
  readonly crease: number;
}

/** Distance across a fold: the far side foreshortened by cos(theta), bending smoothly over the crease width. */
function foldG(f: Fold, d: number): number {
  if (d <= 0) return d;
  const w = f.width, th = f.theta;
  if (d < w) return (w / th) * Math.sin((th * d) / w);
  return (w / th) * Math.sin(th) + (d - w) * Math.cos(th);
}

function foldGInv(f: Fold, e: number): number {
  if (e <= 0) return e;
  const w = f.width, th = f.theta, gw = (w / th) * Math.sin(th);
  if (e < gw) return (w / th) * Math.asin(Math.min(1, (e * th) / w));
  return w + (e - gw) / Math.cos(th);
}

function foldShade(f: Fold, d: number): number {
  if (d <= -f.width) return 1;
  const t = d <= 0 ? 0 : d >= f.width ? 1 : d / f.width;
  const bump = Math.exp(-((d / (0.35 * f.width + 1e-6)) ** 2));
  return (1 + f.step * t * t * (3 - 2 * t)) * (1 + f.crease * bump);
}

/**
 * A sheet folded along 1-3 lines, then posed by a homography (sheet -> image). Surface -> sheet applies
 * the folds in order; the inverse undoes them in reverse. Shading steps at each fold.
 */
export class FoldMapping implements Mapping {
  private readonly hInv: Mat3;
  constructor(private readonly folds: readonly Fold[], private readonly h: Mat3) {
    this.hInv = invert(h);
  }
  inverse(x: number, y: number, out: Float64Array): boolean {
    const m = this.hInv, w = m[6] * x + m[7] * y + m[8];
    if (w <= 0) return false;
    let sx = (m[0] * x + m[1] * y + m[2]) / w, sy = (m[3] * x + m[4] * y + m[5]) / w;
    let shade = 1;
    for (let i = this.folds.length - 1; i >= 0; i--) {
      const f = this.folds[i]!;
      const e = (sx - f.px) * f.nx + (sy - f.py) * f.ny;
      const d = foldGInv(f, e);
      sx += (d - e) * f.nx; sy += (d - e) * f.ny;
      shade *= foldShade(f, d);
    }
    out[0] = sx; out[1] = sy; out[2] = shade; out[3] = 0;
    return true;
  }
  forward(u: number, v: number): Pt {
    let sx = u, sy = v;
    for (const f of this.folds) {
      const d = (sx - f.px) * f.nx + (sy - f.py) * f.ny, e = foldG(f, d);
      sx += (e - d) * f.nx; sy += (e - d) * f.ny;
    }
    return applyH(this.h, { x: sx, y: sy });
  }
}

/** One crease of a crumpled sheet: a finite ridge or valley line. */
export interface Crease {
  /** Centre, unit direction along the crease, length scale (surface units) and slope on each side (signed). */
  readonly cx: number;
  readonly cy: number;
  readonly tx: number;
  readonly ty: number;
  readonly len: number;
  readonly slope: number;
}

/**
 * Crumpled paper: a height field made of finite creases (each a ridge or valley |distance| fading along its
 * length: flat facets meeting at sharp lines) plus a smooth low-frequency swell. Seen at an angle, a point
 * at height h appears shifted by parallax along the viewing direction (dx, dy): the print is displaced by
 * parallax * h (continuous, kinked at the creases), and shaded by its slope towards the light (stepping at
 * every crease). surface = sheet + D(sheet): closed form image -> surface; the forward direction iterates.
 */
export class CrumpleMapping implements Mapping {
  private readonly hInv: Mat3;
  private readonly g = new Float64Array(3);
  constructor(
    private readonly creases: readonly Crease[],
    private readonly noise: ValueNoise, private readonly swellCell: number, private readonly swellAmp: number,
    private readonly parallax: number, private readonly dx: number, private readonly dy: number,
    private readonly shadeK: number, private readonly lx: number, private readonly ly: number,
    private readonly h: Mat3,
  ) {
    this.hInv = invert(h);
  }
  /** Height and gradient at (x, y) into g[0..2]. */
  private field(x: number, y: number): Float64Array {
    let h = 0, gx = 0, gy = 0;
    for (const c of this.creases) {
      const px = x - c.cx, py = y - c.cy;
      const along = px * c.tx + py * c.ty, across = -px * c.ty + py * c.tx;
      const w = Math.exp(-(along * along) / (c.len * c.len));
      if (w < 1e-4) continue;
      const s = Math.sqrt(across * across + 0.04); // a crease rounded over ~0.2 units
      h += c.slope * s * w;
      const dAcross = c.slope * w * (across / s), dAlong = c.slope * s * w * (-2 * along / (c.len * c.len));
      gx += dAlong * c.tx - dAcross * c.ty; gy += dAlong * c.ty + dAcross * c.tx;
    }
    if (this.swellAmp > 0) {
      const k = this.swellCell, e = 0.05 * k, n = this.noise;
      const n0 = n.at(x / k, y / k);
      h += this.swellAmp * k * n0;
      gx += (this.swellAmp * k * (n.at((x + e) / k, y / k) - n0)) / e;
      gy += (this.swellAmp * k * (n.at(x / k, (y + e) / k) - n0)) / e;
    }
    this.g[0] = h; this.g[1] = gx; this.g[2] = gy;
    return this.g;
  }
  inverse(x: number, y: number, out: Float64Array): boolean {
    const m = this.hInv, w = m[6] * x + m[7] * y + m[8];
    if (w <= 0) return false;
    const sx = (m[0] * x + m[1] * y + m[2]) / w, sy = (m[3] * x + m[4] * y + m[5]) / w;
    const f = this.field(sx, sy);
    out[0] = sx + this.parallax * f[0]! * this.dx; out[1] = sy + this.parallax * f[0]! * this.dy;
    out[2] = Math.max(0.25, 1 + this.shadeK * (f[1]! * this.lx + f[2]! * this.ly)); out[3] = 0;
    return true;
  }
  forward(u: number, v: number): Pt {
    let sx = u, sy = v;
    for (let i = 0; i < 60; i++) {
      const h0 = this.field(sx, sy)[0]!;
      sx = u - this.parallax * h0 * this.dx; sy = v - this.parallax * h0 * this.dy;
    }
    return applyH(this.h, { x: sx, y: sy });
  }
}

/** Bounds of a mapped surface rectangle, from `n` samples per edge (and the interior grid for curved maps). */
export function mappedBounds(m: Mapping, u0: number, v0: number, u1: number, v1: number, n = 24, interior = false): { x0: number; y0: number; x1: number; y1: number } {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  const add = (u: number, v: number): void => {
    const p = m.forward(u, v);
    if (!Number.isFinite(p.x) || !Number.isFinite(p.y)) return;
    if (p.x < x0) x0 = p.x; if (p.x > x1) x1 = p.x;
    if (p.y < y0) y0 = p.y; if (p.y > y1) y1 = p.y;
  };
  for (let i = 0; i <= n; i++) {
    const t = i / n;
    add(u0 + (u1 - u0) * t, v0); add(u0 + (u1 - u0) * t, v1);
    add(u0, v0 + (v1 - v0) * t); add(u1, v0 + (v1 - v0) * t);
    if (interior) for (let j = 1; j < n; j++) add(u0 + (u1 - u0) * t, v0 + ((v1 - v0) * j) / n);
  }
  return { x0, y0, x1, y1 };
}
