/**
 * Cheap pixel operations on 8-bit luminance images, in plain JS (no libvips round trip: for the sizes we
 * touch — crops and downscaled copies — a JS loop is faster than re-entering sharp, ~1–3 ns per pixel).
 */
import { kernels } from "./kernels.js";
import { bilinear } from "./qr/sampler.js";
import type { GrayImage } from "./zxing.js";

export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Integer box downscale by `f` (each output pixel = mean of an f×f block; right/bottom remainder dropped). */
export function downscale(img: GrayImage, f: number): GrayImage {
  if (f <= 1) return img;
  return { data: kernels.boxDownscale(img.data, img.width, img.height, f), width: Math.floor(img.width / f), height: Math.floor(img.height / f) };
}

/** Each output row = the rounded mean of `k` consecutive source rows (bottom remainder dropped); columns stay
 * as they are. For 1D symbols, whose bars run across the rows, this costs no resolution along the scan line. */
export function binRows(img: GrayImage, k: number): GrayImage {
  if (k <= 1) return img;
  return { data: kernels.binRows(img.data, img.width, img.height, k), width: img.width, height: Math.floor(img.height / k) };
}

/** `r` on whole pixels (rounded outwards) and clamped to an image of `size`: the pixels crop copies. */
export function clampRect(size: { width: number; height: number }, r: Rect): Rect {
  const left = Math.max(0, Math.floor(r.left)), top = Math.max(0, Math.floor(r.top));
  const right = Math.min(size.width, Math.ceil(r.left + r.width)), bottom = Math.min(size.height, Math.ceil(r.top + r.height));
  return { left, top, width: Math.max(0, right - left), height: Math.max(0, bottom - top) };
}

/** Copy a rectangle (clamped to the image). */
export function crop(img: GrayImage, r: Rect): GrayImage {
  const { left, top, width: w, height: h } = clampRect(img, r);
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const s = (top + y) * img.width + left;
    out.set(img.data.subarray(s, s + w), y * w);
  }
  return { data: out, width: w, height: h };
}

/** Stretch the 1st..99th percentile of luminance to 0..255 (low contrast, haze, glare around a code). */
export function stretchContrast(img: GrayImage, lowPct = 0.01, highPct = 0.99, inner = 1): GrayImage {
  // `inner` < 1: take the percentiles from the central part only (a crop around a symbol: its margins are
  // background, whose levels would otherwise set the stretch).
  const mx = Math.floor((img.width * (1 - inner)) / 2), my = Math.floor((img.height * (1 - inner)) / 2);
  const hist = kernels.histogram(img.data, img.width, img.height, mx, my);
  const n = Math.max(0, img.height - 2 * my) * Math.max(0, img.width - 2 * mx);
  let lo = 0, hi = 255, c = 0;
  for (let v = 0; v < 256; v++) { c += hist[v]!; if (c >= n * lowPct) { lo = v; break; } }
  c = 0;
  for (let v = 255; v >= 0; v--) { c += hist[v]!; if (c >= n * (1 - highPct)) { hi = v; break; } }
  if (hi - lo < 2) return img;
  const lut = new Uint8Array(256);
  for (let v = 0; v < 256; v++) lut[v] = Math.max(0, Math.min(255, Math.round(((v - lo) * 255) / (hi - lo))));
  return { data: kernels.mapLut(img.data, lut), width: img.width, height: img.height };
}

/** 3×3 box blur (separable): suppresses pixel noise and JPEG ringing before binarisation. */
export function boxBlur3(img: GrayImage): GrayImage {
  return { data: kernels.boxBlur3(img.data, img.width, img.height), width: img.width, height: img.height };
}

/** Negative image: light-on-dark symbols (variants.ts). */
export function invert(img: GrayImage): GrayImage {
  const out = new Uint8Array(img.data.length);
  const d = img.data;
  for (let i = 0; i < d.length; i++) out[i] = 255 - d[i]!;
  return { data: out, width: img.width, height: img.height };
}

/** Local contrast normalisation: (v − local mean) / local std·k, so a washed-out part of a symbol gets the same
 * contrast as the rest (zxing's binarisers skip low-range blocks and threshold 1D rows globally). */
export function localNormalize(img: GrayImage, radius: number, k = 2): GrayImage {
  return { data: kernels.localNormalize(img.data, img.width, img.height, radius, k), width: img.width, height: img.height };
}

/** Box blur of radius r (window 2r+1, separable, edges averaged over the pixels inside the image). */
export function boxBlur(img: GrayImage, r: number): GrayImage {
  const { width: w, height: h, data: d } = img;
  const tmp = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const o = y * w;
    let s = 0, n = 0;
    for (let x = 0; x < Math.min(r, w); x++) { s += d[o + x]!; n++; }
    for (let x = 0; x < w; x++) {
      if (x + r < w) { s += d[o + x + r]!; n++; }
      if (x - r - 1 >= 0) { s -= d[o + x - r - 1]!; n--; }
      tmp[o + x] = s / n;
    }
  }
  const out = new Uint8Array(w * h);
  const col = new Float32Array(h);
  for (let x = 0; x < w; x++) {
    let s = 0, n = 0;
    for (let y = 0; y < Math.min(r, h); y++) { s += tmp[y * w + x]!; n++; }
    for (let y = 0; y < h; y++) {
      if (y + r < h) { s += tmp[(y + r) * w + x]!; n++; }
      if (y - r - 1 >= 0) { s -= tmp[(y - r - 1) * w + x]!; n--; }
      col[y] = s / n;
    }
    for (let y = 0; y < h; y++) out[y * w + x] = col[y]! + 0.5;
  }
  return { data: out, width: w, height: h };
}

/** Wide unsharp mask (original + k·(original − box blur of radius r)): defocus spreads an edge over several
 * pixels, which a 3×3 sharpen cannot pull back. */
export function unsharp(img: GrayImage, r: number, k: number): GrayImage {
  const b = boxBlur(img, r).data, d = img.data;
  const out = new Uint8Array(d.length);
  for (let i = 0; i < d.length; i++) {
    const v = d[i]! + k * (d[i]! - b[i]!);
    out[i] = v < 0 ? 0 : v > 255 ? 255 : v;
  }
  return { data: out, width: img.width, height: img.height };
}

/** 3×3 median: removes salt-and-pepper and grain that break zxing's bar/space runs, keeps module edges.
 * Each column triple is sorted once and shared by the three windows that contain it; the median of the 9 is
 * then med(max of the lows, med of the mids, min of the highs) (exact for 3×3). */
export function median3(img: GrayImage): GrayImage {
  return { data: kernels.median3(img.data, img.width, img.height), width: img.width, height: img.height };
}


/** Running max (or min) over windows of 2r+1 along one line of `src` (van Herk / Gil–Werman: O(1) a pixel);
 * `g` and `hh` are scratch of at least n. */
function lineExtreme(src: Uint8Array, off: number, step: number, n: number, r: number, max: boolean, out: Uint8Array, g: Uint8Array, hh: Uint8Array): void {
  const k = 2 * r + 1;
  for (let i = 0; i < n; i++) {
    const v = src[off + i * step]!;
    g[i] = i % k === 0 ? v : max ? (g[i - 1]! > v ? g[i - 1]! : v) : (g[i - 1]! < v ? g[i - 1]! : v);
  }
  for (let i = n - 1; i >= 0; i--) {
    const v = src[off + i * step]!;
    hh[i] = i % k === k - 1 || i === n - 1 ? v : max ? (hh[i + 1]! > v ? hh[i + 1]! : v) : (hh[i + 1]! < v ? hh[i + 1]! : v);
  }
  for (let i = 0; i < n; i++) {
    const lo = i - r, hi = i + r;
    if (lo >= 0 && hi < n) {
      // A full window spans the end of one block and the start of the next (or exactly one block).
      const a = hh[lo]!, b = g[hi]!;
      out[off + i * step] = max ? (a > b ? a : b) : (a < b ? a : b);
      continue;
    }
    // A window clipped by the line's ends (r pixels at each end): scanned directly.
    let e = src[off + Math.max(0, lo) * step]!;
    for (let j = Math.max(0, lo) + 1; j <= Math.min(n - 1, hi); j++) {
      const v = src[off + j * step]!;
      e = max ? (v > e ? v : e) : (v < e ? v : e);
    }
    out[off + i * step] = e;
  }
}

/** Max (dilate) or min (erode) filter over a (2r+1)² square, separable, the window clipped to the image. */
export function extremeFilter(img: GrayImage, r: number, max: boolean): GrayImage {
  const { width: w, height: h, data } = img;
  const tmp = new Uint8Array(w * h), out = new Uint8Array(w * h);
  const g = new Uint8Array(Math.max(w, h)), hh = new Uint8Array(Math.max(w, h));
  for (let y = 0; y < h; y++) lineExtreme(data, y * w, 1, w, r, max, tmp, g, hh);
  for (let x = 0; x < w; x++) lineExtreme(tmp, x, w, h, r, max, out, g, hh);
  return { data: out, width: w, height: h };
}

/** Radius of the closing on the downscaled copy: the paper level is smooth but for shadow edges, which a copy
 * downscaled so that the window spans about this many pixels still places within a few source pixels. */
const FLATTEN_SMALL_RADIUS = 6;

/**
 * The paper's brightness under uneven light, hard shadows included: a grey closing (max then min over a square
 * of radius r) removes dark marks narrower than the window but keeps the step of a shadow's edge where it is;
 * each pixel divided by it. Marks wider than the window (a large dark patch of modules) lighten. The closing runs
 * on a box-downscaled copy, read back bilinearly.
 */
export function flattenLight(img: GrayImage, r: number): GrayImage {
  const f = Math.max(1, Math.floor(r / FLATTEN_SMALL_RADIUS));
  const small = f > 1 ? downscale(img, f) : img;
  const rs = Math.max(1, Math.round(r / f));
  const paper = extremeFilter(extremeFilter(small, rs, true), rs, false);
  const { width: w, height: h, data: d } = img;
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const sy = (y + 0.5) / f - 0.5;
    for (let x = 0; x < w; x++) {
      const level = bilinear(paper, (x + 0.5) / f - 0.5, sy);
      const v = (255 * d[y * w + x]!) / (level < 8 ? 8 : level);
      out[y * w + x] = v > 255 ? 255 : v;
    }
  }
  return { data: out, width: w, height: h };
}

/** Catmull-Rom weights of the 4 input pixels around an output sample 1/4 and 3/4 of a pixel past the 2nd of them. */
const CUBIC_QUARTER = catmullRom(0.75), CUBIC_THREE_QUARTERS = catmullRom(0.25);
function catmullRom(t: number): [number, number, number, number] {
  const t2 = t * t, t3 = t2 * t;
  return [(-t3 + 2 * t2 - t) / 2, (3 * t3 - 5 * t2 + 2) / 2, (-3 * t3 + 4 * t2 + t) / 2, (t3 - t2) / 2];
}

/**
 * Twice the size, by Catmull-Rom interpolation (pixel centres kept: output pixel 2x samples input x − ¼). zxing
 * places edges on whole pixels: at under 2 px a module its binariser and 1D decoders round narrow bars away, where
 * the interpolated copy puts each edge between the right pair of pixels.
 */
export function upscale2(img: GrayImage): GrayImage {
  const { width: w, height: h, data } = img, W = 2 * w, H = 2 * h;
  const rows = new Float32Array(W * h);
  for (let y = 0; y < h; y++) {
    const o = y * w;
    const at = (x: number) => data[o + (x < 0 ? 0 : x >= w ? w - 1 : x)]!;
    for (let x = 0; x < w; x++) {
      const [a0, a1, a2, a3] = CUBIC_QUARTER, [b0, b1, b2, b3] = CUBIC_THREE_QUARTERS;
      rows[y * W + 2 * x] = a0 * at(x - 2) + a1 * at(x - 1) + a2 * at(x) + a3 * at(x + 1);
      rows[y * W + 2 * x + 1] = b0 * at(x - 1) + b1 * at(x) + b2 * at(x + 1) + b3 * at(x + 2);
    }
  }
  const out = new Uint8Array(W * H);
  const row = (y: number) => (y < 0 ? 0 : y >= h ? h - 1 : y) * W;
  for (let y = 0; y < h; y++) {
    const [a0, a1, a2, a3] = CUBIC_QUARTER, [b0, b1, b2, b3] = CUBIC_THREE_QUARTERS;
    const r0 = row(y - 2), r1 = row(y - 1), r2 = row(y), r3 = row(y + 1), r4 = row(y + 2);
    for (let x = 0; x < W; x++) {
      const top = a0 * rows[r0 + x]! + a1 * rows[r1 + x]! + a2 * rows[r2 + x]! + a3 * rows[r3 + x]!;
      const bottom = b0 * rows[r1 + x]! + b1 * rows[r2 + x]! + b2 * rows[r3 + x]! + b3 * rows[r4 + x]!;
      out[2 * y * W + x] = top < 0 ? 0 : top > 255 ? 255 : Math.round(top);
      out[(2 * y + 1) * W + x] = bottom < 0 ? 0 : bottom > 255 ? 255 : Math.round(bottom);
    }
  }
  return { width: W, height: H, data: out };
}
