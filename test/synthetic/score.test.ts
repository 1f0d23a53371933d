import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseZbarXml, parseZXingReader } from "./peers.js";
import { sameContent, scoreImage, upceToUpca } from "./score.js";

describe("bench scoring", () => {
  it("sameContent forgives presentation differences only", () => {
    assert.ok(sameContent("0036000291452", "036000291452")); // UPC-A as EAN-13 / 12 digits
    assert.ok(sameContent("0012345000065", "01234565")); // UPC-E expanded / 8 digits
    assert.ok(sameContent("A1234567890A", "1234567890")); // Codabar start/stop
    assert.ok(sameContent("(01)09501101530003", "0109501101530003"));
    assert.ok(sameContent("0104412345678909", "04412345678909")); // DataBar without AI 01
    assert.ok(sameContent("a\nb", "a\r\nb"));
    assert.ok(sameContent("a\u241db", "a\u001db"));
    assert.ok(sameContent("978073520044951299", "9780735200449 51299"));
    assert.ok(!sameContent("5901234123457", "5901234123456"));
    assert.ok(!sameContent("ABC", "ABD"));
    assert.equal(upceToUpca("01234565"), "012345000065");
  });

  it("scores matches, duplicates, boxes and negatives", () => {
    const box = { Left: 0, Top: 0, Width: 10, Height: 10 };
    const s = scoreImage({ negative: false, codes: [{ text: "A", box }, { text: "B", box }] },
      [{ text: "A", format: "QRCode", box }, { text: "A", format: "QRCode", box: { Left: 50, Top: 50, Width: 5, Height: 5 } }, { text: "C", format: "X" }]);
    assert.deepEqual([s.expected, s.matched, s.found, s.correct, s.boxChecked, s.boxOk], [2, 1, 3, 1, 1, 1]);
    const n = scoreImage({ negative: true, codes: [] }, [{ text: "x", format: "ITF" }]);
    assert.equal(n.falsePositives, 1);
  });

  it("parses ZXingReader and zbarimg output", () => {
    const zx = 'Text:       "line1\nline2"\nBytes:      6C\nFormat:     QRCode\nPosition:   1x2 11x2 11x12 1x12 \n\nText:       "123"\nBytes:      31\nFormat:     EAN-8\n';
    const r = parseZXingReader(zx);
    assert.deepEqual(r.map((f) => [f.text, f.format]), [["line1\nline2", "QRCode"], ["123", "EAN-8"]]);
    assert.deepEqual(r[0]!.box, { Left: 1, Top: 2, Width: 10, Height: 10 });
    const zb = "<symbol type='EAN-13' quality='78'><data><![CDATA[6506328725211]]></data></symbol>" +
      `<symbol type='QR-Code' quality='1'><data format='base64' length='2'><![CDATA[${Buffer.from("hi").toString("base64")}]]></data></symbol>`;
    assert.deepEqual(parseZbarXml(zb).map((f) => f.text), ["6506328725211", "hi"]);
  });
});
