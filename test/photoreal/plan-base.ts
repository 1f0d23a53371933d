/**
 * What every category plan builds on: the scene context (frame, camera, recorded conditions), the
 * photometric plan that the photo pipeline carries out (`Post`) with an everyday phone's defaults, and the
 * occasional milder second condition that real photos add to a category's own.
 */
import type { Rng } from "../synthetic/prng.js";
import type { Encoding, Img } from "./canvas.js";
import type { Symbology } from "./codes.js";
import { phoneEncoding } from "./encoding-plan.js";
import { mildLight, type CastShadow, type Highlight, type LightField, type SensorParams } from "./effects.js";
import type { Placed } from "./placement.js";
import type { PhotoCategory } from "./scene.js";
import type { Camera } from "./warp.js";

export type Conditions = Record<string, number | string | boolean>;

export interface Ctx {
  readonly category: PhotoCategory;
  readonly clean: boolean;
  readonly symbology: Symbology | undefined;
  readonly upright: boolean;
  readonly W: number;
  readonly H: number;
  readonly cam: Camera;
  readonly cond: Conditions;
}

export interface Post {
  light: LightField;
  shadows: CastShadow[];
  highlights: Highlight[];
  bloom?: { threshold: number; sigma: number; strength: number };
  defocus?: { r: number; rim: number };
  motion?: { len: number; angle: number; curve: number; dwell: number };
  /** Lens softness / slight misfocus (gaussian sigma, px). */
  soft: number;
  sensor: SensorParams;
  denoise?: { sigma: number; strength: number };
  sharpen?: { sigma: number; amount: number };
  tone: { contrast: number; gamma: number; saturation: number };
  messenger?: { scale: number; first?: number };
  encoding: Encoding;
  /** Double image (a mirror's front-surface reflection): offset px and strength, within a box. */
  ghost?: { dx: number; dy: number; alpha: number; box: Box };
}

export interface Box { left: number; top: number; width: number; height: number }

export function basePost(rng: Rng): Post {
  return {
    light: mildLight(rng), shadows: [], highlights: [], soft: rng.range(0, 0.7),
    sensor: { exposure: 1, gain: 1, shot: rng.range(2, 6), read: rng.range(0.8, 2.5), chroma: rng.range(0.3, 0.9), black: 0 },
    ...(rng.chance(0.3) ? { denoise: { sigma: rng.range(0.6, 1.2), strength: rng.range(0.2, 0.5) } } : {}),
    ...(rng.chance(0.6) ? { sharpen: { sigma: rng.range(0.8, 1.6), amount: rng.range(0.2, 0.9) } } : {}),
    tone: { contrast: rng.range(0, 0.35), gamma: rng.range(0.9, 1.1), saturation: rng.range(0.9, 1.25) },
    encoding: phoneEncoding(rng),
  };
}

/** What a category plan hands to the photo pipeline: the rendered (still clean) frame, the placed codes, the plan. */
export interface Staged { img: Img; placed: Placed[]; post: Post }

export type Planner = (ctx: Ctx, rng: Rng) => Promise<Staged>;

export const DEG = Math.PI / 180;

export const round2 = (v: number): number => Math.round(v * 100) / 100;

/** Sometimes (as in real photos) a second, milder condition on top of the category's own. */
export function mildExtras(ctx: Ctx, rng: Rng, post: Post, box: Box, own: string): void {
  if (!rng.chance(0.3)) return;
  const pick = rng.pick(["glare", "shadow", "motion", "defocus", "light"].filter((x) => x !== own));
  const size = Math.max(box.width, box.height);
  ctx.cond.extra = pick;
  switch (pick) {
    case "glare":
      post.highlights.push({ x: box.left + rng.range(0, 1) * box.width, y: box.top + rng.range(0, 1) * box.height, a: size * rng.range(0.2, 0.6), b: size * rng.range(0.05, 0.2), angle: rng.range(0, Math.PI), peak: rng.range(0.25, 0.6), power: 1.5, colour: [1, 0.98, 0.95] });
      break;
    case "shadow":
      post.shadows.push({ shape: { kind: "edge", x: box.left + rng.range(0.2, 0.8) * box.width, y: box.top + rng.range(0.2, 0.8) * box.height, angle: rng.range(0, 2 * Math.PI) }, depth: rng.range(0.15, 0.35), penumbra: rng.range(2, 12), tint: [0.97, 0.99, 1.03] });
      break;
    case "motion": post.motion = { len: rng.range(1.5, 3), angle: rng.range(0, Math.PI), curve: 0, dwell: 0 }; break;
    case "defocus": post.soft = Math.max(post.soft, rng.range(0.7, 1.2)); break;
    case "light": post.light = { ...post.light, gradMin: rng.range(0.55, 0.8), vignette: rng.range(0.6, 0.85) }; break;
  }
}
