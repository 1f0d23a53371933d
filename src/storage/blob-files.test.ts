import { test } from "node:test";
import assert from "node:assert/strict";
import { fstatSync, mkdtempSync, readSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BlobFileCache } from "./blob-files.js";

function isOpen(fd: number): boolean {
  try {
    fstatSync(fd);
    return true;
  } catch {
    return false;
  }
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20));

test("BlobFileCache lends one descriptor per blob and closes it only when evicted and released", async () => {
  const dir = mkdtempSync(join(tmpdir(), "blob-files-"));
  try {
    for (const name of ["a", "b", "c"]) writeFileSync(join(dir, name), name.repeat(10));
    const cache = new BlobFileCache(2);
    const a1 = await cache.acquire("a", join(dir, "a"));
    const a2 = await cache.acquire("a", join(dir, "a"));
    assert.equal(a1.fd, a2.fd, "the same open file for the same blob");
    const buf = Buffer.alloc(3);
    readSync(a1.fd, buf, 0, 3, 0);
    assert.equal(buf.toString(), "aaa");
    a2.release();
    const b = await cache.acquire("b", join(dir, "b"));
    b.release();
    const c = await cache.acquire("c", join(dir, "c")); // evicts "a" (least recently used), still lent out
    c.release();
    assert.equal(cache.size, 2);
    await settle();
    assert.ok(isOpen(a1.fd), "an evicted descriptor stays open while a reader holds it");
    a1.release();
    a1.release(); // twice is harmless
    await settle();
    assert.ok(!isOpen(a1.fd), "closed once its last reader released it");
    cache.forget("c");
    await settle();
    assert.ok(!isOpen(c.fd), "forget closes an unused descriptor");
    cache.clear();
    await settle();
    assert.ok(!isOpen(b.fd));
    assert.equal(cache.size, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("BlobFileCache does not keep a failed open", async () => {
  const dir = mkdtempSync(join(tmpdir(), "blob-files-"));
  try {
    const cache = new BlobFileCache(4);
    await assert.rejects(cache.acquire("x", join(dir, "x")), { code: "ENOENT" });
    await settle();
    assert.equal(cache.size, 0);
    writeFileSync(join(dir, "x"), "now here");
    const x = await cache.acquire("x", join(dir, "x"));
    assert.ok(isOpen(x.fd));
    x.release();
    cache.clear();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
