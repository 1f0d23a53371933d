import assert from "node:assert/strict";
import { test } from "node:test";
import { scanFinders } from "./finder-scan.js";
import { addNoise, drawSymbol, invertImage, perspectiveMap, qrMatrix } from "./stress-images.js";

const q = qrMatrix("finder test", { version: 3 });
// A 29-module symbol at 6 px a module, turned by 30°: finder centres are at module (3.5, 3.5) etc.
function rotated(): { img: ReturnType<typeof drawSymbol>; centres: [number, number][] } {
  const a = Math.PI / 6, s = q.dim * 6, c0: [number, number] = [90, 60];
  const along = (u: number, v: number): [number, number] =>
    [c0[0] + (u * Math.cos(a) - v * Math.sin(a)) * s, c0[1] + (u * Math.sin(a) + v * Math.cos(a)) * s];
  const corners = [along(0, 0), along(1, 0), along(1, 1), along(0, 1)];
  const k = 3.5 / q.dim;
  return { img: drawSymbol(q, 400, 400, perspectiveMap(q.dim, corners)), centres: [along(k, k), along(1 - k, k), along(k, 1 - k)] };
}

test("finds the three finders of a turned symbol at their centres, with the module size", () => {
  const { img, centres } = rotated();
  const found = scanFinders(img).filter((f) => f.count >= 2);
  for (const [x, y] of centres) {
    const f = found.find((c) => Math.hypot(c.x - x, c.y - y) < 2);
    assert.ok(f, `no finder near ${x.toFixed(1)},${y.toFixed(1)}`);
    assert.ok(Math.abs(f.module - 6) < 0.8, `module ${f.module}`);
    assert.equal(f.dark, true);
  }
});

test("finds light-on-dark finders as such", () => {
  const { img, centres } = rotated();
  const found = scanFinders(invertImage(img)).filter((f) => f.count >= 2 && !f.dark);
  for (const [x, y] of centres) assert.ok(found.some((c) => Math.hypot(c.x - x, c.y - y) < 2));
});

test("flat noise gives no well-supported candidates (real finders collect a hit per row and window)", () => {
  const img = { data: new Uint8Array(300 * 300).fill(128), width: 300, height: 300 };
  addNoise(img, 6, 9);
  assert.equal(scanFinders(img).filter((f) => f.count >= 5).length, 0);
});

test("finds finders of large modules at a smaller pyramid level (a fixed window, any module size)", () => {
  const big = qrMatrix("big", { version: 1 });
  const s = 21 * 16; // 16 px a module: found on the level halved three times
  const img = drawSymbol(big, s + 160, s + 160, perspectiveMap(big.dim, [[80, 80], [80 + s, 80], [80 + s, 80 + s], [80, 80 + s]]));
  const found = scanFinders(img).filter((f) => f.count >= 2);
  for (const [u, v] of [[3.5, 3.5], [17.5, 3.5], [3.5, 17.5]] as const) {
    const f = found.find((c) => Math.hypot(c.x - (80 + u * 16), c.y - (80 + v * 16)) < 8);
    assert.ok(f, `no finder at module ${u},${v}`);
    assert.ok(Math.abs(f.module - 16) < 3, `module ${f.module}`);
  }
});

test("a flat image confirms nothing: the scan's work is its rows", () => {
  const img = { data: new Uint8Array(640 * 480).fill(128), width: 640, height: 480 };
  const stats = { levels: 0, rows: 0, confirms: 0 };
  assert.deepEqual(scanFinders(img, { stats }), []);
  assert.equal(stats.confirms, 0);
  assert.equal(stats.levels, 5);
});
