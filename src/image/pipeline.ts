/**
 * Runs a parsed chain on one source: one decode (auto-orient applied there), the pixel actions in
 * the chain's order (canvas.ts), then one encode (encode.ts). JSON actions run alone on the source.
 */
import { settle, type Canvas } from "./canvas.js";
import { encode, type EncodedImage } from "./encode.js";
import type { OutputSettings } from "./output.js";
import { actionOf, type ActionStep, type RunEnv } from "./registry.js";
import { openSource, sourceError, type SourceImage } from "./source.js";

export async function runJson(source: SourceImage, step: ActionStep): Promise<unknown> {
  const action = actionOf(step);
  if (!action.json) throw new Error(`internal: image/${step.action} answers no JSON`);
  try {
    return await action.json(source, step);
  } catch (error) {
    throw sourceError(error);
  }
}

export async function runImage(source: SourceImage, steps: readonly ActionStep[], env: RunEnv): Promise<EncodedImage> {
  // mask-codes' boxes are on the upright picture, as image/codes decodes it.
  const autoOrient = steps.some((s) => (s.action === "auto-orient" && s.on) || s.action === "mask-codes");
  const stored = source.orientation >= 5 ? { width: source.height, height: source.width } : { width: source.width, height: source.height };
  // Only the first frame of an animation is processed (sharp's default: one page).
  let canvas: Canvas = {
    img: openSource(source, { autoOrient }),
    ...(autoOrient ? { width: source.width, height: source.height } : stored),
    pending: false,
  };
  const out: OutputSettings = {};
  try {
    for (const step of steps) {
      const action = actionOf(step);
      if (action.configure) action.configure(out, step);
      if (action.apply) {
        canvas = await settle(canvas);
        canvas = await action.apply(canvas, step, env);
      }
    }
    return await encode(canvas, out, source);
  } catch (error) {
    throw sourceError(error);
  }
}
