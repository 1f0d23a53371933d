import { describe, it } from "node:test";
import assert from "node:assert/strict";
import sharp, { type Sharp } from "sharp";
import { applyExifOrientation } from "./exif-orient.js";
import { decodeImage } from "./decode-image.js";
import { lumaDecoderName, nativeDecodeLuma } from "./native-luma.js";
import { qrPng } from "./test-images.js";

const required = process.env.BARBUCKET_REQUIRE_NATIVE === "1";
const native = nativeDecodeLuma;
const skip = native ? false : `native decoder unavailable: ${lumaDecoderName()}`;

/** A colourful, noisy test picture (a QR code on a colour gradient, with grain), `w`×`h`. */
async function picture(w: number, h: number, alpha = false): Promise<Sharp> {
  const px = new Uint8Array(w * h * 4);
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 255;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = 4 * (y * w + x);
      px[i] = (x * 255) / w;
      px[i + 1] = (y * 255) / h;
      px[i + 2] = rnd();
      px[i + 3] = alpha ? (x * 7 + y * 3) & 255 : 255;
    }
  }
  const qr = await sharp(await qrPng("native luma", 3)).resize(Math.min(w, h) >> 1).png().toBuffer();
  return sharp(await sharp(px, { raw: { width: w, height: h, channels: 4 } }).composite([{ input: qr, left: 4, top: 4 }]).png().toBuffer());
}

/** zxing's luminance of what sharp decodes (flattened on white): what the libvips path gives. */
async function sharpLuma(bytes: Uint8Array): Promise<Uint8Array> {
  const { data, info } = await sharp(bytes).flatten({ background: "#ffffff" }).toColourspace("srgb").raw().toBuffer({ resolveWithObject: true });
  const n = info.width * info.height, y = new Uint8Array(n);
  for (let i = 0, j = 0; i < n; i++, j += info.channels) y[i] = (306 * data[j]! + 601 * data[j + 1]! + 117 * data[j + 2]! + 512) >> 10;
  return y;
}

function differences(a: Uint8Array, b: Uint8Array): { mean: number; max: number } {
  assert.equal(a.length, b.length);
  let sum = 0, max = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    sum += d;
    max = Math.max(max, d);
  }
  return { mean: sum / a.length, max };
}

describe("native luminance decoder", () => {
  it("is built where CI requires it", { skip: !required }, () => {
    assert.ok(native, lumaDecoderName());
  });

  it("PNG and WebP (lossy, lossless, with alpha) give exactly the luminance of sharp's RGB", { skip }, async () => {
    for (const alpha of [false, true]) {
      const pic = await picture(161, 97, alpha);
      for (const bytes of [await pic.clone().png().toBuffer(), await pic.clone().webp({ quality: 60 }).toBuffer(),
        await pic.clone().webp({ lossless: true }).toBuffer(), await pic.clone().png({ palette: true }).toBuffer()]) {
        const fmt = (await sharp(bytes).metadata()).format!;
        const got = native!(bytes, fmt, 1e8, false);
        assert.ok(got, `${fmt} alpha=${alpha} declined`);
        assert.deepEqual([got.width, got.height], [161, 97]);
        const d = differences(got.data, await sharpLuma(bytes));
        // Flattening rounds once in C and once in libvips: alpha may differ by one level.
        assert.ok(d.max <= (alpha ? 1 : 0), `${fmt} alpha=${alpha}: ${JSON.stringify(d)}`);
      }
    }
  });

  it("JPEG gives its Y plane: within a few levels of the luminance of sharp's RGB", { skip }, async () => {
    for (const chroma of ["4:2:0", "4:4:4"] as const) {
      const jpg = await (await picture(203, 151)).jpeg({ quality: 85, chromaSubsampling: chroma }).toBuffer();
      const got = native!(jpg, "jpeg", 1e8, false)!;
      const d = differences(got.data, await sharpLuma(jpg));
      // Y and the luminance of RGB part only where RGB clips (saturated colours) or chroma is upsampled.
      assert.ok(d.mean < 0.5 && d.max <= 24, `${chroma}: ${JSON.stringify(d)}`);
    }
    const grey = await (await picture(64, 48)).greyscale().jpeg().toBuffer();
    assert.equal(native!(grey, "jpeg", 1e8, false)?.width, 64);
  });

  it("linear light matches libvips' b-w luminance to one level", { skip }, async () => {
    const pic = await picture(160, 120);
    for (const bytes of [await pic.clone().jpeg({ quality: 90 }).toBuffer(), await pic.clone().png().toBuffer()]) {
      const fmt = (await sharp(bytes).metadata()).format!;
      const got = native!(bytes, fmt, 1e8, true)!;
      const bw = await sharp(bytes).toColourspace("b-w").raw().toBuffer();
      const d = differences(got.data, new Uint8Array(bw));
      assert.ok(d.max <= 1 && d.mean < 0.3, `${fmt}: ${JSON.stringify(d)}`);
    }
  });

  it("declines what it does not handle, for libvips to decode or refuse", { skip }, async () => {
    const pic = await picture(80, 60);
    const jpg = await pic.clone().jpeg().toBuffer();
    const png = await pic.clone().png().toBuffer();
    const webp = await pic.clone().webp().toBuffer();
    const declined: [string, Uint8Array, string, number?][] = [
      ["CMYK JPEG", await pic.clone().toColourspace("cmyk").jpeg().toBuffer(), "jpeg"],
      ["truncated JPEG", jpg.subarray(0, Math.floor(jpg.length * 0.6)), "jpeg"],
      ["truncated PNG", png.subarray(0, Math.floor(png.length * 0.6)), "png"],
      ["truncated WebP", webp.subarray(0, Math.floor(webp.length * 0.6)), "webp"],
      ["16-bit PNG", await pic.clone().toColourspace("rgb16").png().toBuffer(), "png"],
      ["interlaced PNG", await pic.clone().png({ progressive: true }).toBuffer(), "png"],
      ["over the pixel limit", jpg, "jpeg", 80 * 60 - 1],
      ["a PNG named JPEG", png, "jpeg"],
      ["garbage", new TextEncoder().encode("not an image at all, just text"), "webp"],
      ["an unknown format", png, "gif"],
    ];
    const frames = await Promise.all([0, 1].map((i) => sharp({ create: { width: 20, height: 20, channels: 3, background: { r: 200 * i, g: 0, b: 0 } } }).png().toBuffer()));
    declined.push(["animated WebP", await sharp(frames, { join: { animated: true } }).webp().toBuffer(), "webp"]);
    for (const [what, bytes, fmt, max] of declined) assert.equal(native!(bytes, fmt, max ?? 1e8, false), null, what);
    // …and decodeImage still decodes or refuses those through sharp, as before.
    assert.equal((await decodeImage(await pic.clone().toColourspace("rgb16").png().toBuffer())).width, 80);
  });

  it("decodeImage applies EXIF orientation to natively decoded pixels as sharp's rotate() does", { skip }, async () => {
    const base = await (await picture(90, 50)).jpeg({ quality: 95 }).toBuffer();
    for (let o = 1; o <= 8; o++) {
      const jpg = await sharp(base).withMetadata({ orientation: o }).jpeg({ quality: 95 }).toBuffer();
      const img = await decodeImage(jpg);
      const ref = await sharp(jpg).rotate().raw().toBuffer({ resolveWithObject: true });
      assert.deepEqual([img.width, img.height], [ref.info.width, ref.info.height], `orientation ${o}`);
      const d = differences(img.data, await sharpLuma(await sharp(jpg).rotate().png().toBuffer()));
      assert.ok(d.mean < 1, `orientation ${o}: ${JSON.stringify(d)}`); // a wrong turn gives ~40
    }
  });
});

describe("applyExifOrientation", () => {
  // Stored 3×2:  1 2 3
  //              4 5 6
  const stored = { data: Uint8Array.from([1, 2, 3, 4, 5, 6]), width: 3, height: 2 };
  const cases: [number, number[][]][] = [
    [1, [[1, 2, 3], [4, 5, 6]]],
    [2, [[3, 2, 1], [6, 5, 4]]],
    [3, [[6, 5, 4], [3, 2, 1]]],
    [4, [[4, 5, 6], [1, 2, 3]]],
    [5, [[1, 4], [2, 5], [3, 6]]],
    [6, [[4, 1], [5, 2], [6, 3]]],
    [7, [[6, 3], [5, 2], [4, 1]]],
    [8, [[3, 6], [2, 5], [1, 4]]],
  ];
  for (const [o, rows] of cases) {
    it(`orientation ${o}`, () => {
      const out = applyExifOrientation(stored, o);
      assert.deepEqual([out.width, out.height], [rows[0]!.length, rows.length]);
      assert.deepEqual([...out.data], rows.flat());
    });
  }
});
