/**
 * Printed and displayed surfaces, each in its own coordinates (u, v). A code label's unit is one module.
 * A surface answers two questions per point: which "cell" the point lies in (the renderer samples a pixel
 * once when its four corners share a cell, and supersamples it otherwise) and its colour and coverage.
 */
import { clamp, samplePlane, type Img, type Plane, type Rgb } from "./canvas.js";
import type { PhotoSymbol } from "./codes.js";

export const OUTSIDE = -2;
export const PLAIN = -1;

export interface Surface {
  /** OUTSIDE (transparent), PLAIN (inside, no module), or a module's index. */
  cell(u: number, v: number): number;
  /** Colour (0..255 scale, may exceed 255 for emissive surfaces) in out[0..2], coverage 0..1 in out[3]. */
  sample(u: number, v: number, out: Float32Array): void;
  /** Supersample every pixel (sub-pixel structure such as an LCD's stripes). */
  readonly fine: boolean;
  /** Samples per pixel side where supersampling. */
  readonly ss: number;
}

/** An RGBA texture, `k` texels per surface unit, bilinear lookups. Colour 0..255, alpha 0..1. */
export class Texture {
  readonly rgba: Float32Array;
  constructor(readonly width: number, readonly height: number, readonly k: number) {
    this.rgba = new Float32Array(width * height * 4);
  }
  /** Bilinear RGBA at surface (u, v) into out[0..3]. */
  at(u: number, v: number, out: Float32Array): void {
    let x = u * this.k - 0.5, y = v * this.k - 0.5;
    const w = this.width, h = this.height;
    if (x < 0) x = 0; else if (x > w - 1) x = w - 1;
    if (y < 0) y = 0; else if (y > h - 1) y = h - 1;
    const x0 = Math.floor(x), y0 = Math.floor(y), x1 = x0 + 1 < w ? x0 + 1 : x0, y1 = y0 + 1 < h ? y0 + 1 : y0;
    const tx = x - x0, ty = y - y0, d = this.rgba;
    const w00 = (1 - tx) * (1 - ty), w10 = tx * (1 - ty), w01 = (1 - tx) * ty, w11 = tx * ty;
    const i00 = (y0 * w + x0) * 4, i10 = (y0 * w + x1) * 4, i01 = (y1 * w + x0) * 4, i11 = (y1 * w + x1) * 4;
    // Colour weighted by alpha (premultiplied blend), so that transparent texels do not bleed their colour.
    const a00 = d[i00 + 3]! * w00, a10 = d[i10 + 3]! * w10, a01 = d[i01 + 3]! * w01, a11 = d[i11 + 3]! * w11;
    const a = a00 + a10 + a01 + a11;
    out[3] = a;
    if (a <= 1e-6) { out[0] = out[1] = out[2] = 0; return; }
    for (let c = 0; c < 3; c++) out[c] = (d[i00 + c]! * a00 + d[i10 + c]! * a10 + d[i01 + c]! * a01 + d[i11 + c]! * a11) / a;
  }
  /** Paint an alpha mask (same size as the texture) in `colour` over what is there. */
  paint(mask: Float32Array, colour: Rgb, alpha = 1): void {
    const d = this.rgba;
    for (let i = 0; i < mask.length; i++) {
      const m = mask[i]! * alpha;
      if (m <= 0) continue;
      const j = i * 4, a0 = d[j + 3]!, a = m + a0 * (1 - m);
      for (let c = 0; c < 3; c++) d[j + c] = (colour[c]! * m + d[j + c]! * a0 * (1 - m)) / a;
      d[j + 3] = a;
    }
  }
}

/** Damage drawn in a label's coordinates (`k` texels per module): scraped ink, added ink, holes, stains. */
export class DamagePlanes {
  readonly inkKeep: Plane;
  readonly inkAdd: Plane;
  readonly hole: Plane;
  /** Per-channel multipliers (stains tint the paper and the ink alike). */
  readonly tint: [Plane, Plane, Plane];
  constructor(readonly width: number, readonly height: number, readonly k: number) {
    const mk = (fill: number): Plane => ({ width, height, data: new Float32Array(width * height).fill(fill) });
    this.inkKeep = mk(1); this.inkAdd = mk(0); this.hole = mk(0);
    this.tint = [mk(1), mk(1), mk(1)];
  }
  snapshot(): Float32Array[] {
    return [this.inkKeep.data, this.inkAdd.data, this.hole.data, ...this.tint.map((t) => t.data)].map((a) => new Float32Array(a));
  }
  restore(s: Float32Array[]): void {
    [this.inkKeep.data, this.inkAdd.data, this.hole.data, ...this.tint.map((t) => t.data)].forEach((a, i) => a.set(s[i]!));
  }
}

export interface LabelSpec {
  readonly sym: PhotoSymbol;
  /** Label rectangle [0, width] x [0, height] in modules; the symbol's top-left at (sx, sy). */
  readonly width: number;
  readonly height: number;
  readonly sx: number;
  readonly sy: number;
  readonly corner: number;
  readonly paper: Rgb;
  readonly ink: Rgb;
  /** Ink spread in modules: > 0 dark modules grow (bleeding ink), < 0 they shrink (starved print). */
  readonly spread: number;
  /** Printed decoration (captions, borders, logos, digits) outside the symbol's quiet zone. */
  readonly decor?: Texture;
  /** Paper brightness multiplier, `grainK` texels per module (fibres, toner density). */
  readonly grain?: Plane;
  readonly grainK?: number;
  readonly damage?: DamagePlanes;
}

/** A printed label, sticker or page with one symbol. */
export class LabelSurface implements Surface {
  readonly fine = false;
  readonly ss: number;
  private readonly tmp = new Float32Array(4);
  private readonly symW: number;
  private readonly symH: number;
  constructor(readonly spec: LabelSpec, ss = 3) {
    this.ss = ss;
    this.symW = spec.sym.cols;
    this.symH = spec.sym.rows * spec.sym.rowHeight;
  }

  cell(u: number, v: number): number {
    const s = this.spec;
    if (u < 0 || v < 0 || u >= s.width || v >= s.height) return OUTSIDE;
    const x = u - s.sx, y = v - s.sy;
    if (x < 0 || y < 0 || x >= this.symW || y >= this.symH) return PLAIN;
    return Math.floor(y / s.sym.rowHeight) * s.sym.cols + Math.floor(x);
  }

  private inside(u: number, v: number): boolean {
    const s = this.spec, r = s.corner;
    if (u < 0 || v < 0 || u >= s.width || v >= s.height) return false;
    if (r <= 0) return true;
    const cx = u < r ? r : u > s.width - r ? s.width - r : u, cy = v < r ? r : v > s.height - r ? s.height - r : v;
    return (u - cx) ** 2 + (v - cy) ** 2 <= r * r;
  }

  private darkAt(mx: number, my: number): number {
    const s = this.spec.sym;
    if (mx < 0 || my < 0 || mx >= s.cols || my >= s.rows) return 0;
    return s.dark[my * s.cols + mx]!;
  }

  /** Ink coverage of the symbol at symbol coordinates (x, y) in modules, with ink spread. */
  inkAt(x: number, y: number): number {
    const s = this.spec, sym = s.sym, sp = s.spread;
    const mx = Math.floor(x), my = Math.floor(y / sym.rowHeight);
    const fx = x - mx, fy = y - my * sym.rowHeight;
    const d = this.darkAt(mx, my);
    if (sp === 0) return d;
    const a = Math.abs(sp), rh = sym.rowHeight;
    const want = sp > 0 ? 1 : 0; // spread > 0: light points near a dark neighbour turn dark, and vice versa
    if (d === want) return d;
    if ((fx < a && this.darkAt(mx - 1, my) === want) || (fx > 1 - a && this.darkAt(mx + 1, my) === want) ||
      (fy < a && this.darkAt(mx, my - 1) === want) || (fy > rh - a && this.darkAt(mx, my + 1) === want)) return want;
    return d;
  }

  sample(u: number, v: number, out: Float32Array): void {
    const s = this.spec;
    if (!this.inside(u, v)) { out[3] = 0; return; }
    let alpha = 1;
    let ink = 0;
    const x = u - s.sx, y = v - s.sy;
    const inSymBox = x > -1.5 && y > -1.5 && x < this.symW + 1.5 && y < this.symH + 1.5;
    if (inSymBox) ink = this.inkAt(x, y);
    let r = s.paper[0], g = s.paper[1], b = s.paper[2];
    const dmg = s.damage;
    let t0 = 1, t1 = 1, t2 = 1;
    if (dmg) {
      const k = dmg.k, tu = u * k - 0.5, tv = v * k - 0.5;
      ink = ink * samplePlane(dmg.inkKeep, tu, tv);
      const add = samplePlane(dmg.inkAdd, tu, tv);
      if (add > ink) ink = add;
      alpha = 1 - samplePlane(dmg.hole, tu, tv);
      t0 = samplePlane(dmg.tint[0], tu, tv); t1 = samplePlane(dmg.tint[1], tu, tv); t2 = samplePlane(dmg.tint[2], tu, tv);
    }
    if (ink > 0) {
      r += (s.ink[0] - r) * ink; g += (s.ink[1] - g) * ink; b += (s.ink[2] - b) * ink;
    }
    const qx = s.sym.quiet, qy = s.sym.linear ? 0.3 : s.sym.quiet; // print stays out of the quiet zone
    if (s.decor && !(x > -qx && y > -qy && x < this.symW + qx && y < this.symH + qy)) {
      const t = this.tmp;
      s.decor.at(u, v, t);
      const a = t[3]!;
      if (a > 0) { r += (t[0]! - r) * a; g += (t[1]! - g) * a; b += (t[2]! - b) * a; }
    }
    if (s.grain) {
      const m = samplePlane(s.grain, u * s.grainK! - 0.5, v * s.grainK! - 0.5);
      r *= m; g *= m; b *= m;
    }
    out[0] = r * t0; out[1] = g * t1; out[2] = b * t2; out[3] = alpha < 0 ? 0 : alpha;
  }
}

/** A flat-coloured rectangle (a bottle's body, a device's bezel) with an optional rounded corner. */
export class FlatSurface implements Surface {
  readonly fine = false;
  readonly ss = 3;
  constructor(readonly u0: number, readonly v0: number, readonly u1: number, readonly v1: number, readonly colour: Rgb, readonly corner = 0) {}
  cell(u: number, v: number): number {
    return u < this.u0 || v < this.v0 || u >= this.u1 || v >= this.v1 ? OUTSIDE : PLAIN;
  }
  sample(u: number, v: number, out: Float32Array): void {
    let inside = !(u < this.u0 || v < this.v0 || u >= this.u1 || v >= this.v1);
    const r = this.corner;
    if (inside && r > 0) {
      const cx = clamp(u, this.u0 + r, this.u1 - r), cy = clamp(v, this.v0 + r, this.v1 - r);
      inside = (u - cx) ** 2 + (v - cy) ** 2 <= r * r;
    }
    out[0] = this.colour[0]; out[1] = this.colour[1]; out[2] = this.colour[2]; out[3] = inside ? 1 : 0;
  }
}

/** An RGB image (plus optional alpha plane) as a surface, one unit per texel, bilinear. */
export class ImageSurface implements Surface {
  readonly fine = false;
  readonly ss = 3;
  constructor(readonly img: Img, readonly alpha?: Float32Array) {}
  cell(u: number, v: number): number {
    return u < 0 || v < 0 || u >= this.img.width || v >= this.img.height ? OUTSIDE : PLAIN;
  }
  sample(u: number, v: number, out: Float32Array): void {
    const w = this.img.width, h = this.img.height;
    if (u < 0 || v < 0 || u >= w || v >= h) { out[3] = 0; return; }
    let x = u - 0.5, y = v - 0.5;
    if (x < 0) x = 0; else if (x > w - 1) x = w - 1;
    if (y < 0) y = 0; else if (y > h - 1) y = h - 1;
    const x0 = Math.floor(x), y0 = Math.floor(y), x1 = x0 + 1 < w ? x0 + 1 : x0, y1 = y0 + 1 < h ? y0 + 1 : y0;
    const tx = x - x0, ty = y - y0, d = this.img.data;
    for (let c = 0; c < 3; c++) {
      const a = d[(y0 * w + x0) * 3 + c]!, b = d[(y0 * w + x1) * 3 + c]!, e = d[(y1 * w + x0) * 3 + c]!, f = d[(y1 * w + x1) * 3 + c]!;
      out[c] = (a + (b - a) * tx) * (1 - ty) + (e + (f - e) * tx) * ty;
    }
    out[3] = this.alpha ? this.alpha[Math.floor(v) * w + Math.floor(u)]! : 1;
  }
}

export interface ScreenSpec {
  /** What the screen shows, one texel per screen pixel (its exact pixel grid). */
  readonly content: Img;
  /** Emitted brightness: 1 = a white pixel averages to 255 before the camera's exposure. */
  readonly gain: number;
  /** Lit fraction of each sub-pixel stripe across and along (the black matrix is the rest). */
  readonly fillX: number;
  readonly fillY: number;
  /** Stripe order: RGB or BGR. */
  readonly bgr: boolean;
}

/** An LCD: each screen pixel is three vertical colour stripes separated by a black matrix. */
export class ScreenSurface implements Surface {
  readonly fine = true;
  readonly ss = 4;
  constructor(readonly spec: ScreenSpec) {}
  cell(u: number, v: number): number {
    const c = this.spec.content;
    return u < 0 || v < 0 || u >= c.width || v >= c.height ? OUTSIDE : PLAIN;
  }
  sample(u: number, v: number, out: Float32Array): void {
    const s = this.spec, c = s.content;
    if (u < 0 || v < 0 || u >= c.width || v >= c.height) { out[3] = 0; return; }
    const px = Math.floor(u), py = Math.floor(v), fx = u - px, fy = v - py;
    out[0] = 0; out[1] = 0; out[2] = 0; out[3] = 1;
    const gy = (1 - s.fillY) / 2;
    if (fy < gy || fy > 1 - gy) return;
    const t = fx * 3, stripe = Math.floor(t), ft = t - stripe, gx = (1 - s.fillX) / 2;
    if (ft < gx || ft > 1 - gx) return;
    const ch = s.bgr ? 2 - stripe : stripe;
    // The lit area is fillX * fillY / 3 of the pixel: scale so that the pixel's mean is the content value.
    out[ch] = (c.data[(py * c.width + px) * 3 + ch]! * s.gain * 3) / (s.fillX * s.fillY);
  }
}
