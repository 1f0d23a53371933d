/** `image/contrast,<-100..100>`: scales every level about mid-grey; -100 flat grey, 100 twice the contrast. */
import type { ImageAction } from "../registry.js";
import { bareInt } from "./bare.js";
import { queued } from "../canvas.js";

export interface ContrastStep {
  readonly action: "contrast";
  readonly value: number;
}

export const contrastAction: ImageAction<ContrastStep> = {
  name: "contrast",
  kind: "pixels",
  parse: (params) => ({ action: "contrast", value: bareInt("contrast", params, -100, 100) }),
  apply(canvas, step) {
    if (step.value === 0) return canvas;
    const a = 1 + step.value / 100;
    return queued(canvas.img.linear(a, 128 * (1 - a)), canvas.width, canvas.height);
  },
};
