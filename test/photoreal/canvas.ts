/**
 * RGB images as plain arrays, and the few sharp (libvips) calls the generator leans on: resizing,
 * convolution with an arbitrary kernel, gaussian blur and encoding. Everything sharp does here is
 * deterministic for the same input bytes, so scenes stay byte-identical run to run.
 */
import sharp from "sharp";
import type { KernelEnum, Sharp } from "sharp";

/** RGB, 3 bytes a pixel, row-major. Uint8ClampedArray: writes round and clamp to 0..255. */
export interface Img {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8ClampedArray;
}

export type Rgb = [number, number, number];

export function newImg(width: number, height: number, fill?: Rgb): Img {
  const data = new Uint8ClampedArray(width * height * 3);
  if (fill) {
    for (let i = 0; i < data.length; i += 3) { data[i] = fill[0]; data[i + 1] = fill[1]; data[i + 2] = fill[2]; }
  }
  return { width, height, data };
}

export function toSharp(img: Img): Sharp {
  return sharp(Buffer.from(img.data.buffer, img.data.byteOffset, img.data.length), {
    raw: { width: img.width, height: img.height, channels: 3 },
  });
}

export async function fromSharp(s: Sharp): Promise<Img> {
  const { data, info } = await s.removeAlpha().raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`expected 3 channels, got ${info.channels}`);
  return { width: info.width, height: info.height, data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.length) };
}

export async function resizeImg(img: Img, width: number, height: number, kernel: keyof KernelEnum = "cubic"): Promise<Img> {
  if (img.width === width && img.height === height) return img;
  return fromSharp(toSharp(img).resize(width, height, { kernel, fit: "fill" }));
}

/** Gaussian blur (sigma in px); sigma below 0.3 is a no-op (libvips refuses tiny sigmas). */
export async function gaussBlur(img: Img, sigma: number): Promise<Img> {
  if (sigma < 0.3) return img;
  return fromSharp(toSharp(img).blur(sigma));
}

/**
 * Convolve with an n x n kernel (row-major, any non-negative weights; normalised here). libvips convolves
 * uchar images in integer arithmetic, so the kernel is quantised to integers summing to about 4096.
 */
export async function convolve(img: Img, kernel: Float32Array | number[], n: number): Promise<Img> {
  let sum = 0;
  for (const k of kernel) sum += k;
  const q = Array.from(kernel, (k) => Math.round((k / sum) * 4096));
  const qs = q.reduce((a, b) => a + b, 0);
  return fromSharp(toSharp(img).convolve({ width: n, height: n, kernel: q, scale: qs, offset: 0 }));
}

/** A single-channel float plane (illumination fields, masks, noise). */
export interface Plane {
  readonly width: number;
  readonly height: number;
  readonly data: Float32Array;
}

export function newPlane(width: number, height: number, fill = 0): Plane {
  const data = new Float32Array(width * height);
  if (fill !== 0) data.fill(fill);
  return { width, height, data };
}

/** Bilinear lookup in a plane at fractional texel coordinates (clamped at the borders). */
export function samplePlane(p: Plane, x: number, y: number): number {
  const w = p.width, h = p.height;
  if (x < 0) x = 0; else if (x > w - 1) x = w - 1;
  if (y < 0) y = 0; else if (y > h - 1) y = h - 1;
  const x0 = Math.floor(x), y0 = Math.floor(y);
  const x1 = x0 + 1 < w ? x0 + 1 : x0, y1 = y0 + 1 < h ? y0 + 1 : y0;
  const tx = x - x0, ty = y - y0, d = p.data;
  const a = d[y0 * w + x0]!, b = d[y0 * w + x1]!, c = d[y1 * w + x0]!, e = d[y1 * w + x1]!;
  return (a + (b - a) * tx) * (1 - ty) + (c + (e - c) * tx) * ty;
}

export type Encoding =
  | { kind: "png" }
  | { kind: "jpeg"; quality: number; chroma?: "4:2:0" | "4:4:4" }
  | { kind: "webp"; quality: number };

export const MIME = { png: "image/png", jpeg: "image/jpeg", webp: "image/webp" } as const;

export async function encodeImg(img: Img, enc: Encoding): Promise<Buffer> {
  const s = toSharp(img);
  switch (enc.kind) {
    case "png": return s.png({ compressionLevel: 3, adaptiveFiltering: false }).toBuffer();
    case "jpeg": return s.jpeg({ quality: enc.quality, chromaSubsampling: enc.chroma ?? "4:2:0" }).toBuffer();
    case "webp": return s.webp({ quality: enc.quality, effort: 2 }).toBuffer();
  }
}

export const clamp = (v: number, lo: number, hi: number): number => (v < lo ? lo : v > hi ? hi : v);
export const lum = (c: Rgb): number => 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2];
/** sqrt(a^2 + b^2): Math.hypot is several times slower in V8's hot loops. */
export const hyp = (a: number, b: number): number => Math.sqrt(a * a + b * b);
