import assert from "node:assert/strict";
import { test } from "node:test";
import { fitHomography, project, quadToQuad, squareToQuad, type Pt } from "./homography.js";

const quad: Pt[] = [[10, 20], [200, 35], [180, 240], [5, 190]];

test("squareToQuad maps the unit square's corners onto the quad", () => {
  const h = squareToQuad(quad[0]!, quad[1]!, quad[2]!, quad[3]!)!;
  const out: [number, number] = [0, 0];
  [[0, 0], [1, 0], [1, 1], [0, 1]].forEach(([x, y], i) => {
    project(h, x!, y!, out);
    assert.ok(Math.hypot(out[0] - quad[i]![0], out[1] - quad[i]![1]) < 1e-9);
  });
});

test("fitHomography recovers a map from more than four correspondences", () => {
  const src: Pt[] = [[0, 0], [10, 0], [10, 10], [0, 10], [5, 5], [2, 7], [8, 3]];
  const truth = quadToQuad([[0, 0], [10, 0], [10, 10], [0, 10]], quad)!;
  const out: [number, number] = [0, 0];
  const dst = src.map(([x, y]) => { project(truth, x, y, out); return [out[0], out[1]] as Pt; });
  const h = fitHomography(src, dst)!;
  for (const [x, y] of [[3, 4], [9, 1], [1, 9]] as const) {
    const a: [number, number] = [0, 0], b: [number, number] = [0, 0];
    project(h, x, y, a); project(truth, x, y, b);
    assert.ok(Math.hypot(a[0] - b[0], a[1] - b[1]) < 1e-6);
  }
});
