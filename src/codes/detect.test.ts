import { describe, it } from "node:test";
import assert from "node:assert/strict";
import bwipjs from "bwip-js";
import sharp from "sharp";
import { detectCodes } from "./detect.js";
import { CodesError } from "./types.js";
import { canvas, manyFrameGif, qrPng } from "./test-images.js";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { datasetDir } from "../../test/synthetic/dataset.js";

const near = (a: number, b: number, tol: number, what: string) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

describe("detectCodes: content conventions", () => {
  it("returns a QR code's raw payload (URL, CR LF kept) with its box in image pixels", async () => {
    const text = "https://example.com/a?b=c&d=e\r\nline two\r\n";
    const qr = await qrPng(text, 4, 0); // no quiet zone in the PNG: its size is the symbol's size
    const size = (await sharp(qr).metadata()).width!;
    const png = await (await canvas(600, 400, [{ png: qr, left: 150, top: 90 }])).png().toBuffer();
    const [code, ...rest] = await detectCodes(png, { maxCodes: 5 });
    assert.equal(rest.length, 0);
    assert.equal(code!.Content, text);
    assert.equal(code!.Type, "qrcode");
    assert.equal(code!.Format, "QRCode");
    assert.equal(code!.Confidence, 1);
    near(code!.Boundary.Left, 150, 2, "Left");
    near(code!.Boundary.Top, 90, 2, "Top");
    near(code!.Boundary.Width, size, 3, "Width");
    near(code!.Boundary.Height, size, 3, "Height");
    assert.equal(code!.Boundary.Polygon.length, 4);
  });

  it("reports UPC-A as 12 digits with Format UPCA, boxed over the bars' full height", async () => {
    const bars = await bwipjs.toBuffer({ bcid: "upca", text: "03600029145", scale: 3, height: 25, includetext: false });
    const meta = await sharp(bars).metadata();
    const png = await (await canvas(500, 300, [{ png: bars, left: 100, top: 60 }])).png().toBuffer();
    const [code] = await detectCodes(png, { maxCodes: 5 });
    assert.equal(code!.Content, "036000291452");
    assert.equal(code!.Format, "UPCA");
    assert.equal(code!.Type, "barcode");
    near(code!.Boundary.Top, 60, 4, "Top");
    near(code!.Boundary.Height, meta.height!, 6, "Height"); // not zxing's thin scan band
  });

  it("keeps Code 128 text and finds several codes, ordered top-to-bottom then left-to-right", async () => {
    const c128 = await bwipjs.toBuffer({ bcid: "code128", text: "ABC-123", scale: 3, height: 12 });
    const items = [
      { png: await qrPng("second", 4), left: 420, top: 30 },
      { png: await qrPng("first", 4), left: 30, top: 40 },
      { png: c128, left: 60, top: 330 },
    ];
    const png = await (await canvas(800, 500, items)).png().toBuffer();
    const codes = await detectCodes(png, { maxCodes: 5 });
    assert.deepEqual(codes.map((c) => c.Content), ["first", "second", "ABC-123"]);
    assert.equal(codes[2]!.Type, "barcode");
    const capped = await detectCodes(png, { maxCodes: 2 });
    assert.equal(capped.length, 2);
  });
});

describe("detectCodes: frames and negatives", () => {
  it("reports boxes in the EXIF-oriented frame", async () => {
    const qr = await qrPng("oriented", 4, 0);
    const upright = await (await canvas(400, 300, [{ png: qr, left: 20, top: 20 }])).png().toBuffer();
    // Store the pixels rotated 90° counter-clockwise with orientation 6 (display = rotate 90° clockwise).
    const stored = await sharp(upright).rotate(-90).jpeg({ quality: 95 }).withMetadata({ orientation: 6 }).toBuffer();
    const [code] = await detectCodes(stored, { maxCodes: 5 });
    assert.equal(code!.Content, "oriented");
    near(code!.Boundary.Left, 20, 6, "Left");
    near(code!.Boundary.Top, 20, 6, "Top");
  });
  it("returns nothing on blank, noise and gradient images", async () => {
    const noise = Buffer.alloc(300 * 200);
    let s = 12345;
    for (let i = 0; i < noise.length; i++) { s = (s * 1103515245 + 12345) >>> 0; noise[i] = s >>> 24; }
    const images = [
      await sharp({ create: { width: 300, height: 200, channels: 3, background: "#fff" } }).png().toBuffer(),
      await sharp(noise, { raw: { width: 300, height: 200, channels: 1 } }).png().toBuffer(),
      await sharp(noise, { raw: { width: 300, height: 200, channels: 1 } }).blur(3).jpeg().toBuffer(),
      await sharp({ create: { width: 1, height: 1, channels: 3, background: "#000" } }).png().toBuffer(),
    ];
    for (const img of images) assert.deepEqual(await detectCodes(img, { maxCodes: 5 }), []);
  });
  it("reads the first frame of a 10 000-frame GIF and refuses one over the pixel limit", async () => {
    const t0 = performance.now();
    assert.deepEqual(await detectCodes(manyFrameGif(10_000, 30, 30), { maxCodes: 5 }), []);
    // Later frames that store only a changed pixel make a small file of a large canvas × frames: not a bomb.
    assert.deepEqual(await detectCodes(manyFrameGif(60, 640, 480), { maxCodes: 5 }), []);
    await assert.rejects(detectCodes(manyFrameGif(10_000, 200, 200), { maxCodes: 5 }), (e: unknown) => e instanceof CodesError && e.kind === "image-too-large");
    assert.ok(performance.now() - t0 < 5000);
  });
  it("a zero time budget is a timeout", async () => {
    const png = await qrPng("late", 4);
    await assert.rejects(detectCodes(png, { maxCodes: 5, timeBudgetMs: 0 }), (e: unknown) => e instanceof CodesError && e.kind === "timeout");
  });
});

describe("detectCodes: small images", () => {
  it("finds every code of a small image with several", async () => {
    const ean = await bwipjs.toBuffer({ bcid: "ean13", text: "590123412345", scale: 2, height: 10, includetext: true });
    const dm = await bwipjs.toBuffer({ bcid: "datamatrix", text: "DM-small-2", scale: 3 });
    const items = [
      { png: await qrPng("small one", 2), left: 10, top: 10 },
      { png: dm, left: 230, top: 20 },
      { png: ean, left: 40, top: 190 },
    ];
    const several = await (await canvas(340, 300, items)).png().toBuffer();
    const codes = await detectCodes(several, { maxCodes: 5 });
    assert.deepEqual(codes.map((c) => c.Content).sort(), ["5901234123457", "DM-small-2", "small one"]);
  });
});

