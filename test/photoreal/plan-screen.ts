/**
 * Category screen: a code shown on a phone or monitor and photographed (screen pixels with an RGB stripe
 * and black matrix, sampled by the camera: moiré; glass reflections; glow).
 */
import type { Rng } from "../synthetic/prng.js";
import { makeBackground, textOnImg } from "./background.js";
import { newImg, type Rgb } from "./canvas.js";
import { randomQrOptions, symbolDims } from "./codes.js";
import { drawText, randomWords, type AlphaTarget } from "./font.js";
import { basePost, round2, DEG, type Ctx, type Staged } from "./plan-base.js";
import { chooseSymbol, describeSymbol, type Placed } from "./placement.js";
import { renderSurface, surfaceRect, symbolTruth } from "./render.js";
import { FlatSurface, ImageSurface, ScreenSurface, type LabelSpec, type Surface } from "./surfaces.js";
import { PlanarMapping, mappedBounds, planeHomography } from "./warp.js";

export async function screenScene(ctx: Ctx, rng: Rng): Promise<Staged> {
  const { W, H, cam } = ctx, S = Math.min(W, H);
  const brng = rng.fork("background");
  const img = await makeBackground(brng, W, H, { style: brng.pick(["desk", "fabric", "room", "stone"] as const), objects: brng.int(0, 3), camera: cam });
  const s = rng.fork("screen");
  const sym = chooseSymbol(ctx, s, { qrShare: 0.75, qr: randomQrOptions(s, [1, 12]) });
  const { w, h } = symbolDims(sym);
  const phone = s.chance(0.6);
  const c = s.range(0.6, 2.2); // camera px per screen px
  let ms = (s.range(0.18, 0.5) * S) / c / Math.max(w, h);
  ms = Math.max(2.5, Math.min(10, ms));
  if (ms * c < 2.2) ms = 2.2 / c;
  const q = Math.max(sym.quiet, 2);
  const codeW = (w + 2 * q) * ms, codeH = (h + 2 * q) * ms;
  const SW = Math.round(phone ? codeW / s.range(0.6, 0.92) : codeW / s.range(0.2, 0.5));
  const SH = Math.round(phone ? Math.max(codeH * 1.3, SW * s.range(1.7, 2.2)) : Math.max(codeH * 1.2, SW * s.range(0.56, 0.75)));
  const dark = s.chance(0.55), inverted = dark && s.chance(0.6) && ["QRCode", "DataMatrix", "Aztec"].includes(sym.symbology);
  // Screen content, one texel per screen pixel.
  const ui: Rgb = dark ? [s.int(10, 40), s.int(10, 40), s.int(14, 48)] : [s.int(235, 255), s.int(235, 255), s.int(235, 255)];
  const content = newImg(SW, SH, ui);
  const fg: Rgb = dark ? [225, 225, 230] : [30, 30, 35];
  const bar: Rgb = s.pick([[30, 100, 220], [20, 150, 90], [220, 60, 60], [40, 40, 48]] as Rgb[]);
  const barH = Math.round(SH * s.range(0.05, 0.09));
  for (let y = 0; y < barH; y++) for (let x = 0; x < SW; x++) { const i = (y * SW + x) * 3; content.data[i] = bar[0]; content.data[i + 1] = bar[1]; content.data[i + 2] = bar[2]; }
  const ox = Math.round((SW - w * ms) / 2 + s.range(-0.1, 0.1) * (SW - codeW) / 2), oy = Math.round(barH + Math.max(q * ms, s.range(0.05, 0.6) * (SH - barH - codeH)) + q * ms * 0.2);
  const light: Rgb = inverted ? [235, 235, 240] : [255, 255, 255], darkM: Rgb = inverted ? ui : [0, 0, 0];
  const cardBg = inverted ? ui : light;
  // Quiet zone card, then the modules at the screen's pixel grid (nearest: modules of uneven pixel width).
  for (let y = Math.max(0, Math.floor(oy - q * ms)); y < Math.min(SH, Math.ceil(oy + (h + q) * ms)); y++) {
    for (let x = Math.max(0, Math.floor(ox - q * ms)); x < Math.min(SW, Math.ceil(ox + (w + q) * ms)); x++) {
      const mx = Math.floor((x + 0.5 - ox) / ms), my = Math.floor((y + 0.5 - oy) / (ms * sym.rowHeight));
      const d = mx >= 0 && my >= 0 && mx < sym.cols && my < sym.rows && sym.dark[my * sym.cols + mx] === 1;
      const col = d ? (inverted ? light : darkM) : cardBg;
      const i = (y * SW + x) * 3;
      content.data[i] = col[0]; content.data[i + 1] = col[1]; content.data[i + 2] = col[2];
    }
  }
  // Text around the code.
  const ty = oy + (h + q + 1) * ms;
  if (ty + 20 < SH) textOnImg(content, s, SW * 0.08, ty, SW * 0.84, Math.min(SH - ty - 4, SH * 0.25), Math.max(7, Math.round(SW / 28)), fg);
  const hdr: AlphaTarget = { width: SW, height: barH, data: new Float32Array(SW * barH) };
  drawText(hdr, randomWords(s, 4, 14), SW * 0.05, barH * 0.3, barH * 0.45);
  for (let i = 0; i < hdr.data.length; i++) { const a = hdr.data[i]!; if (a > 0) for (let k = 0; k < 3; k++) content.data[i * 3 + k] = content.data[i * 3 + k]! * (1 - a) + 245 * a; }
  const gain = s.range(1, 1.7), fillX = s.range(0.55, 0.9), fillY = s.range(0.75, 0.95), bgr = s.chance(0.2);
  const screen: Surface = ctx.clean ? new ImageSurface(content) : new ScreenSurface({ content, gain, fillX, fillY, bgr });
  const bezel = Math.round(SW * s.range(0.03, 0.08));
  const bodyCol: Rgb = [s.int(8, 40), s.int(8, 40), s.int(8, 45)];
  let placed: Placed | undefined;
  const fakeLabel: LabelSpec = { sym, width: SW, height: SH, sx: ox, sy: oy, corner: 0, paper: [0, 0, 0], ink: [0, 0, 0], spread: 0 };
  for (let attempt = 0; attempt < 60 && !placed; attempt++) {
    const sc = attempt > 30 ? c * 0.8 : c;
    const pose = { px: s.range(0.25, 0.75) * W, py: s.range(0.25, 0.75) * H, uc: ox + (w * ms) / 2, vc: oy + (h * ms) / 2, scale: sc, roll: (s.chance(0.2) ? 90 : 0 + s.range(-12, 12)) * DEG, tilt: s.range(0, 28) * DEG, tiltAxis: s.range(0, Math.PI) };
    const map = new PlanarMapping(planeHomography(cam, pose));
    const qb = mappedBounds(map, ox - q * ms, oy - q * ms, ox + (w + q) * ms, oy + (h + q) * ms, 8);
    if (!(qb.x0 >= 3 && qb.y0 >= 3 && qb.x1 <= W - 3 && qb.y1 <= H - 3)) continue;
    const t = symbolTruth(map, ox, oy, w * ms, h * ms, W, H);
    placed = { label: fakeLabel, map, code: { text: sym.text, format: sym.symbology, box: t.box, corners: t.corners, ...(inverted ? { inverted: true } : {}) }, bounds: mappedBounds(map, 0, 0, SW, SH, 8) };
  }
  if (!placed) throw new Error("screen: could not place the device");
  const devRect = surfaceRect(img, placed.map, -bezel, -bezel * 1.5, SW + bezel, SH + bezel * 1.5);
  if (devRect) renderSurface(img, new FlatSurface(-bezel, -bezel * 1.5, SW + bezel, SH + bezel * 1.5, bodyCol, bezel * 1.5), placed.map, devRect);
  const scrRect = surfaceRect(img, placed.map, 0, 0, SW, SH);
  if (scrRect) renderSurface(img, screen, placed.map, scrRect);
  const post = basePost(rng.fork("post"));
  const b = placed.code.box, size = Math.max(b.width, b.height);
  // Reflections on the glass: a broad soft window / ceiling light.
  if (s.chance(0.7)) post.highlights.push({ x: b.left + s.range(-0.5, 1.5) * b.width, y: b.top + s.range(-0.5, 1.5) * b.height, a: size * s.range(0.5, 2), b: size * s.range(0.3, 1), angle: s.range(0, Math.PI), peak: s.range(0.05, 0.3), power: s.range(1, 2.5), colour: [1, 1, 1] });
  post.bloom = { threshold: 200, sigma: s.range(3, 12), strength: s.range(0.1, 0.4) };
  post.soft = s.range(0.2, 0.9);
  Object.assign(ctx.cond, { device: phone ? "phone" : "monitor", dark, camPxPerScreenPx: round2(c), screenPxPerModule: round2(ms), gain: round2(gain), modulePx: round2(ms * c) });
  describeSymbol(ctx, sym);
  return { img, placed: [placed], post };
}
