/** `image/rotate,<0-360>`: clockwise; other than right angles the corners are filled white. OSS: sides ≤ 4096 px. */
import { OssError } from "../../errors/oss-error.js";
import type { ImageAction } from "../registry.js";
import { bareInt } from "./bare.js";
import { queued, settle } from "../canvas.js";

export interface RotateStep {
  readonly action: "rotate";
  readonly angle: number;
}

export const MAX_ROTATE_SIDE = 4096;

export const rotateAction: ImageAction<RotateStep> = {
  name: "rotate",
  kind: "pixels",
  parse(params) {
    return { action: "rotate", angle: bareInt("rotate", params, 0, 360) };
  },
  async apply(canvas, step) {
    if (canvas.width > MAX_ROTATE_SIDE || canvas.height > MAX_ROTATE_SIDE) {
      throw new OssError("BadRequest", `image/rotate needs an image of at most ${MAX_ROTATE_SIDE} px a side; this one is ${canvas.width}×${canvas.height}.`);
    }
    const angle = step.angle % 360;
    if (angle === 0) return canvas;
    const img = canvas.img.rotate(angle, { background: "#ffffff" });
    if (angle % 90 === 0) return angle === 180 ? queued(img, canvas.width, canvas.height) : queued(img, canvas.height, canvas.width);
    // Any other angle grows the canvas by libvips' own rounding: run it now to learn the size.
    return settle({ img, width: canvas.width, height: canvas.height, pending: true });
  },
};
