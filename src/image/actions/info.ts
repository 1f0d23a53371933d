/**
 * `image/info`: the basic properties as OSS answers them (`{"FileSize":{"value":"21839"},…}`, every
 * value a string). EXIF tags other than Orientation are not decoded here.
 */
import sharp from "sharp";
import { OssError } from "../../errors/oss-error.js";
import type { ImageAction } from "../registry.js";
import { ossFormatName } from "../source.js";

export interface InfoStep {
  readonly action: "info";
}

export const infoAction: ImageAction<InfoStep> = {
  name: "info",
  kind: "json",
  parse(params) {
    for (const [k, v] of params) throw new OssError("InvalidArgument", `image/info takes no parameters (got "${k}${v ? `_${v}` : ""}").`);
    return { action: "info" };
  },
  async json(source) {
    const meta = source.format === "bmp" ? {} as { density?: number; exif?: Buffer; orientation?: number } : await sharp(source.bytes, { limitInputPixels: false }).metadata();
    const stored = source.orientation >= 5 ? { w: source.height, h: source.width } : { w: source.width, h: source.height };
    const dpi = meta.density ? Math.round(meta.density) : undefined;
    const out: Record<string, { value: string }> = {
      FileSize: { value: String(source.bytes.length) },
      Format: { value: ossFormatName(source.format, source.bytes) },
      FrameCount: { value: String(source.pages) },
      ImageHeight: { value: String(stored.h) },
      ImageWidth: { value: String(stored.w) },
      ResolutionUnit: { value: dpi ? "2" : "1" },
      XResolution: { value: dpi ? `${dpi}/1` : "1/1" },
      YResolution: { value: dpi ? `${dpi}/1` : "1/1" },
    };
    if (meta.exif && meta.orientation) out.Orientation = { value: String(meta.orientation) };
    return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
  },
};
