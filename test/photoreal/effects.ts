/**
 * Photometric and optical effects, in the order light meets the camera: illumination (gradients,
 * vignetting, lamps), cast shadows, specular highlights (glare, spots) that saturate the sensor, then the
 * lens (defocus disc, motion path, softness, bloom), the sensor (exposure, shot and read noise, chroma
 * noise) and the phone's processing (denoise smearing, sharpening halos, tone curve), then compression.
 */
import sharp from "sharp";
import type { Rng } from "../synthetic/prng.js";
import { gaussTable } from "../synthetic/prng.js";
import { clamp, convolve, fromSharp, gaussBlur, newPlane, resizeImg, toSharp, type Img, type Rgb, hyp } from "./canvas.js";

// ---- illumination --------------------------------------------------------------------------------------

export interface LightField {
  /** Linear falloff: brightness goes from 1 to `gradMin` along direction `gradAngle` across `gradSpan` of the frame. */
  readonly gradMin: number;
  readonly gradAngle: number;
  /** Where the gradient starts and ends, as fractions of the frame diagonal along its direction (0..1). */
  readonly gradFrom: number;
  readonly gradTo: number;
  /** Vignetting: brightness at the frame corners (1 = none). */
  readonly vignette: number;
  /** A lamp's pool of light: centre (fractions), radius (fraction of the diagonal), extra brightness. */
  readonly lamp?: { x: number; y: number; r: number; gain: number };
  /** White balance / coloured light: per-channel gains. */
  readonly wb: Rgb;
}

export function mildLight(rng: Rng): LightField {
  return {
    gradMin: rng.range(0.75, 1), gradAngle: rng.range(0, 2 * Math.PI), gradFrom: 0, gradTo: 1,
    vignette: rng.range(0.7, 1), wb: whiteBalance(rng, 0.06),
  };
}

export function whiteBalance(rng: Rng, amount: number): Rgb {
  const warm = rng.range(-amount, amount);
  return [1 + warm, 1 + rng.range(-amount, amount) * 0.3, 1 - warm];
}

/** Multiply the image by the illumination field (computed at 1/8 scale, upscaled smoothly). */
export function applyLight(img: Img, f: LightField): void {
  const W = img.width, H = img.height, s = 8, w = Math.ceil(W / s) + 2, h = Math.ceil(H / s) + 2;
  const p = newPlane(w, h);
  const dx = Math.cos(f.gradAngle), dy = Math.sin(f.gradAngle);
  // Projection of the frame's corners on the gradient direction, to normalise the position along it.
  const proj = [0, W * dx, H * dy, W * dx + H * dy];
  const pmin = Math.min(...proj), pmax = Math.max(...proj);
  const diag = hyp(W, H);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const X = x * s, Y = y * s;
    const t = ((X * dx + Y * dy) - pmin) / (pmax - pmin || 1);
    const g = clamp((t - f.gradFrom) / Math.max(1e-3, f.gradTo - f.gradFrom), 0, 1);
    let v = 1 + (f.gradMin - 1) * g * g * (3 - 2 * g);
    const r = hyp(X - W / 2, Y - H / 2) / (diag / 2);
    v *= 1 - (1 - f.vignette) * r * r * (0.6 + 0.4 * r * r);
    if (f.lamp) {
      const d = hyp(X - f.lamp.x * W, Y - f.lamp.y * H) / (f.lamp.r * diag);
      v *= 1 + f.lamp.gain * Math.exp(-d * d);
    }
    p.data[y * w + x] = v;
  }
  // Bilinear upscale on the fly (the field is smooth), one row of the coarse grid interpolated per image row.
  const d = img.data, [wr, wg, wb] = f.wb, row = new Float32Array(w);
  for (let y = 0; y < H; y++) {
    const fy = y / s, y0 = Math.min(h - 2, Math.floor(fy)), ty = fy - y0;
    for (let x = 0; x < w; x++) row[x] = p.data[y0 * w + x]! * (1 - ty) + p.data[(y0 + 1) * w + x]! * ty;
    for (let x = 0, j = y * W * 3; x < W; x++, j += 3) {
      const fx = x / s, x0 = fx | 0, tx = fx - x0;
      const v = row[x0]! + (row[x0 + 1]! - row[x0]!) * tx;
      d[j] = d[j]! * v * wr; d[j + 1] = d[j + 1]! * v * wg; d[j + 2] = d[j + 2]! * v * wb;
    }
  }
}

// ---- cast shadows --------------------------------------------------------------------------------------

export type ShadowShape =
  | { kind: "edge"; x: number; y: number; angle: number }                                     // half-plane (a wall, a box)
  | { kind: "hand"; x: number; y: number; angle: number; scale: number }                      // palm + fingers
  | { kind: "phone"; x: number; y: number; angle: number; hw: number; hh: number }           // a phone held over the code
  | { kind: "bars"; x: number; y: number; angle: number; period: number; width: number };   // window frame / blinds

export interface CastShadow {
  readonly shape: ShadowShape;
  /** Fraction of the light blocked (0..1) and the penumbra width in px. */
  readonly depth: number;
  readonly penumbra: number;
  /** Shadowed areas are lit by the sky / room only: bluish (per-channel multiplier of the shadow). */
  readonly tint: Rgb;
}

function capsule(px: number, py: number, ax: number, ay: number, bx: number, by: number, r: number): number {
  const vx = bx - ax, vy = by - ay, t = clamp(((px - ax) * vx + (py - ay) * vy) / (vx * vx + vy * vy), 0, 1);
  return hyp(px - ax - t * vx, py - ay - t * vy) - r;
}

/** Signed distance (px) to the shadow's shape: negative inside. */
export function shadowSdf(s: ShadowShape): (x: number, y: number) => number {
  const c = Math.cos(s.angle), n = Math.sin(s.angle);
  switch (s.kind) {
    case "edge": return (x, y) => (x - s.x) * c + (y - s.y) * n;
    case "bars": return (x, y) => {
      const t = (x - s.x) * c + (y - s.y) * n, m = ((t % s.period) + s.period) % s.period;
      return Math.abs(m - s.period / 2) - s.width / 2;
    };
    case "phone": return (x, y) => {
      const dx = x - s.x, dy = y - s.y, r = Math.min(s.hw, s.hh) * 0.2;
      const px = Math.abs(dx * c + dy * n) - (s.hw - r), py = Math.abs(-dx * n + dy * c) - (s.hh - r);
      return hyp(Math.max(px, 0), Math.max(py, 0)) + Math.min(Math.max(px, py), 0) - r;
    };
    case "hand": {
      // In hand coordinates: palm a fat capsule, four fingers and a thumb as capsules; pointing along +x.
      const k = s.scale;
      const parts: [number, number, number, number, number][] = [
        [-1.6, 0, -0.3, 0, 0.75],                                                   // palm and wrist
        [0.2, -0.55, 1.35, -0.75, 0.17], [0.3, -0.18, 1.6, -0.24, 0.18],            // fingers
        [0.3, 0.18, 1.5, 0.24, 0.18], [0.2, 0.52, 1.2, 0.68, 0.16],
        [-0.6, 0.75, 0.1, 1.3, 0.2],                                                 // thumb
        [-4, 0, -1.6, 0, 0.6],                                                       // forearm
      ];
      return (x, y) => {
        const dx = (x - s.x) / k, dy = (y - s.y) / k;
        const hx = dx * c + dy * n, hy = -dx * n + dy * c;
        let d = Infinity;
        for (const [ax, ay, bx, by, r] of parts) d = Math.min(d, capsule(hx, hy, ax, ay, bx, by, r));
        return d * k;
      };
    }
  }
}

/** Darken inside the shape; the penumbra is a smooth ramp of `penumbra` px across the edge. */
export function applyShadow(img: Img, sh: CastShadow): void {
  const sdf = shadowSdf(sh.shape), W = img.width, H = img.height, p = Math.max(0.5, sh.penumbra), d = img.data;
  const m0 = (1 - sh.depth) * sh.tint[0], m1 = (1 - sh.depth) * sh.tint[1], m2 = (1 - sh.depth) * sh.tint[2];
  // Coarse pass on 8x8 blocks: blocks far from the edge are all-in or all-out.
  const B = 8;
  for (let by = 0; by < H; by += B) for (let bx = 0; bx < W; bx += B) {
    const dc = sdf(bx + B / 2, by + B / 2);
    if (dc > p + B) continue; // fully lit
    const full = dc < -p - B;
    for (let y = by; y < Math.min(H, by + B); y++) for (let x = bx; x < Math.min(W, bx + B); x++) {
      let t = 1;
      if (!full) {
        const dd = sdf(x + 0.5, y + 0.5);
        if (dd >= p) continue;
        t = dd <= -p ? 1 : 0.5 - dd / (2 * p);
        t = t * t * (3 - 2 * t);
      }
      const i = (y * W + x) * 3;
      d[i] = d[i]! * (1 + (m0 - 1) * t); d[i + 1] = d[i + 1]! * (1 + (m1 - 1) * t); d[i + 2] = d[i + 2]! * (1 + (m2 - 1) * t);
    }
  }
}

// ---- specular highlights -------------------------------------------------------------------------------

export interface Highlight {
  readonly x: number;
  readonly y: number;
  /** Half-length along `angle` and half-width across (px). */
  readonly a: number;
  readonly b: number;
  readonly angle: number;
  /** Peak added light in units of full scale (> 1 saturates a core). */
  readonly peak: number;
  /** Flatness of the profile: 1 = gaussian, 2-3 = a flat-topped reflection of an area light. */
  readonly power: number;
  readonly colour: Rgb;
}

/** Add a specular reflection of a light source: it adds light on ink and paper alike and clips at 255. */
export function addHighlight(img: Img, h: Highlight): void {
  const W = img.width, H = img.height, c = Math.cos(h.angle), s = Math.sin(h.angle), d = img.data;
  const ext = 3 * Math.max(h.a, h.b);
  const x0 = Math.max(0, Math.floor(h.x - ext)), x1 = Math.min(W, Math.ceil(h.x + ext));
  const y0 = Math.max(0, Math.floor(h.y - ext)), y1 = Math.min(H, Math.ceil(h.y + ext));
  const k = h.peak * 255, N = 2048, lut = new Float32Array(N + 1);
  for (let j = 0; j <= N; j++) lut[j] = Math.exp(-Math.pow((j / N) * 9, h.power) * 0.7) * k; // profile over r^2 in [0, 9]
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) {
    const dx = x + 0.5 - h.x, dy = y + 0.5 - h.y;
    const u = (dx * c + dy * s) / h.a, v = (-dx * s + dy * c) / h.b;
    const r2 = u * u + v * v;
    if (r2 > 9) continue;
    const t = (r2 / 9) * N, j = t | 0, f = lut[j]! + (lut[j + 1 > N ? N : j + 1]! - lut[j]!) * (t - j);
    if (f < 0.5) continue;
    const i = (y * W + x) * 3;
    d[i] = d[i]! + f * h.colour[0]; d[i + 1] = d[i + 1]! + f * h.colour[1]; d[i + 2] = d[i + 2]! + f * h.colour[2];
  }
}

// ---- lens ---------------------------------------------------------------------------------------------

/** A disc (bokeh) kernel of radius r px with anti-aliased rim; rim > 0 brightens the rim (over-corrected lens). */
export function discKernel(r: number, rim = 0): { k: Float32Array; n: number } {
  const R = Math.ceil(r + 0.5), n = 2 * R + 1, k = new Float32Array(n * n);
  for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) {
    const d = hyp(x - R, y - R), cov = clamp(r + 0.5 - d, 0, 1);
    k[y * n + x] = cov * (1 + rim * (d / Math.max(r, 1e-3)) ** 2);
  }
  return { k, n };
}

/**
 * A motion path kernel: `len` px along `angle`, optionally bent (handshake: the path curves by `curve` of
 * its length), with uneven speed (`dwell` > 0 weights one end: the shutter opened while the hand was slower).
 */
export function motionKernel(len: number, angle: number, curve = 0, dwell = 0): { k: Float32Array; n: number } {
  const R = Math.ceil(len / 2 + Math.abs(curve) * len + 1), n = 2 * R + 1, k = new Float32Array(n * n);
  const steps = Math.max(8, Math.ceil(len * 8)), c = Math.cos(angle), s = Math.sin(angle);
  for (let i = 0; i <= steps; i++) {
    const t = i / steps - 0.5, along = t * len, across = curve * len * (4 * t * t - 1 / 3);
    const x = R + along * c - across * s, y = R + along * s + across * c;
    const w = 1 + dwell * (t + 0.5);
    const x0 = Math.floor(x), y0 = Math.floor(y), fx = x - x0, fy = y - y0;
    const put = (xx: number, yy: number, ww: number): void => { if (xx >= 0 && yy >= 0 && xx < n && yy < n) k[yy * n + xx]! += ww; };
    put(x0, y0, w * (1 - fx) * (1 - fy)); put(x0 + 1, y0, w * fx * (1 - fy)); put(x0, y0 + 1, w * (1 - fx) * fy); put(x0 + 1, y0 + 1, w * fx * fy);
  }
  return { k, n };
}

/**
 * Convolve with a kernel; large kernels (n > maxN) run on a downscaled copy (the result is smooth, so the
 * upscale loses nothing visible) so that a 25 px defocus on 12 MP stays cheap.
 */
export async function applyKernel(img: Img, kernel: { k: Float32Array; n: number }, maxN = 25): Promise<Img> {
  if (kernel.n <= maxN) return convolve(img, kernel.k, kernel.n);
  const f = maxN / kernel.n;
  const w = Math.max(8, Math.round(img.width * f)), h = Math.max(8, Math.round(img.height * f));
  const small = await resizeImg(img, w, h, "lanczos3");
  // Resample the kernel to the small grid.
  const R = (kernel.n - 1) / 2, r = Math.max(1, Math.round(R * f)), m = 2 * r + 1, k = new Float32Array(m * m);
  for (let y = 0; y < kernel.n; y++) for (let x = 0; x < kernel.n; x++) {
    const xx = Math.round(r + (x - R) * f), yy = Math.round(r + (y - R) * f);
    if (xx >= 0 && yy >= 0 && xx < m && yy < m) k[yy * m + xx]! += kernel.k[y * kernel.n + x]!;
  }
  const blurred = await convolve(small, k, m);
  return resizeImg(blurred, img.width, img.height, "cubic");
}

/** Bloom: saturated areas leak light into their neighbourhood (lens flare, sensor blooming). */
export async function bloom(img: Img, threshold: number, sigma: number, strength: number): Promise<Img> {
  const W = img.width, H = img.height, d = img.data;
  const s = Math.max(1, Math.floor(sigma / 4)), w = Math.ceil(W / s), h = Math.ceil(H / s);
  const bright = new Uint8ClampedArray(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const i = (Math.min(H - 1, y * s) * W + Math.min(W - 1, x * s)) * 3, o = (y * w + x) * 3;
    for (let c = 0; c < 3; c++) bright[o + c] = Math.max(0, d[i + c]! - threshold) * (255 / (255 - threshold));
  }
  let b = await gaussBlur({ width: w, height: h, data: bright }, Math.max(0.5, sigma / s));
  b = await resizeImg(b, W, H, "linear");
  for (let i = 0; i < d.length; i++) d[i] = d[i]! + b.data[i]! * strength;
  return img;
}

// ---- sensor and processing ---------------------------------------------------------------------------

export interface SensorParams {
  /** Light reaching the sensor relative to a normal exposure (low light: 0.05-0.3). */
  readonly exposure: number;
  /** Analogue/digital gain applied after the noise (brings a dark exposure back up). */
  readonly gain: number;
  /** Shot noise: std dev at full scale (255) in the output before gain; grows as sqrt(signal). */
  readonly shot: number;
  /** Read noise std dev (levels, before gain). */
  readonly read: number;
  /** Chroma noise relative to luma noise, in 2x2 blocks (demosaicing correlates neighbours). */
  readonly chroma: number;
  /** Black level lift (levels): a dark frame's shadows are never zero. */
  readonly black: number;
}

export function sensorNoise(img: Img, rng: Rng, p: SensorParams): void {
  const W = img.width, H = img.height, d = img.data;
  const table = gaussTable(rng, 1 << 13), mask = table.length - 1; // small enough to stay in L1
  let st = rng.nextU32();
  // Chroma noise on a half-resolution grid, two channels.
  const cw = Math.ceil(W / 2) + 1, ch = Math.ceil(H / 2) + 1;
  const cn = new Float32Array(cw * ch * 2);
  for (let i = 0; i < cn.length; i++) { st = (Math.imul(st, 1664525) + 1013904223) >>> 0; cn[i] = table[(st >>> 12) & mask]!; }
  const e = p.exposure, g = p.gain, chroma = p.chroma, black = p.black;
  // Noise std dev as a function of the (pre-exposure) luma level: shot noise grows as sqrt(signal).
  const sig = new Float32Array(256);
  for (let v = 0; v < 256; v++) sig[v] = Math.sqrt((p.shot * p.shot * v * e) / 255 + p.read * p.read);
  for (let y = 0; y < H; y++) {
    const crow = (y >> 1) * cw;
    for (let x = 0, i = y * W * 3; x < W; x++, i += 3) {
      const r = d[i]!, gg = d[i + 1]!, b = d[i + 2]!;
      const sigma = sig[(77 * r + 150 * gg + 29 * b) >> 8]!;
      st = (Math.imul(st, 1664525) + 1013904223) >>> 0;
      const n = table[(st >>> 12) & mask]! * sigma;
      const ci = (crow + (x >> 1)) * 2, c1 = cn[ci]! * sigma * chroma, c2 = cn[ci + 1]! * sigma * chroma;
      d[i] = (r * e + n + c1 + black) * g;
      d[i + 1] = (gg * e + n - 0.5 * (c1 + c2) + black) * g;
      d[i + 2] = (b * e + n + c2 + black) * g;
    }
  }
}

/**
 * Phone noise reduction: chroma smoothed hard, luma blended towards a blurred copy where the local
 * difference is small (an edge-preserving smear: fine texture and faint module edges melt, strong edges stay).
 */
export async function denoise(img: Img, sigma: number, strength: number): Promise<Img> {
  const blurred = await gaussBlur(img, sigma);
  const chromaBlur = await gaussBlur(img, sigma * 2.2);
  const d = img.data, b = blurred.data, cb = chromaBlur.data, out = new Uint8ClampedArray(d.length);
  const wLut = new Float32Array(256);
  for (let v = 0; v < 256; v++) wLut[v] = strength * Math.exp(-(v * v) / (18 * 18));
  for (let i = 0; i < d.length; i += 3) {
    const Y = 0.299 * d[i]! + 0.587 * d[i + 1]! + 0.114 * d[i + 2]!;
    const Yb = 0.299 * b[i]! + 0.587 * b[i + 1]! + 0.114 * b[i + 2]!;
    const w = wLut[Math.min(255, Math.round(Math.abs(Y - Yb)))]!;
    const Yo = Y + (Yb - Y) * w;
    const Yc = 0.299 * cb[i]! + 0.587 * cb[i + 1]! + 0.114 * cb[i + 2]!;
    // Chroma (colour minus luma) taken from the strongly blurred copy.
    out[i] = Yo + (cb[i]! - Yc); out[i + 1] = Yo + (cb[i + 1]! - Yc); out[i + 2] = Yo + (cb[i + 2]! - Yc);
  }
  return { width: img.width, height: img.height, data: out };
}

export interface Tone { contrast: number; gamma: number; saturation: number }

function toneLut(t: Tone): Float32Array {
  const lut = new Float32Array(256);
  for (let v = 0; v < 256; v++) {
    const x = Math.pow(v / 255, t.gamma);
    const s = x + t.contrast * x * (1 - x) * (2 * x - 1); // contrast > 0: S-curve
    lut[v] = clamp(s, 0, 1) * 255;
  }
  return lut;
}

/**
 * Unsharp mask as phones apply it (halos at edges, amplified grain), then the tone curve (contrast around
 * mid-grey, gamma) and saturation, in one pass. amount 0 = tone only.
 */
export async function sharpenTone(img: Img, sigma: number, amount: number, t: Tone): Promise<Img> {
  const lut = toneLut(t), sat = t.saturation;
  let out = img.data;
  if (amount > 0) {
    const d = img.data, bd = (await gaussBlur(img, sigma)).data;
    out = new Uint8ClampedArray(d.length); // rounds and clamps on write
    for (let i = 0; i < d.length; i++) out[i] = d[i]! + amount * (d[i]! - bd[i]!);
  }
  for (let i = 0; i < out.length; i += 3) {
    const r = lut[out[i]!]!, g = lut[out[i + 1]!]!, b = lut[out[i + 2]!]!;
    const Y = 0.299 * r + 0.587 * g + 0.114 * b;
    out[i] = Y + (r - Y) * sat; out[i + 1] = Y + (g - Y) * sat; out[i + 2] = Y + (b - Y) * sat;
  }
  return { width: img.width, height: img.height, data: out };
}

/** Downscale (messenger apps cap the long side), then JPEG-encode once or twice. */
export async function recompress(img: Img, scale: number, first: number | undefined): Promise<Img> {
  let out = img;
  if (scale < 0.999) out = await resizeImg(img, Math.max(16, Math.round(img.width * scale)), Math.max(16, Math.round(img.height * scale)), "lanczos3");
  if (first !== undefined) {
    const buf = await toSharp(out).jpeg({ quality: first, chromaSubsampling: "4:2:0" }).toBuffer();
    out = await fromSharp(sharp(buf));
  }
  return out;
}
