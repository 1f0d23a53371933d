import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { barBand, barProfileView, columnProfile, elementWidth, profileBasis, richardsonLucy } from "./bar-profile.js";
import { mapPoint } from "./found.js";
import { gridAngle } from "./orientation.js";
import type { GrayImage } from "./zxing.js";

let seed = 3;
const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) / 2 ** 24;

/** Bars of period 6 (3 dark, 3 light) over columns 20..180 and rows [top, bottom) of a 200×120 grey card,
 * grain of ±`grain` levels everywhere. */
function barsImage(top: number, bottom: number, grain = 0): GrayImage {
  const w = 200, h = 120, data = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const bar = y >= top && y < bottom && x >= 20 && x < 180 && x % 6 < 3;
    data[y * w + x] = Math.max(0, Math.min(255, Math.round((bar ? 60 : 200) + grain * (2 * rand() - 1))));
  }
  return { data, width: w, height: h };
}

describe("bar-profile", () => {
  it("finds the band of rows that cross the bars, also under grain", () => {
    for (const grain of [0, 60]) {
      const band = barBand(barsImage(40, 90, grain));
      assert.ok(band, `grain ${grain}: no band`);
      assert.ok(Math.abs(band.top - 40) <= 3 && Math.abs(band.bottom - 90) <= 3, `grain ${grain}: ${JSON.stringify(band)}`);
    }
  });

  it("measures the mean width of bars and spaces, and finds none in a flat image", () => {
    assert.ok(Math.abs(elementWidth(barsImage(30, 100)) - 3) < 0.2, `${elementWidth(barsImage(30, 100))}`);
    assert.ok(Math.abs(elementWidth(barsImage(30, 100, 60)) - 3) < 0.3);
    const flat = { data: new Uint8Array(200 * 50).fill(180), width: 200, height: 50 };
    assert.equal(elementWidth(flat), Infinity);
  });

  it("summarises a column by its unclipped pixels: glare over half a bar leaves the bar dark", () => {
    const img = barsImage(20, 100);
    for (let y = 20; y < 70; y++) for (let x = 0; x < img.width; x++) img.data[y * img.width + x] = 255; // clipped
    const p = columnProfile(img, 20, 100, "median");
    assert.equal(p[24], 60); // a bar column (24 % 6 < 3)
    assert.equal(p[27], 200); // a space column
  });

  it("Richardson-Lucy restores contrast a Gaussian blur took from narrow elements", () => {
    const n = 120, sharp = new Float64Array(n);
    for (let x = 0; x < n; x++) sharp[x] = x % 6 < 3 ? 40 : 220;
    const sigma = 2, r = 6, blurred = new Float64Array(n);
    for (let x = 0; x < n; x++) {
      let s = 0, t = 0;
      for (let j = -r; j <= r; j++) { const k = Math.exp(-(j * j) / (2 * sigma * sigma)); s += k * sharp[Math.min(n - 1, Math.max(0, x + j))]!; t += k; }
      blurred[x] = s / t;
    }
    const swing = (p: Float64Array) => Math.max(...p.slice(30, 90)) - Math.min(...p.slice(30, 90));
    const restored = richardsonLucy(blurred, sigma, 30);
    assert.ok(swing(blurred) < 60, `blurred swing ${swing(blurred)}`);
    assert.ok(swing(restored) > 2 * swing(blurred), `restored swing ${swing(restored)} vs ${swing(blurred)}`);
  });

  it("writes a thin view of identical rows whose points map back onto the band's centre line", () => {
    const img = barsImage(40, 90);
    const basis = profileBasis(img, gridAngle(img));
    assert.ok(basis);
    const p = barProfileView(basis, "median");
    assert.equal(p.view.width, img.width); // upright bars: not turned
    const w = p.view.width;
    for (let y = 1; y < p.view.height; y++) assert.deepEqual(p.view.data.subarray(y * w, (y + 1) * w), p.view.data.subarray(0, w));
    assert.ok(p.view.data[24]! < 10 && p.view.data[27]! > 245, `${p.view.data[24]} ${p.view.data[27]}`);
    const [x, y] = mapPoint([50, (p.view.height - 1) / 2], { scale: 1, left: 0, top: 0, rotation: p.rotation });
    assert.ok(Math.abs(x - 50) < 1e-9 && Math.abs(y - 64.5) < 1.5, `${x}, ${y}`);
  });

  it("gives each column its bar or space under heavy grain (±90 levels)", () => {
    seed = 11; // its own noise, whatever ran before
    const img = barsImage(30, 100, 90);
    const basis = profileBasis(img, gridAngle(img));
    assert.ok(basis);
    const p = barProfileView(basis, "median");
    let right = 0, total = 0;
    for (let u = 0; u < p.view.width; u++) {
      const [x] = mapPoint([u, (p.view.height - 1) / 2], { scale: 1, left: 0, top: 0, rotation: p.rotation });
      const sx = Math.round(x);
      if (sx < 30 || sx >= 170 || sx % 3 !== 1) continue; // element centres (the turn may shift a column by ±0.5)
      total++;
      if ((p.view.data[u]! < 128) === (sx % 6 < 3)) right++;
    }
    assert.ok(total > 40 && right / total > 0.95, `${right}/${total}`);
  });
});
