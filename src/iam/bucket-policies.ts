/** Bucket policies (PutBucketPolicy / GetBucketPolicy / DeleteBucketPolicy), stored beside the identities. */
import type { SqliteDatabase } from "../storage/sqlite-schema.js";

export class BucketPolicyStore {
  private readonly cache = new Map<string, string | null>();

  constructor(private readonly db: SqliteDatabase) {}

  /** The policy document of a bucket; cached, since every request to the bucket asks. */
  get(bucket: string): string | undefined {
    let value = this.cache.get(bucket);
    if (value === undefined) {
      value = (this.db.prepare("SELECT document FROM bucket_policies WHERE bucket = ?").pluck().get(bucket) as string | undefined) ?? null;
      this.cache.set(bucket, value);
    }
    return value ?? undefined;
  }

  put(bucket: string, document: string): void {
    this.db
      .prepare("INSERT INTO bucket_policies (bucket, document, updated_at) VALUES (?, ?, ?) ON CONFLICT (bucket) DO UPDATE SET document = excluded.document, updated_at = excluded.updated_at")
      .run(bucket, document, new Date().toISOString());
    this.cache.set(bucket, document);
  }

  delete(bucket: string): boolean {
    const changed = this.db.prepare("DELETE FROM bucket_policies WHERE bucket = ?").run(bucket).changes > 0;
    this.cache.set(bucket, null);
    return changed;
  }
}
