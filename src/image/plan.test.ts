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
  it("parses a chain of classic actions into typed steps", () => {
    const plan = parseProcess("image/resize,w_400/format,webp/quality,q_80");
    assert.equal(plan.kind, "image");
    assert.deepEqual(plan.kind === "image" && plan.steps.map((s) => s.action), ["resize", "format", "quality"]);
    assert.deepEqual(parseProcess("image/rotate,90"), { kind: "image", steps: [{ action: "rotate", angle: 90 }] });
    assert.deepEqual(parseProcess("image/crop,x_10,g_se"), { kind: "image", steps: [{ action: "crop", x: 10, y: 0, w: undefined, h: undefined, g: "se" }] });
  });
  it("ignores empty parameters, as OSS does (ali-oss processObjectSave sends a trailing comma)", () => {
    const plan = parseProcess("image/watermark,text_aGVsbG8g5Zu+54mH5pyN5Yqh77yB,color_ff6a00,");
    assert.equal(plan.kind === "image" && plan.steps[0]?.action, "watermark");
    assert.deepEqual(parseProcess("image/resize,,w_400"), parseProcess("image/resize,w_400"));
  });
  it("gives OSS errors for everything else, never a crash", () => {
    assert.equal(code("image/"), "InvalidArgument");
    assert.equal(code("image"), "InvalidArgument");
    assert.equal(code("image/slim,1"), "InvalidArgument");
    assert.equal(code("image/faces"), "NotImplemented");
    assert.equal(code("image/resize"), "MissingArgument");
    assert.equal(code("image/resize,m_abc,w_1"), "InvalidArgument");
    assert.equal(code("image/resize,w_0"), "InvalidArgument");
    assert.equal(code("image/resize,w_16385"), "InvalidArgument");
    assert.equal(code("image/format,dng"), "InvalidArgument");
    assert.equal(code("image/format"), "MissingArgument");
    assert.equal(code("image/rotate,361"), "InvalidArgument");
    assert.equal(code("image/info/resize,w_10"), "InvalidArgument");
    assert.equal(code("image/watermark,text_%%%"), "BadRequest");
    assert.equal(code("image/watermark,t_50"), "MissingArgument");
    assert.equal(code("image/codes,x_1"), "InvalidArgument");
    assert.equal(code("image/codes/codes"), "InvalidArgument");
    assert.equal(code("image//codes"), "InvalidArgument");
    assert.equal(code("video/snapshot,t_0"), "NotImplemented");
    assert.equal(code("bogus/x"), "InvalidArgument");
    assert.equal(code("style/../x"), "InvalidArgument");
    assert.equal(code(""), "InvalidArgument");
  });
});
