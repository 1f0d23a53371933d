/**
 * Pixel statistics for the photoreal tests: each category's condition is checked from the pixels of its
 * render against the clean render of the same scene (same geometry, no degradation).
 */
import sharp from "sharp";
import { applyH, homography, type Mat3 } from "../synthetic/geometry.js";
import type { PhotoCode } from "./scene.js";

export interface Rgb8 {
  readonly width: number;
  readonly height: number;
  /** RGB, 3 bytes a pixel. */
  readonly data: Uint8Array;
}

export async function decodeRgb(image: Uint8Array): Promise<Rgb8> {
  const { data, info } = await sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

export function lumaAt(img: Rgb8, x: number, y: number): number {
  const i = (y * img.width + x) * 3;
  return 0.299 * img.data[i]! + 0.587 * img.data[i + 1]! + 0.114 * img.data[i + 2]!;
}

export interface Rect { x0: number; y0: number; x1: number; y1: number }

export function boxRect(c: PhotoCode, img: Rgb8, grow = 0): Rect {
  return {
    x0: Math.max(0, c.box.left - grow), y0: Math.max(0, c.box.top - grow),
    x1: Math.min(img.width, c.box.left + c.box.width + grow), y1: Math.min(img.height, c.box.top + c.box.height + grow),
  };
}

export function lumas(img: Rgb8, r: Rect): number[] {
  const out: number[] = [];
  for (let y = r.y0; y < r.y1; y++) for (let x = r.x0; x < r.x1; x++) out.push(lumaAt(img, x, y));
  return out;
}

export function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.floor((p / 100) * s.length)))] ?? NaN;
}

/** Share of pixels in `r` with luma >= 250 in `img` where `ref` (the clean render) is below `below`. */
export function newlySaturated(img: Rgb8, ref: Rgb8, r: Rect, below = 150): number {
  let n = 0, tot = 0;
  for (let y = r.y0; y < r.y1; y++) for (let x = r.x0; x < r.x1; x++) {
    tot++;
    if (lumaAt(img, x, y) >= 250 && lumaAt(ref, x, y) < below) n++;
  }
  return tot ? n / tot : 0;
}

/**
 * Mean absolute luma gradient over `r` on 2x2-averaged pixels (averaging first keeps sensor grain from
 * counting as sharpness).
 */
export function gradientEnergy(img: Rgb8, r: Rect): number {
  const w = Math.floor((r.x1 - r.x0) / 2), h = Math.floor((r.y1 - r.y0) / 2);
  if (w < 3 || h < 3) return 0;
  const a = new Float32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const X = r.x0 + 2 * x, Y = r.y0 + 2 * y;
    a[y * w + x] = (lumaAt(img, X, Y) + lumaAt(img, X + 1, Y) + lumaAt(img, X, Y + 1) + lumaAt(img, X + 1, Y + 1)) / 4;
  }
  let s = 0, n = 0;
  for (let y = 0; y < h - 1; y++) for (let x = 0; x < w - 1; x++) {
    s += Math.abs(a[y * w + x + 1]! - a[y * w + x]!) + Math.abs(a[(y + 1) * w + x]! - a[y * w + x]!);
    n++;
  }
  return s / n;
}

/**
 * Ratios of `img` to `ref` luma over a grid of blocks in `r`, over light pixels of `ref` only (the paper:
 * where illumination and shading show best). Returns the ratios of blocks with enough such pixels.
 */
export function blockRatios(img: Rgb8, ref: Rgb8, r: Rect, grid = 6, minRef = 120): number[] {
  const out: number[] = [];
  const bw = (r.x1 - r.x0) / grid, bh = (r.y1 - r.y0) / grid;
  for (let j = 0; j < grid; j++) for (let i = 0; i < grid; i++) {
    let a = 0, b = 0, n = 0;
    for (let y = Math.floor(r.y0 + j * bh); y < Math.floor(r.y0 + (j + 1) * bh); y++) {
      for (let x = Math.floor(r.x0 + i * bw); x < Math.floor(r.x0 + (i + 1) * bw); x++) {
        const l = lumaAt(ref, x, y);
        if (l < minRef) continue;
        a += lumaAt(img, x, y); b += l; n++;
      }
    }
    if (n >= 8 && b > 0) out.push(a / b);
  }
  return out;
}

/** Mean chroma (|R-G| + |G-B|) over `r`. */
export function chroma(img: Rgb8, r: Rect): number {
  let s = 0, n = 0;
  for (let y = r.y0; y < r.y1; y++) for (let x = r.x0; x < r.x1; x++) {
    const i = (y * img.width + x) * 3;
    s += Math.abs(img.data[i]! - img.data[i + 1]!) + Math.abs(img.data[i + 1]! - img.data[i + 2]!);
    n++;
  }
  return n ? s / n : 0;
}

/**
 * Grain: the standard deviation of luma minus its 3x3 mean, over pixels whose clean counterpart is flat
 * (its own 3x3 neighbourhood within 4 levels): sensor noise, not edges.
 */
export function grain(img: Rgb8, ref: Rgb8, r: Rect): number {
  let s = 0, s2 = 0, n = 0;
  for (let y = Math.max(1, r.y0); y < Math.min(img.height - 1, r.y1); y += 2) {
    for (let x = Math.max(1, r.x0); x < Math.min(img.width - 1, r.x1); x += 2) {
      let lo = 255, hi = 0, m = 0;
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
        const l = lumaAt(ref, x + dx, y + dy);
        lo = Math.min(lo, l); hi = Math.max(hi, l);
        m += lumaAt(img, x + dx, y + dy);
      }
      if (hi - lo > 4) continue;
      const d = lumaAt(img, x, y) - m / 9;
      s += d; s2 += d * d; n++;
    }
  }
  return n > 20 ? Math.sqrt(Math.max(0, s2 / n - (s / n) ** 2)) * 1.06 : 0; // 9/8: the 3x3 mean contains the pixel
}

/** Share of pixels in `r` whose luma differs by more than `by` between the two renders. */
export function changed(img: Rgb8, ref: Rgb8, r: Rect, by = 60): number {
  let n = 0, tot = 0;
  for (let y = r.y0; y < r.y1; y++) for (let x = r.x0; x < r.x1; x++) {
    tot++;
    if (Math.abs(lumaAt(img, x, y) - lumaAt(ref, x, y)) > by) n++;
  }
  return tot ? n / tot : 0;
}

/**
 * The image point at symbol coordinates (s, t) in [0, 1]^2 of a planar code: the homography from the unit
 * square onto its four corners (exact under perspective, where bilinear interpolation drifts by modules).
 */
export function inQuad(c: PhotoCode, s: number, t: number): [number, number] {
  const key = c.corners as unknown as object;
  let h = H_CACHE.get(key);
  if (!h) {
    h = homography([{ x: 0, y: 0 }, { x: 1, y: 0 }, { x: 1, y: 1 }, { x: 0, y: 1 }], c.corners.map(([x, y]) => ({ x, y })));
    H_CACHE.set(key, h);
  }
  const p = applyH(h, { x: s, y: t });
  return [p.x, p.y];
}
const H_CACHE = new WeakMap<object, Mat3>();

/**
 * Edge steepness: the 98th percentile of the luma derivative over `r` (central differences), along
 * `angle` (rad) or in any direction when omitted. Blur along a direction flattens edges across it.
 */
export function edgeSlope(img: Rgb8, r: Rect, angle?: number): number {
  const g: number[] = [];
  const c = angle === undefined ? 0 : Math.cos(angle), s = angle === undefined ? 0 : Math.sin(angle);
  for (let y = Math.max(1, r.y0); y < Math.min(img.height - 1, r.y1); y++) {
    for (let x = Math.max(1, r.x0); x < Math.min(img.width - 1, r.x1); x++) {
      const gx = (lumaAt(img, x + 1, y) - lumaAt(img, x - 1, y)) / 2, gy = (lumaAt(img, x, y + 1) - lumaAt(img, x, y - 1)) / 2;
      g.push(angle === undefined ? Math.sqrt(gx * gx + gy * gy) : Math.abs(gx * c + gy * s));
    }
  }
  return percentile(g, 98);
}
