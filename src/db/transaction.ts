/**
 * Transactions on PostgreSQL. Writes run SERIALIZABLE: PostgreSQL then guarantees the outcome of
 * some one-at-a-time order, which is what SQLite's single writer (BEGIN IMMEDIATE) gave the stores,
 * so a store's read-check-write bodies keep their meaning unchanged. The price is that PostgreSQL
 * may abort a transaction that conflicted with another (SQLSTATE 40001, or 40P01 for a deadlock):
 * the body is then run again from the start, a bounded number of times, after a short random wait.
 * Bodies must therefore do nothing but database work (and pure computation) before they return.
 */
import type pg from "pg";
import { asUnavailable, DatabaseUnavailableError } from "./errors.js";

/** What a transaction body may do: run statements on the transaction's connection. */
export interface Tx {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: readonly unknown[]): Promise<R[]>;
}

/** Retryable SQLSTATEs: serialization_failure, deadlock_detected. */
const RETRYABLE = new Set(["40001", "40P01"]);
const MAX_ATTEMPTS = 12;
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

  /** A read-write SERIALIZABLE transaction, run again on a serialization failure or deadlock. */
  write<T>(body: (tx: Tx) => Promise<T>): Promise<T> {
    return this.run("BEGIN ISOLATION LEVEL SERIALIZABLE", body);
  }

  /** A read-only snapshot across several statements (a listing page). Never aborted for conflicts. */
  read<T>(body: (tx: Tx) => Promise<T>): Promise<T> {
    return this.run("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async run<T>(begin: string, body: (tx: Tx) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect().catch((error: unknown) => {
        throw asUnavailable(error);
      });
      let broken: Error | undefined;
      try {
        await client.query(begin);
        const tx: Tx = { query: async (text, values) => (await client.query(text, values as unknown[] | undefined)).rows };
        const result = await body(tx);
        await client.query("COMMIT");
        return result;
      } catch (error) {
        try {
          await client.query("ROLLBACK");
        } catch (rollbackError) {
          broken = rollbackError as Error; // the connection is unusable: the pool must not reuse it
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
