/**
 * The access-log spool: every serving process buffers the requests it answered in memory and,
 * every `flushMs`, writes the lines of buckets with logging on to `access-log.sqlite` in one
 * transaction (synchronous FULL: a flushed line survives kill -9). The delivery job (writer.ts)
 * then seals lines into batches and turns each batch into one log object.
 *
 * Exactly-once delivery, across crashes: a batch's lines, its target and its object key are fixed in
 * the transaction that seals it; the object is written only if its key is absent; the batch's lines
 * are deleted after the object exists. A crash between any two steps repeats only the steps after
 * it, with the same lines and the same key. What can be lost: the lines a process had buffered and
 * not yet flushed when it died (at most `flushMs` of its requests; a graceful stop flushes them).
 */
import { randomBytes } from "node:crypto";
import type { Logger } from "pino";
import { openSqlite, type SqliteDatabase, type SqliteStatement } from "../storage/sqlite-schema.js";
import { formatLogLine, type AccessLogEntry } from "./line.js";

const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE spool (id INTEGER PRIMARY KEY AUTOINCREMENT, bucket TEXT NOT NULL, line TEXT NOT NULL, batch INTEGER);
  CREATE INDEX spool_unbatched ON spool (bucket, id) WHERE batch IS NULL;
  CREATE INDEX spool_by_batch ON spool (batch, id);
  CREATE TABLE batches (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    source_bucket TEXT NOT NULL,
    target_bucket TEXT NOT NULL,
    target_key TEXT NOT NULL,
    lines INTEGER NOT NULL
  );
  `,
];

/** What the spool needs to know about a bucket when it flushes: its log target, if logging is on, and its owner. */
export type BucketLogging = (bucket: string) => Promise<{ readonly owner: string } | undefined>;

export interface Batch {
  readonly id: number;
  readonly sourceBucket: string;
  readonly targetBucket: string;
  readonly targetKey: string;
  readonly lines: number;
}

/** Most lines buffered in memory before a flush is started early. */
const EARLY_FLUSH_LINES = 5000;

export class AccessLogSpool {
  private readonly db: SqliteDatabase;
  private readonly insert: SqliteStatement;
  private buffer: AccessLogEntry[] = [];
  private flushing: Promise<number> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(file: string, private readonly logging: BucketLogging, private readonly log: Logger) {
    this.db = openSqlite(file, MIGRATIONS);
    this.insert = this.db.prepare("INSERT INTO spool (bucket, line) VALUES (?, ?)");
  }

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
    if (rows.length > 0) {
      this.db.transaction(() => {
        for (const [bucket, line] of rows) this.insert.run(bucket, line);
      })();
    }
    return rows.length;
  }

  /** Buckets with lines not yet in a batch. */
  unbatchedBuckets(): string[] {
    return this.db.prepare("SELECT DISTINCT bucket FROM spool WHERE batch IS NULL").pluck().all() as string[];
  }

  /**
   * Seals up to `maxLines` of `bucket`'s oldest unbatched lines into a batch bound for
   * `targetBucket` under the key `keyFor(unique)`; undefined when there were none.
   */
  seal(bucket: string, targetBucket: string, keyFor: (unique: string) => string, maxLines: number): Batch | undefined {
    return this.db.transaction((): Batch | undefined => {
      const ids = this.db.prepare("SELECT id FROM spool WHERE bucket = ? AND batch IS NULL ORDER BY id LIMIT ?").pluck().all(bucket, maxLines) as number[];
      if (ids.length === 0) return undefined;
      const targetKey = keyFor(randomBytes(8).toString("hex"));
      const id = Number(this.db.prepare("INSERT INTO batches (source_bucket, target_bucket, target_key, lines) VALUES (?, ?, ?, ?)").run(bucket, targetBucket, targetKey, ids.length).lastInsertRowid);
      this.db.prepare("UPDATE spool SET batch = ? WHERE bucket = ? AND batch IS NULL AND id <= ?").run(id, bucket, ids[ids.length - 1]);
      return { id, sourceBucket: bucket, targetBucket, targetKey, lines: ids.length };
    }).immediate();
  }

  /** Drops `bucket`'s unbatched lines (its logging was turned off before they were delivered). */
  dropUnbatched(bucket: string): number {
    return this.db.prepare("DELETE FROM spool WHERE bucket = ? AND batch IS NULL").run(bucket).changes;
  }

  /** Sealed batches not yet delivered, oldest first (including those a crashed run left). */
  pendingBatches(): Batch[] {
    return this.db.prepare("SELECT id, source_bucket AS sourceBucket, target_bucket AS targetBucket, target_key AS targetKey, lines FROM batches ORDER BY id").all() as Batch[];
  }

  /** The batch's log-object body: its lines in arrival order, one per line. */
  body(batch: Batch): Buffer {
    const lines = this.db.prepare("SELECT line FROM spool WHERE batch = ? ORDER BY id").pluck().all(batch.id) as string[];
    return Buffer.from(lines.map((l) => `${l}\n`).join(""), "utf8");
  }

  /** The batch's object exists: forget its lines and the batch, together. */
  finish(batch: Batch): void {
    this.db.transaction(() => {
      this.db.prepare("DELETE FROM spool WHERE batch = ?").run(batch.id);
      this.db.prepare("DELETE FROM batches WHERE id = ?").run(batch.id);
    })();
  }

  /** Stops the timer, flushes what is buffered, closes the file. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush().catch((err: unknown) => this.log.error({ err }, "access-log flush failed"));
    this.db.close();
  }
}
