import { describe, it } from "node:test";
import assert from "node:assert/strict";
import sharp from "sharp";
import { parseProcess } from "./plan.js";
import { runImage, runJson } from "./pipeline.js";
import { probeSource } from "./source.js";
import { isOssError } from "../errors/oss-error.js";
import type { RunEnv } from "./registry.js";
import { estimateJpegQuality } from "./jpeg-quality.js";
import { decodeBmpLuma, readBmpHeader } from "../codes/bmp.js";
import { LIMITS } from "../codes/decode-image.js";
import { encodeBmp } from "./bmp-encode.js";

const noObjects: RunEnv = { readObject: () => Promise.reject(new Error("no objects here")) };

/** 200×200: red top-left, green top-right, blue bottom-left, white bottom-right. */
async function quadrants(format: "png" | "jpeg" = "png"): Promise<Buffer> {
  const tile = (r: number, g: number, b: number) => sharp({ create: { width: 100, height: 100, channels: 3, background: { r, g, b } } }).png().toBuffer();
  const base = sharp({ create: { width: 200, height: 200, channels: 3, background: "#000000" } }).composite([
    { input: await tile(255, 0, 0), left: 0, top: 0 }, { input: await tile(0, 255, 0), left: 100, top: 0 },
    { input: await tile(0, 0, 255), left: 0, top: 100 }, { input: await tile(255, 255, 255), left: 100, top: 100 },
  ]);
  return format === "png" ? base.png().toBuffer() : base.jpeg({ quality: 95 }).toBuffer();
}

async function run(bytes: Buffer, process: string, env: RunEnv = noObjects) {
  const plan = parseProcess(process);
  assert.equal(plan.kind, "image");
  return runImage(await probeSource(bytes), plan.kind === "image" ? plan.steps : [], env);
}

async function pixel(bytes: Buffer, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const i = (y * info.width + x) * 4;
  return [data[i]!, data[i + 1]!, data[i + 2]!, data[i + 3]!];
}

const near = (got: number[], want: number[], tol = 12) => assert.ok(got.every((v, i) => Math.abs(v - want[i]!) <= tol), `${got} ≉ ${want}`);

describe("image pipeline", () => {
  it("resizes and keeps the source format", async () => {
    const out = await run(await quadrants("jpeg"), "image/resize,w_100");
    assert.deepEqual([out.format, out.contentType, out.width, out.height], ["jpg", "image/jpeg", 100, 100]);
    const meta = await sharp(out.body).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ["jpeg", 100, 100]);
  });
  it("runs a chain with one encode in the chain's format", async () => {
    const out = await run(await quadrants(), "image/resize,w_50/format,webp/quality,Q_80");
    const meta = await sharp(out.body).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ["webp", 50, 50]);
  });
  it("applies actions in the chain's order (crop then rotate ≠ rotate then crop)", async () => {
    const src = await quadrants();
    const a = await run(src, "image/crop,w_100,h_100/rotate,90");
    const b = await run(src, "image/rotate,90/crop,w_100,h_100");
    near(await pixel(a.body, 50, 50), [255, 0, 0, 255]); // the red tile, turned
    near(await pixel(b.body, 50, 50), [0, 0, 255, 255]); // blue lands top-left after a quarter turn
  });
  it("crops by gravity and rotates by right angles", async () => {
    const crop = await run(await quadrants(), "image/crop,w_100,h_100,g_se");
    assert.deepEqual([crop.width, crop.height], [100, 100]);
    near(await pixel(crop.body, 50, 50), [255, 255, 255, 255]);
    const rect = await sharp({ create: { width: 200, height: 100, channels: 3, background: "#808080" } }).png().toBuffer();
    const turned = await run(rect, "image/rotate,90");
    assert.deepEqual([turned.width, turned.height], [100, 200]);
    await assert.rejects(run(await quadrants(), "image/crop,x_200"), (e: unknown) => isOssError(e) && e.code === "BadRequest");
  });
  it("pads with the colour and fills by centre crop", async () => {
    const rect = await sharp({ create: { width: 200, height: 100, channels: 3, background: "#000000" } }).png().toBuffer();
    const pad = await run(rect, "image/resize,m_pad,w_100,h_100,color_FF0000");
    assert.deepEqual([pad.width, pad.height], [100, 100]);
    near(await pixel(pad.body, 50, 5), [255, 0, 0, 255]);
    near(await pixel(pad.body, 50, 50), [0, 0, 0, 255]);
    const fill = await run(await quadrants(), "image/resize,m_fill,w_100,h_50");
    assert.deepEqual([fill.width, fill.height], [100, 50]);
  });
  it("cuts circles and rounded corners: transparent in PNG, white in JPEG", async () => {
    const png = await run(await quadrants(), "image/circle,r_50/format,png");
    assert.deepEqual([png.width, png.height], [100, 100]);
    assert.equal((await pixel(png.body, 1, 1))[3], 0);
    assert.equal((await pixel(png.body, 50, 50))[3], 255);
    const jpg = await run(await quadrants(), "image/rounded-corners,r_60/format,jpg");
    near(await pixel(jpg.body, 1, 1), [255, 255, 255, 255]);
    near(await pixel(jpg.body, 30, 50), [255, 0, 0, 255], 40);
  });
  it("writes BMP itself (libvips has no BMP saver)", async () => {
    const out = await run(await quadrants(), "image/resize,w_20/format,bmp");
    assert.equal(out.body.subarray(0, 2).toString("latin1"), "BM");
    const header = readBmpHeader(out.body, LIMITS);
    assert.deepEqual([header.width, header.height], [20, 20]);
    const luma = decodeBmpLuma(out.body, header);
    assert.ok(luma[19 * 20 + 19]! > 240, "the white tile is bottom-right"); // white
    assert.ok(luma[0]! < 120, "the red tile is top-left");
  });
  it("reads BMP sources (decoded here: libvips has no BMP loader)", async () => {
    const { data, info } = await sharp(await quadrants()).raw().toBuffer({ resolveWithObject: true });
    const bmp = encodeBmp(data, info.width, info.height, info.channels);
    const out = await run(bmp, "image/resize,w_100/format,png");
    assert.deepEqual([out.width, out.height], [100, 100]);
    near(await pixel(out.body, 10, 10), [255, 0, 0, 255]);
    near(await pixel(out.body, 90, 90), [255, 255, 255, 255]);
    const src = await probeSource(bmp);
    assert.equal(((await runJson(src, { action: "info" })) as Record<string, { value: string }>).Format?.value, "bmp");
    assert.deepEqual(await runJson(src, { action: "average-hue" }), { RGB: `0x${[128, 128, 128].map((v) => v.toString(16)).join("")}` });
  });
  it("orients by EXIF only with auto-orient,1", async () => {
    const rotated = await sharp({ create: { width: 60, height: 30, channels: 3, background: "#808080" } }).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const kept = await run(rotated, "image/resize,w_30");
    assert.deepEqual([kept.width, kept.height], [30, 15]);
    const upright = await run(rotated, "image/auto-orient,1/resize,w_15");
    assert.deepEqual([upright.width, upright.height], [15, 30]);
  });
  it("adjusts brightness, contrast and picks index strips", async () => {
    const grey = await sharp({ create: { width: 40, height: 40, channels: 3, background: { r: 100, g: 100, b: 100 } } }).png().toBuffer();
    assert.ok((await pixel((await run(grey, "image/bright,50")).body, 5, 5))[0]! > 130);
    near(await pixel((await run(grey, "image/contrast,-100")).body, 5, 5), [128, 128, 128, 255], 2);
    const strip = await run(await quadrants(), "image/indexcrop,x_50,i_2");
    assert.deepEqual([strip.width, strip.height], [50, 200]);
    near(await pixel(strip.body, 10, 10), [0, 255, 0, 255]);
    assert.equal((await run(await quadrants(), "image/indexcrop,x_50,i_9")).width, 200, "past the last strip: unchanged");
  });
  it("blurs and sharpens", async () => {
    const blurred = await run(await quadrants(), "image/blur,r_10,s_5");
    const edge = await pixel(blurred.body, 99, 50);
    assert.ok(edge[1]! > 40 && edge[0]! < 230, `the red/green edge is mixed: ${edge}`);
    const sharpened = await run(await quadrants(), "image/sharpen,100");
    assert.deepEqual([sharpened.width, sharpened.height], [200, 200]);
  });
  it("draws a text watermark where the gravity puts it, and nowhere else", async () => {
    const grey = await sharp({ create: { width: 300, height: 200, channels: 3, background: "#808080" } }).png().toBuffer();
    const text = Buffer.from("Barbucket").toString("base64url");
    const out = await run(grey, `image/watermark,text_${text},color_FF0000,size_30,g_se,x_10,y_10`);
    const { data, info } = await sharp(out.body).raw().toBuffer({ resolveWithObject: true });
    let red = 0;
    const box = { left: info.width, top: info.height, right: -1, bottom: -1 };
    for (let y = 0; y < info.height; y++) {
      for (let x = 0; x < info.width; x++) {
        const i = (y * info.width + x) * info.channels;
        if (data[i] === 128 && data[i + 1] === 128 && data[i + 2] === 128) continue;
        if (data[i]! > 200 && data[i + 1]! < 60) red++;
        box.left = Math.min(box.left, x);
        box.top = Math.min(box.top, y);
        box.right = Math.max(box.right, x);
        box.bottom = Math.max(box.bottom, y);
      }
    }
    assert.ok(red > 100, `red text drawn (${red} px)`);
    // South-east, 10 px from the right and bottom edges (the text's own box has some space below the glyphs).
    assert.ok(box.right <= 300 - 10 && box.right >= 300 - 16, JSON.stringify(box));
    assert.ok(box.bottom <= 200 - 10 && box.bottom >= 200 - 24, JSON.stringify(box));
    assert.ok(box.left > 120 && box.top > 130, `nothing drawn outside the corner: ${JSON.stringify(box)}`);
  });
  it("puts an image watermark from the bucket, resized by P_", async () => {
    const grey = await sharp({ create: { width: 200, height: 200, channels: 3, background: "#808080" } }).png().toBuffer();
    const logo = await sharp({ create: { width: 100, height: 100, channels: 3, background: "#0000ff" } }).png().toBuffer();
    const env: RunEnv = { readObject: (key) => (key === "logo.png" ? Promise.resolve(logo) : Promise.reject(new Error(key))) };
    const name = Buffer.from("logo.png?x-oss-process=image/resize,P_20").toString("base64url");
    const out = await run(grey, `image/watermark,image_${name},g_nw,x_0,y_0`, env);
    near(await pixel(out.body, 39, 39), [0, 0, 255, 255]);
    near(await pixel(out.body, 41, 41), [128, 128, 128, 255]);
  });
  it("refuses outputs over OSS's limits before encoding", async () => {
    await assert.rejects(run(await quadrants(), "image/resize,m_fixed,w_16384,h_16384,limit_0"), (e: unknown) => isOssError(e) && e.code === "ImageTooLarge");
  });
  it("answers info and average-hue as JSON", async () => {
    const src = await probeSource(await quadrants());
    const info = (await runJson(src, { action: "info" })) as Record<string, { value: string }>;
    assert.deepEqual([info.Format?.value, info.ImageWidth?.value, info.ImageHeight?.value, info.FileSize?.value], ["png", "200", "200", String(src.bytes.length)]);
    const solid = await probeSource(await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 0x5c, g: 0x78, b: 0x3b } } }).png().toBuffer());
    assert.deepEqual(await runJson(solid, { action: "average-hue" }), { RGB: "0x5c783b" });
  });
  it("estimates a JPEG's quality for q_", async () => {
    for (const q of [30, 50, 75, 90]) {
      const jpeg = await sharp({ create: { width: 16, height: 16, channels: 3, background: "#336699" } }).jpeg({ quality: q }).toBuffer();
      const estimate = estimateJpegQuality(jpeg)!;
      assert.ok(Math.abs(estimate - q) <= 2, `quality ${q} estimated as ${estimate}`);
    }
  });
});
