import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { Worker } from "node:worker_threads";

const root = mkdtempSync(join(tmpdir(), "barbucket-sqlite-open-"));
after(() => rmSync(root, { recursive: true, force: true }));

/**
 * Opens `file` from `count` threads released at one instant (a shared Int32Array as the starting gun), as nodes
 * sharing a data dir start together; resolves to each thread's error message, or "ok".
 */
async function openAtOnce(file: string, count: number): Promise<string[]> {
  const gun = new Int32Array(new SharedArrayBuffer(4));
  const moduleUrl = new URL("./sqlite-schema.js", import.meta.url).href;
  const source = `
    const { workerData, parentPort } = require("node:worker_threads");
    import(workerData.moduleUrl).then(({ openDatabase }) => {
      parentPort.postMessage("ready");
      Atomics.wait(workerData.gun, 0, 0);
      try { openDatabase(workerData.file).close(); parentPort.postMessage("ok"); }
      catch (error) { parentPort.postMessage(String(error.message)); }
    });`;
  const workers = Array.from({ length: count }, () => new Worker(source, { eval: true, workerData: { moduleUrl, gun, file } }));
  const results = workers.map((worker) => new Promise<string>((resolve, reject) => {
    worker.on("message", (message: string) => { if (message !== "ready") resolve(message); });
    worker.once("error", reject);
  }));
  await Promise.all(workers.map((worker) => new Promise((resolve) => worker.once("message", resolve))));
  Atomics.store(gun, 0, 1);
  Atomics.notify(gun, 0);
  try {
    return await Promise.all(results);
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

describe("opening one SQLite file from many processes at once", () => {
  it("every opener succeeds on a fresh file: the switch to WAL waits for the lock instead of failing", async () => {
    const failures: string[] = [];
    for (let round = 0; round < 8; round++) {
      const results = await openAtOnce(join(root, `fresh-${round}.sqlite`), 8);
      failures.push(...results.filter((result) => result !== "ok"));
    }
    assert.deepEqual(failures, []);
  });
});
