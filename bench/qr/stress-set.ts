/**
 * "qr-stress": a seeded set of QR scenes made here (bwip-js symbols drawn through a homography or onto a
 * cylinder, with glare, blur, noise, low contrast, uneven light, light-on-dark), one main stress per
 * category. A development set split in halves like every other; not a substitute for real photos.
 */
import type { GrayImage } from "../../src/codes/zxing.js";
import { type InverseMap, addGlare, addNoise, blur, cylinderMap, drawSymbol, invertImage, perspectiveMap, qrMatrix, shade } from "../../src/codes/qr/stress-images.js";

export const STRESS_CATEGORIES = ["glare", "cylinder", "perspective", "blur", "low-contrast", "mixed"] as const;
export type StressCategory = (typeof STRESS_CATEGORIES)[number];

export interface StressScene { id: string; category: StressCategory; image: GrayImage; text: string; inverse: InverseMap; dim: number }

function rng(seed: number): () => number {
  let s = (seed * 2654435761) >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 4294967296; };
}

const ALPHA = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const CAPACITY_M = [0, 14, 26, 42, 62, 84, 106, 122, 152, 180, 213, 251, 287, 331, 362, 412];

export function stressScene(category: StressCategory, index: number): StressScene {
  const r = rng(index * 31 + STRESS_CATEGORIES.indexOf(category) * 1009 + 7);
  const pick = (a: number, b: number): number => a + (b - a) * r();
  const version = 2 + Math.floor(r() * 9); // 2..10
  const len = Math.max(4, Math.floor(CAPACITY_M[version]! * pick(0.75, 0.95)) - 2);
  let text = "";
  for (let i = 0; i < len; i++) text += ALPHA[Math.floor(r() * ALPHA.length)];
  const q = qrMatrix(text, { version, eclevel: "M" });
  const W = 640, H = 480;
  const modulePx = pick(3.2, 6.5);
  const side = q.dim * modulePx;
  const cx = W / 2 + pick(-60, 60), cy = H / 2 + pick(-40, 40), rot = pick(-0.6, 0.6);
  const hard = (c: StressCategory): boolean => category === c || (category === "mixed" && r() < 0.5);
  let inv: InverseMap;
  if (hard("cylinder")) {
    inv = cylinderMap(q.dim, W, H, modulePx, side * pick(0.55, 0.9), rot);
  } else {
    const k = hard("perspective") ? pick(0.25, 0.45) : pick(0, 0.12);
    const corners: [number, number][] = [];
    for (let i = 0; i < 4; i++) {
      const a = rot + (Math.PI / 2) * i - (3 * Math.PI) / 4;
      // Perspective: the far side shrinks by k.
      const shrink = i === 1 || i === 2 ? 1 - k : 1 + k / 2;
      corners.push([cx + Math.cos(a) * side * 0.7071 * shrink, cy + Math.sin(a) * side * 0.7071 * (i === 1 || i === 2 ? 1 - k / 3 : 1)]);
    }
    inv = perspectiveMap(q.dim, corners);
  }
  const low = hard("low-contrast");
  const ink = low ? pick(90, 130) : pick(15, 60), paper = low ? pick(150, 180) : pick(170, 235);
  let img = drawSymbol(q, W, H, inv, ink, paper, pick(60, 200));
  shade(img, pick(0.7, 1.2), pick(0.7, 1.2));
  if (hard("glare")) {
    const gx = cx + pick(-0.4, 0.4) * side, gy = cy + pick(-0.4, 0.4) * side;
    addGlare(img, gx, gy, side * pick(0.08, 0.22), side * pick(0.06, 0.18), pick(160, 300));
  }
  const b = hard("blur") ? Math.max(1, Math.round(modulePx * pick(0.3, 0.5))) : r() < 0.3 ? 1 : 0;
  if (b) img = blur(img, b);
  addNoise(img, pick(2, category === "mixed" ? 10 : 5), index + 11);
  if (r() < 0.1) img = invertImage(img);
  return { id: `${category}-${index}`, category, image: img, text, inverse: inv, dim: q.dim };
}
