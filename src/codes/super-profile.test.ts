import assert from "node:assert/strict";
import { describe, it } from "node:test";
import bwipjs from "bwip-js";
import sharp from "sharp";
import { mapPoint } from "./found.js";
import { gridAngle } from "./orientation.js";
import { SUPER_FACTOR, SUPER_FORMATS, superProfileView } from "./super-profile.js";
import { loadZXing, readGray, type GrayImage } from "./zxing.js";

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
  });

  it("returns null when the bars lie on the pixel grid (every row samples the same phase)", async () => {
    const img = await fineItf(1.2, 0);
    assert.equal(superProfileView(img, gridAngle(img), 10), null);
  });
});
