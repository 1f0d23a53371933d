import assert from "node:assert/strict";
import { test } from "node:test";
import { dimensionOf, functionTemplate, UNKNOWN, versionNear } from "./qr-spec.js";
import { qrMatrix } from "./stress-images.js";

test("every module the template fixes has that colour in real symbols (versions 1-12, incl. version information)", () => {
  for (let version = 1; version <= 12; version++) {
    const q = qrMatrix("A", { version, eclevel: "L" });
    assert.equal(q.dim, dimensionOf(version));
    const t = functionTemplate(version);
    let known = 0;
    for (let i = 0; i < t.length; i++) {
      if (t[i] === UNKNOWN) continue;
      known++;
      assert.equal(q.dark[i], t[i], `version ${version}, module ${Math.floor(i / q.dim)},${i % q.dim}`);
    }
    assert.ok(known > 3 * 64);
  }
});

test("versionNear rounds a measured dimension and clamps to 1..40", () => {
  assert.equal(versionNear(45.6), 7);
  assert.equal(versionNear(10), 1);
  assert.equal(versionNear(300), 40);
});
