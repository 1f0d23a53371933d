/**
 * The durable usage table on SQLite (`<dataDir>/usage.sqlite`): one row per hour × bucket × item × dimension,
 * quantities added with an upsert so a flush is one short transaction however many requests it holds.
 * WAL + synchronous=FULL: a committed flush survives kill -9 and power loss.
 */
import { openSqlite, openSqliteReadOnly, type SqliteDatabase } from "../storage/sqlite-schema.js";
import type { UsageQuery, UsageRow, UsageStore } from "./usage-store.js";
import { hourOf } from "./usage-store.js";


/** Schema steps; index + 1 is the version. Never edit a shipped step: add one. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE usage (
     hour INTEGER NOT NULL,          -- start of the UTC hour, epoch ms
     bucket TEXT NOT NULL,           -- '' for requests without a bucket (ListBuckets)
     item TEXT NOT NULL,
     dimension TEXT NOT NULL,
     quantity INTEGER NOT NULL,
     PRIMARY KEY (hour, bucket, item, dimension)
   ) WITHOUT ROWID;
   CREATE INDEX usage_by_bucket ON usage (bucket, hour);`,
  // v2: markers of rows added once (UsageStore.addOnce), e.g. "storage:<hour>".
  `CREATE TABLE usage_markers (
     name TEXT PRIMARY KEY,
     recorded_at INTEGER NOT NULL    -- epoch ms
   ) WITHOUT ROWID;`,
];

export { HOUR_MS, hourOf, type UsageQuery, type UsageRow } from "./usage-store.js";

export class SqliteUsageStore implements UsageStore {
  private readonly addRows: (rows: readonly UsageRow[]) => void;
  private readonly addRowsOnce: (marker: string, rows: readonly UsageRow[]) => boolean;

  private constructor(private readonly db: SqliteDatabase, readonly: boolean) {
    if (readonly) {
      this.addRows = this.addRowsOnce = () => {
        throw new Error("usage store opened read-only");
      };
      return;
    }
    const add = db.prepare(
      `INSERT INTO usage (hour, bucket, item, dimension, quantity) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (hour, bucket, item, dimension) DO UPDATE SET quantity = quantity + excluded.quantity`,
    );
    this.addRows = db.transaction((rows: readonly UsageRow[]) => {
      for (const r of rows) add.run(r.hour, r.bucket, r.item, r.dimension, r.quantity);
    });
    const mark = db.prepare("INSERT INTO usage_markers (name, recorded_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING");
    const addRows = this.addRows;
    this.addRowsOnce = db.transaction((marker: string, rows: readonly UsageRow[]) => {
      if (mark.run(marker, Date.now()).changes === 0) return false;
      addRows(rows); // a nested transaction: a savepoint of this one
      return true;
    });
  }

  static open(file: string): SqliteUsageStore {
    return new SqliteUsageStore(openSqlite(file, MIGRATIONS), false);
  }

  /** For `barbucket usage --data-dir`: reads beside a running server (WAL allows it), never writes. */
  static openReadOnly(file: string): SqliteUsageStore {
    return new SqliteUsageStore(openSqliteReadOnly(file), true);
  }

  async add(rows: readonly UsageRow[]): Promise<void> {
    if (rows.length > 0) this.addRows(rows);
  }

  async addOnce(marker: string, rows: readonly UsageRow[]): Promise<boolean> {
    return this.addRowsOnce(marker, rows);
  }

  async hasMarker(marker: string): Promise<boolean> {
    // A database written before markers existed (the CLI opens it read-only, unmigrated) has none.
    const table = this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'usage_markers'").get();
    return table !== undefined && this.db.prepare("SELECT 1 FROM usage_markers WHERE name = ?").get(marker) !== undefined;
  }

  async query(q: UsageQuery): Promise<UsageRow[]> {
    const from = hourOf(q.from);
    const sql = `SELECT hour, bucket, item, dimension, quantity FROM usage WHERE hour >= ? AND hour < ?${q.bucket === undefined ? "" : " AND bucket = ?"} ORDER BY hour, bucket, item, dimension`;
    const params: unknown[] = q.bucket === undefined ? [from, q.to] : [from, q.to, q.bucket];
    return this.db.prepare(sql).all(...params) as UsageRow[];
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
