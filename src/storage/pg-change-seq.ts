/**
 * change-seq.ts on PostgreSQL: the same `change_seq` table and bump, read asynchronously. A guard
 * reads its scope's counter at most once per read epoch (every request starts one), so a node
 * never serves a cached bucket that another node changed before this request began — no stale
 * read across nodes, at one primary-key read per request.
 *
 * Asynchronous reads add a race the synchronous guard did not have: a lookup that missed the
 * cache reads the database, and the cache may be dropped while it waits. `generation` counts the
 * drops; a lookup stores what it read only if no drop happened since it began.
 */
import type { Db, Tx } from "../db/transaction.js";
import { currentReadEpoch } from "./change-seq.js";

/** The metadata's counters; another component may keep its own table of the same shape (iam_change_seq). */
export type ChangeSeqTable = "change_seq" | "iam_change_seq";

export async function bumpChangeSeq(tx: Tx, scope: string, table: ChangeSeqTable = "change_seq"): Promise<void> {
  await tx.query(`INSERT INTO ${table} (scope, seq) VALUES ($1, 1) ON CONFLICT (scope) DO UPDATE SET seq = ${table}.seq + 1`, [scope]);
}

export class PgCacheGuard {
  /** Drops so far; a fill that began under an older generation must not be stored. */
  generation = 0;
  private seen: number | undefined;
  private checkedEpoch = 0;
  private pending: Promise<void> | undefined;

  constructor(
    private readonly db: Db,
    private readonly scope: string,
    private readonly clear: () => void,
    private readonly table: ChangeSeqTable = "change_seq",
  ) {}

  /** Validates the cache once per read epoch; concurrent lookups of one epoch share the one read. */
  check(): Promise<void> {
    const epoch = currentReadEpoch();
    if (this.checkedEpoch === epoch && this.pending) return this.pending;
    this.checkedEpoch = epoch;
    const pending = (async () => {
      const [row] = await this.db.query<{ seq: number }>(`SELECT seq FROM ${this.table} WHERE scope = $1`, [this.scope]);
      const now = row?.seq ?? 0;
      if (now !== this.seen) {
        this.seen = now;
        this.invalidate();
      }
    })();
    this.pending = pending.catch((error: unknown) => {
      if (this.pending === guarded) this.checkedEpoch = 0; // the next lookup tries again
      throw error;
    });
    const guarded = this.pending;
    return guarded;
  }

  /** Drops the cache (a local write, or another node's change seen). */
  invalidate(): void {
    this.generation++;
    this.clear();
  }
}
