import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseProcess } from "./plan.js";
import { isOssError } from "../errors/oss-error.js";

function code(value: string): string | undefined {
  try {
    parseProcess(value);
    return undefined;
  } catch (e) {
    return isOssError(e) ? e.code : "not an OssError";
  }
}

describe("parseProcess", () => {
  it("parses image/codes and styles", () => {
    assert.deepEqual(parseProcess("image/codes"), { kind: "image", steps: [{ action: "codes" }] });
    assert.deepEqual(parseProcess("style/thumb"), { kind: "style", name: "thumb" });
  });
  it("gives OSS errors for everything else, never a crash", () => {
    assert.equal(code("image/"), "InvalidArgument");
    assert.equal(code("image"), "InvalidArgument");
    assert.equal(code("image/slim,1"), "InvalidArgument");
    assert.equal(code("image/resize,w_100"), "NotImplemented");
    assert.equal(code("image/codes,x_1"), "InvalidArgument");
    assert.equal(code("image/codes/codes"), "InvalidArgument");
    assert.equal(code("image//codes"), "InvalidArgument");
    assert.equal(code("video/snapshot,t_0"), "NotImplemented");
    assert.equal(code("bogus/x"), "InvalidArgument");
    assert.equal(code("style/../x"), "InvalidArgument");
    assert.equal(code(""), "InvalidArgument");
  });
});
