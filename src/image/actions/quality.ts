/** `image/quality`: Q_ absolute, q_ relative to the source JPEG's quality, both [1, 100] (jpg, webp, avif). */
import type { ImageAction } from "../registry.js";
import { intParam, missingParam, onlyKnown } from "../params.js";

export interface QualityStep {
  readonly action: "quality";
  readonly absolute?: number | undefined;
  readonly relative?: number | undefined;
}

export const qualityAction: ImageAction<QualityStep> = {
  name: "quality",
  kind: "output",
  parse(params) {
    onlyKnown("quality", params, ["q", "Q"]);
    const absolute = intParam("quality", params, "Q", 1, 100);
    const relative = intParam("quality", params, "q", 1, 100);
    if (absolute === undefined && relative === undefined) throw missingParam("quality", "q_<1-100> or Q_<1-100>");
    return { action: "quality", absolute, relative };
  },
  configure(out, step) {
    if (step.absolute !== undefined) out.absoluteQuality = step.absolute;
    if (step.relative !== undefined) out.relativeQuality = step.relative;
  },
};
