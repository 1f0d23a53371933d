import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SecretBox } from "./secret-box.js";

describe("SecretBox", () => {
  it("creates the master key once (0600) and round-trips secrets bound to their context", () => {
    const dir = mkdtempSync(join(tmpdir(), "bb-box-"));
    try {
      const box = SecretBox.open(dir);
      const key = readFileSync(join(dir, "master.key"), "utf8");
      assert.equal(statSync(join(dir, "master.key")).mode & 0o777, 0o600);
      const sealed = box.seal("s3cr3t", "access-key:AK1");
      assert.ok(!sealed.includes("s3cr3t"));
      assert.equal(SecretBox.open(dir).open(sealed, "access-key:AK1"), "s3cr3t");
      assert.equal(readFileSync(join(dir, "master.key"), "utf8"), key, "not regenerated");
      assert.throws(() => box.open(sealed, "access-key:AK2"), "context is authenticated");
      const tampered = sealed.slice(0, -2) + (sealed.endsWith("A") ? "BB" : "AA");
      assert.throws(() => box.open(tampered, "access-key:AK1"));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
