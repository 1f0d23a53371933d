/**
 * Stress images for the unit tests (not a tuning set): a QR symbol from bwip-js drawn through an inverse map
 * (homography, cylinder), with a saturated glare spot, blur, noise and uneven light. Deterministic.
 */
import bwipjs from "bwip-js";
import { boxBlur } from "../image-ops.js";
import type { GrayImage } from "../zxing.js";

export interface QrMatrix { dim: number; dark: Uint8Array }

export function qrMatrix(text: string, opts: { eclevel?: "L" | "M" | "Q" | "H"; version?: number } = {}): QrMatrix {
  const raw = bwipjs.raw("qrcode", text, { eclevel: opts.eclevel ?? "M", ...(opts.version ? { version: String(opts.version) } : {}) } as never)[0] as unknown as { pixs: number[]; pixx: number };
  return { dim: raw.pixx, dark: Uint8Array.from(raw.pixs, (v) => (v ? 1 : 0)) };
}

/** Image pixel (x, y) → symbol coordinates (u, v) in modules, or null where the surface does not cover it. */
export type InverseMap = (x: number, y: number) => [number, number] | null;

/** Draw: ink where the surface shows a dark module, paper on the rest of the surface, `background` elsewhere;
 * 3×3 supersampled. */
export function drawSymbol(q: QrMatrix, width: number, height: number, inv: InverseMap, ink = 30, paper = 220, background = 120): GrayImage {
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let s = 0;
      for (let sy = 0; sy < 3; sy++) {
        for (let sx = 0; sx < 3; sx++) {
          const uv = inv(x - 1 / 3 + sx / 3, y - 1 / 3 + sy / 3);
          if (!uv) { s += background; continue; }
          const c = Math.floor(uv[0]), r = Math.floor(uv[1]);
          s += c >= 0 && r >= 0 && c < q.dim && r < q.dim && q.dark[r * q.dim + c] ? ink : paper;
        }
      }
      data[y * width + x] = Math.round(s / 9);
    }
  }
  return { data, width, height };
}

/**
 * A label wrapped round a vertical cylinder seen from the front: image x = cx + R·sin(θ), θ = arc / R, so
 * modules shrink towards the edges. `arcModules`: the symbol's width as an arc, centred; `quiet` modules of
 * paper around it; `tilt`: the symbol's rotation on the label (radians); `turn`: the bottle turned by this angle
 * (radians) from showing the symbol's middle to the camera, so one side is foreshortened more than the other.
 */
export function cylinderMap(dim: number, width: number, height: number, modulePx: number, radiusPx: number, tilt = 0, quiet = 4, turn = 0): InverseMap {
  const cx = width / 2, cy = height / 2, c = Math.cos(tilt), s = Math.sin(tilt);
  return (x, y) => {
    const dx = x - cx;
    if (Math.abs(dx) >= radiusPx) return null;
    const arc = radiusPx * (Math.asin(dx / radiusPx) - turn);
    const a = arc / modulePx, b = (y - cy) / modulePx;
    const u = c * a + s * b + dim / 2, v = -s * a + c * b + dim / 2;
    if (u < -quiet || v < -quiet || u > dim + quiet || v > dim + quiet) return null;
    return [u, v];
  };
}

/** A symbol under a plane projective map given by where its outer corners land (TL, TR, BR, BL). */
export function perspectiveMap(dim: number, corners: readonly [number, number][], quiet = 4): InverseMap {
  // Solve the inverse bilinear-projective map numerically via the forward homography's inverse.
  const h = homographyFromCorners(dim, corners);
  return (x, y) => {
    const w = h[6]! * x + h[7]! * y + h[8]!;
    const u = (h[0]! * x + h[1]! * y + h[2]!) / w, v = (h[3]! * x + h[4]! * y + h[5]!) / w;
    return u < -quiet || v < -quiet || u > dim + quiet || v > dim + quiet ? null : [u, v];
  };
}

function homographyFromCorners(dim: number, p: readonly [number, number][]): number[] {
  // Image → module coordinates: the inverse of unit square → quad, scaled by dim.
  const [x0, y0] = p[0]!, [x1, y1] = p[1]!, [x2, y2] = p[2]!, [x3, y3] = p[3]!;
  const dx1 = x1 - x2, dx2 = x3 - x2, dx3 = x0 - x1 + x2 - x3, dy1 = y1 - y2, dy2 = y3 - y2, dy3 = y0 - y1 + y2 - y3;
  const den = dx1 * dy2 - dx2 * dy1;
  const g = (dx3 * dy2 - dx2 * dy3) / den, k = (dx1 * dy3 - dx3 * dy1) / den;
  const a = x1 - x0 + g * x1, b = x3 - x0 + k * x3, c = x0, d = y1 - y0 + g * y1, e = y3 - y0 + k * y3, f = y0;
  // Adjugate of [[a,b,c],[d,e,f],[g,k,1]], then scale rows 0 and 1 by dim.
  const A = [e - f * k, c * k - b, b * f - c * e, f * g - d, a - c * g, c * d - a * f, d * k - e * g, b * g - a * k, a * e - b * d];
  return [A[0]! * dim, A[1]! * dim, A[2]! * dim, A[3]! * dim, A[4]! * dim, A[5]! * dim, A[6]!, A[7]!, A[8]!];
}

/** A glare spot: + strength·exp(−d²/2σ²) over an ellipse, clipped at 255 (saturated core). */
export function addGlare(img: GrayImage, cx: number, cy: number, rx: number, ry: number, strength: number): void {
  const { data, width, height } = img;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const d2 = ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2;
      if (d2 > 9) continue;
      const i = y * width + x;
      data[i] = Math.min(255, data[i]! + strength * Math.exp(-d2 / 2));
    }
  }
}

/** Light falling off linearly from left (gain `left`) to right (gain `right`). */
export function shade(img: GrayImage, left: number, right: number): void {
  const { data, width, height } = img;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data[y * width + x] = Math.min(255, data[y * width + x]! * (left + ((right - left) * x) / width));
  }
}

/** Seeded Gaussian noise (σ levels). */
export function addNoise(img: GrayImage, sigma: number, seed = 1): void {
  let s = seed >>> 0 || 1;
  const rnd = (): number => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 4294967296; };
  const { data } = img;
  for (let i = 0; i < data.length; i++) {
    const g = Math.sqrt(-2 * Math.log(rnd() + 1e-12)) * Math.cos(2 * Math.PI * rnd());
    data[i] = Math.max(0, Math.min(255, Math.round(data[i]! + sigma * g)));
  }
}

export const blur = (img: GrayImage, r: number): GrayImage => boxBlur(img, r);

export function invertImage(img: GrayImage): GrayImage {
  return { data: img.data.map((v) => 255 - v), width: img.width, height: img.height };
}
