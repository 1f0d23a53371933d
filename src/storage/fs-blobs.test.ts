import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { after, describe, it } from "node:test";
import { runBlobStoreConformance } from "./conformance.js";
import { FsBlobStore } from "./fs-blobs.js";

const root = await mkdtemp(join(tmpdir(), "barbucket-blobs-"));
after(() => rm(root, { recursive: true, force: true }));
let counter = 0;
const freshRoot = () => join(root, `store-${++counter}`);

async function tempFiles(dir: string): Promise<number> {
  try {
    return (await readdir(join(dir, "tmp"))).length;
  } catch {
    return 0;
  }
}

runBlobStoreConformance("fs", async () => {
  const dir = freshRoot();
  return { store: new FsBlobStore(dir), cleanup: () => rm(dir, { recursive: true, force: true }), countTemp: () => tempFiles(dir) };
});

describe("FsBlobStore specifics", () => {
  it("with an orphan grace period, list() and cleanupTemp() leave recent files to the node writing them", async () => {
    const dir = freshRoot();
    const store = new FsBlobStore(dir, { orphanGraceMs: 60_000 });
    const recent = (await store.write(Readable.from([Buffer.from("just written")]))).id;
    const old = (await store.write(Readable.from([Buffer.from("long ago")]))).id;
    const hourAgo = new Date(Date.now() - 3_600_000);
    await utimes(join(dir, old.slice(0, 2), old), hourAgo, hourAgo);
    await mkdir(join(dir, "tmp"), { recursive: true });
    await writeFile(join(dir, "tmp", "in-progress"), "x");
    await writeFile(join(dir, "tmp", "abandoned"), "x");
    await utimes(join(dir, "tmp", "abandoned"), hourAgo, hourAgo);
    const listed: string[] = [];
    for await (const id of store.list()) listed.push(id);
    assert.deepEqual(listed, [old]);
    assert.equal(await store.cleanupTemp(), 1);
    assert.deepEqual(await readdir(join(dir, "tmp")), ["in-progress"]);
    const all: string[] = [];
    for await (const id of new FsBlobStore(dir).list()) all.push(id);
    assert.deepEqual(all.sort(), [recent, old].sort(), "without a grace period every blob is listed");
  });

  it("fans blobs out into 2-hex-digit directories and keeps tmp/ out of list()", async () => {
    const dir = freshRoot();
    const store = new FsBlobStore(dir);
    const { id } = await store.write(Readable.from([Buffer.from("hello")]));
    assert.deepEqual(await readdir(join(dir, id.slice(0, 2))), [id]);
    const entries = (await readdir(dir)).sort();
    assert.deepEqual(entries, [id.slice(0, 2), "tmp"].sort());
  });

  it("streams a large blob with bounded memory", async () => {
    const store = new FsBlobStore(freshRoot());
    const chunk = Buffer.alloc(256 * 1024, 7);
    const total = 128 * 1024 * 1024;
    async function* source(): AsyncGenerator<Buffer> {
      for (let sent = 0; sent < total; sent += chunk.length) yield chunk;
    }
    const rssBefore = process.memoryUsage.rss();
    let peak = rssBefore;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
    try {
      const info = await store.write(source(), { expectedSize: total });
      assert.equal(info.size, total);
    } finally {
      clearInterval(sampler);
    }
    assert.ok(peak - rssBefore < 64 * 1024 * 1024, `RSS grew by ${((peak - rssBefore) / 1048576).toFixed(1)} MiB`);
  });

  it("leaves no temp file and no visible blob after SIGKILL mid-write", async () => {
    const dir = freshRoot();
    const moduleUrl = new URL("./fs-blobs.js", import.meta.url).href;
    const childCode = `
      const { FsBlobStore } = await import(${JSON.stringify(moduleUrl)});
      const store = new FsBlobStore(${JSON.stringify(dir)});
      async function* slow() {
        const chunk = Buffer.alloc(64 * 1024, 1);
        for (let i = 0; ; i++) {
          if (i === 40) process.stdout.write("writing\\n");
          yield chunk;
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
      }
      await store.write(slow());
    `;
    const child = spawn(process.execPath, ["--input-type=module", "-e", childCode], { stdio: ["ignore", "pipe", "inherit"] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (data: Buffer) => data.toString().includes("writing") && resolve());
      child.on("exit", (code) => reject(new Error(`child exited early with ${code}`)));
    });
    assert.equal(await tempFiles(dir), 1, "the interrupted write should be sitting in tmp/");
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;

    const store = new FsBlobStore(dir);
    assert.equal(await store.cleanupTemp(), 1);
    assert.equal(await tempFiles(dir), 0);
    const ids: string[] = [];
    for await (const id of store.list()) ids.push(id);
    assert.deepEqual(ids, []);
  });
});
