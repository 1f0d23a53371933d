/** `image/interlace,<0|1>`: 1 = progressive JPEG (interlaced PNG/GIF too). */
import type { ImageAction } from "../registry.js";
import { badParam } from "../params.js";
import { bareValue } from "./bare.js";

export interface InterlaceStep {
  readonly action: "interlace";
  readonly on: boolean;
}

export const interlaceAction: ImageAction<InterlaceStep> = {
  name: "interlace",
  kind: "output",
  parse(params) {
    const v = bareValue("interlace", params);
    if (v !== "0" && v !== "1") throw badParam("interlace", "value", v, "must be 0 or 1");
    return { action: "interlace", on: v === "1" };
  },
  configure(out, step) {
    out.interlace = step.on;
  },
};
