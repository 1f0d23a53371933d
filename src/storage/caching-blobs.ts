/**
 * A read cache of small blob ranges in front of any BlobStore. Blobs never change once written,
 * so a cached range is valid until the blob is deleted. Small GETs are dominated by the three
 * thread-pool round trips of open/read/close (see bench/store.ts); a hit costs none.
 * Bounded by bytes (LRU eviction); ranges larger than `maxEntryBytes` are never cached.
 */
import { Readable } from "node:stream";
import type { BlobInfo, BlobStore, BlobWriteOptions } from "./types.js";
import type { BlobFile } from "./blob-files.js";

export interface BlobCacheOptions {
  readonly maxBytes: number;
  readonly maxEntryBytes: number;
}

export class CachingBlobStore implements BlobStore {
  /** `id@start-end` → bytes; Map order is the LRU order. */
  private readonly entries = new Map<string, Buffer>();
  private readonly keysById = new Map<string, Set<string>>();
  private bytes = 0;
  hits = 0;
  misses = 0;

  readonly remote: boolean;

  constructor(private readonly inner: BlobStore, private readonly options: BlobCacheOptions) {
    this.remote = inner.remote === true;
    if (inner.openFile) this.openFile = inner.openFile.bind(inner);
  }

  write(source: AsyncIterable<Buffer> | Readable, options?: BlobWriteOptions): Promise<BlobInfo> {
    return this.inner.write(source, options);
  }

  openFile?: (id: string) => Promise<BlobFile>;

  readCached(id: string, range: { start: number; end: number }): Buffer | undefined {
    const cacheKey = `${id}@${range.start}-${range.end}`;
    const hit = this.entries.get(cacheKey);
    if (!hit) return undefined;
    this.hits++;
    this.entries.delete(cacheKey);
    this.entries.set(cacheKey, hit);
    return hit;
  }

  read(id: string, range?: { start: number; end: number }): Readable {
    if (!range || range.end - range.start + 1 > this.options.maxEntryBytes) return this.inner.read(id, range);
    const cacheKey = `${id}@${range.start}-${range.end}`;
    const hit = this.entries.get(cacheKey);
    if (hit) {
      this.hits++;
      this.entries.delete(cacheKey);
      this.entries.set(cacheKey, hit);
      return Readable.from([hit], { objectMode: false });
    }
    this.misses++;
    // Read the (small) range whole, then serve it: no 'data' tap on a stream the consumer may
    // only start iterating later (that would switch it to flowing mode and drop chunks).
    const inner = this.inner.read(id, range);
    const remember = (data: Buffer): void => this.remember(id, cacheKey, data);
    async function* whole(): AsyncGenerator<Buffer> {
      const chunks: Buffer[] = [];
      for await (const chunk of inner) chunks.push(chunk as Buffer);
      const data = Buffer.concat(chunks);
      remember(data);
      yield data;
    }
    return Readable.from(whole(), { objectMode: false });
  }

  private remember(id: string, cacheKey: string, data: Buffer): void {
    if (data.length > this.options.maxEntryBytes || this.entries.has(cacheKey)) return;
    this.entries.set(cacheKey, data);
    this.bytes += data.length;
    let keys = this.keysById.get(id);
    if (!keys) this.keysById.set(id, (keys = new Set()));
    keys.add(cacheKey);
    for (const [oldest, value] of this.entries) {
      if (this.bytes <= this.options.maxBytes) break;
      this.drop(oldest, value);
    }
  }

  private drop(cacheKey: string, value: Buffer): void {
    this.entries.delete(cacheKey);
    this.bytes -= value.length;
    const id = cacheKey.slice(0, cacheKey.indexOf("@"));
    const keys = this.keysById.get(id);
    keys?.delete(cacheKey);
    if (keys?.size === 0) this.keysById.delete(id);
  }

  async delete(id: string): Promise<void> {
    for (const cacheKey of this.keysById.get(id) ?? []) {
      const value = this.entries.get(cacheKey);
      if (value) this.drop(cacheKey, value);
    }
    await this.inner.delete(id);
  }

  list(): AsyncIterable<string> {
    return this.inner.list();
  }

  cleanupTemp(): Promise<number | void> {
    return this.inner.cleanupTemp();
  }
}
