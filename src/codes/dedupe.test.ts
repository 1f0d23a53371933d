import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { addFound, overlap, resolveConflicts } from "./dedupe.js";
import { mapPoint, type Corner, type Found } from "./found.js";
import { orderCodes } from "./detect.js";
import type { DetectedCode } from "./types.js";

function found(text: string, x: number, y: number, w: number, h: number, extra: Partial<Found> = {}): Found {
  const corners: Corner[] = [[x, y], [x + w, y], [x + w, y + h], [x, y + h]];
  return { text, bytes: new Uint8Array(), format: "QRCode", linear: false, corners, pass: "base", scale: 1, preprocessed: false, hits: 1, lines: 1, ...extra };
}

describe("coordinate mapping", () => {
  it("is the identity at scale 1 without offset", () => {
    assert.deepEqual(mapPoint([12, 34], { scale: 1, left: 0, top: 0 }), [12, 34]);
  });
  it("maps a downscaled pixel to the centre of its source block, plus the crop offset", () => {
    // view pixel 10 of a 1/4 view covers source pixels 40..43: centre 41.5
    assert.deepEqual(mapPoint([10, 0], { scale: 4, left: 0, top: 0 }), [41.5, 1.5]);
    assert.deepEqual(mapPoint([5, 7], { scale: 1, left: 100, top: 200 }), [105, 207]);
    assert.deepEqual(mapPoint([2, 2], { scale: 0.5, left: 10, top: 10 }), [10.75, 10.75]);
  });
});

describe("dedupe", () => {
  it("merges the same code read twice at overlapping places, keeping the finer-resolution box", () => {
    const all: Found[] = [];
    assert.equal(addFound(all, found("A", 100, 100, 60, 60, { scale: 3, pass: "base" })), true);
    assert.equal(addFound(all, found("A", 98, 99, 64, 63, { scale: 1, pass: "region0" })), false);
    assert.equal(all.length, 1);
    assert.equal(all[0]!.hits, 2);
    assert.equal(all[0]!.pass, "region0");
    assert.equal(all[0]!.scale, 1);
  });
  it("keeps the same text at two distant places as two codes", () => {
    const all: Found[] = [];
    addFound(all, found("A", 0, 0, 50, 50));
    addFound(all, found("A", 500, 500, 50, 50));
    assert.equal(all.length, 2);
  });
  it("treats thin 1D bands of the same barcode a few pixels apart as overlapping", () => {
    const a = found("123", 100, 200, 300, 2, { linear: true, format: "EAN13" });
    const b = found("123", 102, 215, 296, 2, { linear: true, format: "EAN13" });
    assert.ok(overlap(a, b) > 0.2);
  });
  it("marks a merged read unprocessed if any witness was unprocessed", () => {
    const all: Found[] = [];
    addFound(all, found("A", 0, 0, 50, 50, { preprocessed: true }));
    addFound(all, found("A", 0, 0, 50, 50, { preprocessed: false }));
    assert.equal(all[0]!.preprocessed, false);
  });
});

describe("conflicts", () => {
  it("drops the overlapping same-symbology read with fewer agreeing scan lines", () => {
    const a = found("7034759003930", 40, 60, 100, 340, { linear: true, format: "EAN13", lines: 4 });
    const b = found("5030159003930", 40, 60, 100, 340, { linear: true, format: "EAN13", lines: 5 });
    assert.deepEqual(resolveConflicts([a, b]).map((f) => f.text), ["5030159003930"]);
  });
  it("prefers more hits over more lines", () => {
    const a = found("X1", 0, 0, 100, 100, { hits: 2, lines: 2 });
    const b = found("X2", 0, 0, 100, 100, { hits: 1, lines: 9 });
    assert.deepEqual(resolveConflicts([a, b]).map((f) => f.text), ["X1"]);
  });
  it("keeps different symbologies and non-overlapping reads", () => {
    const a = found("X1", 0, 0, 100, 100);
    const b = found("X2", 0, 0, 100, 100, { format: "DataMatrix" });
    const c = found("X3", 300, 300, 100, 100);
    assert.equal(resolveConflicts([a, b, c]).length, 3);
  });
  it("keeps the EAN read with its add-on over the same EAN without it", () => {
    const a = found("9780735200449", 70, 30, 380, 40, { linear: true, format: "EAN13" });
    const b = found("978073520044951299", 70, 30, 600, 280, { linear: true, format: "EAN13" });
    assert.deepEqual(resolveConflicts([a, b]).map((f) => f.text), ["978073520044951299"]);
  });
  it("drops an ITF fragment inside the longer read of the same symbol, even with more hits", () => {
    const frag = found("7002141226", 200, 100, 200, 60, { linear: true, format: "ITF", hits: 2, lines: 4 });
    const whole = found("20837002141226", 100, 100, 300, 60, { linear: true, format: "ITF" });
    assert.deepEqual(resolveConflicts([frag, whole]).map((f) => f.text), ["20837002141226"]);
  });
});

describe("output order", () => {
  const code = (c: string, l: number, t: number, w: number, h: number, conf = 1): DetectedCode => ({
    Content: c, Type: "qrcode", Format: "QRCode", Confidence: conf, Boundary: { Left: l, Top: t, Width: w, Height: h, Polygon: [] },
  });
  it("sorts top-to-bottom then left-to-right (same row within half a box height)", () => {
    const out = orderCodes([code("c", 300, 210, 100, 100), code("a", 10, 10, 100, 100), code("b", 200, 30, 100, 100), code("d", 5, 400, 50, 50)], 5);
    assert.deepEqual(out.map((c) => c.Content), ["a", "b", "c", "d"]);
  });
  it("keeps the most confident codes when over the cap", () => {
    const out = orderCodes([code("low", 0, 0, 10, 10, 0.8), code("hi1", 0, 100, 10, 10), code("hi2", 0, 200, 10, 10)], 2);
    assert.deepEqual(out.map((c) => c.Content), ["hi1", "hi2"]);
  });
});
