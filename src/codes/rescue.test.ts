/**
 * The engine's later passes on scenes plain zxing-wasm misses (each case fails with the pass switched off:
 * BARBUCKET_CODES_SKIP=variants / regions).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import bwipjs from "bwip-js";
import sharp from "sharp";
import { detectCodes } from "./detect.js";
import { qrPng } from "./test-images.js";

let seed = 99;
const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) / 2 ** 24;
const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());

/** Grey PNG of `w`×`h` from a per-pixel function of the (grey) pixel of `base` placed at (left, top). */
async function scene(w: number, h: number, symbol: Buffer, left: number, top: number, f: (v: number) => number): Promise<Buffer> {
  const placed = await sharp({ create: { width: w, height: h, channels: 3, background: "#ffffff" } })
    .composite([{ input: symbol, left, top }]).greyscale().raw().toBuffer();
  const out = Buffer.alloc(w * h);
  for (let i = 0; i < out.length; i++) out[i] = Math.max(0, Math.min(255, Math.round(f(placed[i]!))));
  return sharp(out, { raw: { width: w, height: h, channels: 1 } }).png().toBuffer();
}

describe("rescue passes", () => {
  it("reads a faint (24 levels) Code 128 under sensor grain", async () => {
    const bars = await bwipjs.toBuffer({ bcid: "code128", text: "FAINT-128", scale: 3, height: 15, paddingwidth: 12, paddingheight: 8, backgroundcolor: "FFFFFF" });
    const png = await scene(800, 600, bars, 180, 220, (v) => 150 + (v / 255) * 24 + 3 * gauss());
    assert.deepEqual((await detectCodes(png, { maxCodes: 5 })).map((c) => c.Content), ["FAINT-128"]);
  });

  it("reads a QR code under 6 % salt-and-pepper noise", async () => {
    const qr = await qrPng("https://example.com/salt-and-pepper", 5);
    const png = await scene(800, 600, qr, 250, 150, (v) => (rand() < 0.06 ? (rand() < 0.5 ? 0 : 255) : v));
    assert.deepEqual((await detectCodes(png, { maxCodes: 5 })).map((c) => c.Content), ["https://example.com/salt-and-pepper"]);
  });

  it("finds a PDF417 turned 15° beside a straight QR code (full-resolution image, some codes already read)", async () => {
    const pdf = await bwipjs.toBuffer({ bcid: "pdf417", text: "TURNED PDF417 BESIDE A QR", scale: 3, paddingwidth: 10, paddingheight: 10, backgroundcolor: "FFFFFF" });
    const turned = await sharp(pdf).rotate(15, { background: "#ffffff" }).png().toBuffer();
    const png = await sharp({ create: { width: 1100, height: 700, channels: 3, background: "#ffffff" } })
      .composite([{ input: await qrPng("straight", 5), left: 60, top: 60 }, { input: turned, left: 420, top: 260 }]).png().toBuffer();
    const got = (await detectCodes(png, { maxCodes: 5 })).map((c) => c.Content).sort();
    assert.deepEqual(got, ["TURNED PDF417 BESIDE A QR", "straight"]);
  });

  it("finds a vertical Code 128 beside an upright QR code (the first pass scans rows only)", async () => {
    const bars = await bwipjs.toBuffer({ bcid: "code128", text: "STANDING-128", scale: 3, height: 14, paddingwidth: 10, paddingheight: 10, backgroundcolor: "FFFFFF" });
    const standing = await sharp(bars).rotate(90).png().toBuffer();
    const png = await sharp({ create: { width: 900, height: 700, channels: 3, background: "#ffffff" } })
      .composite([{ input: await qrPng("upright", 5), left: 60, top: 60 }, { input: standing, left: 560, top: 120 }]).png().toBuffer();
    const got = (await detectCodes(png, { maxCodes: 5 })).map((c) => c.Content).sort();
    assert.deepEqual(got, ["STANDING-128", "upright"]);
  });
});
