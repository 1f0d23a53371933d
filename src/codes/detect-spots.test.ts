/**
 * Scenes that only the spot reads (strategy.ts, spot-reads.ts) get right: each checks that plain zxing-wasm misses
 * the code (so the case keeps its point) and that the engine reads it.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import bwipjs from "bwip-js";
import sharp from "sharp";
import { detectCodes } from "./detect.js";
import { readPlainFull } from "../../test/sets/readers.js";

async function bars(bcid: string, text: string, scale: number): Promise<Buffer> {
  return bwipjs.toBuffer({ bcid, text, scale, height: 8, includetext: false, paddingwidth: 10, paddingheight: 5, backgroundcolor: "FFFFFF" });
}

describe("detectCodes: spots", () => {
  it("reads a Code 128 whose modules are 1.3 px in a 2 MP frame (read at twice the size)", async () => {
    const text = "BARBUCKET-42";
    const png = await bars("code128", text, 2);
    const m = await sharp(png).metadata();
    const small = await sharp(png).resize(Math.round((m.width! * 1.3) / 2), Math.round((m.height! * 1.3) / 2), { kernel: "cubic" }).png().toBuffer();
    const photo = await sharp({ create: { width: 1600, height: 1200, channels: 3, background: "#8a9bb0" } })
      .composite([{ input: small, left: 700, top: 500 }]).jpeg({ quality: 92 }).toBuffer();
    assert.deepEqual((await readPlainFull(photo)).map((r) => r.text), [], "plain zxing-wasm reads it: the case lost its point");
    const codes = await detectCodes(photo, { maxCodes: 5 });
    assert.deepEqual(codes.map((c) => c.Content), [text]);
    const b = codes[0]!.Boundary;
    assert.ok(b.Left >= 700 && b.Left < 720 && b.Top >= 500 && b.Top < 515, `box ${JSON.stringify(b)}`);
  });

  it("reads faint bars on a grey card turned 5° on a brighter ground (the card's edges are the strong ones)", async () => {
    const text = "nnTeCaH4mfpt";
    const png = await bwipjs.toBuffer({ bcid: "code128", text, scale: 4, height: 30, includetext: false, paddingwidth: 12, paddingheight: 6, backgroundcolor: "FFFFFF" });
    const { data, info } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true });
    const ink = 120, paper = 145, ground = 220;
    const card = Buffer.from(data.map((v) => Math.round(ink + ((paper - ink) * v) / 255)));
    const turned = await sharp(card, { raw: { width: info.width, height: info.height, channels: 1 } })
      .rotate(5, { background: { r: ground, g: ground, b: ground } }).png().toBuffer();
    const photo = await sharp({ create: { width: 800, height: 600, channels: 3, background: { r: ground, g: ground, b: ground } } })
      .composite([{ input: turned, left: 60, top: 150 }]).webp({ quality: 90 }).toBuffer();
    assert.deepEqual((await readPlainFull(photo)).map((r) => r.text), [], "plain zxing-wasm reads it: the case lost its point");
    assert.deepEqual((await detectCodes(photo, { maxCodes: 5 })).map((c) => c.Content), [text]);
  });
});
