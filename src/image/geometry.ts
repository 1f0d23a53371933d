/**
 * The pure arithmetic of OSS resize and crop, separate from sharp so the documented examples can be
 * checked as a table (geometry.test.ts).
 */
import type { Gravity } from "./params.js";

export type ResizeMode = "lfit" | "mfit" | "fill" | "pad" | "fixed";

export interface ResizeSpec {
  readonly m: ResizeMode;
  readonly w?: number | undefined;
  readonly h?: number | undefined;
  readonly l?: number | undefined;
  readonly s?: number | undefined;
  readonly p?: number | undefined;
  /** limit_1 (default): never enlarge; the source size is kept when the target is larger. */
  readonly limit: boolean;
}

/** What to do: scale the source to (scaleW, scaleH), then crop (fill) or pad (pad) to (outW, outH). */
export interface ResizePlan {
  readonly scaleW: number;
  readonly scaleH: number;
  readonly outW: number;
  readonly outH: number;
  /** false when limit_1 keeps the source as it is. */
  readonly changes: boolean;
}

const px = (v: number): number => Math.max(1, Math.round(v));

/** The target box (bw, bh) per OSS's precedence: w/h, then l/s, then p. */
function box(sw: number, sh: number, r: ResizeSpec): { bw: number; bh: number } | { scale: number } {
  const square = r.m === "fill" || r.m === "pad";
  if (r.w !== undefined || r.h !== undefined) {
    if (r.w !== undefined && r.h !== undefined) return { bw: r.w, bh: r.h };
    if (square) {
      const side = (r.w ?? r.h)!;
      return { bw: side, bh: side };
    }
    return r.w !== undefined ? { bw: r.w, bh: (r.w * sh) / sw } : { bw: (r.h! * sw) / sh, bh: r.h! };
  }
  if (r.l !== undefined || r.s !== undefined) {
    const landscape = sw >= sh;
    if (r.l !== undefined && r.s !== undefined) return landscape ? { bw: r.l, bh: r.s } : { bw: r.s, bh: r.l };
    // l alone bounds the longer side, s alone the shorter one.
    if (r.l !== undefined) return { scale: r.l / Math.max(sw, sh) };
    return { scale: r.s! / Math.min(sw, sh) };
  }
  return { scale: r.p! / 100 };
}

export function planResize(sw: number, sh: number, r: ResizeSpec): ResizePlan {
  const b = box(sw, sh, r);
  let plan: ResizePlan;
  if ("scale" in b) {
    plan = { scaleW: px(sw * b.scale), scaleH: px(sh * b.scale), outW: px(sw * b.scale), outH: px(sh * b.scale), changes: true };
  } else {
    const { bw, bh } = b;
    const inside = Math.min(bw / sw, bh / sh);
    const outside = Math.max(bw / sw, bh / sh);
    switch (r.m) {
      case "lfit":
        plan = { scaleW: px(sw * inside), scaleH: px(sh * inside), outW: px(sw * inside), outH: px(sh * inside), changes: true };
        break;
      case "mfit":
        plan = { scaleW: px(sw * outside), scaleH: px(sh * outside), outW: px(sw * outside), outH: px(sh * outside), changes: true };
        break;
      case "fill":
        plan = { scaleW: Math.max(px(sw * outside), px(bw)), scaleH: Math.max(px(sh * outside), px(bh)), outW: px(bw), outH: px(bh), changes: true };
        break;
      case "pad":
        plan = { scaleW: Math.min(px(sw * inside), px(bw)), scaleH: Math.min(px(sh * inside), px(bh)), outW: px(bw), outH: px(bh), changes: true };
        break;
      case "fixed":
        plan = { scaleW: px(bw), scaleH: px(bh), outW: px(bw), outH: px(bh), changes: true };
        break;
    }
  }
  // limit_1: a target that would enlarge the source leaves it as it is (OSS returns the source resolution).
  if (r.limit && (plan.scaleW > sw || plan.scaleH > sh || plan.outW > sw || plan.outH > sh)) {
    return { scaleW: sw, scaleH: sh, outW: sw, outH: sh, changes: false };
  }
  return plan;
}

/** Top-left of a w×h area placed in a W×H image by a 3×3-grid gravity (OSS crop's table). */
export function gravityOrigin(g: Gravity, W: number, H: number, w: number, h: number): { x: number; y: number } {
  const cx = Math.floor(W / 2 - w / 2);
  const cy = Math.floor(H / 2 - h / 2);
  const x = g === "nw" || g === "west" || g === "sw" ? 0 : g === "ne" || g === "east" || g === "se" ? W - w : cx;
  const y = g === "nw" || g === "north" || g === "ne" ? 0 : g === "sw" || g === "south" || g === "se" ? H - h : cy;
  return { x, y };
}

export interface CropSpec {
  readonly x: number;
  readonly y: number;
  /** 0 or absent: to the image's edge. */
  readonly w?: number | undefined;
  readonly h?: number | undefined;
  readonly g?: Gravity | undefined;
}

/** The area to extract, clipped to the image; undefined when the start lies outside it. */
export function planCrop(W: number, H: number, c: CropSpec): { left: number; top: number; width: number; height: number } | undefined {
  const w = c.w ? c.w : W;
  const h = c.h ? c.h : H;
  const origin = c.g ? gravityOrigin(c.g, W, H, Math.min(w, W), Math.min(h, H)) : { x: 0, y: 0 };
  const left = origin.x + c.x;
  const top = origin.y + c.y;
  if (left >= W || top >= H || left < 0 || top < 0) return undefined;
  return { left, top, width: Math.min(w, W - left), height: Math.min(h, H - top) };
}
