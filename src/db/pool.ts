/**
 * The PostgreSQL connection pool (BARBUCKET_DATABASE_URL, README "Scale out"). One pool per store
 * family; every store reads and writes through `Db` (transaction.ts), never a raw client.
 *
 * BIGINT columns (sizes, milliseconds since the epoch, sequences) come back as JS numbers: every
 * value we store fits in 2^53. The parser is set on this pool's own type table, not pg's global one.
 */
import pg from "pg";

/** `pg` speaks in strings for int8 by default (values may exceed 2^53); ours never do. */
const INT8_OID = 20;

export interface PoolOptions {
  /** Most connections this pool opens (PostgreSQL's default max_connections is 100 for all nodes together). */
  readonly max?: number;
  /** A `search_path` for every connection (tests give each store a schema of its own). */
  readonly schema?: string;
  /**
   * Tests only: `synchronous_commit = off` for this pool's sessions (commits stop waiting for the
   * WAL flush; semantics unchanged). Production never sets it: an acknowledged write is flushed.
   */
  readonly relaxedDurability?: boolean;
  /** Names the connections in pg_stat_activity. */
  readonly applicationName?: string;
}

/** Checks the shape of BARBUCKET_DATABASE_URL; the message never repeats the URL (it holds a password). */
export function validateDatabaseUrl(url: string, variable = "BARBUCKET_DATABASE_URL"): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`${variable} must be a URL like postgres://user:password@host:5432/database`);
  }
  if (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:") {
    throw new Error(`${variable} must start with postgres:// or postgresql://, got ${parsed.protocol}//`);
  }
  if (parsed.pathname.replace(/^\//, "") === "") throw new Error(`${variable} must name a database (postgres://…/database)`);
}

export function openPool(url: string, options: PoolOptions = {}): pg.Pool {
  validateDatabaseUrl(url);
  if (options.schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(options.schema)) throw new Error(`bad schema name ${JSON.stringify(options.schema)}`);
  const types = new pg.TypeOverrides();
  types.setTypeParser(INT8_OID, (value: string) => Number(value));
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    types,
    application_name: options.applicationName ?? "barbucket",
    // A node that cannot reach the database fails its request instead of waiting for ever.
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    options: [
      ...(options.schema !== undefined ? [`-c search_path=${options.schema}`] : []),
      ...(options.relaxedDurability ? ["-c synchronous_commit=off"] : []),
    ].join(" ") || undefined,
  });
  // An idle client's connection dropping (server restart) is reported here; the pool replaces it.
  pool.on("error", () => undefined);
  return pool;
}
