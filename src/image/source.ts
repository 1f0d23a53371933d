/**
 * The source picture of an image action, checked against OSS's source limits (≤ 20 MB, sides ≤
 * 30,000 px, ≤ 250 Mpx with every GIF frame counted) from its header, before any pixel is decoded —
 * the same checks image/codes makes (codes/decode-image.ts `probeImage`).
 */
import { probeImage } from "../codes/decode-image.js";
import { CodesError } from "../codes/types.js";
import { toCodesError } from "../codes/errors.js";
import { OssError } from "../errors/oss-error.js";
import sharp, { type Sharp, type SharpOptions } from "sharp";
import { decodeBmpRgb } from "./bmp-decode.js";

export interface SourceImage {
  readonly bytes: Buffer;
  /** libvips' name: jpeg, png, webp, gif, tiff, heif, bmp. */
  readonly format: string;
  /** Displayed size (after EXIF orientation). */
  readonly width: number;
  readonly height: number;
  readonly pages: number;
  /** EXIF orientation, 1–8. */
  readonly orientation: number;
}

export async function probeSource(bytes: Buffer): Promise<SourceImage> {
  try {
    const header = await probeImage(bytes);
    return { bytes, ...header };
  } catch (error) {
    throw sourceError(error);
  }
}

/** The OSS error for a source that cannot be processed (oss-api.md §2.3 ECs). */
export function sourceError(error: unknown): unknown {
  if (error instanceof OssError) return error;
  const e = error instanceof CodesError ? error : toCodesError(error);
  switch (e.kind) {
    case "unsupported-format":
      return new OssError("BadRequest", `The source is not an image in a supported format: ${e.message}`, { ec: "0040-00000005" });
    case "corrupt-image":
      return new OssError("BadRequest", `The source image is corrupt: ${e.message}`, { ec: "0040-00000005" });
    case "image-too-large":
      return new OssError("ImageTooLarge", e.message, { ec: "0040-00000012" });
    default:
      return error;
  }
}

/** The OSS name of a libvips format (`info`'s Format, the default output format). */
export function ossFormatName(format: string, bytes: Uint8Array): string {
  if (format === "jpeg") return "jpg";
  if (format === "heif") return isAvif(bytes) ? "avif" : "heic";
  return format;
}

/** An ISO-BMFF `ftyp` box whose major brand is avif/avis. */
function isAvif(bytes: Uint8Array): boolean {
  const brand = Buffer.from(bytes.subarray(8, 12)).toString("latin1");
  return brand === "avif" || brand === "avis";
}

/** A sharp pipeline on the source's first frame: libvips decodes it, or bmp-decode.ts for BMP. */
export function openSource(source: SourceImage, options: SharpOptions = {}): Sharp {
  if (source.format !== "bmp") return sharp(source.bytes, { limitInputPixels: false, failOn: "error", ...options });
  const { data, width, height } = decodeBmpRgb(source.bytes);
  return sharp(data, { raw: { width, height, channels: 3 } });
}
