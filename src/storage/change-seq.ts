/**
 * Cache coherence across processes (and, later, machines): a `change_seq` table of generation
 * counters by scope, in the same database as the data a cache holds. A writer bumps its scope in
 * the same transaction as the change; a reader checks the scope's counter (one primary-key read)
 * before it trusts a cached entry and drops the whole cache when the counter moved. Nothing here
 * is specific to SQLite: on PostgreSQL the table, the bump and the read are the same statements.
 *
 * Scopes are coarse (all buckets, all bucket policies): they change rarely, and a dropped cache
 * refills from the database at one read per entry.
 *
 * The counter read costs a read transaction (~5–10 µs on the dev box, more than the cache hit it
 * guards), so a guard reads it at most once per *read epoch*: every request (OSS, RPC, admin) and
 * every lifecycle run starts a new epoch with `newReadEpoch()`, and all lookups of that epoch trust
 * the one check. A check made after a request started sees every change committed before it did —
 * an acknowledged change is never missed by a later request. And the counter is read only when the
 * database may have changed at all since the guard last read it (sqlite-stamp.ts: PRAGMA
 * data_version and total_changes(), shared by every guard on the connection): while nothing is
 * written, a request costs one data_version read per database, not one counter read per guard.
 */
import type { SqliteDatabase, SqliteStatement } from "./sqlite-schema.js";
import { currentReadEpoch } from "./read-epoch.js";
import { stampOf, type SqliteStamp } from "./sqlite-stamp.js";

/** The table; `CREATE … IF NOT EXISTS` so any database can carry it (migrations add it too). */
export const CHANGE_SEQ_DDL = "CREATE TABLE IF NOT EXISTS change_seq (scope TEXT PRIMARY KEY, seq INTEGER NOT NULL) WITHOUT ROWID;";

export { newReadEpoch, currentReadEpoch } from "./read-epoch.js";

export class ChangeSeq {
  private readonly select: SqliteStatement;
  private readonly bumpStmt: SqliteStatement;
  /** Whether anything in the database may have changed (shared by every cache on the connection). */
  readonly stamp: SqliteStamp;

  constructor(db: SqliteDatabase) {
    this.stamp = stampOf(db);
    this.select = db.prepare("SELECT seq FROM change_seq WHERE scope = ?").pluck();
    this.bumpStmt = db.prepare("INSERT INTO change_seq (scope, seq) VALUES (?, 1) ON CONFLICT (scope) DO UPDATE SET seq = seq + 1");
  }

  /** The scope's counter (0 before its first change). */
  current(scope: string): number {
    return (this.select.get(scope) as number | undefined) ?? 0;
  }

  /** Call inside the writing transaction, so readers never see the change without the bump. */
  bump(scope: string): void {
    this.bumpStmt.run(scope);
  }

  /** A guard for one cache of one scope. */
  guard(scope: string, clear: () => void): CacheGuard {
    return new CacheGuard(this, scope, clear);
  }
}

/**
 * Validates one cache against its scope's counter: `check()` before serving a cached entry drops
 * the cache if any process committed a change to the scope since the cache was last validated.
 */
export class CacheGuard {
  private seen: number;
  private checkedEpoch = 0;
  /** The database's stamp when `seen` was read: while it holds, the counter cannot have moved. */
  private seenStamp: number;

  constructor(private readonly seq: ChangeSeq, private readonly scope: string, private readonly clear: () => void) {
    this.seenStamp = seq.stamp.current();
    this.seen = seq.current(scope);
  }

  /** Validates the cache, once per read epoch (see newReadEpoch). */
  check(): void {
    const epoch = currentReadEpoch();
    if (this.checkedEpoch === epoch) return;
    this.checkedEpoch = epoch;
    const stamp = this.seq.stamp.current();
    if (stamp === this.seenStamp) return;
    this.seenStamp = stamp;
    const now = this.seq.current(this.scope);
    if (now !== this.seen) {
      this.clear();
      this.seen = now;
    }
  }
}
