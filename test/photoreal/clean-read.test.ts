/**
 * Guards the symbol drawing and the ground truth (not any reader's quality): an UNDEGRADED render (`clean`)
 * of a scene is read by plain zxing-wasm (default options), giving exactly the expected texts, at the
 * expected places; and negatives hold nothing plain zxing-wasm decodes.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import sharp from "sharp";
import { iou } from "../synthetic/geometry.js";
import { readPlain } from "../synthetic/zxing.js";
import type { Symbology } from "../synthetic/symbols.js";
import { generatePhotoScene, type PhotoCategory, type PhotoCode } from "./index.js";
import { boxRect, decodeRgb, inQuad, lumaAt, lumas, percentile, type Rgb8 } from "./pixels.js";

const SYMBOLOGIES: readonly Symbology[] = ["QRCode", "DataMatrix", "Aztec", "PDF417", "EAN13", "UPCA", "EAN8", "Code128", "Code39", "ITF", "Codabar"];
// PHOTOREAL_TEST_SEED: run the checks on other scenes.
const SEED = process.env.PHOTOREAL_TEST_SEED ?? "clean-read";
const TURNABLE = new Set(["QRCode", "DataMatrix", "Aztec"]);
// Plain zxing now and then reads a short ITF, Codabar or DataBar out of print and textures (no check digit
// to stop it): a reader's misread of clutter, not a code the truth misses. Other unexpected reads fail.
const misreadable = (format: string): boolean => /^(ITF|Codabar|DataBar)/.test(format); // read at any rotation and mild tilt by plain zxing

const toBox = (c: PhotoCode): { Left: number; Top: number; Width: number; Height: number } =>
  ({ Left: c.box.left, Top: c.box.top, Width: c.box.width, Height: c.box.height });

describe("photoreal: clean renders are readable (symbol drawing and truth)", () => {
  // Read from a crop around the truth box (the label and some of its surroundings): this checks the symbol
  // and its text, not how plain zxing copes with a busy whole photo.
  it("every symbology, upright: decodes to exactly the expected text", async () => {
    for (const symbology of SYMBOLOGIES) {
      for (const index of symbology === "QRCode" || symbology === "PDF417" || symbology === "Code39" ? [0, 1] : [0]) {
        const s = await generatePhotoScene("glare", index, `${SEED}-symbology`, { clean: true, upright: true, symbology });
        const code = s.codes[0]!;
        assert.equal(code.format, symbology);
        const b = code.box, m = Math.round(0.3 * Math.max(b.width, b.height)) + 20;
        const left = Math.max(0, b.left - m), top = Math.max(0, b.top - m);
        const crop = await sharp(s.image).extract({ left, top, width: Math.min(s.width, b.left + b.width + m) - left, height: Math.min(s.height, b.top + b.height + m) - top }).png().toBuffer();
        // Plain zxing misses some PDF417 and 1D symbols at 2.4-3 px a module (the category's smallest) that it
        // reads at twice the size; drawing errors stay unreadable at any size.
        let found = await readPlain(crop);
        if (!found.some((f) => f.text === code.text)) found = await readPlain(await sharp(crop).resize({ width: 2 * (Math.min(s.width, b.left + b.width + m) - left), kernel: "cubic" }).png().toBuffer());
        assert.ok(found.some((f) => f.text === code.text), `${symbology} #${index}: expected ${JSON.stringify(code.text)}, got ${JSON.stringify(found.map((f) => f.text))}`);
        for (const f of found) assert.ok(misreadable(f.format) || s.codes.some((c) => c.text === f.text), `${symbology} #${index}: unexpected ${f.format} ${JSON.stringify(f.text)}`);
      }
    }
  });

  it("matrix codes of each category decode from the clean render, where the truth box says", async () => {
    const cats: PhotoCategory[] = [
      "glare", "bright-spots", "damaged", "motion-blur", "defocus", "uneven-light", "shadow", "low-light", "jpeg-low",
      "screen", "dense-qr", "inverted", "mirrored", "huge", "rotated",
    ];
    let checked = 0, timing = 0;
    for (const category of cats) {
      for (const index of ["glare", "dense-qr", "inverted", "mirrored", "rotated"].includes(category) ? [0, 1] : [0]) {
        const s = await generatePhotoScene(category, index, SEED, { clean: true });
        const found = await readPlain(s.image);
        let img: Rgb8 | undefined;
        for (const f of found) assert.ok(misreadable(f.format) || s.codes.some((c) => c.text === f.text), `${s.id}: unexpected ${f.format} ${JSON.stringify(f.text)}`);
        for (const code of s.codes) {
          if (!TURNABLE.has(code.format) || (code.mirrored && code.format !== "QRCode")) continue;
          const f = found.find((x) => x.text === code.text);
          assert.ok(f, `${s.id}: ${code.format} ${JSON.stringify(code.text)} not decoded`);
          assert.ok(f.box && iou(f.box, toBox(code)) >= 0.5, `${s.id}: box IoU ${f.box ? iou(f.box, toBox(code)).toFixed(2) : "-"}`);
          checked++;
          // Sub-module precision of the corners: a planar QR's timing row (row 6, columns 8..n-9) alternates.
          if (code.format === "QRCode" && category !== "huge") {
            img ??= await decodeRgb(s.image);
            const n = Number(String(s.conditions.symbol).split("x")[0]);
            if (code !== s.codes[0] || !(n >= 21)) continue;
            const inside = lumas(img, boxRect(code, img)), mid = (percentile(inside, 5) + percentile(inside, 95)) / 2;
            let wrong = 0;
            for (let k = 8; k <= n - 9; k++) {
              const [x, y] = inQuad(code, (k + 0.5) / n, 6.5 / n);
              const dark = lumaAt(img, Math.floor(x), Math.floor(y)) < mid;
              if (dark !== ((k % 2 === 0) !== !!code.inverted)) wrong++;
            }
            assert.ok(wrong <= 1 + (n - 16) * 0.03, `${s.id}: ${wrong} of ${n - 16} timing modules off the truth grid`);
            timing++;
          }
        }
      }
    }
    assert.ok(checked >= 8, `only ${checked} codes checked`);
    assert.ok(timing >= 4, `only ${timing} timing rows checked`);
  });

  it("negatives: nothing decodable in the clutter (but misreads of stripes as ITF / Codabar)", async () => {
    for (const index of [0, 1, 2]) {
      const s = await generatePhotoScene("negative", index, SEED);
      assert.deepEqual((await readPlain(s.image)).filter((f) => !misreadable(f.format)).map((f) => `${f.format}:${f.text}`), [], s.id);
    }
  });
});
