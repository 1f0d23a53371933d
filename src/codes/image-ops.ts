/**
 * Cheap pixel operations on 8-bit luminance images, in plain JS (no libvips round trip: for the sizes we
 * touch — crops and downscaled copies — a JS loop is faster than re-entering sharp, ~1–3 ns per pixel).
 */
import { kernels } from "./kernels.js";
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

/** How the centre of a crop splits into dark and light: Otsu's threshold and the two sides' mean levels. */
export interface CentreSplit {
  threshold: number; // levels ≤ threshold are dark; −1: the centre holds one level only
  darkMean: number;
  lightMean: number;
}

/**
 * Otsu's split of the central `inner` part of a crop around a symbol (its margins are background of another
 * level). A turned symbol leaves corners of background in the centre: when one side of a split is that small,
 * it is background against the symbol, not bars against spaces, so the rest is split again.
 */
export function centreSplit(img: GrayImage, inner = 0.4): CentreSplit {
  const { width: w, height: h, data: d } = img;
  const hist = new Float64Array(256);
  const mx = Math.floor((w * (1 - inner)) / 2), my = Math.floor((h * (1 - inner)) / 2);
  for (let y = my; y < h - my; y++) for (let x = mx, o = y * w; x < w - mx; x++) hist[d[o + x]!]!++;
  let lo = 0, hi = 255, t = otsu(hist, lo, hi);
  for (let round = 0; round < 2 && t >= 0; round++) {
    let below = 0, above = 0;
    for (let v = lo; v <= hi; v++) (v <= t ? (below += hist[v]!) : (above += hist[v]!));
    if (Math.min(below, above) / (below + above) >= MIN_CLASS_SHARE) break;
    if (below < above) lo = t + 1; else hi = t;
    const again = otsu(hist, lo, hi);
    if (again < 0) break;
    t = again;
  }
  if (t < 0) return { threshold: -1, darkMean: 0, lightMean: 0 };
  let n0 = 0, s0 = 0, n1 = 0, s1 = 0;
  for (let v = lo; v <= t; v++) { n0 += hist[v]!; s0 += v * hist[v]!; }
  for (let v = t + 1; v <= hi; v++) { n1 += hist[v]!; s1 += v * hist[v]!; }
  return { threshold: t, darkMean: s0 / n0, lightMean: s1 / n1 };
}
/** Bars or spaces cover at least this share of a symbol's centre (PDF417, QR, 1D: ~30–70 %). */
const MIN_CLASS_SHARE = 0.15;

/**
 * Binarise at one threshold, the centre's (`split`: centreSplit of `img`, if already known). A faint symbol on a flat label reads better so than
 * through zxing's local binariser, which thresholds every 8×8 block whose range passes 24 and so turns stretched
 * grain on the label into speckle (suite low-contrast-11/-21: PDF417, -22: Data Matrix).
 */
export function centreThreshold(img: GrayImage, split: CentreSplit = centreSplit(img)): GrayImage {
  const t = split.threshold;
  const out = new Uint8Array(img.data.length);
  if (t < 0) return { data: out.fill(255), width: img.width, height: img.height }; // nothing to separate
  for (let i = 0; i < out.length; i++) out[i] = img.data[i]! > t ? 255 : 0;
  return { data: out, width: img.width, height: img.height };
}

/** Otsu's threshold over hist[lo..hi]: t maximising the between-class variance of [lo, t] and (t, hi]; −1 if
 * the range holds one level. */
function otsu(hist: Float64Array, lo: number, hi: number): number {
  let n = 0, sum = 0;
  for (let v = lo; v <= hi; v++) { n += hist[v]!; sum += v * hist[v]!; }
  let below = 0, belowSum = 0, best = -1, t = -1;
  for (let v = lo; v < hi; v++) {
    below += hist[v]!;
    belowSum += v * hist[v]!;
    const above = n - below;
    if (below === 0 || above === 0) continue;
    const diff = belowSum / below - (sum - belowSum) / above;
    const between = below * above * diff * diff;
    if (between > best) { best = between; t = v; }
  }
  return t;
}

/** 3×3 box blur (separable): suppresses pixel noise and JPEG ringing before binarisation. */
export function boxBlur3(img: GrayImage): GrayImage {
  return { data: kernels.boxBlur3(img.data, img.width, img.height), width: img.width, height: img.height };
}

/** Unsharp mask (original + k·(original − blur)): restores module edges softened by defocus. */
export function sharpen(img: GrayImage, k = 1.5): GrayImage {
  const blur = boxBlur3(img);
  const out = new Uint8Array(img.data.length);
  const d = img.data, b = blur.data;
  for (let i = 0; i < d.length; i++) {
    const v = d[i]! + k * (d[i]! - b[i]!);
    out[i] = v < 0 ? 0 : v > 255 ? 255 : v;
  }
  return { data: out, width: img.width, height: img.height };
}

/** Nearest-neighbour 2× upscale: tiny symbols (modules of 1–2 px) decode better with more pixels per module. */
export function upscale2(img: GrayImage): GrayImage {
  const { width: w, height: h, data: d } = img;
  const W = w * 2;
  const out = new Uint8Array(W * h * 2);
  for (let y = 0; y < h; y++) {
    const row = (2 * y) * W;
    for (let x = 0; x < w; x++) {
      const v = d[y * w + x]!;
      out[row + 2 * x] = v;
      out[row + 2 * x + 1] = v;
    }
    out.copyWithin(row + W, row, row + W);
  }
  return { data: out, width: W, height: h * 2 };
}

/** Negative image: light-on-dark symbols (zxing's own tryInvert, done once and only when needed). */
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

/**
 * Is this image grainy enough for a median filter to pay? Sampled on every 3rd row, 2nd column: the median
 * |2p − left − right| (Gaussian grain: ≥ 29 for σ ≥ 20 in the suite; photos, text, stripes ≤ 17) and the share
 * of impulses, pixels 60+ levels above or below both neighbours (salt-and-pepper ≥ 1.5 %; photos mostly < 1 %).
 */
export function looksNoisy(img: GrayImage): boolean {
  const { width: w, height: h, data: d } = img;
  const hist = new Uint32Array(511);
  let n = 0, impulses = 0;
  for (let y = 1; y < h - 1; y += 3) {
    for (let x = 1, o = y * w; x < w - 1; x += 2) {
      const p = d[o + x]!, l = d[o + x - 1]!, r = d[o + x + 1]!;
      hist[Math.abs(2 * p - l - r)]!++;
      n++;
      if ((p - l > 60 && p - r > 60) || (l - p > 60 && r - p > 60)) impulses++;
    }
  }
  if (n === 0) return false;
  let c = 0, median = 0;
  for (let v = 0; v < 511; v++) if ((c += hist[v]!) >= n / 2) { median = v; break; }
  return median >= 24 || impulses >= 0.015 * n;
}
