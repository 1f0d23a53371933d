/**
 * Blobs as files: `<root>/<first 2 hex of id>/<id>`, written through `<root>/tmp/<random>`.
 * Ids are 128-bit random hex chosen here; object keys never become paths, and any id that is
 * not exactly 32 lower-case hex digits is refused, so a hostile id cannot escape the root.
 *
 * Write protocol (what makes an acknowledged blob survive kill -9 / power loss):
 *   stream into tmp/ (size + MD5 + CRC-64 in the same pass) → rename into its fan-out directory
 *   (fsyncing the root first when the fan-out directory was just created) → fsync the file and
 *   that directory concurrently → close. Any failure removes the temp (or renamed) file; a crash
 *   leaves it in tmp/, which `cleanupTemp()` empties at startup, or as an unreferenced blob, which
 *   the orphan sweep at startup removes.
 *
 * Measured on the dev box (2 shared vCPUs, load average 5–8; `dd conv=fsync` does ~317 MB/s):
 * a 512 MiB–1 GiB write including MD5 + CRC-64 + fsync runs at ~70–200 MiB/s depending on load,
 * about 0.6× the bare MD5+CRC-64 rate measured at the same moment (CPU-bound), with RSS growth
 * of 10–20 MiB; small (4 KiB) blobs, two fsyncs each (file, directory): ~130–180 writes/s.
 */
import { randomBytes } from "node:crypto";
import { close as closeCb, createReadStream, fsync as fsyncCb, open as openCb } from "node:fs";
import { promisify } from "node:util";
import { mkdir, open, readdir, rename, rm, stat, unlink, type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { BlobDigest, abortReason, blobNotFound, chunksOf, failedStream, isBlobId } from "./blob-ingest.js";
import { BlobFileCache, type BlobFile } from "./blob-files.js";
import type { BlobInfo, BlobStore, BlobWriteOptions } from "./types.js";

/** Chunks are gathered up to this size before each write (fewer thread-pool hops). */
const WRITE_BATCH_BYTES = 1024 * 1024;
/** ...or this many chunks (well under IOV_MAX = 1024). */
const MAX_BATCH_CHUNKS = 256;
/**
 * Read stream buffer. Page-cache-hot reads on the dev box: 64 KiB → ~0.8 GiB/s, 256 KiB → ~2.5,
 * 512 KiB → ~2.8, 1 MiB → ~5 GiB/s (noisy). 1 MiB: half the reads, buffers and socket writes
 * of 512 KiB per large GET (bench/store.ts wrk phase); only objects over 1 MiB hold that much
 * per connection, smaller reads get a buffer of their own size.
 */
const READ_HIGH_WATER_MARK = 1024 * 1024;
const FAN_OUT_DIR = /^[0-9a-f]{2}$/;
const openFd = promisify(openCb);
const fsyncFd = promisify(fsyncCb);
const closeFd = promisify(closeCb);
/** Blob files kept open for sendfile GETs (blob-files.ts); well under the usual 1024 descriptors. */
const MAX_OPEN_BLOB_FILES = 128;

export interface FsBlobStoreOptions {
  /**
   * list() and cleanupTemp() leave files modified less than this long ago alone (default 0: all).
   * For a data dir several nodes share (BARBUCKET_DATABASE_URL): a node starting up must not take
   * another node's upload in progress, or a blob it has written but not yet committed, for debris.
   */
  readonly orphanGraceMs?: number;
}

export class FsBlobStore implements BlobStore {
  private readonly tmpDir: string;
  private readonly knownDirs = new Set<string>();
  private tmpReady: Promise<void> | undefined;
  private readonly openFiles = new BlobFileCache(MAX_OPEN_BLOB_FILES);
  /** Raw descriptors, not FileHandles: a store dropped without closeFiles() must not close them in the GC (DEP0137). */
  private readonly openDirs = new Map<string, Promise<number>>();
  private readonly graceMs: number;

  constructor(readonly root: string, options: FsBlobStoreOptions = {}) {
    this.tmpDir = join(root, "tmp");
    this.graceMs = options.orphanGraceMs ?? 0;
  }

  async write(source: AsyncIterable<Buffer> | Readable, options: BlobWriteOptions = {}): Promise<BlobInfo> {
    if (options.signal?.aborted) throw abortReason(options.signal);
    await (this.tmpReady ??= mkdir(this.tmpDir, { recursive: true }).then(
      () => undefined,
      (error: unknown) => {
        this.tmpReady = undefined; // retry on the next write
        throw error;
      },
    ));
    const tmpPath = join(this.tmpDir, randomBytes(16).toString("hex"));
    const file = await open(tmpPath, "wx");
    const batch = new WriteBatch(file, options.stableChunks === true);
    let closed = false;
    let finalPath: string | undefined;
    try {
      const digest = new BlobDigest(options);
      for await (const chunk of chunksOf(source, options.signal)) {
        digest.add(chunk);
        await batch.add(chunk);
      }
      await batch.finish();
      const info = digest.finish();
      if (options.signal?.aborted) throw abortReason(options.signal);
      const id = randomBytes(16).toString("hex");
      const dir = await this.fanOutDir(id);
      finalPath = join(dir, id);
      // Renamed while still open, then the file and its directory synced at once (both before we
      // return): one round of disk flushes instead of two in a row. A crash in between leaves at
      // worst a complete but unreferenced blob (an orphan, swept at start), never a torn one.
      await rename(tmpPath, finalPath);
      await Promise.all([file.sync(), this.syncDirectory(dir)]);
      closed = true;
      await file.close();
      return { id, ...info };
    } catch (error) {
      await batch.settle().catch(() => undefined); // never close under a write in flight
      if (!closed) await file.close().catch(() => undefined);
      await rm(tmpPath, { force: true }).catch(() => undefined);
      if (finalPath) await rm(finalPath, { force: true }).catch(() => undefined); // renamed but not durable
      throw error;
    }
  }

  read(id: string, range?: { start: number; end: number }): Readable {
    if (!isBlobId(id)) return failedStream(blobNotFound(id));
    if (range && !(Number.isSafeInteger(range.start) && Number.isSafeInteger(range.end) && range.start >= 0 && range.end >= range.start)) {
      return failedStream(new RangeError(`bad range ${range.start}-${range.end}`));
    }
    // A small read gets a buffer of its own size: a 512 KiB buffer per 1 KiB GET drives the GC hard.
    const highWaterMark = range ? Math.max(1, Math.min(READ_HIGH_WATER_MARK, range.end - range.start + 1)) : READ_HIGH_WATER_MARK;
    return createReadStream(this.pathOf(id), {
      highWaterMark,
      ...(range ? { start: range.start, end: range.end } : {}),
    });
  }

  async openFile(id: string): Promise<BlobFile> {
    if (!isBlobId(id)) throw blobNotFound(id);
    try {
      return await this.openFiles.acquire(id, this.pathOf(id));
    } catch (error) {
      throw (error as NodeJS.ErrnoException).code === "ENOENT" ? blobNotFound(id) : error;
    }
  }

  /** Closes the blob files kept open for GETs and the fan-out directories kept open for fsync (at shutdown). */
  closeFiles(): void {
    this.openFiles.clear();
    for (const dir of this.openDirs.values()) void dir.then((fd) => closeFd(fd)).catch(() => undefined);
    this.openDirs.clear();
  }

  /**
   * fsyncs a fan-out directory through a descriptor kept open (at most 256 of them, and these
   * directories are never removed): an open and a close less per PUT.
   */
  private async syncDirectory(dir: string): Promise<void> {
    let fd = this.openDirs.get(dir);
    if (!fd) {
      fd = openFd(dir, "r");
      this.openDirs.set(dir, fd);
      fd.catch(() => this.openDirs.delete(dir)); // not kept when it failed
    }
    await fsyncFd(await fd);
  }

  async delete(id: string): Promise<void> {
    if (!isBlobId(id)) return;
    this.openFiles.forget(id);
    // unlink, not rm({ force }): rm lstats first (rimraf), one more round trip per released blob.
    await unlink(this.pathOf(id)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "ENOENT") throw error;
    });
  }

  async *list(): AsyncIterable<string> {
    const cutoff = Date.now() - this.graceMs;
    for (const dir of await readdirOrEmpty(this.root)) {
      if (!FAN_OUT_DIR.test(dir)) continue;
      for (const name of await readdirOrEmpty(join(this.root, dir))) {
        if (!isBlobId(name) || !name.startsWith(dir)) continue;
        if (this.graceMs > 0 && (await modifiedAfter(join(this.root, dir, name), cutoff))) continue;
        yield name;
      }
    }
  }

  /**
   * Empties tmp/ (but for files younger than the grace period). Resolves to the number of
   * leftovers removed. Without a grace period, call only when no write is running.
   */
  async cleanupTemp(): Promise<number> {
    const cutoff = Date.now() - this.graceMs;
    let removed = 0;
    for (const name of await readdirOrEmpty(this.tmpDir)) {
      if (this.graceMs > 0 && (await modifiedAfter(join(this.tmpDir, name), cutoff))) continue;
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
 * Gathers chunks until they reach 1 MiB and writes them with one writev, double-buffered: the
 * disk write of one batch overlaps hashing the next (hashing is the bottleneck on this box:
 * MD5 + CRC-64 ≈ 250–400 MB/s). Chunks of a `stableChunks` source are kept by reference (no
 * copy: a request body's chunks); others are copied, since the producer may reuse their memory
 * as soon as we ask for the next one. At most one write is in flight, so writes stay sequential
 * and at most ~2 MiB is held per upload.
 */
class WriteBatch {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private inFlight: Promise<void> | undefined;

  constructor(private readonly file: FileHandle, private readonly stable: boolean) {}

  async add(chunk: Buffer): Promise<void> {
    if (chunk.length === 0) return;
    this.pending.push(this.stable ? chunk : Buffer.from(chunk));
    this.pendingBytes += chunk.length;
    if (this.pendingBytes >= WRITE_BATCH_BYTES || this.pending.length >= MAX_BATCH_CHUNKS) await this.flush();
  }

  /** Starts writing the gathered chunks once the previous write is done. */
  async flush(): Promise<void> {
    if (this.pendingBytes === 0) return;
    await this.settle();
    const write = writevAll(this.file, this.pending);
    write.catch(() => undefined); // observed by the next settle(); avoid an unhandled rejection meanwhile
    this.inFlight = write;
    this.pending = [];
    this.pendingBytes = 0;
  }

  /** Waits for the write in flight (rejecting with its error). */
  async settle(): Promise<void> {
    const write = this.inFlight;
    this.inFlight = undefined;
    await write;
  }

  /** Flushes everything and waits until it is written. */
  async finish(): Promise<void> {
    await this.flush();
    await this.settle();
  }
}

/** One writev of every buffer, continued after a short write. */
async function writevAll(file: FileHandle, buffers: Buffer[]): Promise<void> {
  let rest = buffers;
  while (rest.length > 0) {
    let { bytesWritten } = await file.writev(rest);
    let i = 0;
    while (i < rest.length && bytesWritten >= rest[i]!.length) bytesWritten -= rest[i++]!.length;
    rest = rest.slice(i);
    if (bytesWritten > 0) rest[0] = rest[0]!.subarray(bytesWritten);
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

/** Modified after `cutoff` (ms); a file gone meanwhile counts as recent (nothing to remove). */
async function modifiedAfter(path: string, cutoff: number): Promise<boolean> {
  try {
    return (await stat(path)).mtimeMs > cutoff;
  } catch {
    return true;
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
