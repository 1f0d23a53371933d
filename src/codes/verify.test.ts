import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Corner } from "./found.js";
import { isValidItf14, itfQuietZonesClear, plausibleItfText } from "./verify.js";
import type { GrayImage } from "./zxing.js";

/** White image with a 3-px-module bar pattern in x ∈ [x0, x1), y ∈ [y0, y1). */
function bars(w: number, h: number, x0: number, x1: number, y0: number, y1: number, noise = 0): GrayImage {
  const data = new Uint8Array(w * h).fill(235);
  const pattern = [1, 0, 1, 1, 0, 0, 1, 0, 1, 1, 1, 0, 0, 1, 0, 0, 0, 1, 1, 0, 1];
  for (let y = y0; y < y1; y++)
    for (let x = x0; x < x1; x++) if (pattern[Math.floor((x - x0) / 3) % pattern.length]) data[y * w + x] = 30;
  let seed = 7;
  for (let i = 0; noise && i < data.length; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    data[i] = Math.max(0, Math.min(255, data[i]! + ((seed >>> 16) % (2 * noise + 1)) - noise));
  }
  return { data, width: w, height: h };
}

describe("ITF read verification", () => {
  it("accepts a whole symbol with quiet zones, also in noise and at the image border", () => {
    const box: Corner[] = [[60, 50], [340, 50], [340, 150], [60, 150]];
    assert.ok(itfQuietZonesClear(bars(400, 200, 60, 340, 50, 150), box, 14));
    assert.ok(itfQuietZonesClear(bars(400, 200, 60, 340, 50, 150, 60), box, 14));
    const edge: Corner[] = [[0, 50], [280, 50], [280, 150], [0, 150]];
    assert.ok(itfQuietZonesClear(bars(300, 200, 0, 280, 50, 150), edge, 14));
  });
  it("rejects a fragment: bars continue beyond the read's end over the bars' height", () => {
    // zxing read only x ∈ [60, 200) of a symbol spanning [60, 340).
    const frag: Corner[] = [[60, 50], [200, 50], [200, 150], [60, 150]];
    assert.equal(itfQuietZonesClear(bars(400, 200, 60, 340, 50, 150), frag, 6), false);
  });
  it("text checks: even digit count, GTIN-14 check digit", () => {
    assert.ok(plausibleItfText("00123456"));
    assert.equal(plausibleItfText("12345"), false);
    assert.equal(plausibleItfText("12a4"), false);
    assert.ok(isValidItf14("30712345000010"));
    assert.ok(isValidItf14("00012345678905"));
    assert.equal(isValidItf14("30712345000011"), false);
    assert.equal(isValidItf14("0829220875"), false);
  });
});
