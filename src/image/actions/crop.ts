/** `image/crop`: x, y, w, h (0 or absent: to the edge), g (3×3-grid gravity); clipped to the image. */
import { OssError } from "../../errors/oss-error.js";
import type { ImageAction } from "../registry.js";
import { planCrop, type CropSpec } from "../geometry.js";
import { gravityParam, intParam, onlyKnown } from "../params.js";
import { queued } from "../canvas.js";

export interface CropStep extends CropSpec {
  readonly action: "crop";
}

const MAX = 1_000_000;

export const cropAction: ImageAction<CropStep> = {
  name: "crop",
  kind: "pixels",
  parse(params) {
    onlyKnown("crop", params, ["x", "y", "w", "h", "g"]);
    return {
      action: "crop",
      x: intParam("crop", params, "x", 0, MAX) ?? 0,
      y: intParam("crop", params, "y", 0, MAX) ?? 0,
      w: intParam("crop", params, "w", 0, MAX),
      h: intParam("crop", params, "h", 0, MAX),
      g: gravityParam("crop", params),
    };
  },
  apply(canvas, step) {
    const area = planCrop(canvas.width, canvas.height, step);
    // The wording of OSS's crop page for a start outside the image.
    if (!area) throw new OssError("BadRequest", "Advance cut's position is out of image.");
    if (area.left === 0 && area.top === 0 && area.width === canvas.width && area.height === canvas.height) return canvas;
    return queued(canvas.img.extract(area), area.width, area.height);
  },
};
