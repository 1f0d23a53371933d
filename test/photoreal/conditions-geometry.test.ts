/**
 * Each category shows its condition (optics, surfaces and geometry here; conditions-light.test.ts has the rest), checked from the pixels of a scene against the clean render of the
 * same scene (same geometry and print, no degradation), or from the ground truth where the condition is
 * geometry. Nothing here measures any reader.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { pair, ratioSpread, SEED } from "./condition-pairs.js";
import { generatePhotoScene, type PhotoCode } from "./index.js";
import { blockRatios, boxRect, changed, edgeSlope, percentile } from "./pixels.js";

describe("photoreal conditions: optics and compression", () => {
  // A blur of 1 px on 3 px modules (0.3 module) flattens edges a little, 15 px a lot; motion along a 1D
  // symbol's bars leaves them sharp: the typical scene is much flatter than its clean render.
  it("motion-blur: edges along the motion are flattened", async () => {
    const k: number[] = [];
    for (const i of [0, 1, 2]) {
      const { scene, clean, img, ref } = await pair("motion-blur", i);
      const ang = ((scene.conditions.motionAngle as number) * Math.PI) / 180;
      k.push(edgeSlope(img, boxRect(scene.codes[0]!, img), ang) / edgeSlope(ref, boxRect(clean.codes[0]!, ref), ang));
      const px = scene.conditions.motionPx as number;
      assert.ok(px >= 3 && px <= 15);
    }
    assert.ok(percentile(k, 50) < 0.6, `edge slope ratios ${k.map((v) => v.toFixed(2))}`); // blur along the bars leaves them sharp
  });

  it("defocus: every edge is flattened", async () => {
    const k: number[] = [];
    for (const i of [0, 1, 2]) {
      const { scene, clean, img, ref } = await pair("defocus", i);
      k.push(edgeSlope(img, boxRect(scene.codes[0]!, img)) / edgeSlope(ref, boxRect(clean.codes[0]!, ref)));
      const m = scene.conditions.defocusModules as number;
      assert.ok(m >= 0.3 && m <= 1.2);
    }
    assert.ok(Math.max(...k) < 0.95 && percentile(k, 50) < 0.7, `edge slope ratios ${k.map((v) => v.toFixed(2))}`);
  });

  it("jpeg-low: a downscaled JPEG", async () => {
    const { scene, clean } = await pair("jpeg-low", 0);
    assert.equal(scene.mime, "image/jpeg");
    assert.ok(scene.width <= 0.85 * clean.width, `${scene.width} vs ${clean.width}`);
    const q = scene.conditions.jpegQuality as number;
    assert.ok(q >= 15 && q <= 40);
    // The truth follows the downscale.
    const sx = scene.width / clean.width, b = scene.codes[0]!.box, bc = clean.codes[0]!.box;
    assert.ok(Math.abs(b.left - bc.left * sx) <= 2 && Math.abs(b.width - bc.width * sx) <= 2);
  });
});

describe("photoreal conditions: surfaces and geometry", () => {
  it("curved: the cylinder's shading varies across the code; the code wraps 30-120 degrees", async () => {
    const sp: number[] = [];
    for (const i of [0, 1, 2]) {
      const { scene, img, ref } = await pair("curved", i);
      sp.push(ratioSpread(blockRatios(img, ref, boxRect(scene.codes[0]!, img))));
      const arc = scene.conditions.arcDeg as number;
      assert.ok(arc >= 30 && arc <= 120);
    }
    assert.ok(Math.min(...sp) >= 1.03 && percentile(sp, 50) >= 1.15, `shading spreads ${sp.map((v) => v.toFixed(2))}`);
  });

  it("folded: shading steps at folds and creases", async () => {
    const sp: number[] = [];
    for (const i of [0, 1, 2]) {
      const { scene, img, ref } = await pair("folded", i);
      sp.push(ratioSpread(blockRatios(img, ref, boxRect(scene.codes[0]!, img))));
    }
    assert.ok(Math.min(...sp) >= 1.05 && percentile(sp, 50) >= 1.12, `shading spreads ${sp.map((v) => v.toFixed(2))}`);
  });

  it("damaged: the print differs from the clean label over part of the code, within the error-correction budget", async () => {
    for (const i of [0, 1]) {
      const { scene, img, ref } = await pair("damaged", i);
      const ch = changed(img, ref, boxRect(scene.codes[0]!, img), 40);
      assert.ok(ch >= 0.01 || (ch > 0 && (scene.conditions.corrupted as number) >= 0.01), `${scene.id}: ${(ch * 100).toFixed(2)} % of the box changed (${scene.conditions.damage})`);
      if (scene.codes[0]!.format === "QRCode") assert.ok((scene.conditions.corrupted as number) <= 0.2);
    }
  });

  it("perspective: the code's outline is far from a similar copy of the symbol (tilt 20-60 degrees)", async () => {
    for (const i of [0, 1, 2]) {
      const scene = await generatePhotoScene("perspective", i, SEED);
      const c = scene.codes[0]!;
      const [w, h] = String(scene.conditions.symbol).split("x").map(Number) as [number, number];
      const side = (a: number, b: number): number => Math.hypot(c.corners[b]![0] - c.corners[a]![0], c.corners[b]![1] - c.corners[a]![1]);
      const top = side(0, 1), right = side(1, 2), bottom = side(2, 3), left = side(3, 0);
      const aspect = ((top + bottom) / 2 / w) / ((left + right) / 2 / h);
      const dev = Math.max(Math.abs(Math.log(aspect)), Math.abs(Math.log(top / bottom)), Math.abs(Math.log(left / right)));
      assert.ok(dev >= 0.05, `${scene.id}: outline deviates ${dev.toFixed(3)} from a similar copy`);
    }
  });

  it("rotated: in-plane angles spread over the full turn", async () => {
    const angles: number[] = [];
    for (let i = 0; i < 6; i++) {
      const c = (await generatePhotoScene("rotated", i, SEED)).codes[0]!;
      angles.push((Math.atan2(c.corners[1]![1] - c.corners[0]![1], c.corners[1]![0] - c.corners[0]![0]) * 180) / Math.PI);
    }
    assert.ok(Math.max(...angles) - Math.min(...angles) >= 120, `angles ${angles.map((a) => a.toFixed(0))}`);
    assert.ok(angles.some((a) => Math.abs(a) > 45), `angles ${angles.map((a) => a.toFixed(0))}`);
  });

  it("dense-qr: QR versions 15-40 at 2-3 px a module", async () => {
    for (const i of [0, 1]) {
      const scene = await generatePhotoScene("dense-qr", i, SEED);
      const c = scene.codes[0]!, v = scene.conditions.qrVersion as number, n = 17 + 4 * v;
      assert.equal(c.format, "QRCode");
      assert.ok(v >= 15 && v <= 40);
      const top = Math.hypot(c.corners[1]![0] - c.corners[0]![0], c.corners[1]![1] - c.corners[0]![1]);
      assert.ok(top / n >= 1.8 && top / n <= 3.3, `${scene.id}: ${(top / n).toFixed(2)} px a module`);
    }
  });

  it("tiny / huge: the code covers 1-3 % of a 4-12 MP frame, or 60-90 % of the frame's shorter side", async () => {
    const t = await generatePhotoScene("tiny", 0, SEED);
    assert.ok(t.width * t.height >= 3.9e6, `${t.width}x${t.height}`);
    // The symbol's own outline (its corners), not its axis-aligned box: a long 1D symbol turned by 30 degrees
    // has a box twice its area. 1-3 % as drawn; tilt and the placement's shrinking retries make it less.
    const q = t.codes[0]!.corners;
    const area = Math.abs(q.reduce((a, [x, y], i) => a + x * q[(i + 1) % 4]![1] - q[(i + 1) % 4]![0] * y, 0)) / 2;
    const f = area / (t.width * t.height);
    assert.ok(f >= 0.005 && f <= 0.035, `${t.id}: the symbol covers ${(f * 100).toFixed(2)} % of the frame`);
    for (const i of [0, 1]) {
      const h = await generatePhotoScene("huge", i, SEED);
      const hb = h.codes[0]!.box;
      assert.ok(Math.max(hb.width, hb.height) >= 0.5 * Math.min(h.width, h.height), `${h.id}: ${hb.width}x${hb.height} in ${h.width}x${h.height}`);
    }
  });

  it("many-codes and negative: 20-100 codes on a sheet; none in a negative", async () => {
    const m = await generatePhotoScene("many-codes", 0, SEED);
    assert.ok(m.codes.length >= 20 && m.codes.length <= 100);
    assert.ok(new Set(m.codes.map((c: PhotoCode) => c.format)).size >= 3, "mixed symbologies");
    const n = await generatePhotoScene("negative", 0, SEED);
    assert.deepEqual(n.codes, []);
  });
});
