import assert from "node:assert/strict";
import { test } from "node:test";
import { loadZXing, readGray } from "../zxing.js";
import { locateQrCodes, readQrCodes, rectifyQr, VARIANTS } from "./index.js";
import { addGlare, addNoise, cylinderMap, drawSymbol, invertImage, perspectiveMap, qrMatrix, shade } from "./stress-images.js";

const mod = await loadZXing();
const TEXT = "Barbucket cylinder test 0123456789";

/** A version-4 label wrapped round a bottle (radius 0.6 × its width), tilted, with a saturated glare spot. */
function bottle(glare: boolean) {
  const q = qrMatrix(TEXT, { version: 4, eclevel: "M" });
  const side = q.dim * 5;
  const img = drawSymbol(q, 400, 400, cylinderMap(q.dim, 400, 400, 5, side * 0.6, 0.3));
  if (glare) addGlare(img, 230, 170, side * 0.12, side * 0.09, 220);
  shade(img, 1.1, 0.8);
  addNoise(img, 3, 5);
  return img;
}

test("reads a QR code on a curved surface with glare that zxing's own detector misses", () => {
  const img = bottle(true);
  assert.equal(readGray(mod, img).length, 0, "zxing alone reads it: the scene no longer tests anything");
  const got = readQrCodes(mod, img, {});
  assert.equal(got.length, 1);
  assert.equal(got[0]!.text, TEXT);
  // Corners come back in image coordinates, round the label's middle.
  const cx = got[0]!.corners.reduce((s, p) => s + p[0], 0) / 4, cy = got[0]!.corners.reduce((s, p) => s + p[1], 0) / 4;
  assert.ok(Math.abs(cx - 200) < 15 && Math.abs(cy - 200) < 15, `centre ${cx},${cy}`);
});

test("reads a light-on-dark symbol under perspective", () => {
  const q = qrMatrix("inverted 42", { version: 2 });
  const img = invertImage(drawSymbol(q, 360, 360, perspectiveMap(q.dim, [[80, 70], [280, 95], [265, 300], [60, 280]])));
  addNoise(img, 4, 2);
  assert.deepEqual(readQrCodes(mod, img, {}).map((r) => r.text), ["inverted 42"]);
});

test("locate + rectify give the symbol's version and an upright pure image zxing reads", () => {
  const img = bottle(false);
  const loc = locateQrCodes(img)[0];
  assert.ok(loc);
  assert.equal(loc.version, 4);
  let text: string | undefined;
  for (let v = 0; v < VARIANTS.length && !text; v++) {
    const sym = rectifyQr(img, loc, v);
    if (sym) text = readGray(mod, sym, { formats: "QRCode", isPure: true, tryHarder: false, tryRotate: false, tryInvert: false, tryDownscale: false })[0]?.text;
  }
  assert.equal(text, TEXT);
});

test("a negative image (noise, gradient, text-like blocks) returns nothing", () => {
  const w = 480, h = 360, img = { data: new Uint8Array(w * h), width: w, height: h };
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) img.data[y * w + x] = 60 + ((x + y) >> 2) % 120 + (((x >> 3) ^ (y >> 3)) & 1) * 40;
  addNoise(img, 8, 3);
  assert.deepEqual(readQrCodes(mod, img), []);
  assert.deepEqual(readQrCodes(mod, { data: new Uint8Array(1), width: 1, height: 1 }), []);
});

test("the work is fixed by effort counts, not the clock: two calls do the same work and give the same reads", () => {
  const img = bottle(true);
  const runs = [0, 1].map(() => {
    const stats = { finders: 0, triples: 0, fits: 0, rectified: 0, deadlineHit: false };
    const texts = readQrCodes(mod, img, { stats, variants: VARIANTS.length, maxPairFits: 6 }).map((r) => r.text);
    return { texts, stats };
  });
  assert.deepEqual(runs[0], runs[1]);
  assert.equal(runs[0]!.stats.deadlineHit, false);
});

test("text-like texture costs only the finder scan: no fits, no rectification", () => {
  const w = 800, h = 600, img = { data: new Uint8Array(w * h).fill(225), width: w, height: h };
  // Lines of "words": dark blocks 2–9 px wide, 12 px tall, on a light page.
  let seed = 3;
  const rnd = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) / 16777216;
  for (let line = 20; line + 12 < h; line += 22) {
    for (let x = 10; x < w - 20;) {
      const word = 10 + Math.floor(rnd() * 50);
      for (let k = x; k < Math.min(w - 10, x + word); k += 3 + Math.floor(rnd() * 4)) {
        const stroke = 1 + Math.floor(rnd() * 2);
        for (let y = line; y < line + 12; y++) for (let s = 0; s < stroke; s++) img.data[y * w + k + s] = 40;
      }
      x += word + 8;
    }
  }
  const stats = { finders: 0, triples: 0, fits: 0, rectified: 0, deadlineHit: false };
  assert.deepEqual(readQrCodes(mod, img, { stats }), []);
  assert.equal(stats.rectified, 0, JSON.stringify(stats));
});
