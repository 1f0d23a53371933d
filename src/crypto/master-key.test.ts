import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { SecretBox } from "../iam/secret-box.js";
import { loadMasterKey, parseMasterKey } from "./master-key.js";

const root = mkdtempSync(join(tmpdir(), "master-key-"));
after(() => rmSync(root, { recursive: true, force: true }));

describe("master key", () => {
  it("a configured key is used as given and never written to the data dir", () => {
    const dir = mkdtempSync(join(root, "configured-"));
    const key = randomBytes(32);
    assert.deepEqual(loadMasterKey(dir, parseMasterKey(key.toString("base64"))), key);
    assert.ok(!existsSync(join(dir, "master.key")));
    // Two nodes with the same configured key open each other's sealed secrets.
    const sealed = SecretBox.open(dir, parseMasterKey(key.toString("base64"))).seal("secret", "ctx");
    assert.equal(SecretBox.open(mkdtempSync(join(root, "other-")), parseMasterKey(key.toString("base64"))).open(sealed, "ctx"), "secret");
  });

  it("without one, generates master.key (0600) once and reads it back", () => {
    const dir = mkdtempSync(join(root, "file-"));
    const first = loadMasterKey(dir);
    assert.equal(first.length, 32);
    assert.equal(statSync(join(dir, "master.key")).mode & 0o777, 0o600);
    assert.deepEqual(loadMasterKey(dir), first);
    assert.equal(Buffer.from(readFileSync(join(dir, "master.key"), "utf8"), "base64").length, 32);
  });
});
