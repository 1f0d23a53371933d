/** Which plan builds each category's scene. */
import type { Planner } from "./plan-base.js";
import { CAMERA_PLANS } from "./plan-camera.js";
import { curvedScene } from "./plan-curved.js";
import { foldedScene } from "./plan-folded.js";
import { LIGHTING_PLANS } from "./plan-lighting.js";
import { manyCodesScene } from "./plan-many-codes.js";
import { negativeScene } from "./plan-negative.js";
import { PRINT_PLANS } from "./plan-print.js";
import { screenScene } from "./plan-screen.js";
import type { PhotoCategory } from "./scene.js";

export const PLANNERS: Record<PhotoCategory, Planner> = {
  ...LIGHTING_PLANS,
  ...CAMERA_PLANS,
  ...PRINT_PLANS,
  async curved(ctx, rng) { return curvedScene(ctx, rng); },
  async folded(ctx, rng) { return foldedScene(ctx, rng); },
  async screen(ctx, rng) { return screenScene(ctx, rng); },
  async "many-codes"(ctx, rng) { return manyCodesScene(ctx, rng); },
  async negative(ctx, rng) { return negativeScene(ctx, rng); },
};
