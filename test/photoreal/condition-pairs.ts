/** A scene and its clean render (same geometry and print, no degradation), decoded: what the condition tests
 * (conditions-*.test.ts) compare. */
import assert from "node:assert/strict";
import { generatePhotoScene, type PhotoCategory, type PhotoScene } from "./index.js";
import { decodeRgb, type Rgb8 } from "./pixels.js";

// PHOTOREAL_TEST_SEED: run the checks on other scenes (they must hold for any seed, as for any version).
export const SEED = process.env.PHOTOREAL_TEST_SEED ?? "conditions";

export interface Pair { scene: PhotoScene; clean: PhotoScene; img: Rgb8; ref: Rgb8 }

export async function pair(category: PhotoCategory, index: number): Promise<Pair> {
  const scene = await generatePhotoScene(category, index, SEED);
  const clean = await generatePhotoScene(category, index, SEED, { clean: true });
  assert.deepEqual(clean.codes.map((c) => c.text), scene.codes.map((c) => c.text), "clean render has the same codes");
  return { scene, clean, img: await decodeRgb(scene.image), ref: await decodeRgb(clean.image) };
}

export const ratioSpread = (r: number[]): number => Math.max(...r) / Math.min(...r);
