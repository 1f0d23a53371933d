import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ImageService } from "./service.js";
import { isOssError } from "../errors/oss-error.js";

describe("ImageService.run", () => {
  it("runs `workers` at once, queues `maxQueue`, and refuses one more with 503 at once", async () => {
    const images = new ImageService({ workers: 1, maxQueue: 1, cacheBytes: 1024, cacheEntries: 4 });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const order: string[] = [];
    const first = images.run(async () => { order.push("first"); await gate; return 1; });
    const second = images.run(async () => { order.push("second"); return 2; });
    await assert.rejects(images.run(async () => 3), (e: unknown) => isOssError(e) && e.code === "ServiceUnavailable" && e.headers["retry-after"] === "1");
    assert.deepEqual(order, ["first"], "the queued task waits for the slot");
    release();
    assert.deepEqual(await Promise.all([first, second]), [1, 2]);
    assert.deepEqual(order, ["first", "second"]);
    assert.equal(await images.run(async () => 4), 4, "the slot is free again");
  });
  it("frees the slot when a task fails", async () => {
    const images = new ImageService({ workers: 1, maxQueue: 0, cacheBytes: 1024, cacheEntries: 4 });
    await assert.rejects(images.run(async () => { throw new Error("boom"); }), /boom/);
    assert.equal(await images.run(async () => "ok"), "ok");
  });
});
