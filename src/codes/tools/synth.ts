/**
 * Quick synthetic photo-like scenes for tuning (dev only; the benchmark has its own generator).
 * Each scene: a textured background with codes pasted at random places, then a degradation.
 */
import sharp, { type OverlayOptions } from "sharp";
import bwipjs from "bwip-js";

export type Degradation = "clean" | "blur" | "noise" | "lowcontrast" | "jpeg" | "rotated" | "glare";

export interface SceneSpec {
  width: number;
  height: number;
  codes: { kind: "qrcode" | "ean13" | "code128" | "datamatrix"; text: string; size: number }[];
  degradation: Degradation;
  seed: number;
}

export interface Scene {
  bytes: Uint8Array;
  texts: string[];
  boxes: { left: number; top: number; width: number; height: number }[];
}

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return s / 4294967296;
  };
}

async function renderCode(kind: SceneSpec["codes"][number]["kind"], text: string, size: number): Promise<Buffer> {
  const bcid = kind === "qrcode" ? "qrcode" : kind;
  const png = await bwipjs.toBuffer({ bcid, text, scale: 4, paddingwidth: 6, paddingheight: 6, backgroundcolor: "FFFFFF", includetext: false });
  const m = await sharp(png).metadata();
  const w = m.width ?? size;
  const h = m.height ?? size;
  const scale = size / Math.max(w, h);
  return sharp(png).resize(Math.max(8, Math.round(w * scale)), Math.max(8, Math.round(h * scale)), { kernel: "nearest" }).png().toBuffer();
}

export async function makeScene(spec: SceneSpec): Promise<Scene> {
  const r = rng(spec.seed);
  const { width, height } = spec;
  // Background: smooth random blotches (low-res noise upscaled) — texture without code-like edges.
  const bw = Math.ceil(width / 64), bh = Math.ceil(height / 64);
  const bg = Buffer.alloc(bw * bh * 3);
  for (let i = 0; i < bg.length; i++) bg[i] = 90 + Math.floor(r() * 140);
  const base = await sharp(bg, { raw: { width: bw, height: bh, channels: 3 } }).resize(width, height, { kernel: "cubic" }).raw().toBuffer();
  const composites: OverlayOptions[] = [];
  const boxes: Scene["boxes"] = [];
  for (const c of spec.codes) {
    const img = await renderCode(c.kind, c.text, c.size);
    const m = await sharp(img).metadata();
    const w = m.width!, h = m.height!;
    let left = 0, top = 0;
    for (let tries = 0; tries < 50; tries++) {
      left = Math.floor(r() * (width - w)); top = Math.floor(r() * (height - h));
      if (!boxes.some((b) => left < b.left + b.width + 20 && b.left < left + w + 20 && top < b.top + b.height + 20 && b.top < top + h + 20)) break;
    }
    boxes.push({ left, top, width: w, height: h });
    composites.push({ input: img, left, top });
  }
  let pipe = sharp(base, { raw: { width, height, channels: 3 } }).composite(composites);
  let buf = await pipe.removeAlpha().raw().toBuffer();
  pipe = sharp(buf, { raw: { width, height, channels: 3 } });
  switch (spec.degradation) {
    case "blur": pipe = pipe.blur(1.2 + r() * 0.8); break;
    case "lowcontrast": pipe = pipe.linear(0.25, 100); break;
    case "noise": {
      buf = await pipe.raw().toBuffer();
      for (let i = 0; i < buf.length; i++) buf[i] = Math.max(0, Math.min(255, buf[i]! + Math.round((r() + r() + r() - 1.5) * 70)));
      pipe = sharp(buf, { raw: { width, height, channels: 3 } });
      break;
    }
    case "glare": {
      const g = Buffer.from(`<svg width="${width}" height="${height}"><defs><radialGradient id="g"><stop offset="0" stop-color="#fff" stop-opacity="0.85"/><stop offset="1" stop-color="#fff" stop-opacity="0"/></radialGradient></defs><ellipse cx="${boxes[0] ? boxes[0].left + boxes[0].width / 2 : width / 2}" cy="${boxes[0] ? boxes[0].top + boxes[0].height / 3 : height / 2}" rx="${width / 6}" ry="${height / 6}" fill="url(#g)"/></svg>`);
      buf = await pipe.composite([{ input: g }]).removeAlpha().raw().toBuffer();
      pipe = sharp(buf, { raw: { width, height, channels: 3 } });
      break;
    }
    case "rotated": pipe = pipe.rotate(7 + r() * 20, { background: "#808080" }); break;
    default: break;
  }
  const quality = spec.degradation === "jpeg" ? 12 : 88;
  const bytes = await pipe.jpeg({ quality }).toBuffer();
  return { bytes: new Uint8Array(bytes), texts: spec.codes.map((c) => c.text), boxes };
}
