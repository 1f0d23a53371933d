/**
 * The photoreal generator: determinism, the cache, and ground-truth sanity on one scene of every category.
 * Nothing here measures any reader.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import sharp from "sharp";
import {
  PHOTOREAL_CATEGORIES, PHOTOREAL_DEFAULT_COUNTS, PHOTOREAL_QUICK_COUNTS, PHOTOREAL_VERSION, defaultPhotorealCacheDir,
  generatePhotoScene, generatePhotoSuite, type PhotoScene,
} from "./index.js";

const tmp = mkdtempSync(join(tmpdir(), "photoreal-test-"));
after(() => rmSync(tmp, { recursive: true, force: true }));

describe("photoreal generator: determinism and cache", () => {
  it("renders byte-identical scenes for the same (category, index, seed); another seed or index differs", async () => {
    for (const category of ["screen", "curved", "folded", "damaged"] as const) {
      const a = await generatePhotoScene(category, 2, 42);
      const b = await generatePhotoScene(category, 2, 42);
      assert.ok(a.image.equals(b.image), `${category}: bytes differ`);
      assert.deepEqual(a.codes, b.codes);
      assert.deepEqual(a.conditions, b.conditions);
      const c = await generatePhotoScene(category, category === "screen" ? 3 : 2, category === "screen" ? 42 : 43);
      assert.ok(!a.image.equals(c.image), `${category}: ${category === "screen" ? "index" : "seed"} ignored`);
    }
  });

  it("caches under <dir>/v<version>-seed<seed>: image then .json; reads the cache back; re-renders incomplete entries", async () => {
    const opts = { seed: "cache", perCategory: 1, categories: ["glare", "negative"] as const, cacheDir: tmp, workers: 1 };
    const first = await generatePhotoSuite(opts);
    const dir = join(tmp, `v${PHOTOREAL_VERSION}-seed${"cache"}`);
    assert.deepEqual(readdirSync(dir).sort(), ["glare-0.img", "glare-0.json", "negative-0.img", "negative-0.json"]);
    const meta = JSON.parse(readFileSync(join(dir, "glare-0.json"), "utf8")) as Omit<PhotoScene, "image">;
    assert.deepEqual(meta.codes, first[0]!.codes);
    assert.ok(readFileSync(join(dir, "glare-0.img")).equals(first[0]!.image));
    // The same bytes as a direct render, and in worker threads as in this one.
    assert.ok((await generatePhotoScene("glare", 0, "cache")).image.equals(first[0]!.image));
    // Served from the cache: a marked (tampered) image comes back as stored.
    writeFileSync(join(dir, "negative-0.img"), Buffer.from("cached"));
    const second = await generatePhotoSuite(opts);
    assert.equal(second[1]!.image.toString(), "cached");
    assert.deepEqual(second[0]!.codes, first[0]!.codes);
    // An image without its .json is an incomplete entry: rendered again.
    unlinkSync(join(dir, "negative-0.json"));
    const third = await generatePhotoSuite(opts);
    assert.ok(third[1]!.image.equals(first[1]!.image));
    assert.ok(existsSync(join(dir, "negative-0.json")));
  });

  it("has ~24 scenes per category by default (fewer 4-12 MP ones), 3 in the quick set, and a cache under .bench/photoreal", () => {
    for (const c of PHOTOREAL_CATEGORIES) {
      assert.ok(PHOTOREAL_DEFAULT_COUNTS[c] >= 12 && PHOTOREAL_DEFAULT_COUNTS[c] <= 30, c);
      assert.equal(PHOTOREAL_QUICK_COUNTS[c], 3);
    }
    assert.ok(PHOTOREAL_CATEGORIES.length >= 16 && PHOTOREAL_CATEGORIES.length <= 21);
    assert.match(defaultPhotorealCacheDir(), /[/\\]\.bench[/\\]photoreal$/);
  });
});

describe("photoreal generator: ground truth", () => {
  it("every category: image as stated, boxes inside it, corners consistent with boxes, code counts in range", async () => {
    const scenes = await generatePhotoSuite({ seed: process.env.PHOTOREAL_TEST_SEED ?? "truth", perCategory: 1, workers: 2 });
    assert.deepEqual(scenes.map((s) => s.category), [...PHOTOREAL_CATEGORIES]);
    for (const s of scenes) {
      assert.equal(s.id, `${s.category}-0`);
      const meta = await sharp(s.image).metadata();
      assert.equal(meta.width, s.width, s.id);
      assert.equal(meta.height, s.height, s.id);
      assert.equal(`image/${meta.format}`, s.mime, s.id);
      assert.ok(s.width * s.height >= 0.25e6 && s.width * s.height <= 12.1e6, `${s.id}: ${s.width}x${s.height}`);
      if (s.category === "negative") assert.equal(s.codes.length, 0, s.id);
      else if (s.category === "many-codes") assert.ok(s.codes.length >= 20 && s.codes.length <= 100, `${s.id}: ${s.codes.length} codes`);
      else assert.ok(s.codes.length >= 1 && s.codes.length <= 3, `${s.id}: ${s.codes.length} codes`);
      const texts = new Set<string>();
      for (const c of s.codes) {
        const b = c.box;
        assert.ok(b.left >= 0 && b.top >= 0 && b.left + b.width <= s.width && b.top + b.height <= s.height, `${s.id}: box outside`);
        assert.ok(b.width >= 3 && b.height >= 3, `${s.id}: degenerate box`);
        assert.equal(c.corners.length, 4);
        // Every corner lies on the box's border or inside it; the box is not much larger than the corners' span
        // (curved symbols bulge between their corners).
        const xs = c.corners.map((p) => p[0]), ys = c.corners.map((p) => p[1]);
        for (const [x, y] of c.corners) assert.ok(x >= b.left - 1.5 && x <= b.left + b.width + 1.5 && y >= b.top - 1.5 && y <= b.top + b.height + 1.5, `${s.id}: corner (${x}, ${y}) outside box`);
        const spanW = Math.max(...xs) - Math.min(...xs), spanH = Math.max(...ys) - Math.min(...ys);
        assert.ok(b.width <= spanW * 1.35 + 3 && b.height <= spanH * 1.35 + 3, `${s.id}: box ${b.width}x${b.height} vs corners ${spanW.toFixed(0)}x${spanH.toFixed(0)}`);
        assert.ok(c.text.length > 0 && !texts.has(c.text), `${s.id}: empty or repeated text`);
        texts.add(c.text);
        assert.ok(["QRCode", "DataMatrix", "Aztec", "PDF417", "EAN13", "UPCA", "EAN8", "Code128", "Code39", "ITF", "Codabar"].includes(c.format), c.format);
        if (c.format === "UPCA") assert.match(c.text, /^0\d{12}$/);
        if (c.format === "Codabar") assert.match(c.text, /^[A-D].*[A-D]$/);
      }
      // Codes do not overlap each other.
      for (let i = 0; i < s.codes.length; i++) for (let j = i + 1; j < s.codes.length; j++) {
        const a = s.codes[i]!.box, b = s.codes[j]!.box;
        const ix = Math.max(0, Math.min(a.left + a.width, b.left + b.width) - Math.max(a.left, b.left));
        const iy = Math.max(0, Math.min(a.top + a.height, b.top + b.height) - Math.max(a.top, b.top));
        assert.ok(ix * iy < 0.05 * Math.min(a.width * a.height, b.width * b.height), `${s.id}: codes ${i} and ${j} overlap`);
      }
      if (s.category === "mirrored") assert.ok(s.codes.every((c) => c.mirrored === true && ["QRCode", "DataMatrix", "Aztec"].includes(c.format)));
      else assert.ok(s.codes.every((c) => !c.mirrored), s.id);
      if (s.category === "inverted") assert.ok(s.codes.every((c) => c.inverted === true), s.id);
    }
  });
});
