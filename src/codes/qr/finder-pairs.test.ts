import assert from "node:assert/strict";
import { test } from "node:test";
import { loadZXing, readGray } from "../zxing.js";
import { pairTriples } from "./finder-pairs.js";
import type { FinderCandidate } from "./finder-scan.js";
import { readQrCodes, type QrReadStats } from "./read.js";
import { addNoise, drawSymbol, perspectiveMap, qrMatrix } from "./stress-images.js";

const mod = await loadZXing();
const TEXT = "two finders left 42";

/** A version-3 symbol, slightly tilted, its bottom-left finder glared out (saturated white). */
function glaredFinder() {
  const q = qrMatrix(TEXT, { version: 3, eclevel: "H" });
  const img = drawSymbol(q, 360, 360, perspectiveMap(q.dim, [[70, 60], [290, 75], [285, 300], [60, 290]]));
  // The bottom-left finder covers modules 0..7 of the last 8 rows: about x 60..125, y 220..292 here.
  for (let y = 215; y < 300; y++) for (let x = 52; x < 130; x++) img.data[y * 360 + x] = 255;
  addNoise(img, 3, 4);
  return img;
}

test("reads a symbol with one finder glared out from the other two", () => {
  const img = glaredFinder();
  assert.equal(readGray(mod, img).length, 0, "zxing reads it: the scene no longer tests the fallback");
  assert.deepEqual(readQrCodes(mod, img, { maxPairFits: 0 }).map((r) => r.text), [], "a triple read it: no fallback needed");
  const stats: QrReadStats = { finders: 0, triples: 0, fits: 0, rectified: 0, deadlineHit: false };
  assert.deepEqual(readQrCodes(mod, img, { stats }).map((r) => r.text), [TEXT]);
  assert.ok((stats.pairs ?? 0) > 0);
});

test("hypothesises the third finder at the square's places: 4 as a side pair, 2 as a diagonal", () => {
  const f = (x: number, y: number): FinderCandidate => ({ x, y, module: 4, count: 5, diagonals: 2, dark: true });
  const side = pairTriples([f(100, 100), f(200, 100)]);
  assert.equal(side.length, 6);
  // The pair as the top side with the first finder top-left: the bottom-left one 100 px below it.
  assert.ok(side.some((t) => t.tl.x === 100 && t.tr.x === 200 && Math.abs(t.bl.x - 100) < 1e-9 && Math.abs(t.bl.y - 200) < 1e-9));
  // As a diagonal (TR, BL), the corner either side of the middle.
  assert.ok(side.some((t) => t.tl.count === 0 && Math.abs(t.tl.x - 150) < 1e-9 && Math.abs(Math.abs(t.tl.y - 100) - 50) < 1e-9));
  assert.equal(pairTriples([f(100, 100), { ...f(200, 100), module: 9 }]).length, 0, "unlike module sizes are no pair");
});
