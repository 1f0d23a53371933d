import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { splitSaveAs } from "./saveas.js";
import { isOssError } from "../errors/oss-error.js";

const b64url = (s: string) => Buffer.from(s).toString("base64url");
const b64 = (s: string) => Buffer.from(s).toString("base64");

describe("splitSaveAs", () => {
  it("reads URL-safe and standard Base64 names, with or without a bucket", () => {
    assert.deepEqual(splitSaveAs(`image/resize,w_10|sys/saveas,o_${b64url("a/b?.jpg")},b_${b64url("dest")}`), { process: "image/resize,w_10", saveAs: { key: "a/b?.jpg", bucket: "dest" } });
    assert.deepEqual(splitSaveAs(`image/codes|sys/saveas,o_${b64("x>>y.json")}`), { process: "image/codes", saveAs: { key: "x>>y.json", bucket: undefined } });
    assert.deepEqual(splitSaveAs("image/info"), { process: "image/info" });
  });
  it("refuses what is not a saveas with OSS errors", () => {
    for (const bad of ["image/info|sys/other,o_eA", "image/info|sys/saveas,b_eA", "image/info|sys/saveas,o_%%%", "a|b|c", "image/info|sys/saveas,z_eA"]) {
      assert.throws(() => splitSaveAs(bad), (e: unknown) => isOssError(e) && e.status === 400, bad);
    }
  });
});
