/** `image/rounded-corners,r_<1-4096>`: corners cut to radius r (transparent; white once encoded as JPEG). */
import type { ImageAction } from "../registry.js";
import { intParam, missingParam, onlyKnown } from "../params.js";
import { queued } from "../canvas.js";
import { applyShapeMask } from "./mask-shape.js";

export interface RoundedCornersStep {
  readonly action: "rounded-corners";
  readonly r: number;
}

export const roundedCornersAction: ImageAction<RoundedCornersStep> = {
  name: "rounded-corners",
  kind: "pixels",
  parse(params) {
    onlyKnown("rounded-corners", params, ["r"]);
    const r = intParam("rounded-corners", params, "r", 1, 4096);
    if (r === undefined) throw missingParam("rounded-corners", "r_<radius>");
    return { action: "rounded-corners", r };
  },
  apply(canvas, step) {
    const { width, height } = canvas;
    const r = Math.min(step.r, Math.floor(Math.min(width, height) / 2));
    return queued(applyShapeMask(canvas.img, width, height, `<rect x="0" y="0" width="${width}" height="${height}" rx="${r}" ry="${r}"/>`), width, height);
  },
};
