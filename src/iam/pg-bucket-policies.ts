/**
 * Bucket policies on PostgreSQL, shared by every node. Every request to a bucket reads its policy,
 * so they are cached per node and validated once per request against `iam_change_seq`
 * ('bucket_policies'), which every put or delete bumps in its own transaction: a change through
 * any node holds from the next request on every other (storage/pg-change-seq.ts).
 */
import type { Db } from "../db/transaction.js";
import { bumpChangeSeq, PgCacheGuard } from "../storage/pg-change-seq.js";
import type { BucketPolicyStore } from "./stores.js";

const SCOPE = "bucket_policies";
const TABLE = "iam_change_seq";
const CACHE_LIMIT = 10_000;

export class PgBucketPolicyStore implements BucketPolicyStore {
  private readonly cache = new Map<string, string | null>();
  private readonly guard: PgCacheGuard;

  constructor(private readonly db: Db) {
    this.guard = new PgCacheGuard(db, SCOPE, () => this.cache.clear(), TABLE);
  }

  async get(bucket: string): Promise<string | undefined> {
    await this.guard.check();
    let value = this.cache.get(bucket);
    if (value === undefined) {
      const generation = this.guard.generation;
      const [row] = await this.db.query<{ document: string }>("SELECT document FROM iam_bucket_policies WHERE bucket = $1", [bucket]);
      value = row?.document ?? null;
      // Stored only if no change was seen meanwhile (the read may predate it).
      if (generation === this.guard.generation) {
        if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
        this.cache.set(bucket, value);
      }
    }
    return value ?? undefined;
  }

  async put(bucket: string, document: string): Promise<void> {
    try {
      await this.db.write(async (tx) => {
        await tx.query(
          `INSERT INTO iam_bucket_policies (bucket, document, updated_at) VALUES ($1, $2, $3)
           ON CONFLICT (bucket) DO UPDATE SET document = excluded.document, updated_at = excluded.updated_at`,
          [bucket, document, new Date().toISOString()],
        );
        await bumpChangeSeq(tx, SCOPE, TABLE);
      });
    } finally {
      this.guard.invalidate();
    }
  }

  async delete(bucket: string): Promise<boolean> {
    try {
      return await this.db.write(async (tx) => {
        const gone = (await tx.query("DELETE FROM iam_bucket_policies WHERE bucket = $1 RETURNING 1", [bucket])).length > 0;
        if (gone) await bumpChangeSeq(tx, SCOPE, TABLE);
        return gone;
      });
    } finally {
      this.guard.invalidate();
    }
  }
}
