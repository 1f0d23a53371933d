/** Bucket policies (PutBucketPolicy / GetBucketPolicy / DeleteBucketPolicy) on SQLite, stored beside the identities (iam.sqlite). */
import { ChangeSeq, type CacheGuard } from "../storage/change-seq.js";
import type { SqliteDatabase } from "../storage/sqlite-schema.js";
import type { BucketPolicyStore } from "./stores.js";

/** The change_seq scope (in iam.sqlite) of bucket policies. */
const SCOPE = "bucket_policies";

export class SqliteBucketPolicyStore implements BucketPolicyStore {
  private readonly cache = new Map<string, string | null>();
  private readonly changes: ChangeSeq;
  /** Another process's put/delete bumps the scope: the cache is dropped before its next use. */
  private readonly guard: CacheGuard;

  constructor(private readonly db: SqliteDatabase) {
    this.changes = new ChangeSeq(db);
    this.guard = this.changes.guard(SCOPE, () => this.cache.clear());
  }

  /** The policy document of a bucket; cached, since every request to the bucket asks. */
  async get(bucket: string): Promise<string | undefined> {
    this.guard.check();
    let value = this.cache.get(bucket);
    if (value === undefined) {
      value = (this.db.prepare("SELECT document FROM bucket_policies WHERE bucket = ?").pluck().get(bucket) as string | undefined) ?? null;
      if (this.cache.size >= 10_000) this.cache.clear();
      this.cache.set(bucket, value);
    }
    return value ?? undefined;
  }

  async put(bucket: string, document: string): Promise<void> {
    this.db.transaction(() => {
      this.db
        .prepare("INSERT INTO bucket_policies (bucket, document, updated_at) VALUES (?, ?, ?) ON CONFLICT (bucket) DO UPDATE SET document = excluded.document, updated_at = excluded.updated_at")
        .run(bucket, document, new Date().toISOString());
      this.changes.bump(SCOPE);
    }).immediate();
    this.cache.set(bucket, document);
  }

  async delete(bucket: string): Promise<boolean> {
    const changed = this.db.transaction(() => {
      const gone = this.db.prepare("DELETE FROM bucket_policies WHERE bucket = ?").run(bucket).changes > 0;
      if (gone) this.changes.bump(SCOPE);
      return gone;
    }).immediate();
    this.cache.set(bucket, null);
    return changed;
  }
}
