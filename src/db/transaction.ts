/**
 * Transactions on PostgreSQL. Writes run SERIALIZABLE: PostgreSQL then guarantees the outcome of
 * some one-at-a-time order, which is what SQLite's single writer (BEGIN IMMEDIATE) gave the stores,
 * so a store's read-check-write bodies keep their meaning unchanged. The price is that PostgreSQL
 * may abort a transaction that conflicted with another (SQLSTATE 40001, or 40P01 for a deadlock):
 * the body is then run again from the start, a bounded number of times, after a short random wait.
 * Bodies must therefore do nothing but database work (and pure computation) before they return.
 */
import { createHash } from "node:crypto";
import type pg from "pg";
import { asUnavailable, DatabaseUnavailableError } from "./errors.js";

/** What a transaction body may do: run statements on the transaction's connection. */
export interface Tx {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: readonly unknown[]): Promise<R[]>;
}

/** Retryable SQLSTATEs: serialization_failure, deadlock_detected. */
const RETRYABLE = new Set(["40001", "40P01"]);
const MAX_ATTEMPTS = 20;
/** pg_advisory_lock(classid, objid) namespace of write keys ("BBKY"): apart from the migrations' lock. */
const KEY_LOCK_CLASS = 0x42424b59;
const MAX_BACKOFF_MS = 200;

export function isRetryable(error: unknown): boolean {
  return RETRYABLE.has((error as { code?: string } | undefined)?.code ?? "");
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export class Db {
  /** Serialization failures retried so far (tests and benchmarks read it). */
  retries = 0;

  constructor(readonly pool: pg.Pool) {}

  /** One statement in its own (autocommitted) transaction. */
  async query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: readonly unknown[]): Promise<R[]> {
    try {
      return (await this.pool.query<R>(text, values as unknown[] | undefined)).rows;
    } catch (error) {
      throw asUnavailable(error);
    }
  }

  /**
   * A read-write SERIALIZABLE transaction, run again on a serialization failure or deadlock.
   * With `lockKey` (bucket + object key) writers of one key queue for a session advisory lock
   * taken before BEGIN, so a hot key's writers wait their turn instead of aborting each other
   * (a lock taken inside the transaction would come after its snapshot and abort it anyway).
   * The lock rides in the same round trips as BEGIN and COMMIT.
   */
  write<T>(body: (tx: Tx) => Promise<T>, lockKey?: string): Promise<T> {
    return this.run("BEGIN ISOLATION LEVEL SERIALIZABLE", body, lockKey === undefined ? undefined : keyLockId(lockKey));
  }

  /** A read-only snapshot across several statements (a listing page). Never aborted for conflicts. */
  read<T>(body: (tx: Tx) => Promise<T>): Promise<T> {
    return this.run("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async run<T>(begin: string, body: (tx: Tx) => Promise<T>, lockId?: number): Promise<T> {
    // Simple-protocol statements (no parameters) may be sent together: one round trip each way. The
    // COMMIT ends the implicit transaction the lock ran in (PostgreSQL warns that none was in
    // progress), so that BEGIN can still set the isolation level and its snapshot comes after the lock.
    const lock = lockId === undefined ? "" : `SELECT pg_advisory_lock(${KEY_LOCK_CLASS}, ${lockId}); COMMIT; `;
    const unlock = lockId === undefined ? "" : `; SELECT pg_advisory_unlock(${KEY_LOCK_CLASS}, ${lockId})`;
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect().catch((error: unknown) => {
        throw asUnavailable(error);
      });
      let broken: Error | undefined;
      try {
        await client.query(lock + begin);
        const tx: Tx = { query: async (text, values) => (await client.query(text, values as unknown[] | undefined)).rows };
        const result = await body(tx);
        await client.query("COMMIT" + unlock);
        return result;
      } catch (error) {
        try {
          await client.query("ROLLBACK" + unlock);
        } catch (rollbackError) {
          // The connection is unusable (or kept the lock): the pool must not reuse it; closing it frees the lock.
          broken = rollbackError as Error;
        }
        if (!isRetryable(error)) throw asUnavailable(error);
        if (attempt >= MAX_ATTEMPTS) throw new DatabaseUnavailableError(`a transaction conflicted ${attempt} times in a row`, { cause: error });
        this.retries++;
      } finally {
        client.release(broken);
      }
      await sleep(Math.random() * Math.min(MAX_BACKOFF_MS, 2 ** attempt));
    }
  }
}

/** A 32-bit signed lock id for a key (collisions only make two keys' writers queue together). */
function keyLockId(key: string): number {
  return createHash("sha1").update(key).digest().readInt32BE(0);
}
