/**
 * Labels: a symbol printed on paper, sticker or packaging of some colour, with captions, borders, a logo,
 * the digits under retail bars, paper grain and ink spread. Print is rarely black on pure white.
 */
import type { Rng } from "../synthetic/prng.js";
import { lum, type Plane, type Rgb } from "./canvas.js";
import type { PhotoSymbol } from "./codes.js";
import { DIGITS, drawText, fillRectAlpha, randomWords, textWidth } from "./font.js";
import { ValueNoise } from "./noise.js";
import { Texture, type LabelSpec } from "./surfaces.js";

interface Palette { paper: Rgb; ink: Rgb; w: number }

// Paper / ink pairs as printed (luminance contrast from ~110 to ~230).
const PRINTED: readonly Palette[] = [
  { paper: [242, 242, 238], ink: [22, 22, 26], w: 8 },   // office paper, laser
  { paper: [250, 249, 245], ink: [35, 33, 38], w: 4 },   // glossy white sticker
  { paper: [236, 228, 208], ink: [40, 36, 34], w: 2 },   // cream / ivory
  { paper: [214, 214, 210], ink: [30, 30, 32], w: 1 },   // grey card
  { paper: [186, 152, 112], ink: [40, 30, 24], w: 2 },   // kraft / cardboard
  { paper: [244, 226, 96], ink: [24, 22, 20], w: 1 },    // yellow sticker
  { paper: [198, 222, 240], ink: [16, 34, 86], w: 1 },   // light blue / navy
  { paper: [246, 214, 222], ink: [92, 18, 36], w: 1 },   // pink / dark red
  { paper: [212, 238, 208], ink: [16, 66, 36], w: 1 },   // light green / dark green
  { paper: [240, 240, 240], ink: [20, 40, 110], w: 2 },  // white / blue ink
  { paper: [236, 236, 232], ink: [88, 88, 92], w: 1 },   // faded thermal print
  { paper: [250, 250, 250], ink: [60, 20, 90], w: 1 },   // white / purple
];

// Light print on dark stock, engraved or laser-marked surfaces (inverted codes).
const INVERTED: readonly Palette[] = [
  { paper: [24, 24, 28], ink: [236, 236, 232], w: 4 },    // black / white
  { paper: [22, 36, 78], ink: [238, 238, 240], w: 2 },    // navy / white
  { paper: [96, 20, 26], ink: [246, 232, 220], w: 1 },    // dark red / cream
  { paper: [20, 64, 40], ink: [226, 240, 226], w: 1 },    // dark green / white
  { paper: [44, 44, 48], ink: [196, 198, 200], w: 2 },    // anodised metal / laser mark
  { paper: [30, 34, 40], ink: [236, 200, 60], w: 1 },     // slate / yellow
  { paper: [58, 36, 24], ink: [230, 214, 180], w: 1 },    // dark wood / burnt-in light
];

function pickPalette(rng: Rng, list: readonly Palette[]): Palette {
  const total = list.reduce((a, p) => a + p.w, 0);
  let r = rng.range(0, total);
  for (const p of list) { r -= p.w; if (r <= 0) return p; }
  return list[list.length - 1]!;
}

const jitter = (rng: Rng, c: Rgb, d: number): Rgb => [c[0] + rng.range(-d, d), c[1] + rng.range(-d, d), c[2] + rng.range(-d, d)];

export function printColours(rng: Rng, inverted: boolean): { paper: Rgb; ink: Rgb } {
  const p = pickPalette(rng, inverted ? INVERTED : PRINTED);
  const paper = jitter(rng, p.paper, 8), ink = jitter(rng, p.ink, 10);
  return { paper: paper.map((v) => Math.max(0, Math.min(255, v))) as Rgb, ink: ink.map((v) => Math.max(0, Math.min(255, v))) as Rgb };
}

export interface LabelOptions {
  /** Approximate image pixels per module (decides the decoration texture's resolution). */
  readonly pxPerModule: number;
  readonly inverted?: boolean;
  readonly paper?: Rgb;
  readonly ink?: Rgb;
  /** Extra margin beyond the quiet zone, as a fraction of the symbol's larger side. */
  readonly margin?: [number, number];
  readonly decor?: boolean;
  readonly spread?: [number, number];
}

/** Build a label around `sym`: margins, captions, colours, grain. */
export function makeLabel(rng: Rng, sym: PhotoSymbol, o: LabelOptions): LabelSpec {
  const { paper, ink } = o.paper && o.ink ? { paper: o.paper, ink: o.ink } : printColours(rng, !!o.inverted);
  const w = sym.cols, h = sym.rows * sym.rowHeight, big = Math.max(w, h);
  const qx = sym.quiet, qy = sym.linear ? Math.max(2, Math.round(sym.quiet / 3)) : sym.quiet;
  const [mlo, mhi] = o.margin ?? [0.02, 0.25];
  const decorOn = o.decor ?? rng.chance(0.75);
  const hriH = sym.hri ? Math.max(5, Math.round(h * rng.range(0.12, 0.2))) : 0;
  const capTop = decorOn && rng.chance(0.5) ? Math.max(3, Math.round(big * rng.range(0.05, 0.1))) : 0;
  const capBot = decorOn && rng.chance(0.5) ? Math.max(3, Math.round(big * rng.range(0.04, 0.08))) : 0;
  const ml = qx + big * rng.range(mlo, mhi), mr = qx + big * rng.range(mlo, mhi);
  const mt = qy + big * rng.range(mlo, mhi) + capTop * 1.6, mb = qy + big * rng.range(mlo, mhi) + (hriH ? hriH * 1.3 : 0) + capBot * 1.6;
  const width = ml + w + mr, height = mt + h + mb;
  const sx = ml, sy = mt;
  let decor: Texture | undefined;
  if (decorOn || sym.hri) {
    const k = Math.max(1, Math.min(6, Math.round(o.pxPerModule), Math.floor(2048 / Math.max(width, height))));
    decor = new Texture(Math.ceil(width * k), Math.ceil(height * k), k);
    const mask = { width: decor.width, height: decor.height, data: new Float32Array(decor.width * decor.height) };
    const accent: Rgb = rng.chance(0.5) ? ink : lum(paper) > 128 ? jitter(rng, rng.pick([[170, 30, 40], [30, 60, 150], [20, 110, 60], [60, 60, 60]] as Rgb[]), 10) : [235, 235, 235];
    if (sym.hri) {
      // Digits under the bars (EAN/UPC: a human-readable line the width of the symbol).
      const th = hriH, tw = textWidth(sym.hri, th, 0.9);
      const scale = Math.min(1, (w * 0.95) / tw);
      drawText(mask, sym.hri, (sx + (w - tw * scale) / 2) * k, (sy + h + qy * 0.5 + hriH * 0.15) * k, th * scale * k, 1, 0.9, rng.range(0.9, 1.2));
      decor.paint(mask.data, ink);
      mask.data.fill(0);
    }
    if (capTop) {
      const txt = randomWords(rng, 4, Math.max(5, Math.floor((width * 0.8) / (capTop * 0.86))));
      const tw = Math.min(textWidth(txt, capTop), width * 0.9);
      drawText(mask, txt, ((width - tw) / 2) * k, (sy - qy - capTop * 1.35) * k, capTop * k, 1, 1, rng.range(0.9, 1.5));
    }
    if (capBot) {
      const txt = rng.chance(0.5) ? randomWords(rng, 4, 16, DIGITS + "-/.") : randomWords(rng, 5, 20);
      const tw = Math.min(textWidth(txt, capBot), width * 0.9);
      drawText(mask, txt, ((width - tw) / 2) * k, (height - capBot * 1.3) * k, capBot * k, 1);
    }
    if (decorOn && rng.chance(0.3)) {
      // A printed border line just inside the label's edge.
      const bw = Math.max(0.3, big * rng.range(0.004, 0.012)) * k, inset = Math.max(0.5, Math.min(ml, mt) * rng.range(0.1, 0.35)) * k;
      const W = decor.width, H = decor.height;
      fillRectAlpha(mask, inset, inset, W - 2 * inset, bw); fillRectAlpha(mask, inset, H - inset - bw, W - 2 * inset, bw);
      fillRectAlpha(mask, inset, inset, bw, H - 2 * inset); fillRectAlpha(mask, W - inset - bw, inset, bw, H - 2 * inset);
    }
    decor.paint(mask.data, accent);
  }
  // Paper grain / toner density: a low-contrast multiplicative field, 2 texels a module.
  const grainK = 2, gw = Math.ceil(width * grainK) + 2, gh = Math.ceil(height * grainK) + 2;
  const grain: Plane = { width: gw, height: gh, data: new Float32Array(gw * gh) };
  const noise = new ValueNoise(rng);
  const amp = rng.range(0.015, 0.06), fine = rng.range(0.005, 0.03), cell = rng.range(6, 30) * grainK;
  for (let y = 0; y < gh; y++) for (let x = 0; x < gw; x++) {
    grain.data[y * gw + x] = 1 + amp * (noise.fbm(x / cell, y / cell, 3) - 0.5) * 2 + fine * (noise.at(x * 0.9 + 100, y * 0.9) - 0.5) * 2;
  }
  const [slo, shi] = o.spread ?? [-0.08, 0.14];
  return {
    sym, width, height, sx, sy, corner: rng.chance(0.5) ? big * rng.range(0.01, 0.06) : 0, paper, ink,
    spread: rng.chance(0.6) ? rng.range(slo, shi) : 0, ...(decor ? { decor } : {}), grain, grainK,
  };
}
