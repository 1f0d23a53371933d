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
 * an acknowledged change is never missed by a later request — at one read per guard per request.
 */
import type { SqliteDatabase, SqliteStatement } from "./sqlite-schema.js";

/** The table; `CREATE … IF NOT EXISTS` so any database can carry it (migrations add it too). */
export const CHANGE_SEQ_DDL = "CREATE TABLE IF NOT EXISTS change_seq (scope TEXT PRIMARY KEY, seq INTEGER NOT NULL) WITHOUT ROWID;";

let readEpoch = 1;

/** Starts a read epoch: call when a request (or a background run) begins, before its lookups. */
export function newReadEpoch(): void {
  readEpoch++;
}

/** The current read epoch (guards kept elsewhere, e.g. PostgreSQL's asynchronous one, compare against it). */
export function currentReadEpoch(): number {
  return readEpoch;
}

export class ChangeSeq {
  private readonly select: SqliteStatement;
  private readonly bumpStmt: SqliteStatement;

  constructor(db: SqliteDatabase) {
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

  constructor(private readonly seq: ChangeSeq, private readonly scope: string, private readonly clear: () => void) {
    this.seen = seq.current(scope);
  }

  /** Validates the cache, once per read epoch (see newReadEpoch). */
  check(): void {
    if (this.checkedEpoch === readEpoch) return;
    this.checkedEpoch = readEpoch;
    const now = this.seq.current(this.scope);
    if (now !== this.seen) {
      this.clear();
      this.seen = now;
    }
  }
}
