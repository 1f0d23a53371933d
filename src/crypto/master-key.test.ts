import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { Worker } from "node:worker_threads";
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

  it("nodes starting together on a shared data dir all end up with the one key written", async () => {
    const moduleUrl = new URL("./master-key.js", import.meta.url).href;
    for (let round = 0; round < 5; round++) {
      const dir = mkdtempSync(join(root, "race-"));
      const gun = new Int32Array(new SharedArrayBuffer(4));
      const source = `
        const { workerData, parentPort } = require("node:worker_threads");
        import(workerData.moduleUrl).then(({ loadMasterKey }) => {
          parentPort.postMessage("ready");
          Atomics.wait(workerData.gun, 0, 0);
          parentPort.postMessage(loadMasterKey(workerData.dir).toString("base64"));
        });`;
      const workers = Array.from({ length: 6 }, () => new Worker(source, { eval: true, workerData: { moduleUrl, gun, dir } }));
      const keys = workers.map((w) => new Promise<string>((resolve, reject) => {
        w.on("message", (m: string) => { if (m !== "ready") resolve(m); });
        w.once("error", reject);
      }));
      await Promise.all(workers.map((w) => new Promise((resolve) => w.once("message", resolve))));
      Atomics.store(gun, 0, 1);
      Atomics.notify(gun, 0);
      const got = await Promise.all(keys);
      await Promise.all(workers.map((w) => w.terminate()));
      assert.equal(new Set(got).size, 1, `round ${round}: the starters hold different keys`);
      assert.equal(got[0], readFileSync(join(dir, "master.key"), "utf8"));
      assert.deepEqual(readdirSync(dir), ["master.key"], "no temp file left");
    }
  });
});
