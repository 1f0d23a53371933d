import assert from "node:assert/strict";
import { test } from "node:test";
import { findFinderCandidates } from "./locate.js";
import { finderCorners, pairHomography, through } from "./finder-outline.js";
import { addNoise, drawSymbol, qrMatrix } from "./stress-images.js";
import { invert3, project, quadToQuad, type Pt } from "./homography.js";
import { loadZXing, readGray } from "../zxing.js";
import { readQrCodes } from "./read.js";

/** A version-4 symbol (33 modules) under steep perspective: its bottom edge is much shorter than its top. */
const CORNERS: [number, number][] = [[60, 50], [340, 70], [300, 270], [95, 250]];
/** The symbol drawn through the exact plane homography (module → image, inverted); with `glared`, its bottom-left
 * finder (modules −1..8.5 by dim−8.5..dim+1) saturated white, as under a glare spot. */
function tilted(text = "finder outlines 0123", eclevel: "M" | "H" = "M", glared = false) {
  const q = qrMatrix(text, { version: 4, eclevel });
  const inv = invert3(quadToQuad([[0, 0], [q.dim, 0], [q.dim, q.dim], [0, q.dim]], CORNERS)!)!;
  const p: [number, number] = [0, 0];
  const img = drawSymbol(q, 400, 330, (x, y) => {
    if (!project(inv, x, y, p)) return null;
    return p[0] < -4 || p[1] < -4 || p[0] > q.dim + 4 || p[1] > q.dim + 4 ? null : [p[0], p[1]];
  });
  if (glared) {
    for (let y = 0; y < img.height; y++) {
      for (let x = 0; x < img.width; x++) {
        if (project(inv, x, y, p) && p[0] > -1 && p[0] < 8.5 && p[1] > q.dim - 8.5 && p[1] < q.dim + 1) img.data[y * img.width + x] = 255;
      }
    }
  }
  addNoise(img, 3, 9);
  return { q, img };
}

test("finds a finder's four outer corners where the symbol's map puts them (within 0.4 module)", () => {
  const { q, img } = tilted();
  const h = quadToQuad([[0, 0], [q.dim, 0], [q.dim, q.dim], [0, q.dim]], CORNERS)!;
  const truth = through(h, [[0, 0], [7, 0], [7, 7], [0, 7]])!;
  const tl = findFinderCandidates(img).find((f) => Math.hypot(f.x - (truth[0]![0] + truth[2]![0]) / 2, f.y - (truth[0]![1] + truth[2]![1]) / 2) < 6);
  assert.ok(tl, "the top-left finder is found");
  const corners = finderCorners(img, tl!);
  assert.ok(corners);
  for (const t of truth) {
    const d = Math.min(...corners!.map((c) => Math.hypot(c[0] - t[0], c[1] - t[1])));
    assert.ok(d < 3, `corner (${t.map(Math.round)}) found within ${d.toFixed(2)} px`);
  }
});

test("two finders' outlines give the symbol's homography, the missing finder's place included", () => {
  const { q, img } = tilted();
  const h = quadToQuad([[0, 0], [q.dim, 0], [q.dim, q.dim], [0, q.dim]], CORNERS)!;
  const centre = (u: number, v: number): Pt => through(h, [[u, v]])![0]!;
  const near = (p: Pt) => findFinderCandidates(img).find((f) => Math.hypot(f.x - p[0], f.y - p[1]) < 6)!;
  const tl = near(centre(3.5, 3.5)), tr = near(centre(q.dim - 3.5, 3.5));
  assert.ok(tl && tr);
  const fit = pairHomography(tl, finderCorners(img, tl)!, tr, finderCorners(img, tr)!, q.dim, [-(tr.y - tl.y), tr.x - tl.x])!;
  assert.ok(fit);
  // The bottom-left finder's centre, 26 modules from the pair: a right angle would put it ~30 px off here.
  const truth = centre(3.5, q.dim - 3.5), got = through(fit, [[3.5, q.dim - 3.5]])![0]!;
  const square: Pt = [tl.x - (tr.y - tl.y), tl.y + (tr.x - tl.x)];
  assert.ok(Math.hypot(square[0] - truth[0], square[1] - truth[1]) > 15, "the scene is steep enough to need the outlines");
  assert.ok(Math.hypot(got[0] - truth[0], got[1] - truth[1]) < 6, `missing finder placed ${Math.hypot(got[0] - truth[0], got[1] - truth[1]).toFixed(1)} px off`);
});

test("reads a steep symbol whose third finder is glared out, from the other two finders' outlines", async () => {
  const mod = await loadZXing();
  const text = "steep glare 0123456";
  const { img } = tilted(text, "H", true);
  assert.equal(readGray(mod, img).length, 0, "zxing reads it: the scene no longer needs the fallback");
  assert.deepEqual(readQrCodes(mod, img, { maxPairFits: 0 }).map((r) => r.text), [], "a triple read it: no fallback needed");
  assert.deepEqual(readQrCodes(mod, img).map((r) => r.text), [text]);
});
