import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { configDir, credentialsFile, resolveConnection } from "./config.js";
import { UsageError } from "./exit-codes.js";

describe("connection settings", () => {
  const home = mkdtempSync(join(tmpdir(), "bb-conf-"));
  after(() => rmSync(home, { recursive: true, force: true }));
  const file = join(home, ".config", "barbucket", "credentials.json");
  mkdirSync(join(file, ".."), { recursive: true });
  writeFileSync(file, JSON.stringify({ accessKeyId: "file-id", accessKeySecret: "file-secret", endpoint: "http://file:1", region: "oss-cn-file" }));

  it("lives in $XDG_CONFIG_HOME/barbucket, else ~/.config/barbucket", () => {
    assert.equal(configDir({ HOME: "/h" }), "/h/.config/barbucket");
    assert.equal(configDir({ HOME: "/h", XDG_CONFIG_HOME: "/x" }), "/x/barbucket");
    assert.equal(configDir({ HOME: "/h", XDG_CONFIG_HOME: "relative" }), "/h/.config/barbucket", "a relative XDG path is ignored, as the spec says");
    assert.equal(credentialsFile({ HOME: home }), file);
  });
  it("takes each field from flags, else the environment, else the file, else the default", () => {
    assert.deepEqual(resolveConnection({}, { HOME: home }), { accessKeyId: "file-id", accessKeySecret: "file-secret", endpoint: "http://file:1", region: "oss-cn-file" });
    const env = { HOME: home, OSS_ACCESS_KEY_ID: "env-id", OSS_ACCESS_KEY_SECRET: "env-secret", OSS_SESSION_TOKEN: "env-token", OSS_ENDPOINT: "env:2" };
    assert.deepEqual(resolveConnection({}, env), { accessKeyId: "env-id", accessKeySecret: "env-secret", stsToken: "env-token", endpoint: "http://env:2", region: "oss-cn-file" });
    assert.deepEqual(resolveConnection({ "access-key-id": "flag-id", "access-key-secret": "flag-secret", endpoint: "https://flag:3", region: "oss-r" }, env), { accessKeyId: "flag-id", accessKeySecret: "flag-secret", stsToken: "env-token", endpoint: "https://flag:3", region: "oss-r" });
    const empty = mkdtempSync(join(tmpdir(), "bb-conf-empty-"));
    try {
      assert.deepEqual(resolveConnection({}, { HOME: empty, OSS_ACCESS_KEY_ID: "i", OSS_ACCESS_KEY_SECRET: "s" }), { accessKeyId: "i", accessKeySecret: "s", endpoint: "http://127.0.0.1:9000", region: "oss-cn-hangzhou" });
      assert.throws(() => resolveConnection({}, { HOME: empty }), /no credentials/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
  it("--config names another file, which must exist and be a JSON object", () => {
    const other = join(home, "other.json");
    writeFileSync(other, JSON.stringify({ access_key_id: "o-id", access_key_secret: "o-secret" }));
    assert.equal(resolveConnection({ config: other }, { HOME: home }).accessKeyId, "o-id");
    assert.throws(() => resolveConnection({ config: join(home, "missing.json") }, { HOME: home }), UsageError);
    writeFileSync(other, "[1]");
    assert.throws(() => resolveConnection({ config: other }, { HOME: home }), /JSON object/);
    writeFileSync(other, "{nope");
    assert.throws(() => resolveConnection({ config: other }, { HOME: home }), /not JSON/);
  });
});
