/**
 * `image/auto-orient,<0|1>`: 1 turns the picture upright by its EXIF orientation. The orientation is
 * the source's, so the pipeline applies it while decoding, wherever the action stands in the chain.
 */
import type { ImageAction } from "../registry.js";
import { badParam } from "../params.js";
import { bareValue } from "./bare.js";

export interface AutoOrientStep {
  readonly action: "auto-orient";
  readonly on: boolean;
}

export const autoOrientAction: ImageAction<AutoOrientStep> = {
  name: "auto-orient",
  kind: "pixels",
  parse(params) {
    const v = bareValue("auto-orient", params);
    if (v !== "0" && v !== "1") throw badParam("auto-orient", "value", v, "must be 0 or 1");
    return { action: "auto-orient", on: v === "1" };
  },
  apply: (canvas) => canvas,
};
