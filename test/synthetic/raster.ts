/**
 * RGB raster operations on raw pixels: backgrounds, drawing a warped symbol card, noise and glare.
 * Everything heavy that sharp cannot do (projective warp, seeded noise) happens here, in plain loops.
 */
import sharp from "sharp";
import { applyH, invert, type Mat3, type Pt } from "./geometry.js";
import { gaussTable, type Rng } from "./prng.js";
import type { SymbolBitmap } from "./symbols.js";

export interface Canvas {
  readonly width: number;
  readonly height: number;
  /** RGB, 3 bytes per pixel, row-major. */
  readonly data: Uint8Array;
}

export type Rgb = [number, number, number];

const clamp255 = (v: number): number => (v < 0 ? 0 : v > 255 ? 255 : v);

export function flatBackground(rng: Rng, width: number, height: number, base?: Rgb): Canvas {
  const c: Rgb = base ?? [rng.int(200, 250), rng.int(200, 250), rng.int(195, 245)];
  const gx = rng.range(-30, 30) / width, gy = rng.range(-30, 30) / height; // mild lighting gradient
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const d = gx * x + gy * y;
      const i = (y * width + x) * 3;
      data[i] = clamp255(c[0] + d); data[i + 1] = clamp255(c[1] + d); data[i + 2] = clamp255(c[2] + d);
    }
  }
  return { width, height, data };
}

/**
 * Photo-like background: multi-octave value noise mapped to a random palette, plus soft blobs, made at
 * 1/8 resolution in JS and upscaled by sharp (cheap even at 12 MP). Grain is added later by `addNoise`.
 */
export async function photoBackground(rng: Rng, width: number, height: number, light = false): Promise<Canvas> {
  const lw = Math.max(8, Math.ceil(width / 8)), lh = Math.max(8, Math.ceil(height / 8));
  const field = new Float32Array(lw * lh);
  let amp = 1;
  for (let octave = 0, cell = Math.max(lw, lh) / 3; octave < 5 && cell >= 1; octave++, cell /= 2.2, amp *= 0.55) {
    const gw = Math.ceil(lw / cell) + 2, gh = Math.ceil(lh / cell) + 2;
    const grid = Float32Array.from({ length: gw * gh }, () => rng.next());
    for (let y = 0; y < lh; y++) {
      const fy = y / cell, y0 = Math.floor(fy), ty = fy - y0;
      for (let x = 0; x < lw; x++) {
        const fx = x / cell, x0 = Math.floor(fx), tx = fx - x0;
        const a = grid[y0 * gw + x0]!, b = grid[y0 * gw + x0 + 1]!;
        const c = grid[(y0 + 1) * gw + x0]!, d = grid[(y0 + 1) * gw + x0 + 1]!;
        const sx = tx * tx * (3 - 2 * tx), sy = ty * ty * (3 - 2 * ty);
        field[y * lw + x]! += amp * ((a + (b - a) * sx) * (1 - sy) + (c + (d - c) * sx) * sy);
      }
    }
  }
  const lo: Rgb = light ? [rng.int(120, 190), rng.int(120, 190), rng.int(110, 190)] : [rng.int(10, 90), rng.int(10, 90), rng.int(10, 90)];
  const hi: Rgb = [rng.int(170, 255), rng.int(160, 255), rng.int(150, 255)];
  const small = new Uint8Array(lw * lh * 3);
  let min = Infinity, max = -Infinity;
  for (const v of field) { min = Math.min(min, v); max = Math.max(max, v); }
  for (let i = 0; i < lw * lh; i++) {
    const t = (field[i]! - min) / (max - min || 1);
    for (let ch = 0; ch < 3; ch++) small[i * 3 + ch] = lo[ch]! + (hi[ch]! - lo[ch]!) * t;
  }
  const blobs = rng.int(2, 8); // soft objects: ellipses of a random colour
  for (let k = 0; k < blobs; k++) {
    const cx = rng.range(0, lw), cy = rng.range(0, lh), rx = rng.range(lw / 20, lw / 5), ry = rng.range(lh / 20, lh / 5);
    const col: Rgb = [rng.int(0, 255), rng.int(0, 255), rng.int(0, 255)];
    for (let y = Math.max(0, Math.floor(cy - ry)); y < Math.min(lh, cy + ry); y++) {
      for (let x = Math.max(0, Math.floor(cx - rx)); x < Math.min(lw, cx + rx); x++) {
        const d = ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2;
        if (d > 1) continue;
        const a = 0.8 * (1 - d * d);
        for (let ch = 0; ch < 3; ch++) { const i = (y * lw + x) * 3 + ch; small[i] = small[i]! * (1 - a) + col[ch]! * a; }
      }
    }
  }
  const data = await sharp(small, { raw: { width: lw, height: lh, channels: 3 } })
    .resize(width, height, { kernel: "cubic", fit: "fill" }).raw().toBuffer();
  const canvas = { width, height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
  const edges = rng.int(3, 12); // hard-edged objects and thin lines: real photos have sharp edges too
  for (let k = 0; k < edges; k++) {
    const col: Rgb = [rng.int(0, 255), rng.int(0, 255), rng.int(0, 255)];
    const thin = rng.chance(0.5), len = rng.range(0.05, 0.4) * width, wid = thin ? rng.range(1, 6) : rng.range(0.03, 0.2) * height;
    const vertical = rng.chance(0.5);
    fillRect(canvas, rng.range(0, width), rng.range(0, height), vertical ? wid : len, vertical ? len : wid, col);
  }
  return canvas;
}

/** Paper with lines of "words": glyph-sized vertical and horizontal strokes, which look a bit like bars. */
export function textBackground(rng: Rng, width: number, height: number): Canvas {
  const c = flatBackground(rng, width, height);
  const ink: Rgb = [rng.int(0, 60), rng.int(0, 60), rng.int(0, 60)];
  const size = rng.int(10, 28);
  for (let y = rng.int(5, 30); y + size < height; y += Math.round(size * rng.range(1.4, 2.2))) {
    let x = rng.int(5, 40);
    while (x < width - size) {
      const letters = rng.int(1, 9);
      for (let l = 0; l < letters && x < width - size; l++) {
        const gw = Math.round(size * rng.range(0.4, 0.75)), sw = Math.max(1, Math.round(size / 8));
        const strokes = rng.int(1, 3);
        for (let s = 0; s < strokes; s++) {
          if (rng.chance(0.6)) fillRect(c, x + rng.int(0, gw - sw), y + (rng.chance(0.3) ? -size / 3 : 0), sw, size, ink);
          else fillRect(c, x, y + rng.int(0, size - sw), gw, sw, ink);
        }
        x += gw + Math.round(size * 0.15);
      }
      x += Math.round(size * rng.range(0.4, 1));
    }
  }
  return c;
}

/** Patches of parallel stripes (gratings, fences, blinds): bait for linear readers. */
export function stripeBackground(rng: Rng, base: Canvas): Canvas {
  const patches = rng.int(1, 4);
  for (let p = 0; p < patches; p++) {
    const pw = rng.int(base.width / 8, base.width / 2), ph = rng.int(base.height / 8, base.height / 2);
    const px = rng.int(0, base.width - pw), py = rng.int(0, base.height - ph);
    const ink: Rgb = [rng.int(0, 80), rng.int(0, 80), rng.int(0, 80)];
    const regular = rng.chance(0.5), period = rng.int(3, 12);
    for (let x = px; x < px + pw;) {
      const bar = regular ? Math.ceil(period / 2) : rng.int(1, 6);
      fillRect(base, x, py, bar, ph, ink);
      x += bar + (regular ? Math.floor(period / 2) : rng.int(1, 8));
    }
  }
  return base;
}

export function fillRect(c: Canvas, x0: number, y0: number, w: number, h: number, col: Rgb): void {
  const xa = Math.max(0, Math.round(x0)), ya = Math.max(0, Math.round(y0));
  const xb = Math.min(c.width, Math.round(x0 + w)), yb = Math.min(c.height, Math.round(y0 + h));
  for (let y = ya; y < yb; y++) {
    for (let x = xa; x < xb; x++) {
      const i = (y * c.width + x) * 3;
      c.data[i] = col[0]; c.data[i + 1] = col[1]; c.data[i + 2] = col[2];
    }
  }
}

/**
 * Draw a symbol card (symbol + quiet zone, in module units, origin at the card's top-left) through the
 * homography `h` (card -> canvas), by inverse mapping with ss x ss supersampling (anti-aliased edges).
 */
export function drawCard(c: Canvas, sym: SymbolBitmap, h: Mat3, ink: Rgb, paper: Rgb, ss = 3): void {
  const q = sym.quiet, cardW = sym.cols + 2 * q, cardH = sym.rows * sym.rowHeight + 2 * q;
  const corners: Pt[] = [{ x: 0, y: 0 }, { x: cardW, y: 0 }, { x: cardW, y: cardH }, { x: 0, y: cardH }].map((p) => applyH(h, p));
  const x0 = Math.max(0, Math.floor(Math.min(...corners.map((p) => p.x)))), x1 = Math.min(c.width, Math.ceil(Math.max(...corners.map((p) => p.x))));
  const y0 = Math.max(0, Math.floor(Math.min(...corners.map((p) => p.y)))), y1 = Math.min(c.height, Math.ceil(Math.max(...corners.map((p) => p.y))));
  const [a, b, cc, d, e, f, g, hh, k] = invert(h);
  const n = ss * ss;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      let inCard = 0, darkCount = 0;
      for (let sy = 0; sy < ss; sy++) {
        const py = y + (sy + 0.5) / ss;
        for (let sx = 0; sx < ss; sx++) {
          const px = x + (sx + 0.5) / ss;
          const w = g * px + hh * py + k;
          const u = (a * px + b * py + cc) / w, v = (d * px + e * py + f) / w;
          if (u < 0 || v < 0 || u >= cardW || v >= cardH) continue;
          inCard++;
          const mu = Math.floor(u - q), mv = Math.floor((v - q) / sym.rowHeight);
          if (mu >= 0 && mv >= 0 && mu < sym.cols && mv < sym.rows && sym.dark[mv * sym.cols + mu]) darkCount++;
        }
      }
      if (inCard === 0) continue;
      const cov = inCard / n, dk = darkCount / inCard, i = (y * c.width + x) * 3;
      for (let ch = 0; ch < 3; ch++) {
        const fg = paper[ch]! + (ink[ch]! - paper[ch]!) * dk;
        c.data[i + ch] = c.data[i + ch]! * (1 - cov) + fg * cov;
      }
    }
  }
}

/** Additive gaussian noise (same value on all channels: luminance grain). */
export function addNoise(c: Canvas, rng: Rng, sigma: number): void {
  const table = gaussTable(rng);
  const mask = table.length - 1;
  let s = rng.nextU32();
  for (let i = 0, p = 0; p < c.width * c.height; p++, i += 3) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0; // LCG indexes the table: fast and still seeded
    const v = table[(s >>> 12) & mask]! * sigma;
    c.data[i] = clamp255(c.data[i]! + v); c.data[i + 1] = clamp255(c.data[i + 1]! + v); c.data[i + 2] = clamp255(c.data[i + 2]! + v);
  }
}

export function addSaltPepper(c: Canvas, rng: Rng, fraction: number): void {
  const count = Math.round(c.width * c.height * fraction);
  for (let k = 0; k < count; k++) {
    const i = rng.int(0, c.width * c.height - 1) * 3, v = rng.chance(0.5) ? 0 : 255;
    c.data[i] = v; c.data[i + 1] = v; c.data[i + 2] = v;
  }
}

/** A bright specular spot: pixels pulled towards white with a gaussian falloff. */
export function addGlare(c: Canvas, cx: number, cy: number, radius: number, strength: number): void {
  const r3 = radius * 3;
  for (let y = Math.max(0, Math.floor(cy - r3)); y < Math.min(c.height, cy + r3); y++) {
    for (let x = Math.max(0, Math.floor(cx - r3)); x < Math.min(c.width, cx + r3); x++) {
      // Flat-topped: saturates to white near the centre once strength > ~0.7, as a real specular spot does.
      const t = Math.min(1, 1.4 * strength * Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * radius * radius)));
      const i = (y * c.width + x) * 3;
      for (let ch = 0; ch < 3; ch++) c.data[i + ch] = c.data[i + ch]! + (255 - c.data[i + ch]!) * t;
    }
  }
}

export async function blur(c: Canvas, sigma: number): Promise<Canvas> {
  const data = await sharp(c.data, { raw: { width: c.width, height: c.height, channels: 3 } }).blur(sigma).raw().toBuffer();
  return { width: c.width, height: c.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

export type Encoding = { kind: "png" } | { kind: "jpeg"; quality: number } | { kind: "webp"; quality: number | "lossless" };

export async function encode(c: Canvas, enc: Encoding): Promise<Buffer> {
  const img = sharp(c.data, { raw: { width: c.width, height: c.height, channels: 3 } });
  switch (enc.kind) {
    // Fast encoder settings: noisy images compress badly anyway and encoding dominated suite generation.
    case "png": return img.png({ compressionLevel: 2, adaptiveFiltering: false }).toBuffer();
    case "jpeg": return img.jpeg({ quality: enc.quality, chromaSubsampling: "4:2:0" }).toBuffer();
    case "webp": return enc.quality === "lossless" ? img.webp({ lossless: true, effort: 1 }).toBuffer() : img.webp({ quality: enc.quality, effort: 2 }).toBuffer();
  }
}
