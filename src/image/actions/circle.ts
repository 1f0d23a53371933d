/**
 * `image/circle,r_<px>`: the centred circle of radius r on a transparent square (white once encoded
 * as JPEG); r beyond half the shorter side gives the inscribed circle.
 */
import type { ImageAction } from "../registry.js";
import { intParam, missingParam, onlyKnown } from "../params.js";
import { queued, settle } from "../canvas.js";
import { applyShapeMask } from "./mask-shape.js";

export interface CircleStep {
  readonly action: "circle";
  readonly r: number;
}

export const circleAction: ImageAction<CircleStep> = {
  name: "circle",
  kind: "pixels",
  parse(params) {
    onlyKnown("circle", params, ["r"]);
    const r = intParam("circle", params, "r", 1, 16_384);
    if (r === undefined) throw missingParam("circle", "r_<radius>");
    return { action: "circle", r };
  },
  async apply(canvas, step) {
    const r = Math.min(step.r, Math.floor(Math.min(canvas.width, canvas.height) / 2));
    const side = Math.max(1, 2 * r);
    const left = Math.floor((canvas.width - side) / 2);
    const top = Math.floor((canvas.height - side) / 2);
    // Extract first (its own pipeline run), then mask the square.
    const square = await settle(queued(canvas.img.extract({ left, top, width: side, height: side }), side, side));
    return queued(applyShapeMask(square.img, side, side, `<circle cx="${side / 2}" cy="${side / 2}" r="${side / 2}"/>`), side, side);
  },
};
