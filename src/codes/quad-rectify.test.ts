import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import bwipjs from "bwip-js";
import sharp from "sharp";
import { quadToQuad, project, type Pt } from "./qr/homography.js";
import { bilinear } from "./qr/sampler.js";
import { convexHull, largestInscribedQuad, polygonArea, rectifyQuad, skew, symbolQuad } from "./quad-rectify.js";
import { loadZXing, readGray, type GrayImage, type ReaderModule } from "./zxing.js";

const TEXT = "PERSPECTIVE-0417";

/** A Code 128 rendered upright, then drawn onto a light page through the projective map taking its corners to `to`. */
async function keystoned(to: readonly Pt[], width = 700, height = 360): Promise<GrayImage> {
  const png = await bwipjs.toBuffer({ bcid: "code128", text: TEXT, scale: 2, height: 14, paddingwidth: 0, paddingheight: 0 });
  const { data, info } = await sharp(png).flatten({ background: "#ffffff" }).grayscale().raw().toBuffer({ resolveWithObject: true });
  const src: GrayImage = { data: new Uint8Array(data), width: info.width, height: info.height };
  const toSrc = quadToQuad(to, [[0, 0], [src.width, 0], [src.width, src.height], [0, src.height]])!;
  const out = new Uint8Array(width * height).fill(225);
  const p: [number, number] = [0, 0];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!project(toSrc, x + 0.5, y + 0.5, p)) continue;
      if (p[0] >= 0 && p[1] >= 0 && p[0] <= src.width - 1 && p[1] <= src.height - 1) out[y * width + x] = Math.min(225, bilinear(src, p[0], p[1]));
    }
  }
  return { data: out, width, height };
}

// Strong keystone: the right end of the symbol 40 % shorter than its left (modules 2–4 px).
const CORNERS: Pt[] = [[140, 80], [560, 120], [560, 240], [140, 280]];

describe("symbolQuad / rectifyQuad", () => {
  let mod: ReaderModule;
  before(async () => { mod = await loadZXing(); });

  it("finds a keystoned barcode's outline and maps it to an upright rectangle that zxing reads", async () => {
    const img = await keystoned(CORNERS);
    const q = symbolQuad(img);
    assert.ok(q, "no quadrilateral");
    for (const [i, c] of CORNERS.entries()) {
      assert.ok(Math.hypot(q[i]![0] - c[0], q[i]![1] - c[1]) < 14, `corner ${i}: ${q[i]} vs ${c}`);
    }
    assert.ok(skew(q) > 0.3, `skew ${skew(q)}`);
    const r = rectifyQuad(img, q);
    assert.ok(r, "not rectified");
    // Upright: wider than tall, and the rectified view's corners map back onto the outline.
    assert.ok(r.view.width > 2 * r.view.height, `${r.view.width}x${r.view.height}`);
    const back = r.toImage(0, 0);
    assert.ok(back[0] < q[0][0] && back[1] < q[0][1], `quiet zone outside the outline: ${back}`);
    const reads = readGray(mod, r.view, { formats: "Code128", tryRotate: false, tryInvert: false });
    assert.deepEqual(reads.map((x) => x.text), [TEXT]);
  });

  it("leaves a nearly rectangular symbol as it is, and a page without a symbol without an outline", async () => {
    const img = await keystoned([[140, 100], [560, 102], [559, 220], [141, 221]]);
    const q = symbolQuad(img);
    assert.ok(q && skew(q) < 0.06, `skew ${q && skew(q)}`);
    assert.equal(rectifyQuad(img, q), null);
    assert.equal(symbolQuad({ data: new Uint8Array(400 * 300).fill(200), width: 400, height: 300 }), null);
  });
});

describe("convexHull / largestInscribedQuad", () => {
  it("takes a hull's four extreme corners as the quadrilateral", () => {
    const pts: Pt[] = [[0, 0], [10, 1], [20, 0], [21, 10], [20, 20], [10, 19], [0, 20], [-1, 10], [10, 10], [5, 5]];
    const hull = convexHull(pts);
    assert.equal(hull.length, 6); // interior points and (10, 1), (10, 19) on the inside dropped
    const q = largestInscribedQuad(hull)!;
    assert.ok(polygonArea(q) >= 0.9 * polygonArea(hull));
    const corners = new Set(q.map((p) => p.join(",")));
    for (const c of ["0,0", "20,0", "20,20", "0,20"]) assert.ok(corners.has(c), `${c} in ${[...corners]}`);
  });
});
