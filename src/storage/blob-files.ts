/**
 * Open file descriptors of blob files, kept for reuse (LRU, bounded): a GET handed to sendfile(2)
 * (src/http/send-file.ts) needs the file's descriptor, and an open plus a close per request are
 * two thread-pool round trips (measured ~0.1 ms of main-thread CPU each under wrk load).
 *
 * Safe to keep because a blob never changes once written and its id is never reused: a cached
 * descriptor always reads the bytes that id named. Which blob a GET serves comes from the metadata
 * read per request, so an overwrite through another process (a new blob id) is never served stale;
 * a blob deleted by another process stays readable through a descriptor held here until it is
 * evicted, exactly as an open read stream would. Deletes through this process close at once (or
 * when the last reader releases it). sendfile reads at an explicit offset, so readers share one
 * descriptor.
 */
import { close, open } from "node:fs";
import { promisify } from "node:util";

// Raw descriptors, not FileHandles: a cache dropped without clear() must not have them closed by
// the GC (DEP0137), which could close a descriptor a sendfile is using.
const openFd = promisify(open);
const closeFd = promisify(close);

/** A descriptor lent to one reader: call `release()` exactly once when done with `fd`. */
export interface BlobFile {
  readonly fd: number;
  release(): void;
}

interface Entry {
  readonly fd: Promise<number>;
  readers: number;
  evicted: boolean;
}

export class BlobFileCache {
  /** Map order is the LRU order. */
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly maxOpen: number) {}

  async acquire(id: string, path: string): Promise<BlobFile> {
    let entry = this.entries.get(id);
    if (entry) {
      this.entries.delete(id); // to the back: most recently used
      this.entries.set(id, entry);
    } else {
      entry = { fd: openFd(path, "r"), readers: 0, evicted: false };
      this.entries.set(id, entry);
      entry.fd.catch(() => {
        if (this.entries.get(id) === entry) this.entries.delete(id); // not cached when it failed
      });
      this.evictOverflow();
    }
    entry.readers++;
    const held = entry;
    let fd: number;
    try {
      fd = await held.fd;
    } catch (error) {
      held.readers--;
      throw error;
    }
    let released = false;
    return {
      fd,
      release: () => {
        if (released) return;
        released = true;
        held.readers--;
        if (held.evicted && held.readers === 0) void closeFd(fd).catch(() => undefined);
      },
    };
  }

  /** Drops the blob's descriptor (closed now, or when its last reader releases it). */
  forget(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.entries.delete(id);
    this.retire(entry);
  }

  /** Closes every descriptor not in use (the rest as their readers release them). */
  clear(): void {
    for (const entry of this.entries.values()) this.retire(entry);
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  private evictOverflow(): void {
    for (const [id, entry] of this.entries) {
      if (this.entries.size <= this.maxOpen) break;
      this.entries.delete(id);
      this.retire(entry);
    }
  }

  private retire(entry: Entry): void {
    entry.evicted = true;
    if (entry.readers === 0) void entry.fd.then((fd) => closeFd(fd)).catch(() => undefined);
  }
}
