/**
 * The common photometric pipeline, in the order light meets the camera: a mirror's ghost image,
 * illumination, cast shadows, highlights, bloom; lens (defocus, motion, softness); sensor noise; phone
 * processing (denoise, sharpening, tone); messenger recompression; the final encoding.
 */
import type { Rng } from "../synthetic/prng.js";
import { MIME, encodeImg, gaussBlur, type Img } from "./canvas.js";
import { checkImageLimits } from "./encoding-plan.js";
import { addHighlight, applyKernel, applyLight, applyShadow, bloom, denoise, discKernel, motionKernel, recompress, sensorNoise, sharpenTone } from "./effects.js";
import type { Ctx, Post, Staged } from "./plan-base.js";
import type { PhotoScene } from "./scene.js";

export async function finish(ctx: Ctx, rng: Rng, st: Staged): Promise<{ image: Buffer; mime: PhotoScene["mime"]; width: number; height: number }> {
  let img = st.img;
  const p = st.post;
  if (ctx.clean) {
    const image = await encodeImg(img, { kind: "png" }); // lossless whatever the size: a 12 MP clean frame takes ~10 MiB
    checkImageLimits(image.length, img.width, img.height);
    return { image, mime: "image/png", width: img.width, height: img.height };
  }
  if (p.ghost) ghost(img, p.ghost);
  applyLight(img, p.light);
  for (const s of p.shadows) applyShadow(img, s);
  for (const h of p.highlights) addHighlight(img, h);
  if (p.bloom) img = await bloom(img, p.bloom.threshold, p.bloom.sigma, p.bloom.strength);
  if (p.defocus) img = await applyKernel(img, discKernel(p.defocus.r, p.defocus.rim));
  if (p.motion) img = await applyKernel(img, motionKernel(p.motion.len, p.motion.angle, p.motion.curve, p.motion.dwell), 31);
  if (p.soft >= 0.3) img = await gaussBlur(img, p.soft);
  sensorNoise(img, rng.fork("sensor"), p.sensor);
  if (p.denoise) img = await denoise(img, p.denoise.sigma, p.denoise.strength);
  img = await sharpenTone(img, p.sharpen?.sigma ?? 1, p.sharpen?.amount ?? 0, p.tone);
  let scale = 1;
  if (p.messenger) {
    scale = img.width * p.messenger.scale >= 16 ? p.messenger.scale : 1;
    img = await recompress(img, scale, p.messenger.first);
  }
  const image = await encodeImg(img, p.encoding);
  checkImageLimits(image.length, img.width, img.height);
  ctx.cond.encoding = p.encoding.kind === "png" ? "png" : `${p.encoding.kind}${p.encoding.quality}`;
  return { image, mime: MIME[p.encoding.kind], width: img.width, height: img.height };
}

function ghost(img: Img, g: NonNullable<Post["ghost"]>): void {
  const W = img.width, H = img.height, d = img.data, src = new Uint8ClampedArray(d);
  const x0 = Math.max(0, Math.floor(g.box.left)), x1 = Math.min(W, Math.ceil(g.box.left + g.box.width));
  const y0 = Math.max(0, Math.floor(g.box.top)), y1 = Math.min(H, Math.ceil(g.box.top + g.box.height));
  const dx = Math.round(g.dx), dy = Math.round(g.dy);
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) {
    const sx = x - dx, sy = y - dy;
    if (sx < 0 || sy < 0 || sx >= W || sy >= H) continue;
    const i = (y * W + x) * 3, j = (sy * W + sx) * 3;
    // The weaker reflection adds light (a mirror's front surface reflects ~4 %, more at grazing angles).
    for (let c = 0; c < 3; c++) d[i + c] = d[i + c]! * (1 - g.alpha * 0.5) + src[j + c]! * g.alpha * 0.5 + 0;
  }
}
