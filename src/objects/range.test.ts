import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseRange } from "./range.js";

describe("parseRange", () => {
  const cases: Array<[string | undefined, number, boolean, ReturnType<typeof parseRange>]> = [
    [undefined, 10, false, undefined],
    ["bytes=0-4", 10, false, { start: 0, end: 4 }],
    ["bytes=5-", 10, false, { start: 5, end: 9 }],
    ["bytes=-3", 10, false, { start: 7, end: 9 }],
    ["bytes=-30", 10, false, { start: 0, end: 9 }],
    ["bytes=8-20", 10, false, undefined], // legacy: invalid range → whole object
    ["bytes=8-20", 10, true, { start: 8, end: 9 }], // standard: clamped
    ["bytes=10-", 10, false, undefined],
    ["bytes=10-", 10, true, "unsatisfiable"],
    ["bytes=5-2", 10, true, undefined],
    ["bytes=0-1,4-5", 10, false, undefined],
    ["items=0-1", 10, false, undefined],
    ["bytes=0-0", 0, true, "unsatisfiable"],
  ];
  for (const [header, size, standard, expected] of cases) {
    it(`${header} of ${size} (${standard ? "standard" : "legacy"})`, () => {
      assert.deepEqual(parseRange(header, size, standard), expected);
    });
  }
});
