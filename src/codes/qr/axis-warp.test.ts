import assert from "node:assert/strict";
import { test } from "node:test";
import { loadZXing, readGray } from "../zxing.js";
import { locateQrCodes, rectifyQr, VARIANTS } from "./index.js";
import { axisNodes } from "./axis-warp.js";
import { addNoise, cylinderMap, drawSymbol, qrMatrix } from "./stress-images.js";

const mod = await loadZXing();
const PURE = { formats: "QRCode", isPure: true, tryHarder: false, tryRotate: false, tryInvert: false, tryDownscale: false } as const;
const WARP = VARIANTS.findIndex((v) => v.warp);

/** A symbol wrapped round a narrow bottle, its width spanning `arcDeg` of the circumference, the bottle turned
 * 0.3 rad from facing the camera (one side foreshortened more than the other: no plane map fits it). */
function bottle(text: string, version: number, arcDeg: number, turned: boolean, seed: number) {
  const q = qrMatrix(text, { version, eclevel: "M" });
  const modulePx = 9, side = q.dim * modulePx, radius = side / ((arcDeg * Math.PI) / 180);
  const img = drawSymbol(q, 520, 520, cylinderMap(q.dim, 520, 520, modulePx, radius, turned ? Math.PI / 2 : 0, 4, 0.3));
  addNoise(img, 3, seed);
  return img;
}

const readWith = (img: ReturnType<typeof bottle>, variant: number): string | undefined => {
  const loc = locateQrCodes(img)[0];
  assert.ok(loc, "the symbol is located");
  const sym = rectifyQr(img, loc, variant);
  return sym ? readGray(mod, sym, PURE)[0]?.text : undefined;
};

test("a label round a bottle that the plane grid misreads is read with the one-axis warp, columns or rows", () => {
  for (const [version, arc, turned] of [[2, 80, false], [2, 80, true], [3, 60, true]] as const) {
    const text = "BOTTLE 0123456789";
    const img = bottle(text, version, arc, turned, 7);
    const plane = [0, 1, 2].map((v) => readWith(img, v));
    assert.deepEqual(plane, [undefined, undefined, undefined], "the plane grid reads it: the scene tests nothing");
    assert.equal(readWith(img, WARP), text);
  }
});

test("nodes span the symbol between the finder centres, at least three", () => {
  assert.deepEqual(axisNodes(21), [3.5, 10.5, 17.5]);
  const n = axisNodes(17 + 4 * 20);
  assert.equal(n[0], 3.5);
  assert.equal(n[n.length - 1], 17 + 4 * 20 - 3.5);
  assert.ok(n.length >= 12);
});
