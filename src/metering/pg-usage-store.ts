/**
 * Metered usage on PostgreSQL (BARBUCKET_DATABASE_URL): the `usage` table of the SQLite store,
 * shared by every node. Each node's flush adds its quantities to the rows with one upsert per row
 * (`quantity = usage.quantity + excluded.quantity`), so flushes from several nodes sum. A flush is
 * one transaction (all rows or none): READ COMMITTED suffices, since an upsert on a conflicting row
 * waits for the other writer and then adds to its committed total (no read-check-write here).
 */
import { migrate } from "../db/migrate.js";
import { openPool, type PoolOptions } from "../db/pool.js";
import { asUnavailable } from "../db/errors.js";
import { Db } from "../db/transaction.js";
import { hourOf, type UsageQuery, type UsageRow, type UsageStore } from "./usage-store.js";

export const USAGE_COMPONENT = "usage";
/** SQLSTATE undefined_table. */
const UNDEFINED_TABLE = "42P01";

/** Never edit a shipped step; add one. Bucket names sort byte-wise (COLLATE "C"), as SQLite's BINARY. */
export const PG_USAGE_MIGRATIONS: readonly string[] = [
  `CREATE TABLE usage (
     hour BIGINT NOT NULL,                 -- start of the UTC hour, epoch ms
     bucket TEXT COLLATE "C" NOT NULL,     -- '' for requests without a bucket (ListBuckets)
     item TEXT COLLATE "C" NOT NULL,
     dimension TEXT COLLATE "C" NOT NULL,
     quantity BIGINT NOT NULL,
     PRIMARY KEY (hour, bucket, item, dimension)
   );
   CREATE INDEX usage_by_bucket ON usage (bucket, hour);`,
  // v2: markers of rows added once (UsageStore.addOnce), e.g. "storage:<hour>".
  `CREATE TABLE usage_markers (
     name TEXT COLLATE "C" PRIMARY KEY,
     recorded_at BIGINT NOT NULL           -- epoch ms
   );`,
];

/**
 * All rows in one statement (unnest of parallel arrays): one round trip however many rows a flush
 * holds. Rows are pre-summed by key, since one INSERT … ON CONFLICT may not touch a row twice.
 */
const ADD = `INSERT INTO usage (hour, bucket, item, dimension, quantity)
  SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::bigint[])
  ORDER BY 1, 2, 3, 4
  ON CONFLICT (hour, bucket, item, dimension) DO UPDATE SET quantity = usage.quantity + excluded.quantity`;

function summed(rows: readonly UsageRow[]): UsageRow[] {
  const byKey = new Map<string, UsageRow>();
  for (const r of rows) {
    const key = `${r.hour}\u0000${r.bucket}\u0000${r.item}\u0000${r.dimension}`;
    const prev = byKey.get(key);
    // A non-number quantity stays as it is, so the database refuses the whole add.
    byKey.set(key, prev ? { ...r, quantity: prev.quantity + r.quantity } : r);
  }
  return [...byKey.values()];
}

export class PgUsageStore implements UsageStore {
  /** Connects and applies pending migrations (under the migration advisory lock). */
  static async open(url: string, options: PoolOptions = {}): Promise<PgUsageStore> {
    const pool = openPool(url, { applicationName: "barbucket-usage", max: 1, ...options });
    try {
      await migrate(pool, USAGE_COMPONENT, PG_USAGE_MIGRATIONS);
    } catch (error) {
      await pool.end();
      throw error;
    }
    return new PgUsageStore(new Db(pool));
  }

  /** For `barbucket usage` in PG mode: reads only, never migrates (a database newer or older is read as it is). */
  static openReader(url: string): PgUsageStore {
    return new PgUsageStore(new Db(openPool(url, { applicationName: "barbucket-usage-cli", max: 1 })));
  }

  constructor(private readonly db: Db) {}

  async add(rows: readonly UsageRow[]): Promise<void> {
    if (rows.length === 0) return;
    const all = summed(rows);
    // Rows sorted by key (ORDER BY above): two nodes' flushes lock shared rows in one order, never a deadlock.
    try {
      await this.db.pool.query(ADD, [all.map((r) => r.hour), all.map((r) => r.bucket), all.map((r) => r.item), all.map((r) => r.dimension), all.map((r) => r.quantity)]);
    } catch (error) {
      throw asUnavailable(error);
    }
  }

  async addOnce(marker: string, rows: readonly UsageRow[]): Promise<boolean> {
    const all = summed(rows);
    try {
      // The marker's insert waits for another node's uncommitted insert of it, then does nothing: one adds.
      return await this.db.write(async (tx) => {
        const marked = await tx.query("INSERT INTO usage_markers (name, recorded_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING RETURNING name", [marker, Date.now()]);
        if (marked.length === 0) return false;
        if (all.length > 0) await tx.query(ADD, [all.map((r) => r.hour), all.map((r) => r.bucket), all.map((r) => r.item), all.map((r) => r.dimension), all.map((r) => r.quantity)]);
        return true;
      });
    } catch (error) {
      throw asUnavailable(error);
    }
  }

  async hasMarker(marker: string): Promise<boolean> {
    return (await this.db.query("SELECT 1 FROM usage_markers WHERE name = $1", [marker])).length > 0;
  }

  async query(q: UsageQuery): Promise<UsageRow[]> {
    const from = hourOf(q.from);
    const params: unknown[] = q.bucket === undefined ? [from, q.to] : [from, q.to, q.bucket];
    try {
      return await this.db.query<UsageRow>(
        `SELECT hour, bucket, item, dimension, quantity FROM usage WHERE hour >= $1 AND hour < $2${q.bucket === undefined ? "" : " AND bucket = $3"}
         ORDER BY hour, bucket, item, dimension`,
        params,
      );
    } catch (error) {
      // Only the CLI's reader (which never migrates) can meet a database no server has set up yet.
      if ((error as { code?: string }).code === UNDEFINED_TABLE) throw new Error("no usage table in this database (has a server run with this BARBUCKET_DATABASE_URL?)", { cause: error });
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}
