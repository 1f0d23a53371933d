import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkpointPath, dropCheckpoint, loadCheckpoint, saveCheckpoint } from "./checkpoint.js";

describe("multipart checkpoints", () => {
  const dir = mkdtempSync(join(tmpdir(), "bb-cpt-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const env = { XDG_CONFIG_HOME: dir };
  const id = { endpoint: "http://127.0.0.1:9000", bucket: "b", key: "k", file: "/tmp/f", size: 1000, mtimeMs: 5 };

  it("are kept under the config dir, one file per endpoint, bucket, key and unchanged file", () => {
    const p = checkpointPath(id, env);
    assert.ok(p.startsWith(join(dir, "barbucket", "checkpoints") + "/") && p.endsWith(".json"));
    assert.equal(checkpointPath({ ...id }, env), p);
    for (const change of [{ key: "k2" }, { bucket: "c" }, { size: 1001 }, { mtimeMs: 6 }, { endpoint: "http://x" }]) {
      assert.notEqual(checkpointPath({ ...id, ...change }, env), p);
    }
  });
  it("round-trip, refuse another size, and are dropped", () => {
    const p = checkpointPath(id, env);
    assert.equal(loadCheckpoint(p, "/tmp/f", 1000), undefined);
    saveCheckpoint(p, { file: "/tmp/f", name: "k", fileSize: 1000, partSize: 500, uploadId: "u1", doneParts: [{ number: 1, etag: '"e"' }] });
    assert.equal(statSync(p).mode & 0o777, 0o600);
    assert.deepEqual(loadCheckpoint(p, "/tmp/f", 1000), { file: "/tmp/f", name: "k", fileSize: 1000, partSize: 500, uploadId: "u1", doneParts: [{ number: 1, etag: '"e"' }] });
    assert.equal(loadCheckpoint(p, "/tmp/f", 999), undefined);
    dropCheckpoint(p);
    assert.equal(existsSync(p), false);
  });
});
