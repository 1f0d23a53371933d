import { test } from "node:test";
import assert from "node:assert/strict";
import { hasAllTags, parseTaggingHeader, parseTaggingXml, validateBucketTags, validateObjectTags } from "./tags.js";
import { OssError } from "../errors/oss-error.js";

const fails = (fn: () => unknown, code: string, ec?: string) =>
  assert.throws(fn, (e: unknown) => e instanceof OssError && e.code === code && (ec === undefined || e.ec === ec));

test("x-oss-tagging: URL-encoded pairs in order, a key alone has an empty value", () => {
  assert.deepEqual(parseTaggingHeader("b=2&a=1&k%20x=v%2Fy&solo"), [["b", "2"], ["a", "1"], ["k x", "v/y"], ["solo", ""]]);
  assert.equal(parseTaggingHeader(undefined), undefined);
  fails(() => parseTaggingHeader("aa=bb=cc"), "InvalidTag", "0010-00000219");
  fails(() => parseTaggingHeader("a=1&a=2"), "InvalidTag", "0010-00000217");
});

test("object tag limits as OSS documents them", () => {
  validateObjectTags(Array.from({ length: 10 }, (_, i) => [String(i), "v"] as const));
  fails(() => validateObjectTags(Array.from({ length: 11 }, (_, i) => [String(i), "v"] as const)), "InvalidTag", "0010-00000217");
  fails(() => validateObjectTags([["k".repeat(129), "v"]]), "InvalidTag", "0010-00000209");
  fails(() => validateObjectTags([["k", "v".repeat(257)]]), "InvalidTag", "0010-00000214");
  fails(() => validateObjectTags([["错误", "v"]]), "InvalidTag", "0010-00000217");
  validateObjectTags([["a+-=._:/ Z9", ""]]);
});

test("bucket tag limits: 20 tags, 64/128 bytes, reserved prefixes", () => {
  validateBucketTags([["中文", "值"]]);
  fails(() => validateBucketTags([["Aliyun-x", "v"]]), "InvalidTag", "0010-00000207");
  fails(() => validateBucketTags([["acs:x", "v"]]), "InvalidTag", "0010-00000002");
  fails(() => validateBucketTags([["k".repeat(65), "v"]]), "InvalidTag");
  fails(() => validateBucketTags(Array.from({ length: 21 }, (_, i) => [`k${i}`, "v"] as const)), "InvalidTag");
});

test("Tagging XML: pairs in order; a missing TagSet is MalformedXML", () => {
  const xml = "<Tagging><TagSet><Tag><Key>b</Key><Value>2</Value></Tag><Tag><Key>a</Key><Value></Value></Tag></TagSet></Tagging>";
  assert.deepEqual(parseTaggingXml(Buffer.from(xml)), [["b", "2"], ["a", ""]]);
  assert.deepEqual(parseTaggingXml(Buffer.from("<Tagging><TagSet/></Tagging>")), []);
  fails(() => parseTaggingXml(Buffer.from("<Tagging></Tagging>")), "MalformedXML", "0010-00000103");
});

test("hasAllTags: every filter pair must be present", () => {
  assert.ok(hasAllTags([["a", "1"], ["b", "2"]], [["a", "1"]]));
  assert.ok(!hasAllTags([["a", "1"]], [["a", "2"]]));
  assert.ok(!hasAllTags(undefined, [["a", "1"]]));
  assert.ok(hasAllTags(undefined, []));
});
