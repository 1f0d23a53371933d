import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { isImageKey } from "./scan-oss.js";

describe("scan oss:// image filter", () => {
  it("takes image extensions, any case, of the last path segment only", () => {
    for (const k of ["a.png", "d/b.JPG", "c.jpeg", "x.webp", "y.tiff", "z.bmp", "q.gif"]) assert.equal(isImageKey(k), true, k);
    for (const k of ["a.txt", "png", "dir.png/file", "d/", "a.png.bak"]) assert.equal(isImageKey(k), false, k);
  });
});
