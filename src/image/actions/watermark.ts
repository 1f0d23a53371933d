/**
 * `image/watermark`: text (text, type, color, size, shadow, rotate, fill) and/or an image of the same
 * bucket (image, with its own `?x-oss-process=` preprocessing, `P_` = percent of the main image),
 * placed by g/x/y/voffset with opacity t. Names and texts are URL-safe Base64, as OSS requires.
 */
import { OssError } from "../../errors/oss-error.js";
import type { ActionStep, ImageAction, RunEnv } from "../registry.js";
import type { Canvas } from "../canvas.js";
import { queued } from "../canvas.js";
import { badParam, base64Param, colorParam, flagParam, gravityParam, intParam, missingParam, onlyKnown, type Gravity } from "../params.js";
import { clip, combine, FONT_FAMILIES, layerInput, rotated, textLayer, toLayer, withOpacity, type Layer } from "./watermark-layer.js";

export interface WatermarkStep {
  readonly action: "watermark";
  readonly t: number;
  readonly g: Gravity;
  readonly x: number;
  readonly y: number;
  readonly voffset: number;
  readonly fill: boolean;
  readonly padx: number;
  readonly pady: number;
  readonly text?: string | undefined;
  readonly font: string;
  readonly color: string;
  readonly size: number;
  readonly shadow: number;
  readonly rotate: number;
  /** The watermark object's key and its preprocessing (`key?x-oss-process=image/...`). */
  readonly image?: { readonly key: string; readonly process?: string | undefined } | undefined;
  readonly order: number;
  readonly align: number;
  readonly interval: number;
}

const KNOWN = ["t", "g", "x", "y", "voffset", "fill", "padx", "pady", "text", "type", "color", "size", "shadow", "rotate", "image", "order", "align", "interval"];

function parseImage(params: ReadonlyMap<string, string>): WatermarkStep["image"] {
  const name = base64Param("watermark", params, "image");
  if (name === undefined) return undefined;
  const q = name.indexOf("?x-oss-process=");
  const key = q < 0 ? name : name.slice(0, q);
  if (key === "" || key.startsWith("/")) throw badParam("watermark", "image", params.get("image")!, "not an object name");
  return { key, process: q < 0 ? undefined : name.slice(q + "?x-oss-process=".length) };
}

export const watermarkAction: ImageAction<WatermarkStep> = {
  name: "watermark",
  kind: "pixels",
  parse(params) {
    onlyKnown("watermark", params, KNOWN);
    const text = base64Param("watermark", params, "text");
    if (text !== undefined && [...text].length > 64) throw badParam("watermark", "text", params.get("text")!, "at most 64 characters");
    const font = base64Param("watermark", params, "type") ?? "wqy-zenhei";
    if (!(font in FONT_FAMILIES)) throw badParam("watermark", "type", params.get("type")!, `unknown font ${font}; one of ${Object.keys(FONT_FAMILIES).join(", ")}`);
    const image = parseImage(params);
    if (text === undefined && image === undefined) throw missingParam("watermark", "text_<base64> or image_<base64>");
    const int = (name: string, min: number, max: number, fallback: number) => intParam("watermark", params, name, min, max) ?? fallback;
    return {
      action: "watermark",
      t: int("t", 0, 100, 100), g: gravityParam("watermark", params) ?? "se", x: int("x", 0, 4096, 10), y: int("y", 0, 4096, 10),
      voffset: int("voffset", -1000, 1000, 0), fill: flagParam("watermark", params, "fill") ?? false,
      padx: int("padx", 0, 4096, 0), pady: int("pady", 0, 4096, 0),
      text, font, color: colorParam("watermark", params, "color") ?? "#000000", size: int("size", 1, 1000, 40),
      shadow: int("shadow", 0, 100, 0), rotate: int("rotate", 0, 360, 0), image,
      order: int("order", 0, 1, 0), align: int("align", 0, 2, 2), interval: int("interval", 0, 1000, 0),
    };
  },
  async apply(canvas, step, env) {
    const picture = step.image ? await imageLayer(step.image, canvas, env) : undefined;
    const words = await textLayer(step);
    const layer = await withOpacity(await rotated(await combine(picture, words, step), step.rotate), step.t);
    const { width: W, height: H } = canvas;
    if (step.fill) return tiled(canvas, layer, step);
    const left = step.g === "nw" || step.g === "west" || step.g === "sw" ? step.x
      : step.g === "ne" || step.g === "east" || step.g === "se" ? W - layer.width - step.x : Math.floor((W - layer.width) / 2);
    // voffset moves a watermark on the middle line up (positive) or down (negative).
    const top = step.g === "nw" || step.g === "north" || step.g === "ne" ? step.y
      : step.g === "sw" || step.g === "south" || step.g === "se" ? H - layer.height - step.y : Math.floor((H - layer.height) / 2) - step.voffset;
    const placed = await clip(layer, left, top, W, H);
    if (!placed) return canvas;
    const { layer: l } = placed;
    return queued(canvas.img.composite([{ input: l.data, raw: { width: l.width, height: l.height, channels: 4 }, left: placed.left, top: placed.top }]), W, H);
  },
};

async function tiled(canvas: Canvas, layer: Layer, step: WatermarkStep): Promise<Canvas> {
  const { width: W, height: H } = canvas;
  const padded = await toLayer(layerInput(layer).extend({ right: step.padx, bottom: step.pady, background: { r: 0, g: 0, b: 0, alpha: 0 } }));
  const placed = await clip(padded, 0, 0, W, H);
  if (!placed) return canvas;
  const l = placed.layer;
  return queued(canvas.img.composite([{ input: l.data, raw: { width: l.width, height: l.height, channels: 4 }, tile: true, gravity: "northwest" }]), W, H);
}

/** Watermark sources OSS accepts: JPG, PNG, BMP, WebP, TIFF. */
const WATERMARK_FORMATS = new Set(["jpeg", "png", "webp", "tiff", "bmp"]);

async function imageLayer(image: NonNullable<WatermarkStep["image"]>, canvas: Canvas, env: RunEnv): Promise<Layer> {
  // Imported here: the pipeline and the plan parser import the registry, which imports this file.
  const [{ probeSource }, { runImage }, { parseProcess }] = await Promise.all([import("../source.js"), import("../pipeline.js"), import("../plan.js")]);
  const source = await probeSource(await env.readObject(image.key));
  if (!WATERMARK_FORMATS.has(source.format)) {
    throw new OssError("WatermarkError", `The watermark image ${image.key} is ${source.format}; OSS takes JPG, PNG, BMP, WebP or TIFF watermarks.`, { ec: "0040-00000027" });
  }
  let steps: readonly ActionStep[] = [];
  if (image.process) {
    // P_<1-100>: the watermark's width as a percentage of the main image's.
    const process = image.process.replace(/(^|,)P_(\d{1,3})(?=,|\/|$)/g, (_m, sep: string, p: string) => `${sep}w_${Math.max(1, Math.round((canvas.width * Number(p)) / 100))},limit_0`);
    const plan = parseProcess(process);
    if (plan.kind !== "image" || plan.steps.some((s) => s.action === "watermark" || s.action === "codes" || s.action === "info" || s.action === "average-hue")) {
      throw new OssError("WatermarkError", "A watermark image's own processing may only resize, crop, rotate or adjust it.");
    }
    steps = plan.steps;
  }
  const encoded = await runImage(source, [...steps, { action: "format", format: "png" }], env);
  return toLayer((await import("sharp")).default(encoded.body));
}
