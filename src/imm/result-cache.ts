/**
 * Recognition results, remembered: a bounded LRU (by entry count and by total estimated bytes)
 * plus in-flight de-duplication, so a repeat scan of an unchanged object costs no decode and N
 * concurrent identical requests cost one engine call.
 *
 * Keys name the object *version* (bucket, key, ETag, Last-Modified) and the work (the process /
 * maxCodes), so an overwrite — which changes ETag or Last-Modified — simply misses; stale entries
 * age out through the LRU instead of needing invalidation hooks in every write path.
 */

export interface ResultCacheOptions {
  readonly maxEntries: number;
  readonly maxBytes: number;
}

export interface ScanKey {
  readonly bucket: string;
  readonly key: string;
  readonly etag: string;
  readonly lastModified: Date;
  /** The version id in a versioned bucket (two versions may share ETag and Last-Modified). */
  readonly versionId?: string | undefined;
  /** What was computed, e.g. `image/codes;max=5`. */
  readonly work: string;
}

export interface CacheStats {
  readonly entries: number;
  readonly bytes: number;
  readonly hits: number;
  readonly misses: number;
  /** Requests that joined a computation already in flight. */
  readonly joined: number;
  readonly evictions: number;
}

interface Entry<V> {
  readonly value: V;
  readonly bytes: number;
}

/** A stable string for a ScanKey; JSON keeps fields from running into each other. */
export function scanKeyString(k: ScanKey): string {
  return JSON.stringify([k.bucket, k.key, k.etag, k.lastModified.getTime(), k.versionId ?? null, k.work]);
}

export class ResultCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private readonly inFlight = new Map<string, Promise<V>>();
  private totalBytes = 0;
  private hits = 0;
  private misses = 0;
  private joined = 0;
  private evictions = 0;

  constructor(
    private readonly options: ResultCacheOptions,
    /** Estimated memory of a value, in bytes. */
    private readonly sizeOf: (value: V) => number = (value) => Buffer.byteLength(JSON.stringify(value) ?? "") * 2,
  ) {
    if (!(options.maxEntries >= 0 && options.maxBytes >= 0)) throw new Error("ResultCache limits must be non-negative");
  }

  /** The cached value (refreshing its recency), or undefined. */
  get(key: ScanKey): V | undefined {
    const id = scanKeyString(key);
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    this.entries.delete(id);
    this.entries.set(id, entry);
    return entry.value;
  }

  /**
   * The cached value, else the result of an identical computation already running, else runs
   * `compute`. Rejections are shared by the waiters but never cached; a resolved value is cached
   * only when `shouldCache` (default: always) says so — e.g. not for a transient engine timeout.
   */
  async getOrCompute(key: ScanKey, compute: () => Promise<V>, shouldCache: (value: V) => boolean = () => true): Promise<V> {
    const id = scanKeyString(key);
    const cached = this.entries.get(id);
    if (cached) {
      this.hits++;
      this.entries.delete(id);
      this.entries.set(id, cached);
      return cached.value;
    }
    const running = this.inFlight.get(id);
    if (running) {
      this.joined++;
      return running;
    }
    this.misses++;
    const promise = (async () => {
      try {
        const value = await compute();
        if (shouldCache(value)) this.store(id, value);
        return value;
      } finally {
        this.inFlight.delete(id);
      }
    })();
    this.inFlight.set(id, promise);
    return promise;
  }

  private store(id: string, value: V): void {
    const bytes = this.sizeOf(value) + id.length * 2;
    // A value larger than the whole budget would only flush everything else: skip it.
    if (bytes > this.options.maxBytes || this.options.maxEntries === 0) return;
    const old = this.entries.get(id);
    if (old) {
      this.entries.delete(id);
      this.totalBytes -= old.bytes;
    }
    this.entries.set(id, { value, bytes });
    this.totalBytes += bytes;
    // Map iteration order is insertion order, and hits re-insert: the first key is the least recent.
    while (this.entries.size > this.options.maxEntries || this.totalBytes > this.options.maxBytes) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      const entry = this.entries.get(oldest.value)!;
      this.entries.delete(oldest.value);
      this.totalBytes -= entry.bytes;
      this.evictions++;
    }
  }

  stats(): CacheStats {
    return { entries: this.entries.size, bytes: this.totalBytes, hits: this.hits, misses: this.misses, joined: this.joined, evictions: this.evictions };
  }

  clear(): void {
    this.entries.clear();
    this.totalBytes = 0;
  }
}
