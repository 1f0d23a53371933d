/**
 * Each category shows its condition (lighting categories here; conditions-geometry.test.ts has the rest), checked from the pixels of a scene against the clean render of the
 * same scene (same geometry and print, no degradation), or from the ground truth where the condition is
 * geometry. Nothing here measures any reader.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { pair, ratioSpread } from "./condition-pairs.js";
import { blockRatios, boxRect, chroma, grain, inQuad, lumaAt, lumas, newlySaturated, percentile } from "./pixels.js";

describe("photoreal conditions: light", () => {
  // Conditions are drawn from ranges in random directions (a highlight may cross mostly paper, a phone may
  // denoise hard): every scene shows a trace of its condition, and the typical (median) scene shows it well.
  it("glare: saturated highlights cover part of the code, turning ink white", async () => {
    const sat: number[] = [];
    for (const i of [0, 1, 2]) {
      const { scene, img, ref } = await pair("glare", i);
      sat.push(newlySaturated(img, ref, boxRect(scene.codes[0]!, img)));
    }
    assert.ok(Math.min(...sat) > 0 && percentile(sat, 50) >= 0.01, `newly saturated shares of the box ${sat.map((v) => v.toFixed(4))}`);
  });

  it("bright-spots: small saturated spots on the code", async () => {
    const { scene, img, ref } = await pair("bright-spots", 0);
    const sat = newlySaturated(img, ref, boxRect(scene.codes[0]!, img, 4));
    assert.ok(sat >= 0.001, `${scene.id}: ${(sat * 100).toFixed(3)} % newly saturated`);
    assert.ok((scene.conditions.spots as number) >= 3);
  });

  it("uneven-light: brightness across the code varies by a large factor", async () => {
    for (const i of [0, 1]) {
      const { scene, img, ref } = await pair("uneven-light", i);
      const s = ratioSpread(blockRatios(img, ref, boxRect(scene.codes[0]!, img)));
      assert.ok(s >= 1.6, `${scene.id}: brightest / darkest part of the code ${s.toFixed(2)}`);
    }
  });

  it("shadow: a cast shadow darkens part of the code", async () => {
    for (const i of [0, 1]) {
      const { scene, img, ref } = await pair("shadow", i);
      const s = ratioSpread(blockRatios(img, ref, boxRect(scene.codes[0]!, img)));
      assert.ok(s >= 1.6, `${scene.id}: lit / shadowed ${s.toFixed(2)}`);
    }
  });

  it("low-light: strong sensor grain, or the smear of the phone's denoising", async () => {
    const g: number[] = [];
    for (const i of [0, 1, 2]) {
      const { scene, img, ref } = await pair("low-light", i);
      g.push(grain(img, ref, boxRect(scene.codes[0]!, img, 20)));
      assert.ok(g[i]! >= 7 || scene.conditions.denoise === true, `${scene.id}: grain ${g[i]!.toFixed(1)} without denoising`);
      assert.ok((scene.conditions.exposure as number) <= 0.25);
    }
    assert.ok(percentile(g, 50) >= 7, `grain ${g.map((v) => v.toFixed(1))}`);
  });

  it("screen: the sub-pixel grid shows as colour or fine pattern over the code", async () => {
    for (const i of [0, 1]) {
      const { scene, clean, img, ref } = await pair("screen", i);
      const r = boxRect(scene.codes[0]!, img), rc = boxRect(clean.codes[0]!, ref);
      const dc = chroma(img, r) - chroma(ref, rc), g = grain(img, ref, r);
      assert.ok(dc >= 3 || g >= 8, `${scene.id}: chroma +${dc.toFixed(1)}, pattern ${g.toFixed(1)}`);
    }
  });

  it("inverted: light modules on a dark ground (the quiet zone around the symbol is dark)", async () => {
    for (const i of [0, 1, 2]) {
      const { scene, ref } = await pair("inverted", i);
      const c = scene.codes[0]!;
      assert.equal(c.inverted, true);
      const inside = lumas(ref, boxRect(c, ref));
      // The ring just outside the symbol: quiet zone (or the dark label) on all four sides.
      const ring: number[] = [];
      for (const [s, t] of [[0.5, -0.03], [0.5, 1.03], [-0.03, 0.5], [1.03, 0.5]] as const) {
        const [x, y] = inQuad(c, s, t);
        ring.push(lumaAt(ref, Math.floor(x), Math.floor(y)));
      }
      const light = percentile(inside, 95);
      assert.ok(percentile(ring, 50) < 0.5 * light, `${scene.id}: ring ${ring.map((v) => v.toFixed(0))} vs light modules ${light.toFixed(0)}`);
    }
  });

  it("mirrored: QR codes drawn mirrored (finder patterns at top-left, top-right and bottom-right)", async () => {
    let qr = 0;
    for (let i = 0; i < 6 && qr < 2; i++) {
      const { scene, ref } = await pair("mirrored", i);
      const c = scene.codes[0]!;
      assert.equal(c.mirrored, true);
      if (c.format !== "QRCode") continue;
      qr++;
      const n = Number(String(scene.conditions.symbol).split("x")[0]);
      const inside = lumas(ref, boxRect(c, ref)), mid = (percentile(inside, 5) + percentile(inside, 95)) / 2;
      const dark = (mx: number, my: number): boolean => { const [x, y] = inQuad(c, mx / n, my / n); return lumaAt(ref, Math.floor(x), Math.floor(y)) < mid; };
      // A finder's 1:1:3:1:1 run through its centre, across and down, from the 7x7 corner cell at (ox, oy).
      const SIG = [true, false, true, true, true, false, true];
      const finder = (ox: number, oy: number): boolean => SIG.every((d, k) => dark(ox + k + 0.5, oy + 3.5) === d && dark(ox + 3.5, oy + k + 0.5) === d);
      const at = { tl: finder(0, 0), tr: finder(n - 7, 0), br: finder(n - 7, n - 7), bl: finder(0, n - 7) };
      assert.deepEqual(at, { tl: true, tr: true, br: true, bl: false }, `${scene.id}: finder patterns ${JSON.stringify(at)}`);
    }
    assert.ok(qr >= 1, "no mirrored QR code among the first scenes");
  });
});
