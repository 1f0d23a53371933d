/**
 * The access-log spool on PostgreSQL (BARBUCKET_DATABASE_URL): every node appends the lines of the
 * requests it answered, and the one node holding the `access-log` lease seals and delivers all of
 * them, so no line waits on a node's own disk (with Ceph, nodes share no data dir; with a shared
 * one, no SQLite file is written there). Sealing and finishing read before they write: each is one
 * SERIALIZABLE transaction (src/db/transaction.ts). Lines appended by different nodes at the same
 * moment may get ids out of commit order; a line committed after a seal's snapshot simply waits
 * for the next batch (never lost, never in two batches).
 */
import { randomBytes } from "node:crypto";
import { migrate } from "../db/migrate.js";
import { openPool, type PoolOptions } from "../db/pool.js";
import { asUnavailable } from "../db/errors.js";
import { Db } from "../db/transaction.js";
import type { Batch, SpoolStore } from "./spool-store.js";

export const ACCESS_LOG_COMPONENT = "access-log";

/** Never edit a shipped step; add one. */
export const PG_ACCESS_LOG_MIGRATIONS: readonly string[] = [
  `CREATE TABLE access_log_spool (
     id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     bucket TEXT NOT NULL,
     line TEXT NOT NULL,
     batch BIGINT
   );
   CREATE INDEX access_log_spool_unbatched ON access_log_spool (bucket, id) WHERE batch IS NULL;
   CREATE INDEX access_log_spool_by_batch ON access_log_spool (batch, id);
   CREATE TABLE access_log_batches (
     id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     source_bucket TEXT NOT NULL,
     target_bucket TEXT NOT NULL,
     target_key TEXT NOT NULL,
     lines INTEGER NOT NULL
   );`,
];

const BATCH_COLUMNS = 'id, source_bucket AS "sourceBucket", target_bucket AS "targetBucket", target_key AS "targetKey", lines';

export class PgSpoolStore implements SpoolStore {
  /** Connects and applies pending migrations (under the migration advisory lock). */
  static async open(url: string, options: PoolOptions = {}): Promise<PgSpoolStore> {
    const pool = openPool(url, { applicationName: "barbucket-access-log", max: 1, ...options });
    try {
      await migrate(pool, ACCESS_LOG_COMPONENT, PG_ACCESS_LOG_MIGRATIONS);
    } catch (error) {
      await pool.end();
      throw error;
    }
    return new PgSpoolStore(new Db(pool));
  }

  constructor(private readonly db: Db) {}

  /** One statement (unnest of two arrays): atomic, one round trip however many lines. */
  async append(rows: ReadonlyArray<readonly [string, string]>): Promise<void> {
    if (rows.length === 0) return;
    try {
      await this.db.pool.query(
        "INSERT INTO access_log_spool (bucket, line) SELECT bucket, line FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t(bucket, line, n) ORDER BY n",
        [rows.map((r) => r[0]), rows.map((r) => r[1])],
      );
    } catch (error) {
      throw asUnavailable(error);
    }
  }

  async unbatchedBuckets(): Promise<string[]> {
    return (await this.db.query<{ bucket: string }>("SELECT DISTINCT bucket FROM access_log_spool WHERE batch IS NULL")).map((r) => r.bucket);
  }

  async seal(bucket: string, targetBucket: string, keyFor: (unique: string) => string, maxLines: number): Promise<Batch | undefined> {
    const targetKey = keyFor(randomBytes(8).toString("hex"));
    return await this.db.write(async (tx): Promise<Batch | undefined> => {
      const ids = (await tx.query<{ id: number }>("SELECT id FROM access_log_spool WHERE bucket = $1 AND batch IS NULL ORDER BY id LIMIT $2", [bucket, maxLines])).map((r) => r.id);
      if (ids.length === 0) return undefined;
      const [batch] = await tx.query<Batch>(
        `INSERT INTO access_log_batches (source_bucket, target_bucket, target_key, lines) VALUES ($1, $2, $3, $4) RETURNING ${BATCH_COLUMNS}`,
        [bucket, targetBucket, targetKey, ids.length],
      );
      await tx.query("UPDATE access_log_spool SET batch = $1 WHERE id = ANY($2::bigint[])", [batch!.id, ids]);
      return batch;
    });
  }

  async dropUnbatched(bucket: string): Promise<number> {
    const [row] = await this.db.query<{ n: number }>(
      "WITH gone AS (DELETE FROM access_log_spool WHERE bucket = $1 AND batch IS NULL RETURNING 1) SELECT count(*)::bigint AS n FROM gone",
      [bucket],
    );
    return row?.n ?? 0;
  }

  async pendingBatches(): Promise<Batch[]> {
    return await this.db.query<Batch>(`SELECT ${BATCH_COLUMNS} FROM access_log_batches ORDER BY id`);
  }

  async lines(batch: Batch): Promise<string[]> {
    return (await this.db.query<{ line: string }>("SELECT line FROM access_log_spool WHERE batch = $1 ORDER BY id", [batch.id])).map((r) => r.line);
  }

  async finish(batch: Batch): Promise<void> {
    await this.db.write(async (tx) => {
      await tx.query("DELETE FROM access_log_spool WHERE batch = $1", [batch.id]);
      await tx.query("DELETE FROM access_log_batches WHERE id = $1", [batch.id]);
    });
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}
