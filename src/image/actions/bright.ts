/** `image/bright,<-100..100>`: brightness; 0 unchanged, -100 black, 100 twice as bright. */
import type { ImageAction } from "../registry.js";
import { bareInt } from "./bare.js";
import { queued } from "../canvas.js";

export interface BrightStep {
  readonly action: "bright";
  readonly value: number;
}

export const brightAction: ImageAction<BrightStep> = {
  name: "bright",
  kind: "pixels",
  parse: (params) => ({ action: "bright", value: bareInt("bright", params, -100, 100) }),
  apply(canvas, step) {
    if (step.value === 0) return canvas;
    return queued(canvas.img.modulate({ brightness: 1 + step.value / 100 }), canvas.width, canvas.height);
  },
};
