/**
 * Photographic-looking backgrounds: desk wood, fabric, stone, brushed metal, packaging print, a blurred
 * room, dark surfaces; then objects with soft contact shadows, printed pages seen in perspective, text.
 * Smooth layers are computed at a fraction of the resolution and upscaled by sharp (cheap at 12 MP); edges,
 * text and fine texture are drawn at full resolution.
 */
import type { Rng } from "../synthetic/prng.js";
import { clamp, fromSharp, lum, newImg, toSharp, type Img, type Plane, type Rgb, hyp } from "./canvas.js";
import { drawText, fillRectAlpha, randomWords, textBlock, DIGITS, type AlphaTarget } from "./font.js";
import { ValueNoise, fbmPlane } from "./noise.js";
import { renderSurface, surfaceRect } from "./render.js";
import { ImageSurface } from "./surfaces.js";
import { PlanarMapping, planeHomography, type Camera } from "./warp.js";

export type BgStyle = "desk" | "fabric" | "stone" | "metal" | "packaging" | "room" | "dark" | "paper";
export const BG_STYLES: readonly BgStyle[] = ["desk", "fabric", "stone", "metal", "packaging", "room", "paper"];

const mix = (a: Rgb, b: Rgb, t: number): Rgb => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
const rgb = (rng: Rng, lo: number, hi: number): Rgb => [rng.int(lo, hi), rng.int(lo, hi), rng.int(lo, hi)];
const tint = (rng: Rng, base: Rgb, d: number): Rgb => [clamp(base[0] + rng.range(-d, d), 0, 255), clamp(base[1] + rng.range(-d, d), 0, 255), clamp(base[2] + rng.range(-d, d), 0, 255)];

/** Map a [0, 1] plane through colour stops into an image. */
function colourize(p: Plane, stops: readonly Rgb[]): Img {
  const img = newImg(p.width, p.height), n = stops.length - 1;
  for (let i = 0; i < p.data.length; i++) {
    const t = clamp(p.data[i]!, 0, 1) * n, k = Math.min(n - 1, Math.floor(t));
    const c = mix(stops[k]!, stops[k + 1]!, t - k);
    img.data[i * 3] = c[0]; img.data[i * 3 + 1] = c[1]; img.data[i * 3 + 2] = c[2];
  }
  return img;
}

async function upscale(img: Img, W: number, H: number): Promise<Img> {
  if (img.width === W && img.height === H) return img;
  return fromSharp(toSharp(img).resize(W, H, { kernel: "cubic", fit: "fill" }));
}

/**
 * Fill where sdf(x, y) < 0 (px), anti-aliased over `soft` px, with `colour` (or a function of position).
 * The sdf must be a distance bound (1-Lipschitz): 8x8 blocks far from the edge are decided from their centre.
 */
export function fillSdf(img: Img, x0: number, y0: number, x1: number, y1: number, sdf: (x: number, y: number) => number,
  colour: Rgb | ((x: number, y: number) => Rgb), opacity = 1, soft = 1): void {
  const xa = Math.max(0, Math.floor(x0)), xb = Math.min(img.width, Math.ceil(x1));
  const ya = Math.max(0, Math.floor(y0)), yb = Math.min(img.height, Math.ceil(y1));
  const fixed = typeof colour === "function" ? undefined : colour;
  const B = 8, reach = soft + B * 0.75, d = img.data, W = img.width;
  for (let by = ya; by < yb; by += B) {
    for (let bx = xa; bx < xb; bx += B) {
      const ex = Math.min(xb, bx + B), ey = Math.min(yb, by + B);
      const dc = sdf((bx + ex) / 2, (by + ey) / 2);
      if (dc > reach) continue;
      const full = dc < -reach;
      for (let y = by; y < ey; y++) {
        for (let x = bx; x < ex; x++) {
          let cov = opacity;
          if (!full) {
            const dd = sdf(x + 0.5, y + 0.5);
            if (dd >= soft) continue;
            cov = (dd <= -soft ? 1 : 0.5 - dd / (2 * soft)) * opacity;
          }
          const c = fixed ?? (colour as (x: number, y: number) => Rgb)(x, y);
          const i = (y * W + x) * 3;
          d[i] = d[i]! + (c[0] - d[i]!) * cov;
          d[i + 1] = d[i + 1]! + (c[1] - d[i + 1]!) * cov;
          d[i + 2] = d[i + 2]! + (c[2] - d[i + 2]!) * cov;
        }
      }
    }
  }
}

/** Signed distance to a rotated rounded rectangle (centre, half sizes, angle, corner radius). */
export function boxSdf(cx: number, cy: number, hw: number, hh: number, ang: number, r: number): (x: number, y: number) => number {
  const c = Math.cos(ang), s = Math.sin(ang);
  return (x, y) => {
    const dx = x - cx, dy = y - cy;
    const px = Math.abs(dx * c + dy * s) - (hw - r), py = Math.abs(-dx * s + dy * c) - (hh - r);
    const ox = px > 0 ? px : 0, oy = py > 0 ? py : 0;
    return hyp(ox, oy) + Math.min(Math.max(px, py), 0) - r;
  };
}

/** Darken under an object: a soft offset copy of its shape. */
function contactShadow(img: Img, sdf: (x: number, y: number) => number, bx: [number, number, number, number], ox: number, oy: number, soft: number, depth: number): void {
  const [x0, y0, x1, y1] = bx;
  const xa = Math.max(0, Math.floor(x0 + ox - soft * 2)), xb = Math.min(img.width, Math.ceil(x1 + ox + soft * 2));
  const ya = Math.max(0, Math.floor(y0 + oy - soft * 2)), yb = Math.min(img.height, Math.ceil(y1 + oy + soft * 2));
  const B = 8, reach = soft * 2 + B * 0.75, d = img.data, W = img.width, full = 1 - depth;
  for (let by = ya; by < yb; by += B) for (let bx0 = xa; bx0 < xb; bx0 += B) {
    const ex = Math.min(xb, bx0 + B), ey = Math.min(yb, by + B);
    const dc = sdf((bx0 + ex) / 2 - ox, (by + ey) / 2 - oy);
    if (dc > reach) continue;
    const inside = dc < -reach;
    for (let y = by; y < ey; y++) for (let x = bx0; x < ex; x++) {
      let m = full;
      if (!inside) {
        const dd = sdf(x + 0.5 - ox, y + 0.5 - oy);
        if (dd > soft * 2) continue;
        const t = clamp(0.5 - dd / (2 * soft), 0, 1);
        m = 1 - depth * t * t * (3 - 2 * t);
      }
      const i = (y * W + x) * 3;
      d[i] = d[i]! * m; d[i + 1] = d[i + 1]! * m; d[i + 2] = d[i + 2]! * m;
    }
  }
}

/** Alpha-blend a text block in `colour` over a rectangle of the image. */
export function textOnImg(img: Img, rng: Rng, x: number, y: number, w: number, h: number, size: number, colour: Rgb, opacity = 1): void {
  const xa = Math.max(0, Math.floor(x)), ya = Math.max(0, Math.floor(y));
  const xb = Math.min(img.width, Math.ceil(x + w)), yb = Math.min(img.height, Math.ceil(y + h));
  if (xb - xa < size || yb - ya < size) return;
  const t: AlphaTarget = { width: xb - xa, height: yb - ya, data: new Float32Array((xb - xa) * (yb - ya)) };
  textBlock(rng, t, 0, 0, t.width, t.height, size);
  blendAlpha(img, t, xa, ya, colour, opacity);
}

export function blendAlpha(img: Img, t: AlphaTarget, xa: number, ya: number, colour: Rgb, opacity = 1): void {
  for (let yy = 0; yy < t.height; yy++) {
    const y = ya + yy;
    if (y < 0 || y >= img.height) continue;
    for (let xx = 0; xx < t.width; xx++) {
      const a = t.data[yy * t.width + xx]! * opacity;
      const x = xa + xx;
      if (a <= 0 || x < 0 || x >= img.width) continue;
      const i = (y * img.width + x) * 3;
      img.data[i] = img.data[i]! + (colour[0] - img.data[i]!) * a;
      img.data[i + 1] = img.data[i + 1]! + (colour[1] - img.data[i + 1]!) * a;
      img.data[i + 2] = img.data[i + 2]! + (colour[2] - img.data[i + 2]!) * a;
    }
  }
}

// ---- base layers -------------------------------------------------------------------------------------

async function wood(rng: Rng, W: number, H: number, dark: boolean): Promise<Img> {
  const s = 3, w = Math.ceil(W / s), h = Math.ceil(H / s);
  const n = new ValueNoise(rng), ang = rng.chance(0.7) ? rng.range(-0.15, 0.15) + (rng.chance(0.5) ? 0 : Math.PI / 2) : rng.range(0, Math.PI);
  const ca = Math.cos(ang), sa = Math.sin(ang);
  const cell = rng.range(40, 120) / s, stretch = rng.range(6, 16), freq = rng.range(0.05, 0.18) * s, plank = rng.range(150, 500) / s;
  const base: Rgb = dark ? [rng.int(40, 70), rng.int(26, 44), rng.int(16, 30)] : tint(rng, rng.pick([[150, 100, 60], [190, 145, 95], [120, 80, 50], [205, 175, 130]] as Rgb[]), 12);
  const darkC = mix(base, [20, 12, 8], 0.45), light = mix(base, [255, 235, 200], 0.18);
  const img = newImg(w, h);
  const plankShade = Array.from({ length: 64 }, () => rng.range(0.85, 1.12));
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const a = x * ca + y * sa, b = -x * sa + y * ca;
    const nn = n.fbm(a / (cell * stretch), b / cell, 3);
    const ring = Math.sin((b + nn * 40) * freq) * 0.5 + 0.5;
    const pk = Math.floor(b / plank), seam = Math.abs(b / plank - Math.round(b / plank)) * plank < 0.7 ? 0.55 : 1;
    const t = clamp(0.25 + 0.45 * ring * ring + (nn - 0.5) * 0.8, 0, 1);
    const c = mix(darkC, light, t), m = seam * plankShade[((pk % 64) + 64) % 64]!;
    const i = (y * w + x) * 3;
    img.data[i] = c[0] * m; img.data[i + 1] = c[1] * m; img.data[i + 2] = c[2] * m;
  }
  return upscale(img, W, H);
}

async function fabric(rng: Rng, W: number, H: number, dark: boolean): Promise<Img> {
  const p = rng.int(3, 7), tile = p * 32;
  const tv = new Float32Array(tile * tile);
  const rows = Array.from({ length: 32 }, () => rng.range(0.85, 1.1)), cols = Array.from({ length: 32 }, () => rng.range(0.85, 1.1));
  for (let y = 0; y < tile; y++) for (let x = 0; x < tile; x++) {
    const cx = Math.floor(x / p), cy = Math.floor(y / p), fx = (x % p + 0.5) / p, fy = (y % p + 0.5) / p;
    const over = (cx + cy) % 2 === 0;
    tv[y * tile + x] = over ? (0.7 + 0.3 * Math.sin(Math.PI * fy)) * rows[cy % 32]! : (0.7 + 0.3 * Math.sin(Math.PI * fx)) * cols[cx % 32]!;
  }
  const base: Rgb = dark ? rgb(rng, 20, 60) : tint(rng, rng.pick([[120, 130, 160], [160, 60, 60], [90, 120, 90], [200, 190, 170], [60, 70, 110]] as Rgb[]), 20);
  const var_ = fbmPlane(rng, Math.ceil(W / 16), Math.ceil(H / 16), rng.range(4, 12), 3);
  const vimg = colourize(var_, [mix(base, [0, 0, 0], 0.3), base, mix(base, [255, 255, 255], 0.15)]);
  const img = await upscale(vimg, W, H);
  const ang = rng.range(-0.3, 0.3), c = Math.cos(ang), s = Math.sin(ang);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    const tx = Math.floor(x * c + y * s + 1e6) % tile, ty = Math.floor(-x * s + y * c + 1e6) % tile;
    const m = tv[ty * tile + tx]!, i = (y * W + x) * 3;
    img.data[i] = img.data[i]! * m; img.data[i + 1] = img.data[i + 1]! * m; img.data[i + 2] = img.data[i + 2]! * m;
  }
  return img;
}

async function stone(rng: Rng, W: number, H: number, dark: boolean): Promise<Img> {
  const s = 3;
  // Concrete / stone: a faint large-scale mottle over fine grain (the grain carries most of the contrast).
  const p = fbmPlane(rng, Math.ceil(W / s), Math.ceil(H / s), rng.range(8, 40) / s, 6, rng.range(0.55, 0.75));
  const base: Rgb = dark ? rgb(rng, 30, 60) : tint(rng, rng.pick([[150, 150, 145], [180, 170, 155], [120, 125, 130], [200, 195, 185]] as Rgb[]), 10);
  const k = rng.range(0.12, 0.25);
  const img = await upscale(colourize(p, [mix(base, [0, 0, 0], k), base, mix(base, [255, 255, 255], k * 0.8)]), W, H);
  const specks = Math.min(40000, Math.round((W * H) / rng.range(400, 2000)));
  for (let k = 0; k < specks; k++) {
    const x = rng.int(0, W - 1), y = rng.int(0, H - 1), r = rng.range(0.6, 2.2), m = rng.chance(0.5) ? rng.range(0.5, 0.8) : rng.range(1.1, 1.35);
    for (let yy = Math.max(0, Math.floor(y - r)); yy <= Math.min(H - 1, y + r); yy++) for (let xx = Math.max(0, Math.floor(x - r)); xx <= Math.min(W - 1, x + r); xx++) {
      if ((xx - x) ** 2 + (yy - y) ** 2 > r * r) continue;
      const i = (yy * W + xx) * 3;
      img.data[i] = img.data[i]! * m; img.data[i + 1] = img.data[i + 1]! * m; img.data[i + 2] = img.data[i + 2]! * m;
    }
  }
  return img;
}

async function metal(rng: Rng, W: number, H: number, dark: boolean): Promise<Img> {
  const base: Rgb = dark ? rgb(rng, 35, 60) : tint(rng, [165, 168, 172], 15);
  const ang = rng.range(0, Math.PI), c = Math.cos(ang), s = Math.sin(ang);
  const L = Math.ceil(hyp(W, H)) + 2, prof = new Float32Array(L);
  let acc = 0;
  for (let i = 0; i < L; i++) { acc = acc * 0.6 + rng.range(-1, 1); prof[i] = acc; }
  const sheen = fbmPlane(rng, Math.ceil(W / 24), Math.ceil(H / 24), rng.range(6, 20), 2);
  const img = await upscale(colourize(sheen, [mix(base, [0, 0, 0], 0.25), base, mix(base, [255, 255, 255], 0.3)]), W, H);
  const k = rng.range(0.03, 0.08);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    const t = Math.floor(-x * s + y * c + W) % L;
    const m = 1 + k * prof[t < 0 ? t + L : t]!, i = (y * W + x) * 3;
    img.data[i] = img.data[i]! * m; img.data[i + 1] = img.data[i + 1]! * m; img.data[i + 2] = img.data[i + 2]! * m;
  }
  return img;
}

async function room(rng: Rng, W: number, H: number): Promise<Img> {
  // Out-of-focus surroundings: smooth colour fields, soft objects and bokeh discs, made small and upscaled.
  const s = 8, w = Math.ceil(W / s), h = Math.ceil(H / s);
  const p = fbmPlane(rng, w, h, rng.range(8, 30), 3);
  const stops: Rgb[] = [rgb(rng, 20, 90), tint(rng, rgb(rng, 90, 180), 30), rgb(rng, 150, 235)];
  const img = colourize(p, stops);
  for (let k = rng.int(2, 7); k > 0; k--) {
    const cx = rng.range(0, w), cy = rng.range(0, h), hw = rng.range(w / 12, w / 3), hh = rng.range(h / 12, h / 3);
    fillSdf(img, cx - hw * 1.5, cy - hh * 1.5, cx + hw * 1.5, cy + hh * 1.5, boxSdf(cx, cy, hw, hh, rng.range(-0.3, 0.3), rng.range(0, Math.min(hw, hh))), rgb(rng, 10, 240), rng.range(0.6, 1), rng.range(1, 4));
  }
  for (let k = rng.int(0, 12); k > 0; k--) {
    const cx = rng.range(0, w), cy = rng.range(0, h), r = rng.range(1.5, 6), col = tint(rng, [250, 235, 200], 20);
    fillSdf(img, cx - r - 2, cy - r - 2, cx + r + 2, cy + r + 2, (x, y) => hyp(x - cx, y - cy) - r, col, rng.range(0.3, 0.8), 0.8);
  }
  return upscale(img, W, H);
}

async function packaging(rng: Rng, W: number, H: number): Promise<Img> {
  const base = tint(rng, rng.pick([[245, 245, 240], [230, 60, 50], [40, 90, 170], [250, 200, 40], [30, 140, 80], [240, 240, 235]] as Rgb[]), 10);
  const img = newImg(W, H, base);
  for (let k = rng.int(2, 6); k > 0; k--) {
    const col = tint(rng, rng.pick([[255, 255, 255], [20, 20, 20], [220, 40, 40], [30, 70, 160], [250, 210, 30], [40, 150, 70]] as Rgb[]), 10);
    if (rng.chance(0.5)) {
      const y = rng.range(0, H), hh = rng.range(H / 30, H / 5), ang = rng.range(-0.2, 0.2);
      fillSdf(img, 0, y - hh * 2 - W * 0.25, W, y + hh * 2 + W * 0.25, boxSdf(W / 2, y, W, hh, ang, 0), col);
    } else {
      const cx = rng.range(0, W), cy = rng.range(0, H), r = rng.range(Math.min(W, H) / 20, Math.min(W, H) / 4);
      fillSdf(img, cx - r - 2, cy - r - 2, cx + r + 2, cy + r + 2, (x, y) => hyp(x - cx, y - cy) - r, col);
    }
  }
  for (let k = rng.int(2, 6); k > 0; k--) {
    const size = rng.range(10, Math.max(12, H / 25)), bw = rng.range(W * 0.1, W * 0.5), bh = size * rng.int(1, 6) * 1.6;
    const x = rng.range(0, W - bw), y = rng.range(0, H - bh);
    const bgl = lum(img.data.subarray((Math.floor(y) * W + Math.floor(x)) * 3, (Math.floor(y) * W + Math.floor(x)) * 3 + 3) as unknown as Rgb);
    textOnImg(img, rng, x, y, bw, bh, size, bgl > 128 ? rgb(rng, 0, 60) : rgb(rng, 200, 255));
  }
  return img;
}

// ---- pages: printed sheets in perspective --------------------------------------------------------------

export type PageKind = "text" | "grid" | "table" | "keyboard" | "tiles" | "stripes" | "modules" | "calendar";

/** A printed page / object face as an image (text, ruled grids, keyboards, tiles, bar-like stripes, ...). */
export function pageImage(rng: Rng, w: number, h: number, kind: PageKind): Img {
  const paper = tint(rng, rng.pick([[244, 244, 240], [235, 230, 215], [250, 250, 250], [225, 232, 240]] as Rgb[]), 6);
  const ink = rgb(rng, 10, 60);
  const img = newImg(w, h, paper);
  const a: AlphaTarget = { width: w, height: h, data: new Float32Array(w * h) };
  const unit = Math.max(6, Math.min(w, h) / rng.range(18, 60));
  switch (kind) {
    case "text": {
      const m = unit;
      textBlock(rng, a, m, m, w - 2 * m, h - 2 * m, Math.max(5, unit * rng.range(0.4, 0.9)));
      break;
    }
    case "grid": case "table": case "calendar": {
      const cw = unit * (kind === "grid" ? rng.range(0.5, 1.2) : rng.range(2, 5)), ch = kind === "grid" ? cw : unit * rng.range(0.9, 2);
      const lw = Math.max(0.6, unit * rng.range(0.03, 0.1));
      for (let x = unit / 2; x < w; x += cw) fillRectAlpha(a, x, 0, lw, h, kind === "grid" ? 0.5 : 1);
      for (let y = unit / 2; y < h; y += ch) fillRectAlpha(a, 0, y, w, lw, kind === "grid" ? 0.5 : 1);
      if (kind !== "grid") {
        let n = 1;
        for (let y = unit / 2; y + ch < h; y += ch) for (let x = unit / 2; x + cw < w; x += cw) {
          const txt = kind === "calendar" ? String(n++ % 31 + 1) : rng.chance(0.7) ? randomWords(rng, 2, Math.max(2, Math.floor(cw / (ch * 0.35))), DIGITS + ".,") : randomWords(rng, 2, 6);
          drawText(a, txt, x + ch * 0.15, y + ch * 0.25, ch * 0.45);
        }
      }
      break;
    }
    case "keyboard": {
      const key = unit * rng.range(1.4, 2.2), gap = key * rng.range(0.12, 0.25);
      const dark = rng.chance(0.6);
      img.data.fill(dark ? 30 : 200);
      const keyCol: Rgb = dark ? rgb(rng, 40, 70) : rgb(rng, 220, 245), glyph: Rgb = dark ? [220, 220, 220] : [40, 40, 40];
      const glyphs = "QWERTYUIOPASDFGHJKLZXCVBNM1234567890";
      for (let r = 0, y = gap; y + key < h; r++, y += key + gap) {
        for (let x = gap + (r % 3) * key * 0.3; x + key < w; x += key + gap) {
          fillSdf(img, x - 1, y - 1, x + key + 1, y + key + 1, boxSdf(x + key / 2, y + key / 2, key / 2, key / 2, 0, key * 0.12), keyCol);
          drawText(a, glyphs[rng.int(0, glyphs.length - 1)]!, x + key * 0.2, y + key * 0.2, key * 0.35);
        }
      }
      blendAlpha(img, a, 0, 0, glyph);
      return img;
    }
    case "tiles": {
      const t = unit * rng.range(1.5, 4), g = Math.max(1, t * rng.range(0.04, 0.1));
      const grout = rgb(rng, 120, 200);
      for (let y = 0; y < h; y += t) for (let x = 0; x < w; x += t) {
        const col = tint(rng, paper, 25);
        fillSdf(img, x, y, x + t, y + t, boxSdf(x + t / 2, y + t / 2, t / 2 - g, t / 2 - g, 0, g), col);
        fillSdf(img, x, y, x + t, y + t, (px, py) => -(Math.min(px - x, py - y, x + t - px, y + t - py) - g / 2), grout);
      }
      return img;
    }
    case "stripes": {
      // Bar-like stripes: fences, blinds, and random-width bars printed as decoration (no valid symbology).
      const regular = rng.chance(0.4);
      let x = unit;
      const bh = h * rng.range(0.3, 0.9), y0 = (h - bh) / 2;
      while (x < w - unit) {
        const bw = regular ? unit * 0.3 : rng.range(0.5, 4) * unit * 0.15;
        fillRectAlpha(a, x, y0, bw, bh);
        x += bw + (regular ? unit * 0.3 : rng.range(0.5, 5) * unit * 0.15);
      }
      break;
    }
    case "modules": {
      // Random dark/light module grids (mosaics, QR-like art without any valid symbol structure).
      const m = Math.max(2, unit * rng.range(0.25, 0.6)), n = Math.floor(Math.min(w, h) / m) - 2;
      const ox = (w - n * m) / 2, oy = (h - n * m) / 2, fill = rng.range(0.35, 0.6);
      for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) if (rng.chance(fill)) fillRectAlpha(a, ox + i * m, oy + j * m, m, m);
      break;
    }
  }
  blendAlpha(img, a, 0, 0, ink);
  return img;
}

/** Render a page image lying in the scene (perspective, rotation) at about `scale` px per texel. */
export function placePage(img: Img, page: Img, cam: Camera, rng: Rng, px: number, py: number, scale: number, tiltMax: number): void {
  const map = new PlanarMapping(planeHomography(cam, {
    px, py, uc: page.width / 2, vc: page.height / 2, scale, roll: rng.range(-Math.PI, Math.PI), tilt: rng.range(0, tiltMax), tiltAxis: rng.range(0, Math.PI),
  }));
  const rect = surfaceRect(img, map, 0, 0, page.width, page.height);
  if (rect) renderSurface(img, new ImageSurface(page), map, rect);
}

// ---- objects ------------------------------------------------------------------------------------------

/** Boxes, books, phones, mugs, pens: hard-edged shapes with shading and a soft contact shadow. */
function objects(img: Img, rng: Rng, count: number): void {
  const W = img.width, H = img.height, S = Math.min(W, H);
  for (let k = 0; k < count; k++) {
    const kind = rng.pick(["box", "box", "phone", "disc", "pen"] as const);
    const cx = rng.range(-0.1, 1.1) * W, cy = rng.range(-0.1, 1.1) * H, ang = rng.range(-Math.PI, Math.PI);
    let sdf: (x: number, y: number) => number, ext: number;
    if (kind === "disc") {
      const r = rng.range(0.05, 0.25) * S;
      sdf = (x, y) => hyp(x - cx, y - cy) - r; ext = r;
    } else if (kind === "pen") {
      const len = rng.range(0.2, 0.6) * S, r = rng.range(0.006, 0.02) * S, c = Math.cos(ang), s = Math.sin(ang);
      sdf = (x, y) => {
        const dx = x - cx, dy = y - cy, t = clamp(dx * c + dy * s, -len / 2, len / 2);
        return hyp(dx - t * c, dy - t * s) - r;
      };
      ext = len / 2 + r;
    } else {
      const hw = rng.range(0.08, 0.4) * S, hh = hw * rng.range(kind === "phone" ? 1.8 : 0.3, kind === "phone" ? 2.1 : 1.5);
      sdf = boxSdf(cx, cy, hw, hh, ang, kind === "phone" ? hw * 0.15 : rng.range(0, hw * 0.1)); ext = hyp(hw, hh);
    }
    const bx: [number, number, number, number] = [cx - ext, cy - ext, cx + ext, cy + ext];
    contactShadow(img, sdf, bx, rng.range(-0.01, 0.02) * S, rng.range(0, 0.025) * S, rng.range(0.005, 0.03) * S, rng.range(0.25, 0.6));
    const col = kind === "phone" ? rgb(rng, 10, 40) : rgb(rng, 20, 245);
    const gx = Math.cos(rng.range(0, 2 * Math.PI)), gy = Math.sin(rng.range(0, 2 * Math.PI)), gk = rng.range(0, 0.4) / ext;
    fillSdf(img, bx[0], bx[1], bx[2], bx[3], sdf, (x, y) => {
      const m = 1 + gk * ((x - cx) * gx + (y - cy) * gy);
      return [col[0] * m, col[1] * m, col[2] * m];
    }, 1, rng.range(0.6, 1.2));
    if (kind === "box" && rng.chance(0.5)) {
      const size = rng.range(0.01, 0.03) * S;
      textOnImg(img, rng, cx - ext * 0.4, cy - ext * 0.3, ext * 0.8, ext * 0.5, size, lum(col) > 128 ? rgb(rng, 0, 60) : rgb(rng, 200, 250), 0.9);
    }
  }
}

export interface BackgroundOptions {
  readonly style: BgStyle;
  /** Dark variant (inverted codes on dark stock). */
  readonly dark?: boolean;
  /** Clutter objects and pages (0 = bare surface). */
  readonly objects?: number;
  readonly pages?: number;
  readonly pageKinds?: readonly PageKind[];
  readonly camera: Camera;
}

export async function makeBackground(rng: Rng, W: number, H: number, o: BackgroundOptions): Promise<Img> {
  const dark = !!o.dark;
  let img: Img;
  switch (o.style) {
    case "desk": img = await wood(rng, W, H, dark); break;
    case "fabric": img = await fabric(rng, W, H, dark); break;
    case "stone": img = await stone(rng, W, H, dark); break;
    case "metal": img = await metal(rng, W, H, dark); break;
    case "packaging": img = await packaging(rng, W, H); break;
    case "room": img = await room(rng, W, H); break;
    case "dark": img = await (rng.pick([wood, fabric, stone, metal]))(rng, W, H, true); break;
    case "paper": {
      img = await wood(rng, W, H, false);
      const page = pageImage(rng, Math.round(W * rng.range(0.5, 0.9)), Math.round(H * rng.range(0.6, 1)), "text");
      placePage(img, page, o.camera, rng, W * rng.range(0.35, 0.65), H * rng.range(0.35, 0.65), rng.range(0.9, 1.3), 0.5);
      break;
    }
  }
  const kinds = o.pageKinds ?? ["text", "text", "table", "grid"];
  for (let k = 0; k < (o.pages ?? 0); k++) {
    const S = Math.min(W, H), pw = Math.round(S * rng.range(0.25, 0.6)), ph = Math.round(pw * rng.range(0.6, 1.5));
    placePage(img, pageImage(rng, pw, ph, rng.pick(kinds)), o.camera, rng, rng.range(0, W), rng.range(0, H), rng.range(0.8, 1.2), 0.8);
  }
  objects(img, rng, o.objects ?? 0);
  return img;
}
