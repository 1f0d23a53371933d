import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { destinationKey, formatOssUrl, isOssUrl, parseOssUrl } from "./oss-url.js";
import { UsageError } from "./exit-codes.js";

describe("oss:// URLs", () => {
  it("parses a bucket, a key and a prefix", () => {
    assert.deepEqual(parseOssUrl("oss://my-bucket"), { bucket: "my-bucket", key: "" });
    assert.deepEqual(parseOssUrl("oss://my-bucket/"), { bucket: "my-bucket", key: "" });
    assert.deepEqual(parseOssUrl("oss://my-bucket/a/b c/ü.png"), { bucket: "my-bucket", key: "a/b c/ü.png" });
    assert.deepEqual(parseOssUrl("OSS://b01/photos/"), { bucket: "b01", key: "photos/" });
    assert.deepEqual(parseOssUrl("oss://b01/a//b"), { bucket: "b01", key: "a//b" });
  });
  it("refuses what is not one, and bad bucket names", () => {
    for (const bad of ["s3://b/k", "oss:/b/k", "b/k", "oss://", "oss://B_ad/k", "oss://-ab/k", "oss://ab-/k", "oss://a/k", `oss://${"a".repeat(64)}`]) {
      assert.throws(() => parseOssUrl(bad), UsageError, bad);
    }
  });
  it("tells URLs from local paths and formats them", () => {
    assert.equal(isOssUrl("oss://b/k"), true);
    assert.equal(isOssUrl("./oss://b"), false);
    assert.equal(isOssUrl("/tmp/x"), false);
    assert.equal(formatOssUrl("b", "k/x"), "oss://b/k/x");
    assert.equal(formatOssUrl("b"), "oss://b/");
  });
  it("treats a destination ending in / (or a bucket) as a folder", () => {
    assert.equal(destinationKey("", "a.txt"), "a.txt");
    assert.equal(destinationKey("dir/", "a.txt"), "dir/a.txt");
    assert.equal(destinationKey("dir/b.txt", "a.txt"), "dir/b.txt");
  });
});
