import { test } from "node:test";
import assert from "node:assert/strict";
import { ERROR_TABLE, UNDOCUMENTED_EC, type ErrorCode } from "./codes.js";
import { OssError } from "./oss-error.js";
import { renderError } from "./render.js";

test("every code in the table renders <EC> in the body and x-oss-ec in the header", () => {
  for (const code of Object.keys(ERROR_TABLE) as ErrorCode[]) {
    const rendered = renderError(new OssError(code), "RID", "host", "GET");
    const ec = /<EC>([^<]+)<\/EC>/.exec(rendered.body)?.[1];
    assert.ok(ec, `${code} has an <EC>`);
    assert.match(ec, /^\d{4}-\d{8}$/);
    assert.equal(rendered.headers["x-oss-ec"], ec, code);
    assert.ok(rendered.body.indexOf("<HostId>") < rendered.body.indexOf("<EC>"), "EC follows the common elements (oss-api.md §0 fact 7)");
  }
});

test("documented ECs: the common codes carry OSS's values, a throw site may be more specific", () => {
  const ec = (code: ErrorCode): string => new OssError(code).ec;
  assert.equal(ec("NoSuchKey"), "0026-00000001");
  assert.equal(ec("NoSuchBucket"), "0015-00000101");
  assert.equal(ec("PositionNotEqualToLength"), "0026-00000016");
  assert.equal(new OssError("AccessDenied", undefined, { ec: "0002-00000503" }).ec, "0002-00000503");
  const undocumented = renderError(new OssError("InternalError"), "RID", "host", "GET");
  assert.equal(undocumented.headers["x-oss-ec"], UNDOCUMENTED_EC);
  assert.ok(!undocumented.body.includes("RecommendDoc"), "no troubleshooting link for an EC OSS does not document");
});

test("HEAD errors: no body, the XML (with EC) base64 in x-oss-err", () => {
  const rendered = renderError(new OssError("NoSuchKey", undefined, { extra: { Key: "k" } }), "RID", "host", "HEAD");
  assert.equal(rendered.body, "");
  const xml = Buffer.from(rendered.headers["x-oss-err"] ?? "", "base64").toString("utf8");
  assert.match(xml, /<Key>k<\/Key><EC>0026-00000001<\/EC>/);
});
