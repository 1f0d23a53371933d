/** The one encode at the end of a chain: format, quality and interlace as the chain set them. */
import { OssError } from "../errors/oss-error.js";
import { settle, type Canvas } from "./canvas.js";
import { encodeBmp } from "./bmp-encode.js";
import { estimateJpegQuality } from "./jpeg-quality.js";
import { CONTENT_TYPES, type OutputFormat, type OutputSettings } from "./output.js";
import { ossFormatName, type SourceImage } from "./source.js";

export interface EncodedImage {
  readonly body: Buffer;
  readonly format: OutputFormat;
  readonly contentType: string;
  readonly width: number;
  readonly height: number;
}

/** OSS's per-format output limits (oss-api.md §2.2). */
function checkFormatLimits(format: OutputFormat, width: number, height: number): void {
  if (format === "webp" && (width > 16_383 || height > 16_383)) {
    throw new OssError("ImageTooLarge", `WebP output is limited to 16383 px a side; the result is ${width}×${height}.`);
  }
  if (format === "avif" && (Math.max(width, height) > 4096 || Math.min(width, height) > 2304)) {
    throw new OssError("ImageTooLarge", `AVIF output is limited to 4096×2304 px; the result is ${width}×${height}.`, { ec: "0040-00000014" });
  }
}

/** The format a chain without `format` keeps: the source's, where libvips can write it. */
export function defaultFormat(source: SourceImage): OutputFormat {
  const name = ossFormatName(source.format, source.bytes);
  return name === "heic" ? "jpg" : (name as OutputFormat);
}

export function effectiveQuality(out: OutputSettings, format: OutputFormat, source: SourceImage): number | undefined {
  if (out.absoluteQuality !== undefined) return out.absoluteQuality;
  if (out.relativeQuality === undefined) return undefined;
  // q_ is relative to the source's own quality, for a JPEG source encoded as JPEG; otherwise it is Q.
  const sourceQuality = format === "jpg" ? estimateJpegQuality(source.bytes) : undefined;
  return sourceQuality === undefined ? out.relativeQuality : Math.max(1, Math.round((out.relativeQuality * sourceQuality) / 100));
}

export async function encode(canvas: Canvas, out: OutputSettings, source: SourceImage): Promise<EncodedImage> {
  const format = out.format ?? defaultFormat(source);
  checkFormatLimits(format, canvas.width, canvas.height);
  const quality = effectiveQuality(out, format, source);
  const q = quality === undefined ? {} : { quality };
  const progressive = out.interlace === true;
  let c = canvas;
  // JPEG and BMP have no alpha: transparent areas (circle, rounded corners) become white, not black.
  // libvips flattens early in its pipeline, so queued work runs first.
  const opaque = format === "jpg" || format === "bmp";
  if (opaque) c = await settle(c);
  const img = opaque ? c.img.flatten({ background: "#ffffff" }) : c.img;
  let body: Buffer;
  switch (format) {
    case "jpg":
      body = await img.jpeg({ ...q, progressive }).toBuffer();
      break;
    case "png":
      body = await img.png({ progressive }).toBuffer();
      break;
    case "webp":
      body = await img.webp(q).toBuffer();
      break;
    case "gif":
      body = await img.gif({ interFrameMaxError: 0 }).toBuffer();
      break;
    case "tiff":
      body = await img.tiff(q).toBuffer();
      break;
    case "avif":
      body = await img.avif(q).toBuffer();
      break;
    case "bmp": {
      const { data, info } = await img.removeAlpha().toColourspace("srgb").raw().toBuffer({ resolveWithObject: true });
      body = encodeBmp(data, info.width, info.height, info.channels);
      break;
    }
    case "heic":
      throw new OssError("NotImplemented", "HEIC output is not available: this server's libvips cannot encode HEVC.");
  }
  return { body, format, contentType: CONTENT_TYPES[format], width: c.width, height: c.height };
}
