import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { gravityOrigin, planCrop, planResize, type ResizeSpec } from "./geometry.js";

const spec = (s: Partial<ResizeSpec>): ResizeSpec => ({ m: "lfit", limit: true, ...s });

describe("planResize", () => {
  it("follows the OSS resize page's 200×100 → w_150,h_80 example for every mode", () => {
    const out = (m: ResizeSpec["m"]) => {
      const p = planResize(200, 100, spec({ m, w: 150, h: 80 }));
      return [p.scaleW, p.scaleH, p.outW, p.outH];
    };
    assert.deepEqual(out("lfit"), [150, 75, 150, 75]);
    assert.deepEqual(out("mfit"), [160, 80, 160, 80]);
    assert.deepEqual(out("fill"), [160, 80, 150, 80]);
    assert.deepEqual(out("pad"), [150, 75, 150, 80]);
    assert.deepEqual(out("fixed"), [150, 80, 150, 80]);
  });
  it("keeps the aspect ratio from one side, and squares the box for fill/pad", () => {
    assert.deepEqual([planResize(400, 200, spec({ w: 100 })).outW, planResize(400, 200, spec({ w: 100 })).outH], [100, 50]);
    assert.deepEqual([planResize(400, 200, spec({ h: 100 })).outW, planResize(400, 200, spec({ h: 100 })).outH], [200, 100]);
    const fill = planResize(400, 200, spec({ m: "fill", w: 100 }));
    assert.deepEqual([fill.outW, fill.outH], [100, 100]);
  });
  it("reads l as the longer side and s as the shorter, p as a percentage", () => {
    const l = planResize(400, 200, spec({ l: 100 }));
    assert.deepEqual([l.outW, l.outH], [100, 50]);
    const s = planResize(400, 200, spec({ s: 100 }));
    assert.deepEqual([s.outW, s.outH], [200, 100]);
    const p = planResize(400, 200, spec({ p: 25 }));
    assert.deepEqual([p.outW, p.outH], [100, 50]);
  });
  it("limit_1 never enlarges; limit_0 does", () => {
    assert.equal(planResize(100, 50, spec({ w: 400 })).changes, false);
    assert.deepEqual([planResize(100, 50, spec({ w: 400 })).outW, planResize(100, 50, spec({ w: 400 })).outH], [100, 50]);
    const big = planResize(100, 50, spec({ w: 400, limit: false }));
    assert.deepEqual([big.outW, big.outH, big.changes], [400, 200, true]);
  });
});

describe("planCrop", () => {
  it("crops from x,y to the edges by default and clips an oversized area", () => {
    assert.deepEqual(planCrop(1000, 800, { x: 800, y: 50 }), { left: 800, top: 50, width: 200, height: 750 });
    assert.deepEqual(planCrop(1000, 800, { x: 800, y: 500, w: 300, h: 300 }), { left: 800, top: 500, width: 200, height: 300 });
  });
  it("places by gravity, then offsets", () => {
    assert.deepEqual(planCrop(1000, 800, { x: 0, y: 0, w: 900, h: 700, g: "se" }), { left: 100, top: 100, width: 900, height: 700 });
    assert.deepEqual(planCrop(1000, 800, { x: 0, y: 0, w: 200, h: 200, g: "center" }), { left: 400, top: 300, width: 200, height: 200 });
  });
  it("refuses a start outside the image", () => {
    assert.equal(planCrop(100, 100, { x: 100, y: 0 }), undefined);
    assert.equal(planCrop(100, 100, { x: 0, y: 150 }), undefined);
  });
  it("gravityOrigin covers the nine tiles", () => {
    assert.deepEqual(gravityOrigin("nw", 100, 60, 20, 10), { x: 0, y: 0 });
    assert.deepEqual(gravityOrigin("north", 100, 60, 20, 10), { x: 40, y: 0 });
    assert.deepEqual(gravityOrigin("east", 100, 60, 20, 10), { x: 80, y: 25 });
    assert.deepEqual(gravityOrigin("south", 100, 60, 20, 10), { x: 40, y: 50 });
  });
});
