/**
 * `image/mask-codes` (a Barbucket extension): hides every code image/codes finds (up to 255) —
 * t_mosaic (default), t_blur or t_fill (color_<hex>) — over each code's box grown by p_<px>.
 * It runs on IMM like image/codes (same permissions, project binding, ImageQRCodes metering), on the
 * upright picture image/codes sees, so it must come first in a chain; the rest chains as usual.
 */
import sharp from "sharp";
import type { ImageAction } from "../registry.js";
import { badParam, colorParam, intParam, onlyKnown } from "../params.js";
import { queued, type Canvas } from "../canvas.js";

export const MASK_MAX_CODES = 255;

export interface MaskCodesStep {
  readonly action: "mask-codes";
  readonly type: "mosaic" | "blur" | "fill";
  readonly color: string;
  readonly padding: number;
}

export interface CodeBox {
  readonly Left: number;
  readonly Top: number;
  readonly Width: number;
  readonly Height: number;
}

/** The box grown by the padding, clipped to the picture; undefined when nothing of it is inside. */
export function paddedBox(box: CodeBox, padding: number, W: number, H: number): { left: number; top: number; width: number; height: number } | undefined {
  const left = Math.max(0, Math.floor(box.Left - padding));
  const top = Math.max(0, Math.floor(box.Top - padding));
  const right = Math.min(W, Math.ceil(box.Left + box.Width + padding));
  const bottom = Math.min(H, Math.ceil(box.Top + box.Height + padding));
  return right > left && bottom > top ? { left, top, width: right - left, height: bottom - top } : undefined;
}

async function cover(region: Buffer, area: { width: number; height: number }, channels: 1 | 2 | 3 | 4, step: MaskCodesStep): Promise<Buffer> {
  const raw = { width: area.width, height: area.height, channels };
  const img = sharp(region, { raw });
  if (step.type === "blur") {
    // σ of a sixth of the box: no module survives.
    return img.blur(Math.max(3, Math.max(area.width, area.height) / 6)).raw().toBuffer();
  }
  // Mosaic: at most 5 blocks across the box — fewer than any code's modules, so nothing decodes.
  const cells = (n: number) => Math.max(1, Math.min(5, n));
  const small = await img.resize(cells(Math.ceil(area.width / 4)), cells(Math.ceil(area.height / 4)), { fit: "fill", kernel: "cubic" }).raw().toBuffer();
  return sharp(small, { raw: { width: cells(Math.ceil(area.width / 4)), height: cells(Math.ceil(area.height / 4)), channels } })
    .resize(area.width, area.height, { fit: "fill", kernel: "nearest" }).raw().toBuffer();
}

export const maskCodesAction: ImageAction<MaskCodesStep> = {
  name: "mask-codes",
  kind: "pixels",
  imm: true,
  first: true,
  parse(params) {
    onlyKnown("mask-codes", params, ["t", "color", "p"]);
    const t = params.get("t") ?? "mosaic";
    if (t !== "mosaic" && t !== "blur" && t !== "fill") throw badParam("mask-codes", "t", t, "must be mosaic, blur or fill");
    return { action: "mask-codes", type: t, color: colorParam("mask-codes", params, "color") ?? "#000000", padding: intParam("mask-codes", params, "p", 0, 4096) ?? 0 };
  },
  async apply(canvas: Canvas, step, env) {
    const boxes = (env.codeBoxes ?? []).map((b) => paddedBox(b, step.padding, canvas.width, canvas.height)).filter((b) => b !== undefined);
    if (boxes.length === 0) return canvas;
    const { data, info } = await canvas.img.raw().toBuffer({ resolveWithObject: true });
    const channels = info.channels as 1 | 2 | 3 | 4;
    const whole = { width: info.width, height: info.height, channels };
    const overlays = await Promise.all(boxes.map(async (area) => {
      if (step.type === "fill") {
        const solid = sharp({ create: { width: area.width, height: area.height, channels: 3, background: step.color } });
        return { input: await solid.png().toBuffer(), left: area.left, top: area.top };
      }
      const region = await sharp(data, { raw: whole }).extract(area).raw().toBuffer();
      return { input: await cover(region, area, channels, step), raw: { width: area.width, height: area.height, channels }, left: area.left, top: area.top };
    }));
    return queued(sharp(data, { raw: whole }).composite(overlays), info.width, info.height);
  },
};
