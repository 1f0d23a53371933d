/**
 * Scene generation: a category picks the scene's parameters from the seed, then one common pipeline
 * renders it (background -> warped symbol cards -> degradations -> encoding) and tracks each symbol's
 * ground-truth box through the card's homography (every later step keeps geometry).
 */
import { applyH, boundsOf, homography, overlaps, roundBox, type Box, type Mat3, type Pt } from "./geometry.js";
import { Rng, hashString } from "./prng.js";
import {
  addGlare, addNoise, addSaltPepper, blur, drawCard, encode, flatBackground, photoBackground,
  stripeBackground, textBackground, type Canvas, type Encoding, type Rgb,
} from "./raster.js";
import { ALL_SYMBOLOGIES, LINEAR, MATRIX, makeSymbol, symbolSize, type Symbology, type SymbolBitmap } from "./symbols.js";

/** Bump when the rendering changes: it keys the scene cache. */
export const GENERATOR_VERSION = 2;

export const CATEGORIES = [
  "clean", "multi", "rotation", "perspective", "blur", "noise", "low-contrast", "glare", "jpeg", "small",
  "photo12mp", "linear", "2d", "negative",
] as const;
export type Category = (typeof CATEGORIES)[number];

export interface ExpectedCode {
  readonly text: string;
  /** zxing-cpp format name of the generated symbology (UPC-A is "UPCA" here, though zxing reports "EAN13"). */
  readonly format: Symbology;
  /** Axis-aligned box of the whole symbol (full bar height for 1D), quiet zone excluded, in image pixels. */
  readonly box: Box;
}

export interface GeneratedScene {
  readonly image: Buffer;
  readonly mime: "image/png" | "image/jpeg" | "image/webp";
  readonly width: number;
  readonly height: number;
  readonly codes: ExpectedCode[];
}

export interface SceneSpec {
  readonly category: Category;
  /** Position in the suite; categories that cycle through symbologies use it. */
  readonly index?: number;
  /** Force every code in the scene to this symbology (tests of text conventions). */
  readonly symbology?: Symbology;
}

interface CodePlan {
  sym: Symbology;
  modulePx: number;
  /** Rotation in degrees. */
  angle: number;
  /** Out-of-plane tilt in degrees (0 = facing the camera). */
  tilt: number;
}

interface Plan {
  width: number;
  height: number;
  background: "flat" | "photo" | "photo-light" | "text" | "stripes" | "text+stripes";
  codes: CodePlan[];
  contrast: number; // ink-paper difference, 0..255
  blurSigma: number;
  noiseSigma: number;
  saltPepper: number;
  glare: number; // strength, 0 = none
  encoding: Encoding;
}

const pickSym = (rng: Rng, from: readonly Symbology[] = ALL_SYMBOLOGIES): Symbology => rng.pick(from);
const one = (rng: Rng, mod: [number, number], angle: number, tilt = 0, from?: readonly Symbology[]): CodePlan =>
  ({ sym: pickSym(rng, from), modulePx: rng.range(mod[0], mod[1]), angle: rng.range(-angle, angle), tilt });
// Near-lossless default; WebP at q95 rather than lossless WebP, whose encoder is ~8x slower on noisy images.
const lossless = (rng: Rng): Encoding => (rng.chance(0.5) ? { kind: "png" } : { kind: "webp", quality: 95 });

function plan(spec: SceneSpec, rng: Rng): Plan {
  const idx = spec.index ?? 0;
  const p: Plan = {
    width: 800, height: 600, background: "flat", codes: [], contrast: rng.range(170, 230),
    blurSigma: 0, noiseSigma: 0, saltPepper: 0, glare: 0, encoding: lossless(rng),
  };
  switch (spec.category) {
    case "clean":
      p.codes = [one(rng, [3, 5], 3)];
      break;
    case "multi":
      Object.assign(p, { width: 1280, height: 960, background: rng.chance(0.5) ? "photo-light" : "flat", noiseSigma: 3 });
      p.codes = Array.from({ length: rng.int(2, 5) }, () => one(rng, [2, 4], 20));
      p.encoding = rng.chance(0.5) ? { kind: "jpeg", quality: 90 } : { kind: "png" };
      break;
    case "rotation":
      Object.assign(p, { width: 800, height: 800 });
      p.codes = [one(rng, [3, 5], 180)];
      break;
    case "perspective":
      Object.assign(p, { width: 900, height: 700 });
      p.codes = [one(rng, [3.5, 5.5], 30, rng.range(20, 50))];
      break;
    case "blur": {
      const c = one(rng, [4, 6], 5);
      p.codes = [c];
      p.blurSigma = c.modulePx * rng.range(0.35, 0.7); // up to ~0.7 module: edges of thin bars merge
      break;
    }
    case "noise":
      p.codes = [one(rng, [3, 5], 5)];
      if (rng.chance(0.6)) p.noiseSigma = rng.range(20, 45);
      else p.saltPepper = rng.range(0.03, 0.1);
      break;
    case "low-contrast":
      Object.assign(p, { contrast: rng.range(20, 50), noiseSigma: 2 });
      p.codes = [one(rng, [3, 5], 5)];
      break;
    case "glare":
      p.codes = [one(rng, [3, 5], 5)];
      p.glare = rng.range(0.6, 0.95);
      break;
    case "jpeg":
      Object.assign(p, { background: "photo-light", encoding: { kind: "jpeg", quality: rng.int(20, 40) } });
      p.codes = [one(rng, [1.6, 2.6], 5)]; // small modules: 8x8 DCT blocks span several modules
      break;
    case "small":
      Object.assign(p, { width: 2000, height: 1500, background: "photo-light", noiseSigma: 3 });
      p.encoding = rng.chance(0.7) ? { kind: "jpeg", quality: 92 } : { kind: "webp", quality: 92 };
      p.codes = Array.from({ length: rng.int(1, 2) }, () => one(rng, [1.3, 2.2], 10));
      break;
    case "photo12mp":
      Object.assign(p, { width: 4000, height: 3000, background: "photo", noiseSigma: rng.range(3, 7) });
      p.encoding = { kind: "jpeg", quality: 88 };
      p.codes = Array.from({ length: rng.int(1, 3) }, (_, i) => one(rng, i === 0 ? [2, 3] : [3, 8], 20, rng.range(0, 20)));
      break;
    case "linear":
      Object.assign(p, { width: 1000, height: 700, background: "photo-light", noiseSigma: 4 });
      p.codes = [{ ...one(rng, [2, 3.5], 15), sym: LINEAR[idx % LINEAR.length]! }];
      break;
    case "2d":
      Object.assign(p, { background: "photo-light", noiseSigma: 4 });
      p.codes = [{ ...one(rng, [3, 5], 20), sym: MATRIX[idx % MATRIX.length]! }];
      break;
    case "negative": {
      const bg = rng.pick(["photo", "photo-light", "text", "stripes", "text+stripes"] as const);
      Object.assign(p, { width: rng.int(640, 1600), height: rng.int(480, 1200), background: bg, noiseSigma: rng.range(0, 8) });
      p.encoding = rng.chance(0.5) ? { kind: "jpeg", quality: rng.int(60, 92) } : { kind: "png" };
      break;
    }
  }
  if (spec.symbology) for (const c of p.codes) c.sym = spec.symbology;
  return p;
}

/** Card -> canvas homography for a card of cardW x cardH modules centred at (cx, cy). */
function cardTransform(c: CodePlan, cardW: number, cardH: number, cx: number, cy: number, tiltDir: number): Mat3 {
  const m = c.modulePx, W = cardW * m, H = cardH * m;
  const src: Pt[] = [{ x: 0, y: 0 }, { x: cardW, y: 0 }, { x: cardW, y: cardH }, { x: 0, y: cardH }];
  // Tilt the card plane in 3D about an in-plane axis at angle tiltDir, then project with a pinhole camera.
  const t = (c.tilt * Math.PI) / 180, D = 1.6 * Math.max(W, H), ax = Math.cos(tiltDir), ay = Math.sin(tiltDir);
  const rot = (c.angle * Math.PI) / 180, cr = Math.cos(rot), sr = Math.sin(rot);
  const dst = src.map((p) => {
    const x = p.x * m - W / 2, y = p.y * m - H / 2;
    const along = x * ax + y * ay, across = -x * ay + y * ax; // rotate about the axis: `across` leaves the plane
    const z = across * Math.sin(t), acrossP = across * Math.cos(t);
    const s = D / (D + z);
    const px = (along * ax - acrossP * ay) * s, py = (along * ay + acrossP * ax) * s;
    return { x: cx + px * cr - py * sr, y: cy + px * sr + py * cr };
  });
  return homography(src, dst);
}

interface Placed { sym: SymbolBitmap; h: Mat3; box: Box; cardBox: Box }

function place(codes: CodePlan[], rng: Rng, width: number, height: number): Placed[] {
  const placed: Placed[] = [];
  for (const c of codes) {
    const sym = makeSymbol(c.sym, rng);
    const { w, h: sh } = symbolSize(sym);
    const cardW = w + 2 * sym.quiet, cardH = sh + 2 * sym.quiet;
    for (let attempt = 0; attempt < 200; attempt++) {
      if (attempt > 0 && attempt % 25 === 0) c.modulePx *= 0.85; // does not fit: shrink and retry
      const h = cardTransform(c, cardW, cardH, rng.range(0, width), rng.range(0, height), rng.range(0, 2 * Math.PI));
      const q = sym.quiet;
      const cardBox = boundsOf([{ x: 0, y: 0 }, { x: cardW, y: 0 }, { x: cardW, y: cardH }, { x: 0, y: cardH }].map((p) => applyH(h, p)));
      if (cardBox.Left < 4 || cardBox.Top < 4 || cardBox.Left + cardBox.Width > width - 4 || cardBox.Top + cardBox.Height > height - 4) continue;
      if (placed.some((o) => overlaps(o.cardBox, cardBox, 8))) continue;
      const box = boundsOf([{ x: q, y: q }, { x: q + w, y: q }, { x: q + w, y: q + sh }, { x: q, y: q + sh }].map((p) => applyH(h, p)));
      placed.push({ sym, h, box, cardBox });
      break;
    }
  }
  return placed;
}

async function background(p: Plan, rng: Rng): Promise<Canvas> {
  switch (p.background) {
    case "flat": return flatBackground(rng, p.width, p.height);
    case "photo": return photoBackground(rng, p.width, p.height, false);
    case "photo-light": return photoBackground(rng, p.width, p.height, true);
    case "text": return textBackground(rng, p.width, p.height);
    case "stripes": return stripeBackground(rng, await photoBackground(rng, p.width, p.height, true));
    case "text+stripes": return stripeBackground(rng, textBackground(rng, p.width, p.height));
  }
}

const MIME = { png: "image/png", jpeg: "image/jpeg", webp: "image/webp" } as const;

/** Render one scene. Same (spec, seed) -> same bytes. */
export async function generateScene(spec: SceneSpec, seed: number | string): Promise<GeneratedScene> {
  const rng = new Rng(hashString(`${GENERATOR_VERSION}:${spec.category}:${spec.index ?? 0}:${seed}${spec.symbology ? `:${spec.symbology}` : ""}`));
  const p = plan(spec, rng.fork("plan"));
  let canvas = await background(p, rng.fork("background"));
  const placed = place(p.codes, rng.fork("place"), p.width, p.height);
  const look = rng.fork("look");
  for (const pl of placed) {
    const paperLevel = p.contrast < 100 ? look.range(120 + p.contrast / 2, 230) : look.range(225, 255);
    const paper: Rgb = [paperLevel, paperLevel - look.range(0, 8), paperLevel - look.range(0, 12)];
    const inkLevel = paperLevel - p.contrast;
    const ink: Rgb = [inkLevel + look.range(0, 10), inkLevel, inkLevel + look.range(0, 10)];
    drawCard(canvas, pl.sym, pl.h, ink, paper);
  }
  const fx = rng.fork("effects");
  if (p.glare > 0 && placed[0]) {
    const b = placed[0].box, size = Math.max(b.Width, b.Height);
    addGlare(canvas, b.Left + fx.range(0.2, 0.8) * b.Width, b.Top + fx.range(0.2, 0.8) * b.Height, size * fx.range(0.15, 0.35), p.glare);
  }
  if (p.blurSigma > 0.3) canvas = await blur(canvas, p.blurSigma);
  if (p.noiseSigma > 0) addNoise(canvas, fx, p.noiseSigma);
  if (p.saltPepper > 0) addSaltPepper(canvas, fx, p.saltPepper);
  const image = await encode(canvas, p.encoding);
  const codes = placed.map((pl) => ({ text: pl.sym.text, format: pl.sym.symbology, box: roundBox(pl.box) }));
  return { image, mime: MIME[p.encoding.kind], width: p.width, height: p.height, codes };
}
