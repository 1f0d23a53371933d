import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { globToRegExp, pathFilter } from "./glob.js";

describe("include/exclude globs", () => {
  it("* stays within a folder, ** crosses folders, ? is one character, [..] a class", () => {
    assert.equal(globToRegExp("*.txt").test("a.txt"), true);
    assert.equal(globToRegExp("*.txt").test("d/a.txt"), false);
    assert.equal(globToRegExp("docs/**").test("docs/a/b/c.txt"), true);
    assert.equal(globToRegExp("**/c.txt").test("c.txt"), true);
    assert.equal(globToRegExp("**/c.txt").test("a/b/c.txt"), true);
    assert.equal(globToRegExp("a?c").test("abc"), true);
    assert.equal(globToRegExp("a?c").test("a/c"), false);
    assert.equal(globToRegExp("[ab].png").test("b.png"), true);
    assert.equal(globToRegExp("[!ab].png").test("b.png"), false);
    assert.equal(globToRegExp("[!ab].png").test("c.png"), true);
    assert.equal(globToRegExp("a.b+(c)").test("a.b+(c)"), true);
    assert.equal(globToRegExp("a.b").test("axb"), false);
  });
  it("a pattern without / also matches the base name", () => {
    const f = pathFilter(["*.txt"], []);
    assert.equal(f("a.txt"), true);
    assert.equal(f("docs/deep/c.txt"), true);
    assert.equal(f("docs/c.log"), false);
    assert.equal(pathFilter(["docs/*.txt"], [])("x/docs/c.txt"), false);
  });
  it("no include means everything; excludes win over includes", () => {
    assert.equal(pathFilter([], [])("anything/at/all"), true);
    const f = pathFilter(["*.txt", "*.md"], ["docs/deep/**", "secret*"]);
    assert.equal(f("readme.md"), true);
    assert.equal(f("docs/deep/d.txt"), false);
    assert.equal(f("x/secret-notes.txt"), false);
    assert.equal(f("b.log"), false);
  });
});
