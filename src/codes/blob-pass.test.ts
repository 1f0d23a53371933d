import assert from "node:assert/strict";
import { describe, it } from "node:test";
import bwipjs from "bwip-js";
import sharp from "sharp";
import { detectCodes, type DetectDiagnostics } from "./detect.js";
import { canvas, qrPng } from "./test-images.js";

const diagnostics = (): DetectDiagnostics => ({ trace: [], decodeMs: 0, totalMs: 0 });

describe("blob pass (full-resolution images read blob by blob)", () => {
  it("reads a QR code and a turned Code 128 from their blobs alone, without a whole-image read", async () => {
    const qr = await qrPng("https://example.com/blob-pass", 4, 0);
    const bars = await bwipjs.toBuffer({ bcid: "code128", text: "BLOB-PASS-128", scale: 2, height: 10, paddingwidth: 10, paddingheight: 10, backgroundcolor: "FFFFFF" });
    const turned = await sharp(bars).rotate(14, { background: "#ffffff" }).png().toBuffer();
    const png = await (await canvas(1100, 800, [{ png: qr, left: 40, top: 60 }, { png: turned, left: 300, top: 300 }])).png().toBuffer();
    const d = diagnostics();
    const codes = await detectCodes(png, { maxCodes: 5 }, d);
    assert.deepEqual(codes.map((c) => c.Content).sort(), ["BLOB-PASS-128", "https://example.com/blob-pass"]);
    assert.ok(d.trace.some((t) => /^blobs:2:share:0\.[0-4]/.test(t)), d.trace.join(" | "));
    assert.ok(d.trace.some((t) => t.startsWith("blob1-turned:") || t.startsWith("blob0-turned:")), d.trace.join(" | "));
    // no read of the whole 1100×800 view
    assert.ok(!d.trace.some((t) => /^base:1100x/.test(t)), d.trace.join(" | "));
    const qrCode = codes.find((c) => c.Format === "QRCode")!;
    assert.equal(qrCode.Confidence, 1); // read as it lies, on unaltered pixels
  });

  it("reads a tiny Data Matrix 2–12 px beside a large QR code in the same blob", async () => {
    const qr = await bwipjs.toBuffer({ bcid: "qrcode", text: "BIG-QR-ONE", scale: 5, paddingwidth: 2, paddingheight: 2, backgroundcolor: "FFFFFF" });
    const dm = await bwipjs.toBuffer({ bcid: "datamatrix", text: "dm2", scale: 2, paddingwidth: 2, paddingheight: 2, backgroundcolor: "FFFFFF" });
    const qrWidth = (await sharp(qr).metadata()).width!;
    for (const gap of [2, 6, 12]) {
      const png = await (await canvas(1000, 700, [{ png: qr, left: 200, top: 200 }, { png: dm, left: 200 + qrWidth + gap, top: 210 }])).png().toBuffer();
      const d = diagnostics();
      const codes = await detectCodes(png, { maxCodes: 5 }, d);
      assert.deepEqual(codes.map((c) => c.Content).sort(), ["BIG-QR-ONE", "dm2"], `gap ${gap}: ${d.trace.join(" | ")}`);
      assert.ok(d.trace.some((t) => t.startsWith("blobs:1:share:")), d.trace.join(" | "));
    }
  });

  it("goes on with the whole image when texture covers most of it", async () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) / 2 ** 24;
    const w = 800, h = 600, grain = Buffer.alloc(w * h);
    for (let i = 0; i < grain.length; i++) grain[i] = rand() < 0.5 ? 40 : 215; // code-like texture everywhere
    const png = await sharp(grain, { raw: { width: w, height: h, channels: 1 } }).png().toBuffer();
    const d = diagnostics();
    assert.deepEqual(await detectCodes(png, { maxCodes: 5 }, d), []);
    assert.ok(d.trace.some((t) => /^blobs:\d+/.test(t)), d.trace.join(" | "));
    assert.ok(d.trace.some((t) => t.startsWith("base:800x600")), "whole-view read: " + d.trace.slice(0, 4).join(" | "));
  });
});
