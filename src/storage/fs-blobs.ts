/**
 * Blobs as files: `<root>/<first 2 hex of id>/<id>`, written through `<root>/tmp/<random>`.
 * Ids are 128-bit random hex chosen here; object keys never become paths, and any id that is
 * not exactly 32 lower-case hex digits is refused, so a hostile id cannot escape the root.
 *
 * Write protocol (what makes an acknowledged blob survive kill -9 / power loss):
 *   stream into tmp/ (size + MD5 + CRC-64 in the same pass) → fsync file → close →
 *   rename into its fan-out directory → fsync that directory (and the root when the fan-out
 *   directory was just created). Any failure removes the temp file; a crash leaves it in tmp/,
 *   which `cleanupTemp()` empties at startup.
 */
import { randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, open, readdir, rename, rm, type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { BlobDigest, abortReason, blobNotFound, chunksOf, failedStream, isBlobId } from "./blob-ingest.js";
import type { BlobInfo, BlobStore, BlobWriteOptions } from "./types.js";

/** Small chunks are gathered into a buffer of this size before each write (fewer thread-pool hops). */
const WRITE_BATCH_BYTES = 1024 * 1024;
/** Read stream buffer. 64 KiB → ~1.6 GB/s, 512 KiB → ~2.6 GB/s, 1 MiB → ~2.6 GB/s on the dev box (page cache hot). */
const READ_HIGH_WATER_MARK = 512 * 1024;
const FAN_OUT_DIR = /^[0-9a-f]{2}$/;

export class FsBlobStore implements BlobStore {
  private readonly tmpDir: string;
  private readonly knownDirs = new Set<string>();
  private tmpReady: Promise<void> | undefined;

  constructor(readonly root: string) {
    this.tmpDir = join(root, "tmp");
  }

  async write(source: AsyncIterable<Buffer> | Readable, options: BlobWriteOptions = {}): Promise<BlobInfo> {
    if (options.signal?.aborted) throw abortReason(options.signal);
    await (this.tmpReady ??= mkdir(this.tmpDir, { recursive: true }).then(() => undefined));
    const tmpPath = join(this.tmpDir, randomBytes(16).toString("hex"));
    const file = await open(tmpPath, "wx");
    let closed = false;
    try {
      const digest = new BlobDigest(options);
      const batch = new WriteBatch(file);
      for await (const chunk of chunksOf(source, options.signal)) {
        digest.add(chunk);
        await batch.add(chunk);
      }
      await batch.flush();
      const info = digest.finish();
      if (options.signal?.aborted) throw abortReason(options.signal);
      await file.sync();
      closed = true;
      await file.close();
      const id = randomBytes(16).toString("hex");
      const dir = await this.fanOutDir(id);
      await rename(tmpPath, join(dir, id));
      await fsyncDirectory(dir);
      return { id, ...info };
    } catch (error) {
      if (!closed) await file.close().catch(() => undefined);
      await rm(tmpPath, { force: true }).catch(() => undefined);
      throw error;
    }
  }

  read(id: string, range?: { start: number; end: number }): Readable {
    if (!isBlobId(id)) return failedStream(blobNotFound(id));
    if (range && !(Number.isSafeInteger(range.start) && Number.isSafeInteger(range.end) && range.start >= 0 && range.end >= range.start)) {
      return failedStream(new RangeError(`bad range ${range.start}-${range.end}`));
    }
    return createReadStream(this.pathOf(id), {
      highWaterMark: READ_HIGH_WATER_MARK,
      ...(range ? { start: range.start, end: range.end } : {}),
    });
  }

  async delete(id: string): Promise<void> {
    if (!isBlobId(id)) return;
    await rm(this.pathOf(id), { force: true });
  }

  async *list(): AsyncIterable<string> {
    for (const dir of await readdirOrEmpty(this.root)) {
      if (!FAN_OUT_DIR.test(dir)) continue;
      for (const name of await readdirOrEmpty(join(this.root, dir))) {
        if (isBlobId(name) && name.startsWith(dir)) yield name;
      }
    }
  }

  /** Empties tmp/. Resolves to the number of leftovers removed. Call only when no write is running. */
  async cleanupTemp(): Promise<number> {
    let removed = 0;
    for (const name of await readdirOrEmpty(this.tmpDir)) {
      await rm(join(this.tmpDir, name), { force: true, recursive: true });
      removed++;
    }
    return removed;
  }

  private pathOf(id: string): string {
    return join(this.root, id.slice(0, 2), id);
  }

  private async fanOutDir(id: string): Promise<string> {
    const dir = join(this.root, id.slice(0, 2));
    if (!this.knownDirs.has(dir)) {
      const created = await mkdir(dir, { recursive: true });
      if (created !== undefined) await fsyncDirectory(this.root); // make the new directory entry durable
      this.knownDirs.add(dir);
    }
    return dir;
  }
}

/**
 * Copies small chunks into one buffer and writes it when full: fewer thread-pool round trips, and
 * the producer may reuse a chunk's memory as soon as we ask for the next one. Big chunks go
 * straight to disk.
 */
class WriteBatch {
  private readonly buffer = Buffer.allocUnsafe(WRITE_BATCH_BYTES);
  private used = 0;

  constructor(private readonly file: FileHandle) {}

  async add(chunk: Buffer): Promise<void> {
    if (this.used + chunk.length > WRITE_BATCH_BYTES) await this.flush();
    if (chunk.length >= WRITE_BATCH_BYTES) {
      await writeAll(this.file, chunk);
      return;
    }
    chunk.copy(this.buffer, this.used);
    this.used += chunk.length;
  }

  async flush(): Promise<void> {
    if (this.used === 0) return;
    await writeAll(this.file, this.buffer.subarray(0, this.used));
    this.used = 0;
  }
}

async function writeAll(file: FileHandle, data: Buffer): Promise<void> {
  let offset = 0;
  while (offset < data.length) {
    const { bytesWritten } = await file.write(data, offset, data.length - offset);
    offset += bytesWritten;
  }
}

async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function readdirOrEmpty(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}
