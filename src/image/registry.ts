/** The image actions Barbucket runs, one file each, keyed by the name used in `x-oss-process`. */
import type { Canvas } from "./canvas.js";
import type { OutputSettings } from "./output.js";
import type { SourceImage } from "./source.js";
import { codesAction, type CodesStep } from "./actions/codes.js";
import { resizeAction, type ResizeStep } from "./actions/resize.js";
import { cropAction, type CropStep } from "./actions/crop.js";
import { rotateAction, type RotateStep } from "./actions/rotate.js";
import { autoOrientAction, type AutoOrientStep } from "./actions/auto-orient.js";
import { formatAction, type FormatStep } from "./actions/format.js";
import { qualityAction, type QualityStep } from "./actions/quality.js";
import { interlaceAction, type InterlaceStep } from "./actions/interlace.js";
import { infoAction, type InfoStep } from "./actions/info.js";
import { blurAction, type BlurStep } from "./actions/blur.js";
import { brightAction, type BrightStep } from "./actions/bright.js";
import { contrastAction, type ContrastStep } from "./actions/contrast.js";
import { sharpenAction, type SharpenStep } from "./actions/sharpen.js";
import { indexCropAction, type IndexCropStep } from "./actions/indexcrop.js";
import { circleAction, type CircleStep } from "./actions/circle.js";
import { roundedCornersAction, type RoundedCornersStep } from "./actions/rounded-corners.js";
import { averageHueAction, type AverageHueStep } from "./actions/average-hue.js";
import { watermarkAction, type WatermarkStep } from "./actions/watermark.js";
import { maskCodesAction, type CodeBox, type MaskCodesStep } from "./actions/mask-codes.js";

export type ActionStep =
  | CodesStep | ResizeStep | CropStep | RotateStep | AutoOrientStep | FormatStep | QualityStep | InterlaceStep
  | InfoStep | BlurStep | BrightStep | ContrastStep | SharpenStep | IndexCropStep | CircleStep | RoundedCornersStep
  | AverageHueStep | WatermarkStep | MaskCodesStep;

/** What a pixel action may reach besides the picture: other objects of the bucket (watermark images). */
export interface RunEnv {
  /** The bytes of `key` in the source's bucket, after the caller's read access is checked. */
  readonly readObject: (key: string) => Promise<Buffer>;
  /** image/mask-codes: the boxes image/codes found on the upright source. */
  readonly codeBoxes?: readonly CodeBox[] | undefined;
}

export interface ImageAction<S extends ActionStep = ActionStep> {
  readonly name: S["action"];
  /**
   * json: answers JSON and cannot be chained (codes, info, average-hue); pixels: changes the picture;
   * output: sets how the one final encode is done (format, quality, interlace).
   */
  readonly kind: "json" | "pixels" | "output";
  /** Runs on IMM (oss:ProcessImm, the bucket's IMM project, ImageQRCodes metering). */
  readonly imm?: boolean;
  /** Must be the chain's first action (it works in the source's coordinates). */
  readonly first?: boolean;
  parse(params: ReadonlyMap<string, string>): S;
  apply?(canvas: Canvas, step: S, env: RunEnv): Canvas | Promise<Canvas>;
  configure?(out: OutputSettings, step: S): void;
  json?(source: SourceImage, step: S): Promise<unknown>;
}

export const IMAGE_ACTIONS: Readonly<Record<string, ImageAction>> = Object.fromEntries(
  ([
    codesAction, resizeAction, cropAction, rotateAction, autoOrientAction, formatAction, qualityAction, interlaceAction,
    infoAction, blurAction, brightAction, contrastAction, sharpenAction, indexCropAction, circleAction,
    roundedCornersAction, averageHueAction, watermarkAction, maskCodesAction,
  ] as ImageAction[]).map((a) => [a.name, a]),
);

/** The action of a parsed step. */
export function actionOf<S extends ActionStep>(step: S): ImageAction<S> {
  return IMAGE_ACTIONS[step.action] as unknown as ImageAction<S>;
}

/** OSS image actions that exist but are not implemented here: NotImplemented rather than "unknown". */
export const KNOWN_OSS_IMAGE_ACTIONS = new Set([
  "faces", "cropping", "exif", "score", "labels", "title", "blindwatermark",
]);
