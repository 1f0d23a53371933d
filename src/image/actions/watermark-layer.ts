/**
 * The overlay of image/watermark as RGBA pixels: text (pango, OSS fonts mapped to installed ones,
 * colour, size, shadow, rotation) and/or an image from the same bucket, side by side, with opacity.
 */
import sharp, { type Sharp } from "sharp";
import type { WatermarkStep } from "./watermark.js";

export interface Layer {
  readonly data: Buffer;
  readonly width: number;
  readonly height: number;
}

/** OSS's fonts → families fontconfig has here (Debian: fonts-dejavu-core). */
export const FONT_FAMILIES: Readonly<Record<string, string>> = {
  "wqy-zenhei": "DejaVu Sans",
  "wqy-microhei": "DejaVu Sans",
  droidsansfallback: "DejaVu Sans",
  fangzhengheiti: "DejaVu Sans Bold",
  fangzhengshusong: "DejaVu Serif",
  fangzhengfangsong: "DejaVu Serif",
  fangzhengkaiti: "DejaVu Serif Italic",
};

function escapeMarkup(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

async function toLayer(img: Sharp): Promise<Layer> {
  const { data, info } = await img.ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

function input(layer: Layer): Sharp {
  return sharp(layer.data, { raw: { width: layer.width, height: layer.height, channels: 4 } });
}

async function renderText(text: string, font: string, size: number, color: string): Promise<Layer> {
  // dpi 72: pango's points are then pixels, as OSS's size is.
  const markup = `<span foreground="${color}">${escapeMarkup(text)}</span>`;
  return toLayer(sharp({ text: { text: markup, font: `${font} ${size}`, dpi: 72, rgba: true } }));
}

/** The text with its shadow (black, `shadow`% opaque, offset down-right) beneath it. */
export async function textLayer(step: WatermarkStep): Promise<Layer | undefined> {
  if (step.text === undefined) return undefined;
  const family = FONT_FAMILIES[step.font]!;
  const text = await renderText(step.text, family, step.size, step.color);
  if (!step.shadow) return text;
  const shadow = await renderText(step.text, family, step.size, "#000000");
  const off = Math.max(1, Math.round(step.size / 20));
  const canvas = sharp({ create: { width: text.width + off, height: text.height + off, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } });
  const faded = await toLayer(input(shadow).linear([1, 1, 1, step.shadow / 100], [0, 0, 0, 0]));
  return toLayer(sharp(await canvas.composite([
    { input: faded.data, raw: { width: faded.width, height: faded.height, channels: 4 }, left: off, top: off },
    { input: text.data, raw: { width: text.width, height: text.height, channels: 4 }, left: 0, top: 0 },
  ]).png().toBuffer()));
}

export async function rotated(layer: Layer, angle: number): Promise<Layer> {
  if (angle % 360 === 0) return layer;
  return toLayer(input(layer).rotate(angle, { background: { r: 0, g: 0, b: 0, alpha: 0 } }));
}

/** Image and text side by side (order 0: image first), aligned top/middle/bottom, `interval` px apart. */
export async function combine(image: Layer | undefined, text: Layer | undefined, step: WatermarkStep): Promise<Layer> {
  if (!image || !text) return (image ?? text)!;
  const [first, second] = step.order === 0 ? [image, text] : [text, image];
  const width = first.width + step.interval + second.width;
  const height = Math.max(first.height, second.height);
  const top = (l: Layer) => (step.align === 0 ? 0 : step.align === 1 ? Math.floor((height - l.height) / 2) : height - l.height);
  const canvas = sharp({ create: { width, height, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } });
  return toLayer(sharp(await canvas.composite([
    { input: first.data, raw: { width: first.width, height: first.height, channels: 4 }, left: 0, top: top(first) },
    { input: second.data, raw: { width: second.width, height: second.height, channels: 4 }, left: first.width + step.interval, top: top(second) },
  ]).png().toBuffer()));
}

/** Multiplies the alpha by t/100. */
export async function withOpacity(layer: Layer, t: number): Promise<Layer> {
  if (t >= 100) return layer;
  return toLayer(input(layer).linear([1, 1, 1, t / 100], [0, 0, 0, 0]));
}

/** The part of `layer` that lands inside a W×H image when its top-left is at (left, top). */
export async function clip(layer: Layer, left: number, top: number, W: number, H: number): Promise<{ layer: Layer; left: number; top: number } | undefined> {
  const x0 = Math.max(0, left);
  const y0 = Math.max(0, top);
  const x1 = Math.min(W, left + layer.width);
  const y1 = Math.min(H, top + layer.height);
  if (x1 <= x0 || y1 <= y0) return undefined;
  if (x0 === left && y0 === top && x1 - x0 === layer.width && y1 - y0 === layer.height) return { layer, left, top };
  const part = await toLayer(input(layer).extract({ left: x0 - left, top: y0 - top, width: x1 - x0, height: y1 - y0 }));
  return { layer: part, left: x0, top: y0 };
}

export { toLayer, input as layerInput };
