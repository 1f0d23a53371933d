import assert from "node:assert/strict";
import { describe, it } from "node:test";
import bwipjs from "bwip-js";
import sharp from "sharp";
import { boundsOf, mapPoint } from "./found.js";
import { gridAngle } from "./orientation.js";
import { SUPER_FACTOR, SUPER_FORMATS, superProfileView } from "./super-profile.js";
import { loadZXing, readGray, type GrayImage } from "./zxing.js";
import { detectCodes } from "./detect.js";

/** An ITF-14 at `pxPerModule` (rendered at 5 px a module, then shrunk), turned `deg`, slightly defocused and
 * JPEG-compressed as a phone photo would be, as luminance. */
async function fineItf(pxPerModule: number, deg: number): Promise<GrayImage> {
  const bars = await bwipjs.toBuffer({ bcid: "interleaved2of5", text: "15400141288763", scale: 5, height: 10, includetext: false, paddingwidth: 10, paddingheight: 4, backgroundcolor: "FFFFFF" });
  const meta = await sharp(bars).metadata();
  const small = await sharp(bars).resize({ width: Math.round((meta.width! * pxPerModule) / 5), kernel: "cubic" }).png().toBuffer();
  const photo = await sharp(small).rotate(deg, { background: "#ffffff" }).extend({ top: 8, bottom: 8, left: 8, right: 8, background: "#ffffff" })
    .blur(BLUR_SIGMA).jpeg({ quality: 70 }).toBuffer();
  const { data, info } = await sharp(photo).greyscale().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, info.width * info.height), width: info.width, height: info.height };
}

const BLUR_SIGMA = 0.7; // zxing reads the symbol as it lies up to σ 0.5

describe("superProfileView", () => {
  it("reads an ITF-14 at 1.2 px a module turned 7°, which zxing cannot read as it lies, and maps it back onto the bars", async () => {
    const mod = await loadZXing();
    const img = await fineItf(1.2, 7);
    assert.equal(readGray(mod, img, { formats: "ITF", tryHarder: true }).length, 0, "as it lies: unread");
    const grid = gridAngle(img);
    const sp = superProfileView(img, grid, 0.2 * Math.min(img.width, img.height));
    assert.ok(sp, "a view for turned bars");
    const reads = readGray(mod, sp.view, { formats: SUPER_FORMATS, tryRotate: false });
    assert.deepEqual(reads.map((r) => r.text), ["15400141288763"]);
    // The read's ends map back near the symbol's ends (it spans most of the image's width).
    const xs = reads[0]!.corners.map((c) => mapPoint(c, { scale: 1 / SUPER_FACTOR, rowScale: SUPER_FACTOR, left: 0, top: 0, rotation: sp.rotation })[0]);
    assert.ok(Math.min(...xs) > 0 && Math.max(...xs) < img.width, JSON.stringify(xs));
    assert.ok(Math.max(...xs) - Math.min(...xs) > 0.7 * img.width, JSON.stringify(xs));
    // The box from the bars' measured extent matches the dark pixels' bounds (the symbol as drawn).
    const mapped = reads[0]!.corners.map((c) => mapPoint(c, { scale: 1 / SUPER_FACTOR, rowScale: SUPER_FACTOR, left: 0, top: 0, rotation: sp.rotation }));
    const box = boundsOf(sp.boxCorners(mapped));
    const ink = { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity };
    for (let y = 0; y < img.height; y++) {
      for (let x = 0; x < img.width; x++) {
        if (img.data[y * img.width + x]! >= 96) continue;
        ink.x0 = Math.min(ink.x0, x); ink.y0 = Math.min(ink.y0, y); ink.x1 = Math.max(ink.x1, x); ink.y1 = Math.max(ink.y1, y);
      }
    }
    const ix = Math.min(box.x1, ink.x1) - Math.max(box.x0, ink.x0), iy = Math.min(box.y1, ink.y1) - Math.max(box.y0, ink.y0);
    const inter = Math.max(0, ix) * Math.max(0, iy);
    const area = (b: typeof ink) => (b.x1 - b.x0) * (b.y1 - b.y0);
    const iou = inter / (area(box) + area(ink) - inter);
    assert.ok(iou > 0.7, `box ${JSON.stringify(box)} vs ink ${JSON.stringify(ink)}: IoU ${iou.toFixed(2)}`);
  });

  it("returns null when the bars lie on the pixel grid (every row samples the same phase)", async () => {
    const img = await fineItf(1.2, 0);
    assert.equal(superProfileView(img, gridAngle(img), 10), null);
  });

  it("finds nothing in photos of random fine stripes (turned, defocused, JPEG) whose lines it synthesizes and reads", async () => {
    // Each photo: three patches of random bars and spaces 1–4 px wide, squeezed to 0.4–0.8, turned 3–10°, on a
    // 2000×1500 card, so that the region pass sees bar-like blobs it cannot read and synthesizes their lines.
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) / 2 ** 24;
    for (let k = 0; k < 10; k++) {
      const patches = [];
      for (let p = 0; p < 3; p++) {
        const w = 120 + Math.floor(rnd() * 200), h = 30 + Math.floor(rnd() * 40);
        const data = Buffer.alloc(w * h, 255);
        for (let x = 6; x < w - 6;) {
          const bar = 1 + Math.floor(rnd() * 4), space = 1 + Math.floor(rnd() * 4);
          for (let y = 0; y < h; y++) for (let i = 0; i < bar && x + i < w - 6; i++) data[y * w + x + i] = 30;
          x += bar + space;
        }
        const input = await sharp(data, { raw: { width: w, height: h, channels: 1 } })
          .resize({ width: Math.round(w * (0.4 + rnd() * 0.4)), height: h, fit: "fill" })
          .rotate((rnd() < 0.5 ? -1 : 1) * (3 + rnd() * 7), { background: "#ffffff" }).png().toBuffer();
        patches.push({ input, left: Math.floor(rnd() * 1700), top: Math.floor(rnd() * 1400) });
      }
      const photo = await sharp({ create: { width: 2000, height: 1500, channels: 3, background: "#d8c8b8" } })
        .composite(patches).blur(0.5 + rnd() * 0.5).jpeg({ quality: 70 }).toBuffer();
      const diag = { trace: [] as string[], decodeMs: 0, totalMs: 0 };
      const codes = await detectCodes(photo, { maxCodes: 5 }, diag);
      assert.deepEqual(codes.map((c) => `${c.Format}:${c.Content}`), [], `photo ${k}`);
      if (k === 0) assert.ok(diag.trace.some((t) => /-super:/.test(t)), `super-resolved lines were read: ${diag.trace.join(" ")}`);
    }
  });
});
