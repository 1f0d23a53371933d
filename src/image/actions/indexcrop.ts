/**
 * `image/indexcrop,x_<px>|y_<px>,i_<index>`: cut the image into strips x px wide (or y px tall) and
 * keep strip i (from 0). An index past the last strip returns the image unchanged, as OSS does.
 */
import type { ImageAction } from "../registry.js";
import { badParam, intParam, missingParam, onlyKnown } from "../params.js";
import { queued } from "../canvas.js";

export interface IndexCropStep {
  readonly action: "indexcrop";
  readonly axis: "x" | "y";
  readonly size: number;
  readonly index: number;
}

export const indexCropAction: ImageAction<IndexCropStep> = {
  name: "indexcrop",
  kind: "pixels",
  parse(params) {
    onlyKnown("indexcrop", params, ["x", "y", "i"]);
    const x = intParam("indexcrop", params, "x", 1, 1_000_000);
    const y = intParam("indexcrop", params, "y", 1, 1_000_000);
    if (x !== undefined && y !== undefined) throw badParam("indexcrop", "y", String(y), "give x or y, not both");
    if (x === undefined && y === undefined) throw missingParam("indexcrop", "x_<px> or y_<px>");
    return { action: "indexcrop", axis: x !== undefined ? "x" : "y", size: (x ?? y)!, index: intParam("indexcrop", params, "i", 0, 1_000_000) ?? 0 };
  },
  apply(canvas, step) {
    const length = step.axis === "x" ? canvas.width : canvas.height;
    const start = step.index * step.size;
    if (start >= length) return canvas;
    const extent = Math.min(step.size, length - start);
    const area = step.axis === "x"
      ? { left: start, top: 0, width: extent, height: canvas.height }
      : { left: 0, top: start, width: canvas.width, height: extent };
    return queued(canvas.img.extract(area), area.width, area.height);
  },
};
