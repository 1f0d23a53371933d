/** The image actions Barbucket runs, one file each, keyed by the name used in `x-oss-process`. */
import { codesAction, type CodesStep } from "./actions/codes.js";

export type ActionStep = CodesStep;

export interface ImageAction<S extends ActionStep = ActionStep> {
  readonly name: S["action"];
  /** A terminal action returns JSON, not an image, and cannot be chained. */
  readonly terminal: boolean;
  parse(params: ReadonlyMap<string, string>): S;
}

export const IMAGE_ACTIONS: Readonly<Record<string, ImageAction>> = {
  codes: codesAction,
};

/** OSS image actions that exist but are not implemented here: NotImplemented rather than "unknown". */
export const KNOWN_OSS_IMAGE_ACTIONS = new Set([
  "resize", "watermark", "crop", "quality", "format", "info", "auto-orient", "circle", "indexcrop",
  "rounded-corners", "blur", "rotate", "interlace", "average-hue", "bright", "sharpen", "contrast",
  "faces", "cropping", "exif", "score", "labels", "title", "blindwatermark",
]);
