import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { collectPage, pastPrefix, type FetchRows } from "./list-page.js";

/** A lazy sorted source that counts how many rows the algorithm actually pulls. */
function countingSource(keys: string[]) {
  const sorted = keys.map((key) => ({ key, bytes: Buffer.from(key) })).sort((a, b) => Buffer.compare(a.bytes, b.bytes));
  const stats = { rowsPulled: 0, queries: 0 };
  const fetch = (prefix: string): FetchRows<string> =>
    function* (cursor, limit) {
      stats.queries++;
      let yielded = 0;
      for (const entry of sorted) {
        if (yielded === limit) return;
        if (Buffer.compare(entry.bytes, cursor.afterKey) <= 0 || !entry.key.startsWith(prefix)) continue;
        stats.rowsPulled++;
        yielded++;
        yield { key: entry.key, load: () => entry.key };
      }
    };
  return { fetch, stats };
}

describe("collectPage", () => {
  it("pulls O(page) rows: a common prefix costs one row, not all the keys under it", () => {
    const keys: string[] = [];
    for (let d = 0; d < 50; d++) for (let i = 0; i < 1000; i++) keys.push(`dir${String(d).padStart(2, "0")}/file${i}`);
    const { fetch, stats } = countingSource(keys);
    const page = collectPage({ prefix: "", delimiter: "/", afterKey: "", maxKeys: 10 }, fetch(""));
    assert.deepEqual(page.commonPrefixes, Array.from({ length: 10 }, (_, d) => `dir${String(d).padStart(2, "0")}/`));
    assert.equal(page.isTruncated, true);
    assert.equal(page.nextKey, "dir09/");
    assert.ok(stats.rowsPulled <= 11, `pulled ${stats.rowsPulled} rows`);
  });

  it("pulls maxKeys + 1 rows for a plain page", () => {
    const keys = Array.from({ length: 5000 }, (_, i) => `k${String(i).padStart(5, "0")}`);
    const { fetch, stats } = countingSource(keys);
    const page = collectPage({ prefix: "", delimiter: "", afterKey: "k00100", maxKeys: 100 }, fetch(""));
    assert.equal(page.items.length, 100);
    assert.equal(page.items[0], "k00101");
    assert.equal(page.nextKey, "k00200");
    assert.equal(stats.rowsPulled, 101);
  });

  it("pastPrefix sorts above every key with the prefix and below every later key", () => {
    const bound = pastPrefix("a/");
    for (const key of ["a/", "a/\u{10FFFF}\u{10FFFF}", "a/😀", "a/\uFFFF"]) assert.ok(Buffer.compare(Buffer.from(key), bound) < 0, key);
    for (const key of ["a0", "b", "a/".slice(0, 1) + "0"]) assert.ok(Buffer.compare(Buffer.from(key), bound) > 0, key);
  });
});
