/**
 * No scene is over the engine's source limits (20 MiB, 30 000 px a side): the encoding rule, its PNG bound
 * against real PNGs of noise, and every scene of the default suite (read from the cache; missing scenes are
 * rendered and cached).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import sharp from "sharp";
import { Rng } from "../synthetic/prng.js";
import { encodeImg, newImg } from "./canvas.js";
import { MAX_IMAGE_BYTES, MAX_IMAGE_SIDE, PLANNED_IMAGE_BYTES, encodingWithinLimit, pngWorstCase } from "./encoding-plan.js";
import { PHOTOREAL_CATEGORIES, PHOTOREAL_DEFAULT_COUNTS, defaultPhotorealCacheDir, generatePhotoSuite } from "./index.js";

describe("photoreal: images within the source limits", () => {
  it("plans JPEG q85-95 or WebP q80-92 for a frame whose PNG could pass ~18 MiB, and leaves other plans alone", () => {
    const rng = new Rng(5);
    const kinds = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const e = encodingWithinLimit({ kind: "png" }, 4000, 3000, rng);
      kinds.add(e.kind);
      if (e.kind === "jpeg") assert.ok(e.quality >= 85 && e.quality <= 95 && e.chroma === "4:2:0", JSON.stringify(e));
      else if (e.kind === "webp") assert.ok(e.quality >= 80 && e.quality <= 92, JSON.stringify(e));
      else assert.fail("a 12 MP PNG was kept");
    }
    assert.deepEqual([...kinds].sort(), ["jpeg", "webp"]);
    for (const [w, h] of [[3264, 2448], [4032, 2268]] as const) assert.notEqual(encodingWithinLimit({ kind: "png" }, w, h, rng).kind, "png");
    // Up to ~6 MP a PNG fits whatever the content (every phone-size frame, and 2592 x 1944).
    for (const [w, h] of [[2560, 1440], [2592, 1944], [1440, 2560]] as const) {
      assert.ok(pngWorstCase(w, h) <= PLANNED_IMAGE_BYTES);
      assert.deepEqual(encodingWithinLimit({ kind: "png" }, w, h, rng), { kind: "png" });
    }
    const jpeg = { kind: "jpeg", quality: 70, chroma: "4:2:0" } as const;
    assert.equal(encodingWithinLimit(jpeg, 4000, 3000, rng), jpeg);
    assert.ok(PLANNED_IMAGE_BYTES < MAX_IMAGE_BYTES && MAX_IMAGE_BYTES === 20_971_520);
  });

  it("the PNG bound holds for incompressible content (uniform noise, encoded as scenes are)", async () => {
    const rng = new Rng(9), img = newImg(600, 400);
    for (let i = 0; i < img.data.length; i++) img.data[i] = rng.int(0, 255);
    const png = await encodeImg(img, { kind: "png" });
    assert.ok(png.length <= pngWorstCase(600, 400), `${png.length} > ${pngWorstCase(600, 400)}`);
    assert.ok(png.length > 600 * 400 * 3 * 0.95, "noise compressed: the test does not test the bound");
  });

  it("every scene of the default suite is at most 20 MiB and 30 000 px a side", async () => {
    const scenes = await generatePhotoSuite({ cacheDir: defaultPhotorealCacheDir() });
    assert.equal(scenes.length, PHOTOREAL_CATEGORIES.reduce((a, c) => a + PHOTOREAL_DEFAULT_COUNTS[c], 0));
    let largest = scenes[0]!;
    for (const s of scenes) {
      assert.ok(s.image.length <= MAX_IMAGE_BYTES, `${s.id}: ${s.image.length} bytes (${s.mime}, ${s.width}x${s.height})`);
      const meta = await sharp(s.image).metadata();
      assert.ok(meta.width === s.width && meta.height === s.height, `${s.id}: ${meta.width}x${meta.height} vs ${s.width}x${s.height}`);
      assert.ok(s.width <= MAX_IMAGE_SIDE && s.height <= MAX_IMAGE_SIDE, s.id);
      if (s.image.length > largest.image.length) largest = s;
    }
    assert.ok(largest.image.length <= PLANNED_IMAGE_BYTES, `${largest.id}: ${largest.image.length} bytes, over the planned ~18 MiB`);
  });
});
