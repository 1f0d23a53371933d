import assert from "node:assert/strict";
import { describe, it } from "node:test";
import sharp from "sharp";
import { iou } from "./geometry.js";
import { CATEGORIES, generateScene, type ExpectedCode } from "./scene.js";
import { generateSuite } from "./suite.js";
import { ALL_SYMBOLOGIES } from "./symbols.js";
import { readPlain, type FoundCode } from "./zxing.js";

const MATRIX_FORMATS = new Set(["QRCode", "DataMatrix", "Aztec", "PDF417"]);

function find(found: FoundCode[], code: ExpectedCode): FoundCode | undefined {
  return found.find((f) => f.text === code.text);
}

describe("synthetic generator", () => {
  it("is deterministic: same seed, same bytes and truth; another seed differs", async () => {
    for (const category of ["clean", "perspective", "jpeg", "negative", "multi"] as const) {
      const a = await generateScene({ category, index: 3 }, 42);
      const b = await generateScene({ category, index: 3 }, 42);
      assert.ok(a.image.equals(b.image), `${category}: bytes differ`);
      assert.deepEqual(a.codes, b.codes);
      const c = await generateScene({ category, index: 3 }, 43);
      assert.ok(!a.image.equals(c.image), `${category}: seed ignored`);
    }
  });

  it("renders every category with sane metadata and boxes inside the image", async () => {
    const scenes = await generateSuite({ seed: "t-all", perCategory: 1 });
    assert.deepEqual(scenes.map((s) => s.category), [...CATEGORIES]);
    for (const s of scenes) {
      const meta = await sharp(s.image).metadata();
      assert.equal(meta.width, s.width, s.id);
      assert.equal(meta.height, s.height, s.id);
      assert.equal(`image/${meta.format === "jpeg" ? "jpeg" : meta.format}`, s.mime, s.id);
      if (s.category === "negative") assert.equal(s.codes.length, 0);
      else assert.ok(s.codes.length >= 1, `${s.id}: no code placed`);
      if (s.category === "photo12mp") assert.deepEqual([s.width, s.height], [4000, 3000]);
      for (const c of s.codes) {
        const b = c.box;
        assert.ok(b.Left >= 0 && b.Top >= 0 && b.Left + b.Width <= s.width && b.Top + b.Height <= s.height, `${s.id}: box outside`);
        assert.ok(b.Width > 5 && b.Height > 5, `${s.id}: degenerate box`);
      }
    }
  });

  it("texts follow zxing-cpp's conventions: every symbology decodes to its expected text", async () => {
    for (const symbology of ALL_SYMBOLOGIES) {
      for (const index of [0, 1]) {
        const s = await generateScene({ category: "clean", index, symbology }, "t-text");
        const found = await readPlain(s.image);
        const code = s.codes[0]!;
        assert.equal(code.format, symbology);
        assert.ok(find(found, code), `${symbology} #${index}: expected ${JSON.stringify(code.text)}, got ${JSON.stringify(found.map((f) => f.text))}`);
      }
    }
  });

  it("ground-truth boxes match zxing's positions (2D: IoU >= 0.5; 1D: scan band within the bars)", async () => {
    const scenes = await generateSuite({ seed: "t-box", perCategory: { clean: 10, rotation: 6, perspective: 6, "2d": 8 }, categories: ["clean", "rotation", "perspective", "2d"] });
    let checked2d = 0;
    for (const s of scenes) {
      const found = await readPlain(s.image);
      for (const code of s.codes) {
        const f = find(found, code);
        if (!f?.box) {
          assert.ok(s.category !== "clean", `${s.id}: clean ${code.format} not decoded`);
          continue;
        }
        if (MATRIX_FORMATS.has(code.format)) {
          assert.ok(iou(f.box, code.box) >= 0.5, `${s.id} ${code.format}: IoU ${iou(f.box, code.box).toFixed(2)}`);
          checked2d++;
        } else {
          // zxing reports a thin band around its scan lines for 1D codes: it must lie inside the truth box.
          const cx = f.box.Left + f.box.Width / 2, cy = f.box.Top + f.box.Height / 2, b = code.box;
          assert.ok(cx > b.Left && cx < b.Left + b.Width && cy > b.Top && cy < b.Top + b.Height, `${s.id} ${code.format}: band outside box`);
        }
      }
    }
    assert.ok(checked2d >= 8, `only ${checked2d} 2D boxes checked`);
  });

  it("negatives contain nothing plain zxing-wasm can decode", async () => {
    const scenes = await generateSuite({ seed: 1, perCategory: 12, categories: ["negative"] });
    for (const s of scenes) {
      const found = await readPlain(s.image);
      assert.deepEqual(found.map((f) => `${f.format}:${f.text}`), [], `${s.id} decodes`);
    }
  });
});
