/**
 * Versioned schema migrations on PostgreSQL. Each component (the object metadata, IMM projects,
 * …) has its own list of steps; `schema_migrations` records, per component, every version applied.
 * Each step runs in one transaction together with its row in `schema_migrations`, so a step is
 * applied entirely or not at all. The whole run holds a session advisory lock: nodes starting
 * together wait for each other instead of racing to apply the same step. A database whose
 * component is newer than this build is refused (an old node must not write a newer schema).
 */
import type pg from "pg";

/** pg_advisory_lock key for migrations: any fixed 64-bit number no other code uses ("BBMIGRAT"). */
const MIGRATION_LOCK = "4774468453318279508";

const LEDGER_DDL = `CREATE TABLE IF NOT EXISTS schema_migrations (
  component TEXT NOT NULL,
  version INTEGER NOT NULL,
  applied_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (component, version)
)`;

/** Applies the steps of `component` the database does not have yet; resolves to its version. */
export async function migrate(pool: pg.Pool, component: string, steps: readonly string[]): Promise<number> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
    try {
      const encoding = (await client.query<{ server_encoding: string }>("SHOW server_encoding")).rows[0]?.server_encoding;
      // Keys are compared byte-wise as UTF-8 (COLLATE "C"); another encoding would sort (and store) them differently.
      if (encoding !== "UTF8") throw new Error(`the database must use the UTF8 encoding (it uses ${encoding}): CREATE DATABASE … ENCODING 'UTF8' TEMPLATE template0`);
      await client.query(LEDGER_DDL);
      const current = await appliedVersion(client, component);
      if (current > steps.length) throw new Error(`${component} schema v${current} in the database is newer than this build (v${steps.length})`);
      for (let version = current + 1; version <= steps.length; version++) {
        await client.query("BEGIN");
        try {
          await client.query(steps[version - 1]!);
          await client.query("INSERT INTO schema_migrations (component, version) VALUES ($1, $2)", [component, version]);
          await client.query("COMMIT");
        } catch (error) {
          await client.query("ROLLBACK");
          throw new Error(`${component} migration to v${version} failed: ${(error as Error).message}`, { cause: error });
        }
      }
      return steps.length;
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]);
    }
  } catch (error) {
    broken = error as Error; // closing the connection also frees the lock if the unlock failed
    throw error;
  } finally {
    client.release(broken);
  }
}

export async function appliedVersion(client: pg.ClientBase | pg.Pool, component: string): Promise<number> {
  const rows = (await client.query<{ version: number | null }>("SELECT max(version) AS version FROM schema_migrations WHERE component = $1", [component])).rows;
  return rows[0]?.version ?? 0;
}
