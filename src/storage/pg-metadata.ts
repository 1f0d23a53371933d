/**
 * MetadataStore on PostgreSQL (BARBUCKET_DATABASE_URL): the same tables, transactions and crash
 * guarantees as the SQLite store, shared by every node. Every mutating method is ONE SERIALIZABLE
 * transaction (retried on a serialization failure, src/db/transaction.ts), so the read-check-write
 * bodies mean what they mean under SQLite's single writer. A commit returns once PostgreSQL has
 * flushed its WAL (synchronous_commit on): writes are durable on return, so `deferSync` needs no
 * group commit of ours (PostgreSQL groups concurrent commits' flushes itself) and `sync()` resolves at once.
 * Listing pages read from the (bucket, key) index in a snapshot (REPEATABLE READ), O(page).
 */
import { PG_STORAGE_TOTALS, toStorageTotals, type StorageTotal } from "./storage-totals.js";
import { migrate } from "../db/migrate.js";
import { openPool, type PoolOptions } from "../db/pool.js";
import { Db, type Tx } from "../db/transaction.js";
import { listObjectsPageAsync, listUploadsPageAsync, toObjectsPage } from "./list-page.js";
import { bumpChangeSeq, PgCacheGuard } from "./pg-change-seq.js";
import { PgObjects } from "./pg-objects.js";
import { METADATA_COMPONENT, PG_METADATA_MIGRATIONS } from "./pg-schema.js";
import { PgUploads } from "./pg-uploads.js";
import { PgVersions } from "./pg-versions.js";
import {
  NoSuchBucketError,
  type Acl,
  type BucketRecord,
  type DeleteMarkerRecord,
  type DeleteObjectOptions,
  type DeleteOutcome,
  type ListObjectsPage,
  type ListObjectsQuery,
  type ListUploadsPage,
  type ListUploadsQuery,
  type ListVersionsPage,
  type ListVersionsQuery,
  type MetadataStore,
  type ObjectAcl,
  type ObjectRecord,
  type PartRecord,
  type UploadRecord,
  type VersionEntry,
} from "./types.js";

/** The change_seq scope of bucket records and bucket settings (as the SQLite store's). */
const BUCKETS_SCOPE = "buckets";
/**
 * Every bucket write bumps the one change_seq row of BUCKETS_SCOPE, so two of them always conflict:
 * they queue on this advisory lock instead (bucket writes are rare; reads take no lock).
 */
const BUCKETS_LOCK = "\u0001change_seq:buckets";
const CACHE_LIMIT = 10_000;
/** A page below this many keys is read in one batch (list-page.ts reads at most 1000 rows a batch). */
const MAX_SINGLE_BATCH = 1000;

interface BucketRow {
  name: string;
  owner: string;
  acl: string;
  storage_class: string;
  created_at: number;
  region: string;
}

export class PgMetadataStore implements MetadataStore {
  /** Connects, applies pending migrations (under an advisory lock: nodes may start together), opens the store. */
  static async open(url: string, options: PoolOptions = {}): Promise<PgMetadataStore> {
    const pool = openPool(url, { applicationName: "barbucket-metadata", ...options });
    try {
      await migrate(pool, METADATA_COMPONENT, PG_METADATA_MIGRATIONS);
    } catch (error) {
      await pool.end();
      throw error;
    }
    return new PgMetadataStore(new Db(pool));
  }

  readonly supportsVersioning = true;
  private readonly objects = new PgObjects();
  private readonly uploads = new PgUploads(this.objects);
  private readonly versions = new PgVersions(this.objects);
  /** Bucket records and settings, validated against change_seq('buckets') once per request (see pg-change-seq.ts). */
  private readonly bucketCache = new Map<string, BucketRecord | null>();
  private readonly settingCache = new Map<string, Map<string, string | null>>();
  private readonly bucketsGuard: PgCacheGuard;

  constructor(readonly db: Db) {
    this.bucketsGuard = new PgCacheGuard(db, BUCKETS_SCOPE, () => {
      this.bucketCache.clear();
      this.settingCache.clear();
    });
  }

  async createBucket(bucket: BucketRecord): Promise<"created" | "exists"> {
    try {
      return await this.db.write(async (tx) => {
        const inserted = await tx.query(
          `INSERT INTO buckets (name, owner, acl, storage_class, created_at, region) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (name) DO NOTHING RETURNING 1`,
          [bucket.name, bucket.owner, bucket.acl, bucket.storageClass, bucket.createdAt.getTime(), bucket.region],
        );
        if (inserted.length === 0) return "exists";
        await bumpChangeSeq(tx, BUCKETS_SCOPE);
        return "created";
      }, BUCKETS_LOCK);
    } finally {
      this.bucketsGuard.invalidate();
    }
  }

  async getBucket(name: string): Promise<BucketRecord | undefined> {
    await this.bucketsGuard.check();
    let cached = this.bucketCache.get(name);
    if (cached === undefined) {
      const generation = this.bucketsGuard.generation;
      const [row] = await this.db.query<BucketRow>("SELECT * FROM buckets WHERE name = $1", [name]);
      cached = row ? toBucket(row) : null;
      if (generation === this.bucketsGuard.generation) {
        if (this.bucketCache.size >= CACHE_LIMIT) this.bucketCache.clear();
        this.bucketCache.set(name, cached);
      }
    }
    return cached ? { ...cached, createdAt: new Date(cached.createdAt) } : undefined;
  }

  async listBuckets(owner: string): Promise<BucketRecord[]> {
    return (await this.db.query<BucketRow>("SELECT * FROM buckets WHERE owner = $1 ORDER BY name", [owner])).map(toBucket);
  }

  async deleteBucket(name: string): Promise<"deleted" | "missing" | "not-empty"> {
    try {
      return await this.db.write(async (tx) => {
        if ((await tx.query("SELECT 1 FROM buckets WHERE name = $1", [name])).length === 0) return "missing";
        const [busy] = await tx.query<{ objects: boolean; versions: boolean; uploads: boolean }>(
          `SELECT EXISTS (SELECT 1 FROM objects WHERE bucket = $1) AS objects,
                  EXISTS (SELECT 1 FROM object_versions WHERE bucket = $1) AS versions,
                  EXISTS (SELECT 1 FROM uploads WHERE bucket = $1) AS uploads`,
          [name],
        );
        if (busy!.objects || busy!.versions || busy!.uploads) return "not-empty";
        await tx.query("DELETE FROM buckets WHERE name = $1", [name]); // settings go by ON DELETE CASCADE
        await bumpChangeSeq(tx, BUCKETS_SCOPE);
        return "deleted";
      }, BUCKETS_LOCK);
    } finally {
      this.bucketsGuard.invalidate();
    }
  }

  async setBucketAcl(name: string, acl: Acl): Promise<void> {
    try {
      await this.db.write(async (tx) => {
        if ((await tx.query("UPDATE buckets SET acl = $1 WHERE name = $2 RETURNING 1", [acl, name])).length > 0) await bumpChangeSeq(tx, BUCKETS_SCOPE);
      }, BUCKETS_LOCK);
    } finally {
      this.bucketsGuard.invalidate();
    }
  }

  async getBucketSetting(bucket: string, name: string): Promise<string | undefined> {
    await this.bucketsGuard.check();
    const hit = this.settingCache.get(bucket)?.get(name);
    if (hit !== undefined) return hit ?? undefined;
    const generation = this.bucketsGuard.generation;
    const [row] = await this.db.query<{ value: string }>("SELECT value FROM bucket_settings WHERE bucket = $1 AND name = $2", [bucket, name]);
    if (generation === this.bucketsGuard.generation) {
      let settings = this.settingCache.get(bucket);
      if (!settings) {
        if (this.settingCache.size >= CACHE_LIMIT) this.settingCache.clear();
        this.settingCache.set(bucket, (settings = new Map()));
      }
      settings.set(name, row?.value ?? null);
    }
    return row?.value;
  }

  async setBucketSetting(bucket: string, name: string, value: string | undefined): Promise<void> {
    await this.updateBucketSetting(bucket, name, () => value);
  }

  async updateBucketSetting(bucket: string, name: string, update: (current: string | undefined) => string | undefined): Promise<void> {
    try {
      await this.db.write(async (tx) => {
        if ((await tx.query("SELECT 1 FROM buckets WHERE name = $1", [bucket])).length === 0) throw new NoSuchBucketError(bucket);
        const [row] = await tx.query<{ value: string }>("SELECT value FROM bucket_settings WHERE bucket = $1 AND name = $2", [bucket, name]);
        const value = update(row?.value);
        if (value === undefined) await tx.query("DELETE FROM bucket_settings WHERE bucket = $1 AND name = $2", [bucket, name]);
        else {
          await tx.query(
            "INSERT INTO bucket_settings (bucket, name, value) VALUES ($1, $2, $3) ON CONFLICT (bucket, name) DO UPDATE SET value = excluded.value",
            [bucket, name, value],
          );
        }
        await bumpChangeSeq(tx, BUCKETS_SCOPE);
      }, BUCKETS_LOCK);
    } finally {
      this.bucketsGuard.invalidate();
    }
  }

  async countObjects(bucket: string): Promise<number> {
    return await this.objects.count(this.db, bucket);
  }

  async getObject(bucket: string, key: string): Promise<ObjectRecord | undefined> {
    return await this.objects.get(this.db, bucket, key);
  }

  async putObject(record: ObjectRecord): Promise<{ releasedBlobs: string[]; versionId?: string }> {
    return await this.db.write((tx) => this.store(tx, record), keyLock(record.bucket, record.key));
  }

  /** Commits are durable on return (see the file comment). */
  sync(): Promise<void> {
    return Promise.resolve();
  }

  /** Every new current version goes through here: versioned buckets keep or replace versions. */
  private async store(tx: Tx, record: ObjectRecord): Promise<{ releasedBlobs: string[]; versionId?: string }> {
    const probe = await this.objects.probe(tx, record.bucket, record.key);
    const status = probe.versioning === "Enabled" || probe.versioning === "Suspended" ? probe.versioning : undefined;
    // A record copied from a version carries its id; the store alone assigns versions.
    const { versionId: _ignored, ...unversioned } = record;
    if (status === undefined) return { releasedBlobs: await this.objects.store(tx, unversioned, undefined, probe) };
    return await this.versions.write(tx, record, status, record.lastModified);
  }

  async putObjectIfAbsent(record: ObjectRecord): Promise<"created" | "exists"> {
    return await this.db.write(async (tx) => {
      if (await this.objects.exists(tx, record.bucket, record.key)) return "exists";
      await this.store(tx, record);
      return "created";
    }, keyLock(record.bucket, record.key));
  }

  async updateObject(bucket: string, key: string, update: (current: ObjectRecord | undefined) => ObjectRecord | undefined): Promise<ObjectRecord | undefined> {
    return await this.db.write((tx) => this.update(tx, bucket, key, update), keyLock(bucket, key));
  }

  /** updateObject's body, inside the caller's transaction. */
  private async update(tx: Tx, bucket: string, key: string, update: (current: ObjectRecord | undefined) => ObjectRecord | undefined): Promise<ObjectRecord | undefined> {
    const current = await this.objects.get(tx, bucket, key);
    const next = update(current);
    if (next === undefined) return undefined;
    if (next.bucket !== bucket || next.key !== key) throw new Error("updateObject must keep bucket and key");
    // An update of the current version stays that version (appends, tags, restore); a first
    // append creates a new one. Blobs dropped (never, for appends) are left for orphan collection.
    if (current) await this.objects.store(tx, { ...next, ...(current.versionId !== undefined && { versionId: current.versionId }) });
    else await this.store(tx, next);
    return await this.objects.get(tx, bucket, key);
  }

  async updateObjectVersion(bucket: string, key: string, versionId: string, update: (current: ObjectRecord | undefined) => ObjectRecord | undefined): Promise<ObjectRecord | undefined> {
    return await this.db.write(async (tx) => {
      const entry = await this.versions.get(tx, bucket, key, versionId);
      if (entry?.kind === "version" && entry.isLatest) return await this.update(tx, bucket, key, update);
      const current = entry?.kind === "version" ? entry.record : undefined;
      const next = update(current);
      if (next === undefined || current === undefined) return undefined;
      if (next.bucket !== bucket || next.key !== key) throw new Error("updateObjectVersion must keep bucket and key");
      return await this.versions.rewrite(tx, current, next);
    }, keyLock(bucket, key));
  }

  async deleteObject(bucket: string, key: string, options: DeleteObjectOptions = {}): Promise<DeleteOutcome> {
    return await this.db.write(async (tx) => {
      if (options.onlyIf && options.versionId === undefined && !options.onlyIf(await this.objects.get(tx, bucket, key))) return { deleted: false, releasedBlobs: [] };
      return await this.versions.delete(tx, bucket, key, await this.versions.status(tx, bucket), options.versionId, options.now ?? new Date());
    }, keyLock(bucket, key));
  }

  async getObjectVersion(bucket: string, key: string, versionId: string): Promise<VersionEntry | undefined> {
    return await this.db.read((tx) => this.versions.get(tx, bucket, key, versionId));
  }

  async currentDeleteMarker(bucket: string, key: string): Promise<DeleteMarkerRecord | undefined> {
    return await this.db.read((tx) => this.versions.currentMarker(tx, bucket, key));
  }

  async listObjectVersions(query: ListVersionsQuery): Promise<ListVersionsPage> {
    return await this.db.read((tx) => this.versions.list(tx, query));
  }

  async setObjectAcl(bucket: string, key: string, acl: ObjectAcl): Promise<boolean> {
    return await this.objects.setAcl(this.db, bucket, key, acl);
  }

  async listObjects(query: ListObjectsQuery): Promise<ListObjectsPage> {
    if (query.delimiter === "" && query.maxKeys < MAX_SINGLE_BATCH) {
      // Without a delimiter a page is one batch: one statement, its own snapshot, no transaction.
      return toObjectsPage(await listObjectsPageAsync(query, (cursor, limit) => this.objects.fetchRecords(this.db, query.bucket, query.prefix, cursor.afterKey, limit)));
    }
    // One snapshot for the page's bounded queries (common prefixes are jumped), then its records in one statement.
    return await this.db.read(async (tx) => {
      const page = await listObjectsPageAsync(query, (cursor, limit) => this.objects.fetchKeys(tx, query.bucket, query.prefix, cursor.afterKey, limit));
      return toObjectsPage({ ...page, items: await this.objects.byIds(tx, page.items) });
    });
  }

  async createUpload(upload: UploadRecord): Promise<void> {
    await this.db.write((tx) => this.uploads.create(tx, upload));
  }

  async getUpload(bucket: string, uploadId: string): Promise<UploadRecord | undefined> {
    return await this.uploads.get(this.db, bucket, uploadId);
  }

  async putPart(part: PartRecord): Promise<{ releasedBlobs: string[] }> {
    return await this.db.write(async (tx) => ({ releasedBlobs: await this.uploads.putPart(tx, part) }));
  }

  async listParts(uploadId: string, partNumberMarker: number, maxParts: number): Promise<{ parts: PartRecord[]; isTruncated: boolean }> {
    return await this.uploads.listParts(this.db, uploadId, partNumberMarker, maxParts);
  }

  async listUploads(query: ListUploadsQuery): Promise<ListUploadsPage> {
    return await this.db.read((tx) => listUploadsPageAsync(query, (cursor, limit) => this.uploads.fetchPage(tx, query.bucket, query.prefix, cursor, limit)));
  }

  /** `usedPartNumbers` is implied by record.segments; every part not referenced by it is released. */
  async completeUpload(uploadId: string, record: ObjectRecord, _usedPartNumbers: readonly number[], ifAbsent: boolean): Promise<{ result: "created" | "exists"; releasedBlobs: string[]; versionId?: string }> {
    return await this.db.write((tx) => this.uploads.complete(tx, uploadId, record, ifAbsent, (r) => this.store(tx, r)), keyLock(record.bucket, record.key));
  }

  async abortUpload(uploadId: string): Promise<{ found: boolean; releasedBlobs: string[] }> {
    return await this.db.write((tx) => this.uploads.abort(tx, uploadId));
  }

  async referencedBlobIds(): Promise<Set<string>> {
    return await this.db.read((tx) => this.objects.referencedBlobIds(tx));
  }

  async storageTotals(): Promise<StorageTotal[]> {
    return toStorageTotals(await this.db.query<{ bucket: string; storageClass: string; bytes: string }>(PG_STORAGE_TOTALS));
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}

/** The advisory lock name of one object key: its writers queue instead of aborting each other. */
function keyLock(bucket: string, key: string): string {
  return `${bucket}\u0000${key}`;
}

function toBucket(row: BucketRow): BucketRecord {
  return {
    name: row.name,
    owner: row.owner,
    acl: row.acl as Acl,
    storageClass: row.storage_class as BucketRecord["storageClass"],
    createdAt: new Date(row.created_at),
    region: row.region,
  };
}
