/** `image/resize`: m (lfit/mfit/fill/pad/fixed), w/h/l/s in [1, 16384], p in [1, 1000], limit, color. */
import type { ImageAction } from "../registry.js";
import { planResize, type ResizeMode, type ResizeSpec } from "../geometry.js";
import { badParam, colorParam, flagParam, intParam, missingParam, onlyKnown } from "../params.js";
import { queued } from "../canvas.js";

export interface ResizeStep extends ResizeSpec {
  readonly action: "resize";
  /** pad's fill colour, `#rrggbb`. */
  readonly color: string;
}

const MODES: readonly ResizeMode[] = ["lfit", "mfit", "fill", "pad", "fixed"];

export const resizeAction: ImageAction<ResizeStep> = {
  name: "resize",
  kind: "pixels",
  parse(params) {
    onlyKnown("resize", params, ["m", "w", "h", "l", "s", "p", "limit", "color"]);
    const m = params.get("m") ?? "lfit";
    if (!(MODES as readonly string[]).includes(m)) throw badParam("resize", "m", m, `must be one of ${MODES.join(", ")}`, "0040-00000311");
    const side = (name: string) => intParam("resize", params, name, 1, 16_384);
    const step: ResizeStep = {
      action: "resize",
      m: m as ResizeMode,
      w: side("w"), h: side("h"), l: side("l"), s: side("s"),
      p: intParam("resize", params, "p", 1, 1000),
      limit: flagParam("resize", params, "limit") ?? true,
      color: colorParam("resize", params, "color") ?? "#ffffff",
    };
    if ([step.w, step.h, step.l, step.s, step.p].every((v) => v === undefined)) {
      throw missingParam("resize", "one of w, h, l, s or p", "0040-00000322");
    }
    return step;
  },
  apply(canvas, step) {
    const plan = planResize(canvas.width, canvas.height, step);
    if (!plan.changes) return canvas;
    let img = canvas.img.resize(plan.scaleW, plan.scaleH, { fit: "fill" });
    if (step.m === "fill" && (plan.scaleW !== plan.outW || plan.scaleH !== plan.outH)) {
      img = img.extract({ left: Math.floor((plan.scaleW - plan.outW) / 2), top: Math.floor((plan.scaleH - plan.outH) / 2), width: plan.outW, height: plan.outH });
    }
    if (step.m === "pad" && (plan.scaleW !== plan.outW || plan.scaleH !== plan.outH)) {
      const left = Math.floor((plan.outW - plan.scaleW) / 2);
      const top = Math.floor((plan.outH - plan.scaleH) / 2);
      img = img.extend({ left, right: plan.outW - plan.scaleW - left, top, bottom: plan.outH - plan.scaleH - top, background: step.color });
    }
    return queued(img, plan.outW, plan.outH);
  },
};
