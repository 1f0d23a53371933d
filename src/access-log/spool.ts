/**
 * The access-log spool: every serving process buffers the requests it answered in memory and,
 * every `flushMs`, writes the lines of buckets with logging on to its SpoolStore in one transaction
 * (`access-log.sqlite`, synchronous FULL, or PostgreSQL under BARBUCKET_DATABASE_URL: a flushed line
 * survives kill -9). The delivery job (writer.ts) then seals lines into batches and turns each
 * batch into one log object.
 *
 * Exactly-once delivery, across crashes: a batch's lines, its target and its object key are fixed in
 * the transaction that seals it; the object is written only if its key is absent; the batch's lines
 * are deleted after the object exists. A crash between any two steps repeats only the steps after
 * it, with the same lines and the same key. What can be lost: the lines a process had buffered and
 * not yet flushed when it died (at most `flushMs` of its requests; a graceful stop flushes them).
 */
import type { Logger } from "pino";
import { formatLogLine, type AccessLogEntry } from "./line.js";
import type { Batch, SpoolStore } from "./spool-store.js";

export type { Batch } from "./spool-store.js";

/** What the spool needs to know about a bucket when it flushes: its log target, if logging is on, and its owner. */
export type BucketLogging = (bucket: string) => Promise<{ readonly owner: string } | undefined>;

/** Most lines buffered in memory before a flush is started early. */
const EARLY_FLUSH_LINES = 5000;

export class AccessLogSpool {
  private buffer: AccessLogEntry[] = [];
  private flushing: Promise<number> | undefined;
  private timer: NodeJS.Timeout | undefined;

  /** `store` is closed by close(). */
  constructor(private readonly store: SpoolStore, private readonly logging: BucketLogging, private readonly log: Logger) {}

  /** Flushes every `flushMs` (unref'd: it never keeps the process alive). */
  start(flushMs: number): void {
    this.timer = setInterval(() => {
      this.flush().catch((err: unknown) => this.log.error({ err }, "access-log flush failed"));
    }, flushMs);
    this.timer.unref();
  }

  /** Called once per answered request that names a bucket; cheap (an array push). */
  record(entry: AccessLogEntry): void {
    this.buffer.push(entry);
    if (this.buffer.length >= EARLY_FLUSH_LINES && !this.flushing) {
      this.flush().catch((err: unknown) => this.log.error({ err }, "access-log flush failed"));
    }
  }

  /** Writes the buffered lines of buckets with logging on; returns how many were written. */
  flush(): Promise<number> {
    this.flushing ??= this.flushNow().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  private async flushNow(): Promise<number> {
    const entries = this.buffer;
    if (entries.length === 0) return 0;
    this.buffer = [];
    try {
      return await this.write(entries);
    } catch (error) {
      this.buffer = entries.concat(this.buffer); // retried at the next flush
      throw error;
    }
  }

  private async write(entries: readonly AccessLogEntry[]): Promise<number> {
    const rows: Array<[string, string]> = [];
    const known = new Map<string, { owner: string } | undefined>();
    for (const entry of entries) {
      if (!known.has(entry.bucket)) known.set(entry.bucket, await this.logging(entry.bucket));
      const bucket = known.get(entry.bucket);
      if (bucket) rows.push([entry.bucket, formatLogLine({ ...entry, owner: bucket.owner })]);
    }
    await this.store.append(rows);
    return rows.length;
  }

  /** Buckets with lines not yet in a batch. */
  unbatchedBuckets(): Promise<string[]> {
    return this.store.unbatchedBuckets();
  }

  /**
   * Seals up to `maxLines` of `bucket`'s oldest unbatched lines into a batch bound for
   * `targetBucket` under the key `keyFor(unique)`; undefined when there were none.
   */
  seal(bucket: string, targetBucket: string, keyFor: (unique: string) => string, maxLines: number): Promise<Batch | undefined> {
    return this.store.seal(bucket, targetBucket, keyFor, maxLines);
  }

  /** Drops `bucket`'s unbatched lines (its logging was turned off before they were delivered). */
  dropUnbatched(bucket: string): Promise<number> {
    return this.store.dropUnbatched(bucket);
  }

  /** Sealed batches not yet delivered, oldest first (including those a crashed run left). */
  pendingBatches(): Promise<Batch[]> {
    return this.store.pendingBatches();
  }

  /** The batch's log-object body: its lines in arrival order, one per line. */
  async body(batch: Batch): Promise<Buffer> {
    return Buffer.from((await this.store.lines(batch)).map((l) => `${l}\n`).join(""), "utf8");
  }

  /** The batch's object exists: forget its lines and the batch, together. */
  finish(batch: Batch): Promise<void> {
    return this.store.finish(batch);
  }

  /** Stops the timer, flushes what is buffered, closes the store. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush().catch((err: unknown) => this.log.error({ err }, "access-log flush failed"));
    await this.store.close();
  }
}
