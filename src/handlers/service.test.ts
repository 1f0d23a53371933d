import { test } from "node:test";
import assert from "node:assert/strict";
import { parseTaggingFilter } from "./service.js";
import { OssError } from "../errors/oss-error.js";

test("the tagging filter of ListBuckets as ali-oss writes it", () => {
  assert.deepEqual(parseTaggingFilter('"a":"1","b":"2"'), [["a", "1"], ["b", "2"]]);
  assert.deepEqual(parseTaggingFilter('"k,ey":"v\\"al"'), [["k,ey", 'v"al']]);
  for (const bad of ["", "a:1", '"a":"1";"b":"2"', '"a":1']) {
    assert.throws(() => parseTaggingFilter(bad), (e: unknown) => e instanceof OssError && e.code === "InvalidArgument", bad);
  }
});
