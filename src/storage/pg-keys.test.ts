import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { pastPrefix, utf8 } from "./list-page.js";
import { afterBound, lowerBound, successor } from "./pg-keys.js";

const above = (a: string, b: string) => Buffer.compare(utf8(a), utf8(b)) > 0;

describe("pg-keys", () => {
  it("successor is above every string with the prefix and at or below every later one", () => {
    const cases: [string, string][] = [["a", "b"], ["a/", "a0"], ["中", "丮"], ["\u{D7FF}", "\u{E000}"], ["x\u{10FFFF}", "y"], ["😀", "😁"]];
    for (const [prefix, expected] of cases) {
      const next = successor(prefix)!;
      assert.equal(next, expected, prefix);
      for (const tail of ["", "\u0000", "z", "\u{FFFD}", "\u{10FFFF}\u{10FFFF}"]) assert.ok(above(next, prefix + tail), `${prefix}+${tail}`);
    }
    assert.equal(successor(""), undefined);
    assert.equal(successor("\u{10FFFF}"), undefined);
  });

  it("turns list cursors into bounds: exclusive at a key, inclusive past a common prefix", () => {
    assert.deepEqual(afterBound(utf8("a/b")), { value: "a/b", inclusive: false });
    assert.deepEqual(afterBound(pastPrefix("a/")), { value: "a0", inclusive: true });
    assert.equal(afterBound(pastPrefix("\u{10FFFF}")), undefined);
    assert.deepEqual(lowerBound(utf8(""), "p/"), { value: "p/", inclusive: true }, "before the prefix: start at it");
    assert.deepEqual(lowerBound(utf8("p/x"), "p/"), { value: "p/x", inclusive: false });
  });
});
