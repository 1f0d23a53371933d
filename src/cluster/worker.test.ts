import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadConfig } from "../config.js";
import { workerShare } from "./worker.js";

describe("workerShare: BARBUCKET_CODES_WORKERS / _QUEUE stay machine-wide", () => {
  const share = (workers: string, threads: string, queue: string) => {
    const c = workerShare(loadConfig({ BARBUCKET_WORKERS: workers, BARBUCKET_CODES_WORKERS: threads, BARBUCKET_CODES_QUEUE: queue }));
    return [c.codesWorkers, c.codesQueue];
  };
  it("divides threads (at least one per worker) and the queue (rounded up)", () => {
    assert.deepEqual(share("2", "2", "64"), [1, 32]);
    assert.deepEqual(share("2", "8", "5"), [4, 3]);
    assert.deepEqual(share("4", "1", "0"), [1, 0]);
    assert.deepEqual(share("1", "3", "10"), [3, 10]);
  });
  it("BARBUCKET_WORKERS defaults to the number of cores and is bounded", () => {
    assert.ok(loadConfig({}).workers >= 1);
    assert.throws(() => loadConfig({ BARBUCKET_WORKERS: "0" }), /BARBUCKET_WORKERS/);
  });
});
