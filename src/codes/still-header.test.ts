import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import sharp, { type Sharp } from "sharp";
import { readStillHeader } from "./still-header.js";
import { datasetDir, loadDataset } from "../../test/synthetic/dataset.js";

/** What sharp's metadata() says of the same bytes, in StillHeader's terms (undefined: not a still JPEG/PNG/WebP). */
async function sharpsView(bytes: Uint8Array): Promise<unknown> {
  const m = await sharp(bytes).metadata();
  if (!["jpeg", "png", "webp"].includes(String(m.format)) || (m.pages ?? 1) > 1) return undefined;
  return { format: m.format, width: m.width, height: m.height, orientation: m.orientation ?? 1 };
}

const picture = () => sharp({ create: { width: 45, height: 30, channels: 4, background: { r: 40, g: 160, b: 220, alpha: 0.5 } } });

describe("still header", () => {
  it("reads format, size and EXIF orientation as sharp does (JPEG, PNG, lossy/lossless WebP, with and without EXIF)", async () => {
    const encoders: [string, (s: Sharp) => Sharp][] = [
      ["jpeg", (s) => s.jpeg()],
      ["progressive jpeg", (s) => s.jpeg({ progressive: true })],
      ["png", (s) => s.png()],
      ["palette png", (s) => s.png({ palette: true })],
      ["lossy webp", (s) => s.webp()],
      ["lossless webp", (s) => s.webp({ lossless: true })],
    ];
    for (const [name, encode] of encoders) {
      for (const orientation of [undefined, 1, 2, 3, 4, 5, 6, 7, 8]) {
        const base = picture();
        const bytes = await encode(orientation ? base.withMetadata({ orientation }) : base).toBuffer();
        const header = readStillHeader(bytes);
        assert.ok(header, `${name} orientation ${orientation}`);
        assert.deepEqual(header, await sharpsView(bytes), `${name} orientation ${orientation}`);
      }
    }
  });

  it("agrees with sharp on every dataset image it reads, and reads every still JPEG/PNG/WebP there", { skip: existsSync(datasetDir()) ? false : "no ../shared/datasets" }, async () => {
    let read = 0;
    for (const d of loadDataset()) {
      const bytes = readFileSync(d.path);
      const expected = await sharpsView(bytes);
      assert.deepEqual(readStillHeader(bytes), expected, d.id);
      if (expected) read++;
    }
    assert.ok(read > 500, `${read} images read`);
  });

  it("leaves animations, other formats and broken headers to sharp, and never throws on any prefix or mutation", async () => {
    const gif = await picture().gif().toBuffer();
    const tiff = await picture().tiff().toBuffer();
    assert.equal(readStillHeader(gif), undefined);
    assert.equal(readStillHeader(tiff), undefined);
    // An animated WebP (VP8X with the animation flag) and an APNG (acTL before IDAT).
    const frames = await Promise.all([0, 1].map((i) => sharp({ create: { width: 16, height: 16, channels: 3, background: { r: 200 * i, g: 0, b: 0 } } }).png().toBuffer()));
    const anim = await sharp(frames, { join: { animated: true } }).webp().toBuffer();
    assert.equal((await sharp(anim).metadata()).pages, 2);
    assert.equal(readStillHeader(anim), undefined);
    const png = await picture().png().toBuffer();
    const acTL = Buffer.from([0, 0, 0, 8, 0x61, 0x63, 0x54, 0x4c, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0]);
    assert.equal(readStillHeader(Buffer.concat([png.subarray(0, 33), acTL, png.subarray(33)])), undefined);
    // A second EXIF block in a JPEG: which one libvips takes is its business.
    const jpeg = await picture().withMetadata({ orientation: 6 }).jpeg().toBuffer();
    const app1 = jpeg.indexOf(Buffer.from("Exif\0\0")) - 4;
    const length = jpeg.readUInt16BE(app1 + 2);
    const twice = Buffer.concat([jpeg.subarray(0, app1 + 2 + length), jpeg.subarray(app1, app1 + 2 + length), jpeg.subarray(app1 + 2 + length)]);
    assert.equal(readStillHeader(twice), undefined);
    // More markers before the scan than it walks: it cannot know that none of them changes the answer.
    const sof = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
    const comments = Buffer.concat(Array.from({ length: 520 }, () => Buffer.from([0xff, 0xfe, 0, 3, 0x20])));
    const late = Buffer.concat([jpeg.subarray(0, sof), comments, jpeg.subarray(sof)]);
    assert.equal((await sharp(late).metadata()).orientation, 6);
    assert.equal(readStillHeader(late), undefined);
    // A WebP whose EXIF chunk is shorter than the "Exif\0\0" prefix that may start it (the pad byte follows).
    const webp = await picture().withMetadata({ orientation: 3 }).webp().toBuffer();
    const at = webp.indexOf(Buffer.from("EXIF"));
    const short = Buffer.concat([webp.subarray(0, at), Buffer.from("EXIF"), Buffer.from([5, 0, 0, 0]), Buffer.from("Exif\0\0")]);
    short.writeUInt32LE(short.length - 8, 4);
    assert.doesNotThrow(() => readStillHeader(short));
    // Every prefix, and random byte changes in the first 256 and the last 64 bytes (WebP's EXIF chunk comes
    // last): a header or undefined, never an exception.
    let seed = 99;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) % n;
    for (const bytes of [jpeg, png, await picture().webp().toBuffer(), await picture().withMetadata({ orientation: 3 }).webp().toBuffer()]) {
      for (let n = 0; n <= Math.min(bytes.length, 400); n++) readStillHeader(bytes.subarray(0, n));
      for (let k = 0; k < 2000; k++) {
        const mutated = Buffer.from(bytes);
        for (let j = 0; j < 1 + rand(4); j++) {
          const tail = rand(2) === 1 && mutated.length > 64;
          mutated[tail ? mutated.length - 1 - rand(64) : rand(Math.min(256, mutated.length))] = rand(256);
        }
        const header = readStillHeader(mutated);
        if (header) assert.ok(header.width > 0 && header.height > 0 && header.orientation >= 1 && header.orientation <= 8);
      }
    }
  });
});
