import { test } from "node:test";
import assert from "node:assert/strict";
import { signedHeaderText } from "./encode.js";

test("header bytes that are UTF-8 are signed as the text they encode (ali-oss headerEncoding latin1)", () => {
  const wire = Buffer.from("阿达的大多", "utf8").toString("latin1"); // what node's parser hands over
  assert.equal(signedHeaderText(wire), "阿达的大多");
});

test("ASCII and non-UTF-8 bytes are left as they arrived", () => {
  assert.equal(signedHeaderText("plain ascii"), "plain ascii");
  assert.equal(signedHeaderText("caf\u00e9"), "caf\u00e9", "a lone 0xE9 byte is not UTF-8: a latin1 é");
});
