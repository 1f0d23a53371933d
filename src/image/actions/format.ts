/** `image/format,<jpg|png|webp|bmp|gif|tiff|avif|heic>`: the encoding of the result. */
import { OssError } from "../../errors/oss-error.js";
import type { ImageAction } from "../registry.js";
import { badParam } from "../params.js";
import { bareValue } from "./bare.js";
import { OUTPUT_FORMATS, type OutputFormat } from "../output.js";

export interface FormatStep {
  readonly action: "format";
  readonly format: OutputFormat;
}

export const formatAction: ImageAction<FormatStep> = {
  name: "format",
  kind: "output",
  parse(params) {
    const raw = bareValue("format", params, { missing: "0040-00000207" });
    const value = raw.toLowerCase() === "jpeg" ? "jpg" : raw.toLowerCase();
    if (!(OUTPUT_FORMATS as readonly string[]).includes(value)) {
      throw badParam("format", "value", raw, `must be one of ${OUTPUT_FORMATS.join(", ")}`, "0040-00000206");
    }
    // sharp's libvips carries libheif with AV1 only: HEVC (HEIC) encoding is not built in.
    if (value === "heic") throw new OssError("NotImplemented", "image/format,heic is not available: this server's libvips cannot encode HEVC. Use avif.");
    return { action: "format", format: value as OutputFormat };
  },
  configure(out, step) {
    out.format = step.format;
  },
};
