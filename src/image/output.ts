/** What `format`, `quality` and `interlace` set: how the one encode at the end of a chain is done. */
export const OUTPUT_FORMATS = ["jpg", "png", "webp", "bmp", "gif", "tiff", "avif", "heic"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface OutputSettings {
  format?: OutputFormat;
  /** Q_: absolute quality. */
  absoluteQuality?: number;
  /** q_: relative to the source JPEG's own quality. */
  relativeQuality?: number;
  interlace?: boolean;
}

export const CONTENT_TYPES: Readonly<Record<OutputFormat, string>> = {
  jpg: "image/jpeg", png: "image/png", webp: "image/webp", bmp: "image/bmp", gif: "image/gif",
  tiff: "image/tiff", avif: "image/avif", heic: "image/heic",
};
