import { test } from "node:test";
import assert from "node:assert/strict";
import { decodeXmlText, escapeXml, XmlReferenceError } from "./xml-text.js";

test("decodes numeric (decimal, hex) and the five named references", () => {
  assert.equal(decodeXmlText("a&#39;b"), "a'b");
  assert.equal(decodeXmlText("&#x41;&#65;"), "AA");
  assert.equal(decodeXmlText("&lt;&gt;&amp;&quot;&apos;"), "<>&\"'");
  assert.equal(decodeXmlText("&#x1F600;"), "\u{1F600}");
  assert.equal(decodeXmlText("&amp;#39;"), "&#39;", "decoded once, not twice");
  assert.equal(decodeXmlText("plain"), "plain");
});

test("rejects what XML 1.0 does not allow", () => {
  for (const bad of ["a & b", "&nbsp;", "&#1;", "&#x0;", "&#xD800;", "&#;", "&#x;", "&amp", "&#12a;", "&#xFFFE;", "&#X41;"]) {
    assert.throws(() => decodeXmlText(bad), XmlReferenceError, bad);
  }
});

test("escape then decode round-trips any key, control characters included", () => {
  const keys = ["a<b&c>d +", "\x01\x0a\x0c\x07Pc", "q\"'", "cr\r\nlf", "是 空格 yeah +-/\\&*#(1) "];
  for (const key of keys) assert.equal(decodeXmlText(escapeXml(key)), key);
  assert.equal(escapeXml("\x01"), "\x01", "control characters are written raw, as OSS does");
  assert.equal(escapeXml("\r"), "&#13;");
});
