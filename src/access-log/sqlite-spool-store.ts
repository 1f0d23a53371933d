/**
 * The access-log spool on SQLite (`<dataDir>/access-log.sqlite`, synchronous FULL: an appended
 * line survives kill -9). Shared by the processes of one node (BARBUCKET_WORKERS).
 */
import { randomBytes } from "node:crypto";
import { openSqlite, type SqliteDatabase, type SqliteStatement } from "../storage/sqlite-schema.js";
import type { Batch, SpoolStore } from "./spool-store.js";

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

export class SqliteSpoolStore implements SpoolStore {
  private readonly db: SqliteDatabase;
  private readonly insert: SqliteStatement;

  constructor(file: string) {
    this.db = openSqlite(file, MIGRATIONS);
    this.insert = this.db.prepare("INSERT INTO spool (bucket, line) VALUES (?, ?)");
  }

  async append(rows: ReadonlyArray<readonly [string, string]>): Promise<void> {
    if (rows.length === 0) return;
    this.db.transaction(() => {
      for (const [bucket, line] of rows) this.insert.run(bucket, line);
    })();
  }

  async unbatchedBuckets(): Promise<string[]> {
    return this.db.prepare("SELECT DISTINCT bucket FROM spool WHERE batch IS NULL").pluck().all() as string[];
  }

  async seal(bucket: string, targetBucket: string, keyFor: (unique: string) => string, maxLines: number): Promise<Batch | undefined> {
    return this.db.transaction((): Batch | undefined => {
      const ids = this.db.prepare("SELECT id FROM spool WHERE bucket = ? AND batch IS NULL ORDER BY id LIMIT ?").pluck().all(bucket, maxLines) as number[];
      if (ids.length === 0) return undefined;
      const targetKey = keyFor(randomBytes(8).toString("hex"));
      const id = Number(this.db.prepare("INSERT INTO batches (source_bucket, target_bucket, target_key, lines) VALUES (?, ?, ?, ?)").run(bucket, targetBucket, targetKey, ids.length).lastInsertRowid);
      this.db.prepare("UPDATE spool SET batch = ? WHERE bucket = ? AND batch IS NULL AND id <= ?").run(id, bucket, ids[ids.length - 1]);
      return { id, sourceBucket: bucket, targetBucket, targetKey, lines: ids.length };
    }).immediate();
  }

  async dropUnbatched(bucket: string): Promise<number> {
    return this.db.prepare("DELETE FROM spool WHERE bucket = ? AND batch IS NULL").run(bucket).changes;
  }

  async pendingBatches(): Promise<Batch[]> {
    return this.db.prepare("SELECT id, source_bucket AS sourceBucket, target_bucket AS targetBucket, target_key AS targetKey, lines FROM batches ORDER BY id").all() as Batch[];
  }

  async lines(batch: Batch): Promise<string[]> {
    return this.db.prepare("SELECT line FROM spool WHERE batch = ? ORDER BY id").pluck().all(batch.id) as string[];
  }

  async finish(batch: Batch): Promise<void> {
    this.db.transaction(() => {
      this.db.prepare("DELETE FROM spool WHERE batch = ?").run(batch.id);
      this.db.prepare("DELETE FROM batches WHERE id = ?").run(batch.id);
    })();
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
