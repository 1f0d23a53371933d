/** `image/blur,r_<1-50>,s_<1-50>`: Gaussian blur; s is the standard deviation, r bounds the kernel. */
import type { ImageAction } from "../registry.js";
import { intParam, missingParam, onlyKnown } from "../params.js";
import { queued } from "../canvas.js";

export interface BlurStep {
  readonly action: "blur";
  readonly r: number;
  readonly s: number;
}

export const blurAction: ImageAction<BlurStep> = {
  name: "blur",
  kind: "pixels",
  parse(params) {
    onlyKnown("blur", params, ["r", "s"]);
    const r = intParam("blur", params, "r", 1, 50);
    const s = intParam("blur", params, "s", 1, 50);
    if (r === undefined || s === undefined) throw missingParam("blur", "both r_<1-50> and s_<1-50>");
    return { action: "blur", r, s };
  },
  apply(canvas, step) {
    // libvips sizes the kernel by minAmplitude: the weight at radius r is exp(-r²/2σ²).
    const minAmplitude = Math.min(0.2, Math.max(1e-4, Math.exp(-(step.r * step.r) / (2 * step.s * step.s))));
    return queued(canvas.img.blur({ sigma: step.s, minAmplitude }), canvas.width, canvas.height);
  },
};
