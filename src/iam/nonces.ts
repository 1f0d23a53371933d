/**
 * RPC replay protection shared by every server process: (access key, SignatureNonce) pairs live
 * in iam.sqlite until the request could no longer pass the timestamp check. One conditional
 * upsert per request decides "first use" atomically, whichever process sees the request;
 * expired rows are swept every `SWEEP_EVERY` calls. The same statements work on PostgreSQL.
 */
import type { SqliteDatabase, SqliteStatement } from "../storage/sqlite-schema.js";
import { MAX_SKEW_MS, type NonceMemory } from "../rpc/signature.js";

const SWEEP_EVERY = 1000;

export class SqliteNonceStore implements NonceMemory {
  private readonly claim: SqliteStatement;
  private readonly sweep: SqliteStatement;
  private calls = 0;

  constructor(db: SqliteDatabase) {
    this.claim = db.prepare(
      `INSERT INTO rpc_nonces (key, expires_at) VALUES (@key, @expiresAt)
       ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at WHERE rpc_nonces.expires_at < @now`,
    );
    this.sweep = db.prepare("DELETE FROM rpc_nonces WHERE expires_at < ?");
  }

  async remember(accessKeyId: string, nonce: string, requestTime: Date, now: Date): Promise<boolean> {
    const at = now.getTime();
    if (++this.calls % SWEEP_EVERY === 0) this.sweep.run(at);
    const expiresAt = Math.max(at, requestTime.getTime()) + MAX_SKEW_MS;
    return this.claim.run({ key: `${accessKeyId}\n${nonce}`, expiresAt, now: at }).changes > 0;
  }
}
