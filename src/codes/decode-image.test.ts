import { describe, it } from "node:test";
import assert from "node:assert/strict";
import sharp, { type Sharp } from "sharp";
import { decodeImage, probeImage, LIMITS } from "./decode-image.js";
import { CodesError, type CodesErrorKind } from "./types.js";
import { pngWithClaimedSize, qrPng } from "./test-images.js";

async function rejects(p: Promise<unknown>, kind: CodesErrorKind): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof CodesError, `expected CodesError, got ${String(e)}`);
    assert.equal(e.kind, kind, e.message);
    return true;
  });
}

describe("decode limits and error kinds", () => {
  it("zero bytes and non-image bytes are unsupported-format", async () => {
    await rejects(decodeImage(new Uint8Array(0)), "unsupported-format");
    await rejects(decodeImage(new TextEncoder().encode("hello, this is not an image at all")), "unsupported-format");
  });
  it("SVG is refused (not an OSS source format; rendering it is unbounded work)", async () => {
    const svg = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>');
    await rejects(decodeImage(svg), "unsupported-format");
  });
  it("over 20 MB is image-too-large before anything is parsed", async () => {
    await rejects(decodeImage(new Uint8Array(LIMITS.maxBytes + 1)), "image-too-large");
  });
  it("a 1×1 PNG claiming 100 000×100 000 is rejected from its header", async () => {
    const t0 = performance.now();
    await rejects(decodeImage(await pngWithClaimedSize(100_000, 100_000)), "image-too-large");
    await rejects(decodeImage(await pngWithClaimedSize(20_000, 20_000)), "image-too-large"); // sides ok, 400 MP
    assert.ok(performance.now() - t0 < 2000);
  });
  it("a PNG claiming a plausible size it does not contain is corrupt", async () => {
    await rejects(decodeImage(await pngWithClaimedSize(300, 200)), "corrupt-image");
  });
  it("truncated data is corrupt-image", async () => {
    const png = await qrPng("truncated", 4);
    await rejects(decodeImage(png.subarray(0, Math.floor(png.length / 2))), "corrupt-image");
    const jpg = await sharp(png).jpeg().toBuffer();
    await rejects(decodeImage(jpg.subarray(0, Math.floor(jpg.length * 0.6))), "corrupt-image");
  });
  it("a GIF or PNG header claiming more pixels than its bytes can hold is corrupt, refused before decoding", async () => {
    // A fuzz case: a 1 KB GIF whose header says 12887×13370 (172 MP, under OSS's 250 MP) took ~5 s to decode.
    const gif = await sharp({ create: { width: 64, height: 64, channels: 3, background: "#fff" } }).gif().toBuffer();
    const big = Buffer.from(gif);
    const descriptor = big.indexOf(0x2c, 13); // the image descriptor's size is what libvips decodes
    big.writeUInt16LE(12_887, descriptor + 5);
    big.writeUInt16LE(13_370, descriptor + 7);
    assert.equal((await sharp(big).metadata()).width, 12_887);
    const t0 = performance.now();
    await rejects(probeImage(big), "corrupt-image");
    assert.ok(performance.now() - t0 < 1000);
    // The densest honest images pass: 2000×2000 of one colour compresses to a few KB.
    for (const enc of [(s: Sharp) => s.gif(), (s: Sharp) => s.png({ compressionLevel: 9, palette: true, colours: 2 })]) {
      const flat = await enc(sharp({ create: { width: 2000, height: 2000, channels: 3, background: "#000" } })).toBuffer();
      assert.equal((await probeImage(flat)).width, 2000, `${flat.length} bytes`);
    }
  });
  it("counts every animation frame towards the pixel limit", async () => {
    // Frames must differ, or the GIF encoder merges them.
    const frames = await Promise.all([0, 1, 2].map((i) =>
      sharp({ create: { width: 40, height: 40, channels: 3, background: { r: 100 * i, g: 50, b: 0 } } }).png().toBuffer()));
    const gif = await sharp(frames, { join: { animated: true } }).gif().toBuffer();
    assert.equal((await probeImage(gif)).pages, 3);
    await rejects(probeImage(gif, { ...LIMITS, maxPixels: 40 * 40 * 2 }), "image-too-large");
  });
});

describe("decode conversions", () => {
  it("gives one luminance byte per pixel for 8-bit RGB", async () => {
    const png = await sharp({ create: { width: 7, height: 5, channels: 3, background: { r: 255, g: 0, b: 0 } } }).png().toBuffer();
    const img = await decodeImage(png);
    assert.equal(img.data.length, 35);
    assert.equal(img.data[0], (306 * 255 + 512) >> 10); // zxing's own weights
  });
  it("flattens transparency onto white", async () => {
    const png = await sharp({ create: { width: 4, height: 4, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).png().toBuffer();
    assert.equal((await decodeImage(png)).data[0], 255);
  });
  it("reads 16-bit PNG, CMYK JPEG and the first frame of a GIF as 8-bit luminance", async () => {
    const qr = await qrPng("x", 2);
    for (const bytes of [
      await sharp(qr).toColourspace("rgb16").png().toBuffer(),
      await sharp(qr).toColourspace("cmyk").jpeg().toBuffer(),
      await sharp(qr).gif().toBuffer(),
      await sharp(qr).webp().toBuffer(),
      await sharp(qr).tiff().toBuffer(),
    ]) {
      const img = await decodeImage(bytes);
      assert.equal(img.data.length, img.width * img.height);
      assert.ok(img.data[0]! > 200, `corner should be white-ish, got ${img.data[0]}`);
    }
  });
  it("applies EXIF orientation (sides swapped for orientation 6)", async () => {
    const jpg = await sharp({ create: { width: 60, height: 20, channels: 3, background: "#fff" } }).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const img = await decodeImage(jpg);
    assert.deepEqual([img.width, img.height], [20, 60]);
    assert.deepEqual([(await probeImage(jpg)).width, (await probeImage(jpg)).height], [20, 60]);
  });
  it("copes with a huge EXIF block", async () => {
    const jpg = await sharp(await qrPng("exif", 3)).withExif({ IFD0: { ImageDescription: "x".repeat(60_000) } }).jpeg().toBuffer();
    const img = await decodeImage(jpg);
    assert.ok(img.width > 0);
  });
});
