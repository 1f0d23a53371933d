import { test } from "node:test";
import assert from "node:assert/strict";
import { asArray, parseXmlBody, textOf, toXml } from "./xml.js";
import { OssError } from "../errors/oss-error.js";

const parse = (xml: string, root = "Delete") => parseXmlBody(Buffer.from(xml, "utf8"), root);

test("request bodies decode character references as XML 1.0 (ali-oss sends ' as &#39;)", () => {
  const parsed = parse("<Delete><Object><Key>a&#39;b&amp;c&#x3C;d&gt;&quot;</Key></Object></Delete>");
  assert.equal(textOf((parsed.Object as Record<string, unknown>).Key), "a'b&c<d>\"");
});

test("key text is kept exactly: whitespace, control characters, CDATA", () => {
  const parsed = parse("<?xml version=\"1.0\"?>\n<Delete>\n  <Quiet>true</Quiet>\n  <Object><Key> lead and trail </Key></Object>\n  <Object><Key>\x01\x07Pc</Key></Object>\n  <Object><Key><![CDATA[x&amp;y]]></Key></Object>\n</Delete>\n");
  assert.equal(textOf(parsed.Quiet), "true");
  assert.deepEqual(asArray(parsed.Object).map((o) => textOf((o as Record<string, unknown>).Key)), [" lead and trail ", "\x01\x07Pc", "x&amp;y"]);
  assert.equal(parsed["#text"], undefined, "whitespace between elements is not content");
});

test("malformed references and wrong roots are MalformedXML", () => {
  for (const bad of ["<Delete><Key>a&nbsp;b</Key></Delete>", "<Delete><Key>&#1;</Key></Delete>", "<Delete><Key>a & b</Key></Delete>", "<Other/>", "", "<Delete>"]) {
    assert.throws(() => parse(bad), (e: unknown) => e instanceof OssError && e.code === "MalformedXML", JSON.stringify(bad));
  }
});

test("what we write parses back to the same key", () => {
  for (const key of ["a'b.txt", "a<b&c>d +", "\x01\x0a\x0c\x07Pc", "cr\r\nlf", " sp "]) {
    const xml = toXml("Delete", { Object: { Key: key } });
    assert.equal(textOf((parse(xml).Object as Record<string, unknown>).Key), key);
  }
});
