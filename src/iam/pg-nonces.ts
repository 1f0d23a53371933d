/**
 * RPC replay protection on PostgreSQL, shared by every node: (access key, SignatureNonce) pairs
 * live in `iam_rpc_nonces` until the request could no longer pass the timestamp check. One
 * conditional upsert per request decides "first use" atomically whichever node sees the request
 * (a concurrent insert of the same key waits for the other's commit, then finds it live); expired
 * rows are swept every `SWEEP_EVERY` calls of a node (nonces.ts does the same on SQLite).
 */
import type { Db } from "../db/transaction.js";
import { MAX_SKEW_MS, type NonceMemory } from "../rpc/signature.js";

export const SWEEP_EVERY = 1000;

export class PgNonceStore implements NonceMemory {
  private calls = 0;

  constructor(private readonly db: Db) {}

  async remember(accessKeyId: string, nonce: string, requestTime: Date, now: Date): Promise<boolean> {
    const at = now.getTime();
    if (++this.calls % SWEEP_EVERY === 0) await this.db.query("DELETE FROM iam_rpc_nonces WHERE expires_at < $1", [at]);
    const expiresAt = Math.max(at, requestTime.getTime()) + MAX_SKEW_MS;
    const claimed = await this.db.query(
      `INSERT INTO iam_rpc_nonces (key, expires_at) VALUES ($1, $2)
       ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at WHERE iam_rpc_nonces.expires_at < $3 RETURNING 1`,
      [`${accessKeyId}\n${nonce}`, expiresAt, at],
    );
    return claimed.length > 0;
  }
}
