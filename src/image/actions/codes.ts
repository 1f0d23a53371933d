/** `image/codes`: detect QR codes and barcodes; takes no parameters; returns JSON. */
import { OssError } from "../../errors/oss-error.js";
import type { ImageAction } from "../registry.js";

export interface CodesStep {
  readonly action: "codes";
}

export const codesAction: ImageAction<CodesStep> = {
  name: "codes",
  kind: "json",
  imm: true,
  parse(params) {
    for (const [k, v] of params) {
      throw new OssError("InvalidArgument", `image/codes takes no parameters (got "${k}_${v}").`, {
        extra: { ArgumentName: "codes", ArgumentValue: `${k}_${v}` },
      });
    }
    return { action: "codes" };
  },
};
