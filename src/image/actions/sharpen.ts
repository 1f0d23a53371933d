/** `image/sharpen,<50-399>`: unsharp mask; OSS suggests 100; the value maps to σ = value/100. */
import type { ImageAction } from "../registry.js";
import { bareInt } from "./bare.js";
import { queued } from "../canvas.js";

export interface SharpenStep {
  readonly action: "sharpen";
  readonly value: number;
}

export const sharpenAction: ImageAction<SharpenStep> = {
  name: "sharpen",
  kind: "pixels",
  parse: (params) => ({ action: "sharpen", value: bareInt("sharpen", params, 50, 399) }),
  apply: (canvas, step) => queued(canvas.img.sharpen({ sigma: step.value / 100 }), canvas.width, canvas.height),
};
