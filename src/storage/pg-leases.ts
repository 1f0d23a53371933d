/**
 * Run-once job leases on PostgreSQL (BARBUCKET_DATABASE_URL): one `job_leases` table shared by every
 * node, so a background job runs on one node of the cluster at a time. Taking a lease is the same
 * single conditional upsert as SqliteLeaseStore (free, expired, or already ours), atomic on its own:
 * no read-check-write, so no transaction around it.
 */
import { migrate } from "../db/migrate.js";
import { openPool, type PoolOptions } from "../db/pool.js";
import { Db } from "../db/transaction.js";
import type { LeaseStore } from "./leases.js";

export const LEASES_COMPONENT = "leases";

/**
 * Never edit a shipped step; add one. A component of its own (not the metadata schema's `leases`
 * table, which its v1 created and nothing uses), so leases migrate independently of the metadata.
 */
export const PG_LEASES_MIGRATIONS: readonly string[] = [
  `CREATE TABLE job_leases (
     name TEXT PRIMARY KEY,
     owner TEXT NOT NULL,
     expires_at BIGINT NOT NULL  -- epoch ms
   )`,
];

export class PgLeaseStore implements LeaseStore {
  /** Connects and applies pending migrations (under the migration advisory lock). */
  static async open(url: string, options: PoolOptions = {}): Promise<PgLeaseStore> {
    const pool = openPool(url, { applicationName: "barbucket-leases", max: 1, ...options });
    try {
      await migrate(pool, LEASES_COMPONENT, PG_LEASES_MIGRATIONS);
    } catch (error) {
      await pool.end();
      throw error;
    }
    return new PgLeaseStore(new Db(pool));
  }

  constructor(private readonly db: Db) {}

  async acquire(name: string, owner: string, ttlMs: number, now = Date.now()): Promise<boolean> {
    const taken = await this.db.query(
      `INSERT INTO job_leases (name, owner, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
       WHERE job_leases.owner = excluded.owner OR job_leases.expires_at <= $4
       RETURNING 1`,
      [name, owner, now + ttlMs, now],
    );
    return taken.length === 1;
  }

  async release(name: string, owner: string): Promise<void> {
    await this.db.query("DELETE FROM job_leases WHERE name = $1 AND owner = $2", [name, owner]);
  }

  async holder(name: string): Promise<{ owner: string; expiresAt: number } | undefined> {
    const [row] = await this.db.query<{ owner: string; expiresAt: number }>('SELECT owner, expires_at AS "expiresAt" FROM job_leases WHERE name = $1', [name]);
    return row;
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}
