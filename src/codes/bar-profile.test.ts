import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import bwipjs from "bwip-js";
import sharp from "sharp";
import { barProfiles } from "./bar-profile.js";
import { gridAngle } from "./orientation.js";
import { bilinear } from "./qr/sampler.js";
import { loadZXing, readGray, LINEAR_BUT_FILM_EDGE, type GrayImage, type ReaderModule } from "./zxing.js";

const TEXT = "GLARE-PROFILE-2026";
const W = 760, H = 300;

/** A Code 128 turned by `deg` about the page centre on a light page, with a saturated glare spot over the middle of
 * its bars (the spot covers all but a few lines above and below it) and sensor grain. */
async function glaredBars(deg: number, spotRadius: number, seed = 7): Promise<{ img: GrayImage; box: [number, number, number, number] }> {
  const png = await bwipjs.toBuffer({ bcid: "code128", text: TEXT, scale: 3, height: 16, paddingwidth: 0, paddingheight: 0 });
  const { data, info } = await sharp(png).flatten({ background: "#ffffff" }).grayscale().raw().toBuffer({ resolveWithObject: true });
  const src: GrayImage = { data: new Uint8Array(data), width: info.width, height: info.height };
  const a = (deg * Math.PI) / 180, cos = Math.cos(a), sin = Math.sin(a);
  const out = new Uint8Array(W * H);
  let state = seed;
  const noise = () => ((state = (state * 1103515245 + 12345) >>> 0) / 2 ** 32 - 0.5) * 24;
  const cx = W / 2, cy = H / 2;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      // page point → symbol point (turn back about the centres)
      const u = (x - cx) * cos + (y - cy) * sin + src.width / 2, v = -(x - cx) * sin + (y - cy) * cos + src.height / 2;
      let value = 215;
      if (u >= 0 && v >= 0 && u <= src.width - 1 && v <= src.height - 1) value = Math.min(215, 40 + (bilinear(src, u, v) / 255) * 175);
      const t = Math.min(1, 1.4 * Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * spotRadius * spotRadius)));
      out[y * W + x] = Math.max(0, Math.min(255, Math.round(value + (255 - value) * t + noise())));
    }
  }
  return { img: { data: out, width: W, height: H }, box: [cx - src.width / 2, cy - src.height / 2, cx + src.width / 2, cy + src.height / 2] };
}

const readLinear = (mod: ReaderModule, img: GrayImage) =>
  readGray(mod, img, { formats: LINEAR_BUT_FILM_EDGE, tryHarder: true, tryRotate: false, tryInvert: true, tryDownscale: false }).map((r) => r.text);

describe("barProfiles", () => {
  let mod: ReaderModule;
  before(async () => { mod = await loadZXing(); });

  it("reads turned bars through a glare spot on two disjoint sets of lines, and maps the read back onto the bars", async () => {
    const { img, box } = await glaredBars(4, 42);
    // every scan line of the image crosses the spot or misses bars: zxing alone does not read it
    assert.deepEqual(readGray(mod, img, { tryHarder: true, tryRotate: true, tryInvert: true }).map((r) => r.text), []);
    const p = barProfiles(img, gridAngle(img));
    assert.ok(p?.halves, "no profiles");
    for (const [i, half] of p.halves.entries()) assert.deepEqual(readLinear(mod, half.view), [TEXT], `half ${i}`);
    // the view's middle maps into the symbol's box (its band of lines and its span across the bars)
    const [x, y] = p.halves[0].warp(p.halves[0].view.width / 2, p.halves[0].view.height / 2);
    assert.ok(x > box[0] && x < box[2] && y > box[1] && y < box[3], `middle at ${x},${y}, box ${box}`);
  });

  it("invents nothing from a page of text-like strokes", async () => {
    const data = new Uint8Array(W * H).fill(220);
    let state = 3;
    const rnd = () => (state = (state * 1103515245 + 12345) >>> 0) / 2 ** 32;
    // short dark strokes of random width and height in rows, like lines of print
    for (let row = 20; row < H - 30; row += 34) {
      for (let x = 10; x < W - 20;) {
        const w = 2 + Math.floor(rnd() * 6), h = 12 + Math.floor(rnd() * 10);
        for (let y = row; y < row + h; y++) for (let k = 0; k < w; k++) data[y * W + x + k] = 50;
        x += w + 2 + Math.floor(rnd() * 9);
      }
    }
    const img = { data, width: W, height: H };
    const p = barProfiles(img, gridAngle(img));
    for (const half of p?.halves ?? []) assert.deepEqual(readLinear(mod, half.view), []);
    for (const half of p?.sharpened ?? []) assert.deepEqual(readLinear(mod, half.view), []);
  });
});
