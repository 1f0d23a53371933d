import assert from "node:assert/strict";
import { describe, it } from "node:test";
import bwipjs from "bwip-js";
import sharp from "sharp";
import { detectCodes } from "./detect.js";
import { mapPoint } from "./found.js";
import { gridAngle, rotateGray } from "./orientation.js";
import type { GrayImage } from "./zxing.js";

/** Stripes of period 8 px whose gradient points at `deg` (y down, so positive = clockwise on screen), with
 * soft (antialiased, as in any photo or resampled image) edges: a clipped sine. */
function stripes(deg: number, w = 200, h = 160): GrayImage {
  const t = (deg * Math.PI) / 180, c = Math.cos(t), s = Math.sin(t);
  const data = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[y * w + x] = 130 + 100 * Math.max(-1, Math.min(1, 3 * Math.sin((Math.PI * (x * c + y * s)) / 4)));
  return { data, width: w, height: h };
}

describe("gridAngle", () => {
  it("finds the angle of a striped grid modulo 90°, with high strength", () => {
    for (const [deg, want] of [[0, 0], [17, 17], [-30, -30], [60, -30], [100, 10]] as const) {
      const a = gridAngle(stripes(deg));
      assert.ok(Math.abs(a.deg - want) < 1.5, `stripes at ${deg}° → ${a.deg.toFixed(1)}°, want ${want}°`);
      assert.ok(a.strength > 0.8, `strength ${a.strength}`);
    }
  });

  it("gives the long axis of a sheared bar field apart from its (upright) bars", () => {
    // Upright bars of period 8 inside a band that slopes down 12° to the right (a label seen in perspective).
    const w = 300, h = 200, slope = Math.tan((12 * Math.PI) / 180);
    const data = new Uint8Array(w * h).fill(220);
    for (let y = 0; y < h; y++) for (let x = 40; x < 260; x++) {
      const mid = 60 + slope * (x - 40);
      if (Math.abs(y - mid) < 25 && x % 8 < 4) data[y * w + x] = 40;
    }
    const a = gridAngle({ data, width: w, height: h });
    assert.ok(Math.abs(a.deg) < 1.5, `bars: ${a.deg}`);
    assert.ok(Math.abs(a.axisDeg - 12) < 2, `axis: ${a.axisDeg}`);
    assert.ok(a.coherence > 0.45, `coherence ${a.coherence}`);
  });

  it("has no direction on a flat image and little on isotropic noise", () => {
    assert.equal(gridAngle({ data: new Uint8Array(100 * 100).fill(128), width: 100, height: 100 }).votes, 0);
    let seed = 7;
    const noise = Uint8Array.from({ length: 200 * 200 }, () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 24));
    assert.ok(gridAngle({ data: noise, width: 200, height: 200 }).strength < 0.1);
  });
});

describe("rotateGray", () => {
  it("turns stripes at 25° onto the axes, and mapPoint takes points of the turned view back", () => {
    const img = stripes(25);
    const { view, rotation } = rotateGray(img, -25);
    assert.ok(Math.abs(gridAngle(view).deg) < 1.5, `after the turn: ${gridAngle(view).deg}`);
    // The turned view's centre is the source's centre; a point along the turned x axis lies along −25° in the source.
    const back = mapPoint([rotation.ox, rotation.oy], { scale: 1, left: 0, top: 0, rotation });
    assert.ok(Math.abs(back[0] - rotation.cx) < 1e-9 && Math.abs(back[1] - rotation.cy) < 1e-9);
    const p = mapPoint([rotation.ox + 10, rotation.oy], { scale: 2, left: 100, top: 50, rotation });
    const t = (25 * Math.PI) / 180;
    // scale 2 and offsets apply after the turn is undone (block centre convention: +0.5 for scale 2).
    assert.ok(Math.abs(p[0] - (100 + 2 * (rotation.cx + 10 * Math.cos(t)) + 0.5)) < 1e-9);
    assert.ok(Math.abs(p[1] - (50 + 2 * (rotation.cy + 10 * Math.sin(t)) + 0.5)) < 1e-9);
  });

  it("grows the canvas to hold the whole turned image and fills the corners with the mean", () => {
    const img = { data: new Uint8Array(100 * 50).fill(200), width: 100, height: 50 };
    const { view } = rotateGray(img, 90);
    assert.deepEqual([view.width, view.height], [50, 100]);
    const turned = rotateGray(img, 45).view;
    assert.equal(turned.width, Math.ceil(150 / Math.SQRT2));
    assert.equal(turned.data[0], 200);
  });
});

/** An ITF-14 sheared as perspective shears a label: bars upright, rows slanting by `shear` px per px. */
async function shearedItf(shear: number, pad: number): Promise<Buffer> {
  const bars = await bwipjs.toBuffer({ bcid: "itf14", text: "1540014128876", scale: 2, height: 12, includetext: false, paddingwidth: 10, paddingheight: 10, backgroundcolor: "FFFFFF" });
  const sheared = await sharp(bars).affine([[1, 0], [shear, 1]], { background: "#c8c8d0" }).png().toBuffer();
  return sharp(sheared).extend({ top: pad, bottom: pad, left: pad, right: pad, background: "#c8c8d0" }).png().toBuffer();
}

describe("detectCodes on turned symbols", () => {
  it("reads a Code 128 turned 35° (no pixel row crosses all its bars) and boxes it in image pixels", async () => {
    const bars = await bwipjs.toBuffer({ bcid: "code128", text: "TURNED-35", scale: 3, height: 14, paddingwidth: 10, paddingheight: 10, backgroundcolor: "FFFFFF" });
    const png = await sharp(bars).rotate(35, { background: "#ffffff" }).extend({ top: 40, bottom: 40, left: 40, right: 40, background: "#ffffff" }).png().toBuffer();
    const meta = await sharp(png).metadata();
    const codes = await detectCodes(png, { maxCodes: 5 });
    assert.deepEqual(codes.map((c) => c.Content), ["TURNED-35"]);
    const b = codes[0]!.Boundary;
    // The symbol's box spans most of the turned card; inside the image.
    assert.ok(b.Left >= 40 && b.Top >= 40 && b.Left + b.Width <= meta.width! - 40 && b.Top + b.Height <= meta.height! - 40, JSON.stringify(b));
    assert.ok(b.Width > 0.6 * (meta.width! - 80) && b.Height > 0.5 * (meta.height! - 80), JSON.stringify(b));
  });
});
