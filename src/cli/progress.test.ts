import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { humanSize, Progress } from "./progress.js";

function io() {
  const errs: string[] = [];
  return { errs, out: () => {}, err: (l: string) => errs.push(l) };
}

describe("progress", () => {
  it("piped: only the plain lines, no control characters", () => {
    const sink = io();
    const drawn: string[] = [];
    const p = new Progress(sink, { tty: false, write: (t) => drawn.push(t) });
    p.add(2, 300);
    p.update("x", 100);
    p.done("copied a", 100, "x");
    p.fail("failed b");
    p.end();
    assert.deepEqual(sink.errs, ["copied a", "failed b"]);
    assert.deepEqual(drawn, []);
  });
  it("on a terminal: a redrawn bar counting bytes, cleared before each line", () => {
    const sink = io();
    const drawn: string[] = [];
    const p = new Progress(sink, { tty: true, write: (t) => drawn.push(t), width: 10 });
    p.add(2, 2048);
    p.update("big", 512);
    assert.equal(p.line("big"), "[###-------]  25%  0/2  512B/2.0KiB  big");
    p.done("copied big", 1024, "big");
    assert.equal(p.line(), "[#####-----]  50%  1/2  1.0KiB/2.0KiB");
    p.end();
    assert.ok(drawn.some((t) => t.startsWith("\r\x1b[K[")));
    assert.equal(drawn.at(-1), "\r\x1b[K");
    assert.deepEqual(sink.errs, ["copied big"]);
  });
  it("sizes", () => {
    assert.equal(humanSize(5), "5B");
    assert.equal(humanSize(1536), "1.5KiB");
    assert.equal(humanSize(3 * 1024 * 1024 * 1024), "3.0GiB");
  });
});
