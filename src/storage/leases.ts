/**
 * Run-once jobs across processes (and, later, machines): a `leases` row per job names its owner
 * and an expiry. Taking a lease is one conditional upsert — it succeeds when the row is free,
 * expired, or already ours — so two processes never run the job at once, and a holder that dies
 * frees it when its expiry passes. SQLite here (the `leases` table of meta.sqlite); PostgreSQL in pg-leases.ts.
 */
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { SqliteDatabase, SqliteStatement } from "./sqlite-schema.js";

/** An owner id unique to this process: host, pid and a random part (pids are reused). */
export function newLeaseOwner(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
}

/**
 * Leases of named jobs, shared by every process that opens the same database. Asynchronous
 * (issue 19: a PostgreSQL backend's client is); every backend must pass conformance-leases.ts.
 */
export interface LeaseStore {
  /**
   * Takes (or renews) the lease until `now + ttlMs`, atomically: true when it was free, expired
   * (`expiresAt <= now`) or already `owner`'s; false while another owner holds it.
   */
  acquire(name: string, owner: string, ttlMs: number, now?: number): Promise<boolean>;
  /** Gives the lease up (only if still `owner`'s). */
  release(name: string, owner: string): Promise<void>;
  /** The current row, expired or not; undefined when nobody took it or it was released. */
  holder(name: string): Promise<{ owner: string; expiresAt: number } | undefined>;
}

export class SqliteLeaseStore implements LeaseStore {
  private readonly take: SqliteStatement;
  private readonly drop: SqliteStatement;
  private readonly read: SqliteStatement;

  constructor(db: SqliteDatabase) {
    this.take = db.prepare(
      `INSERT INTO leases (name, owner, expires_at) VALUES (@name, @owner, @expiresAt)
       ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
       WHERE leases.owner = excluded.owner OR leases.expires_at <= @now`,
    );
    this.drop = db.prepare("DELETE FROM leases WHERE name = ? AND owner = ?");
    this.read = db.prepare("SELECT owner, expires_at AS expiresAt FROM leases WHERE name = ?");
  }

  async acquire(name: string, owner: string, ttlMs: number, now = Date.now()): Promise<boolean> {
    return this.take.run({ name, owner, expiresAt: now + ttlMs, now }).changes > 0;
  }

  async release(name: string, owner: string): Promise<void> {
    this.drop.run(name, owner);
  }

  async holder(name: string): Promise<{ owner: string; expiresAt: number } | undefined> {
    return this.read.get(name) as { owner: string; expiresAt: number } | undefined;
  }
}
