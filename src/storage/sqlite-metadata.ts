/**
 * MetadataStore on SQLite (better-sqlite3, synchronous): `<dataDir>/meta.sqlite`, WAL,
 * synchronous=FULL, foreign keys, versioned migrations (sqlite-schema.ts). Every mutating method
 * runs in ONE immediate transaction; statements are prepared once in the constructor.
 * Listing is O(page): see list-page.ts.
 */
import { SQLITE_STORAGE_TOTALS, toStorageTotals, type StorageTotal } from "./storage-totals.js";
import { join } from "node:path";
import { SqliteObjects } from "./sqlite-objects.js";
import { copyObject, deepFreeze } from "./copy-record.js";
import { StampedCache } from "./stamped-cache.js";
import { openDatabase, type OpenOptions, type SqliteDatabase, type SqliteStatement } from "./sqlite-schema.js";
import { SqliteUploads } from "./sqlite-uploads.js";
import { ChangeSeq, type CacheGuard } from "./change-seq.js";
import { SqliteLeaseStore, type LeaseStore } from "./leases.js";
import { SqliteVersions } from "./sqlite-versions.js";
import { GroupSync } from "./group-sync.js";
import {
  NoSuchBucketError,
  type Acl,
  type BucketRecord,
  type DeleteMarkerRecord,
  type DeleteObjectOptions,
  type DeleteOutcome,
  type ListVersionsPage,
  type ListVersionsQuery,
  type VersionEntry,
  type ListObjectsPage,
  type ListObjectsQuery,
  type ListUploadsPage,
  type ListUploadsQuery,
  type MetadataStore,
  type ObjectAcl,
  type ObjectRecord,
  type PartRecord,
  type UploadRecord,
  type WriteOptions,
} from "./types.js";

export const METADATA_FILE = "meta.sqlite";
/** The change_seq scope of bucket records and bucket settings. */
const BUCKETS_SCOPE = "buckets";
/** Object records kept between database changes, at most (the cache is dropped at the limit). */
const OBJECT_CACHE_ENTRIES = 10_000;

interface BucketRow {
  name: string;
  owner: string;
  acl: string;
  storage_class: string;
  created_at: number;
  region: string;
}

export class SqliteMetadataStore implements MetadataStore {
  /** Opens (creating and migrating if needed) `<dataDir>/meta.sqlite`. */
  static open(dataDir: string, options?: OpenOptions): SqliteMetadataStore {
    return new SqliteMetadataStore(join(dataDir, METADATA_FILE), options);
  }

  private readonly db: SqliteDatabase;
  private readonly objects: SqliteObjects;
  private readonly uploads: SqliteUploads;
  private readonly versions: SqliteVersions;
  readonly supportsVersioning = true;
  private readonly insertBucket: SqliteStatement;
  private readonly selectBucket: SqliteStatement;
  private readonly selectBucketsByOwner: SqliteStatement;
  private readonly deleteBucketRow: SqliteStatement;
  private readonly updateBucketAcl: SqliteStatement;
  private readonly anyObjectInBucket: SqliteStatement;
  private readonly selectSetting: SqliteStatement;
  private readonly upsertSetting: SqliteStatement;
  private readonly deleteSetting: SqliteStatement;
  private readonly changes: ChangeSeq;
  /** Validates bucketCache and settingCache against `change_seq('buckets')` (other processes write too). */
  private readonly bucketsGuard: CacheGuard;
  /** Run-once job leases (lifecycle), in this database so every process sees them. */
  readonly leases: LeaseStore;
  /** Group commit of deferred writes (`{ deferSync: true }`); undefined unless the database syncs FULL. */
  private readonly walSync: GroupSync | undefined;
  private readonly syncNormal: SqliteStatement;
  private readonly syncFull: SqliteStatement;

  constructor(readonly file: string, options?: OpenOptions) {
    this.db = openDatabase(file, options);
    this.walSync = (options?.synchronous ?? "FULL") === "FULL" ? new GroupSync(`${file}-wal`) : undefined;
    this.syncNormal = this.db.prepare("PRAGMA synchronous = NORMAL");
    this.syncFull = this.db.prepare("PRAGMA synchronous = FULL");
    this.objects = new SqliteObjects(this.db);
    this.uploads = new SqliteUploads(this.db, this.objects);
    this.versions = new SqliteVersions(this.db, this.objects);
    this.insertBucket = this.db.prepare(
      `INSERT INTO buckets (name, owner, acl, storage_class, created_at, region)
       VALUES (@name, @owner, @acl, @storageClass, @createdAt, @region) ON CONFLICT (name) DO NOTHING`,
    );
    this.selectBucket = this.db.prepare("SELECT * FROM buckets WHERE name = ?");
    this.selectBucketsByOwner = this.db.prepare("SELECT * FROM buckets WHERE owner = ? ORDER BY name");
    this.deleteBucketRow = this.db.prepare("DELETE FROM buckets WHERE name = ?");
    this.updateBucketAcl = this.db.prepare("UPDATE buckets SET acl = ? WHERE name = ?");
    this.anyObjectInBucket = this.db.prepare("SELECT 1 FROM objects WHERE bucket = ? LIMIT 1").pluck();
    this.selectSetting = this.db.prepare("SELECT value FROM bucket_settings WHERE bucket = ? AND name = ?").pluck();
    this.upsertSetting = this.db.prepare(
      "INSERT INTO bucket_settings (bucket, name, value) VALUES (?, ?, ?) ON CONFLICT (bucket, name) DO UPDATE SET value = excluded.value",
    );
    this.deleteSetting = this.db.prepare("DELETE FROM bucket_settings WHERE bucket = ? AND name = ?");
    this.changes = new ChangeSeq(this.db);
    this.objectCache = new StampedCache(this.changes.stamp, OBJECT_CACHE_ENTRIES);
    this.bucketsGuard = this.changes.guard(BUCKETS_SCOPE, () => {
      this.bucketCache.clear();
      this.settingCache.clear();
    });
    this.leases = new SqliteLeaseStore(this.db);
  }

  async createBucket(bucket: BucketRecord): Promise<"created" | "exists"> {
    const { changes } = this.transaction(() => {
      const result = this.insertBucket.run({ ...bucket, createdAt: bucket.createdAt.getTime() });
      if (result.changes > 0) this.changes.bump(BUCKETS_SCOPE);
      return result;
    });
    this.bucketCache.delete(bucket.name);
    this.settingCache.delete(bucket.name);
    return changes > 0 ? "created" : "exists";
  }

  /**
   * Every request reads its bucket, and buckets change rarely: records are cached, dropped by the
   * calls that change or remove them here, and all dropped when another process (or server) has
   * changed any bucket since (`change_seq('buckets')`, one read per lookup). Callers get copies.
   */
  private readonly bucketCache = new Map<string, BucketRecord | null>();

  async getBucket(name: string): Promise<BucketRecord | undefined> {
    this.bucketsGuard.check();
    let cached = this.bucketCache.get(name);
    if (cached === undefined) {
      const row = this.selectBucket.get(name) as BucketRow | undefined;
      cached = row ? toBucket(row) : null;
      if (this.bucketCache.size >= 10_000) this.bucketCache.clear();
      this.bucketCache.set(name, cached);
    }
    return cached ? { ...cached, createdAt: new Date(cached.createdAt) } : undefined;
  }

  async listBuckets(owner: string): Promise<BucketRecord[]> {
    return (this.selectBucketsByOwner.all(owner) as BucketRow[]).map(toBucket);
  }

  async deleteBucket(name: string): Promise<"deleted" | "missing" | "not-empty"> {
    return this.transaction(() => {
      if (this.selectBucket.get(name) === undefined) return "missing";
      if (this.anyObjectInBucket.get(name) !== undefined || this.versions.hasVersions(name) || this.uploads.hasUploads(name)) return "not-empty";
      this.deleteBucketRow.run(name);
      this.changes.bump(BUCKETS_SCOPE);
      this.bucketCache.delete(name);
      this.settingCache.delete(name); // the rows go by ON DELETE CASCADE
      return "deleted";
    });
  }

  async setBucketAcl(name: string, acl: Acl): Promise<void> {
    try {
      this.transaction(() => {
        if (this.updateBucketAcl.run(acl, name).changes > 0) this.changes.bump(BUCKETS_SCOPE);
      });
    } finally {
      this.bucketCache.delete(name);
    }
  }

  /**
   * Bucket settings (referer rules, payer, encryption, …) are read on every object request and
   * change rarely: cached per bucket like `bucketCache` (validated by the same generation), an
   * entry dropped whenever its setting or its bucket is written, whether or not the write commits.
   */
  private readonly settingCache = new Map<string, Map<string, string | null>>();

  async getBucketSetting(bucket: string, name: string): Promise<string | undefined> {
    this.bucketsGuard.check();
    let settings = this.settingCache.get(bucket);
    const hit = settings?.get(name);
    if (hit !== undefined) return hit ?? undefined;
    const value = this.selectSetting.get(bucket, name) as string | undefined;
    if (!settings) {
      if (this.settingCache.size >= 10_000) this.settingCache.clear();
      this.settingCache.set(bucket, (settings = new Map()));
    }
    settings.set(name, value ?? null);
    return value;
  }

  async setBucketSetting(bucket: string, name: string, value: string | undefined): Promise<void> {
    try {
      this.transaction(() => {
        if (this.selectBucket.get(bucket) === undefined) throw new NoSuchBucketError(bucket);
        if (value === undefined) this.deleteSetting.run(bucket, name);
        else this.upsertSetting.run(bucket, name, value);
        this.changes.bump(BUCKETS_SCOPE);
      });
    } finally {
      this.settingCache.get(bucket)?.delete(name);
    }
  }

  async updateBucketSetting(bucket: string, name: string, update: (current: string | undefined) => string | undefined): Promise<void> {
    try {
      this.transaction(() => {
        if (this.selectBucket.get(bucket) === undefined) throw new NoSuchBucketError(bucket);
        const value = update(this.selectSetting.get(bucket, name) as string | undefined);
        if (value === undefined) this.deleteSetting.run(bucket, name);
        else this.upsertSetting.run(bucket, name, value);
        this.changes.bump(BUCKETS_SCOPE);
      });
    } finally {
      this.settingCache.get(bucket)?.delete(name);
    }
  }

  async countObjects(bucket: string): Promise<number> {
    return this.objects.count(bucket);
  }

  /**
   * Current object records by `bucket/key` (bucket names hold no `/`), for GET/HEAD's one lookup
   * per request: a hit skips the row and segment reads and the JSON decoding. Dropped whenever the
   * database may have changed (stamped-cache.ts). Entries are deep-frozen: getObject hands out
   * copies, peekObject the entry itself.
   */
  private readonly objectCache: StampedCache<ObjectRecord>;

  async getObject(bucket: string, key: string): Promise<ObjectRecord | undefined> {
    const cached = this.cachedObject(bucket, key);
    return cached && copyObject(cached);
  }

  async peekObject(bucket: string, key: string): Promise<ObjectRecord | undefined> {
    return this.cachedObject(bucket, key);
  }

  private cachedObject(bucket: string, key: string): ObjectRecord | undefined {
    return this.objectCache.get(`${bucket}/${key}`, () => {
      const record = this.objects.get(bucket, key);
      return record && deepFreeze(record);
    });
  }

  async putObject(record: ObjectRecord, options?: WriteOptions): Promise<{ releasedBlobs: string[]; versionId?: string }> {
    return this.transaction(() => this.store(record), options);
  }

  /**
   * Resolves when every write made through this store so far is durable: the group commit of
   * writes made with `{ deferSync: true }` (one WAL fdatasync, off the event loop, for all the
   * writes committed while the previous one ran).
   */
  sync(): Promise<void> {
    return this.walSync ? this.walSync.sync() : Promise.resolve();
  }

  /** WAL fdatasyncs made by sync() (benchmarks). */
  get groupSyncs(): number {
    return this.walSync?.syncs ?? 0;
  }

  /** Every new current version goes through here: versioned buckets keep or replace versions. */
  private store(record: ObjectRecord): { releasedBlobs: string[]; versionId?: string } {
    const status = this.versions.status(record.bucket);
    // A record copied from a version carries its id; the store alone assigns versions.
    const { versionId: _ignored, ...unversioned } = record;
    if (status === undefined) return { releasedBlobs: this.objects.store(unversioned) };
    return this.versions.write(record, status, record.lastModified);
  }

  async putObjectIfAbsent(record: ObjectRecord, options?: WriteOptions): Promise<"created" | "exists"> {
    return this.transaction(() => {
      if (this.objects.exists(record.bucket, record.key)) return "exists";
      this.store(record);
      return "created";
    }, options);
  }

  async updateObject(bucket: string, key: string, update: (current: ObjectRecord | undefined) => ObjectRecord | undefined): Promise<ObjectRecord | undefined> {
    return this.transaction(() => this.update(bucket, key, update));
  }

  /** updateObject's body, inside the caller's transaction. */
  private update(bucket: string, key: string, update: (current: ObjectRecord | undefined) => ObjectRecord | undefined): ObjectRecord | undefined {
    const current = this.objects.get(bucket, key);
    const next = update(current);
    if (next === undefined) return undefined;
    if (next.bucket !== bucket || next.key !== key) throw new Error("updateObject must keep bucket and key");
    // An update of the current version stays that version (appends, tags, restore); a first
    // append creates a new one. Blobs dropped (never, for appends) are left for orphan collection.
    if (current) this.objects.store({ ...next, ...(current.versionId !== undefined && { versionId: current.versionId }) });
    else this.store(next);
    return this.objects.get(bucket, key);
  }

  async updateObjectVersion(bucket: string, key: string, versionId: string, update: (current: ObjectRecord | undefined) => ObjectRecord | undefined): Promise<ObjectRecord | undefined> {
    return this.transaction(() => {
      const entry = this.versions.get(bucket, key, versionId);
      if (entry?.kind === "version" && entry.isLatest) return this.update(bucket, key, update);
      const current = entry?.kind === "version" ? entry.record : undefined;
      const next = update(current);
      if (next === undefined || current === undefined) return undefined;
      if (next.bucket !== bucket || next.key !== key) throw new Error("updateObjectVersion must keep bucket and key");
      return this.versions.rewrite(current, next);
    });
  }

  async deleteObject(bucket: string, key: string, options: DeleteObjectOptions = {}): Promise<DeleteOutcome> {
    return this.transaction(() => {
      if (options.onlyIf && options.versionId === undefined && !options.onlyIf(this.objects.get(bucket, key))) return { deleted: false, releasedBlobs: [] };
      return this.versions.delete(bucket, key, this.versions.status(bucket), options.versionId, options.now ?? new Date());
    });
  }

  async getObjectVersion(bucket: string, key: string, versionId: string): Promise<VersionEntry | undefined> {
    return this.db.transaction(() => this.versions.get(bucket, key, versionId))();
  }

  async currentDeleteMarker(bucket: string, key: string): Promise<DeleteMarkerRecord | undefined> {
    return this.db.transaction(() => this.versions.currentMarker(bucket, key))();
  }

  async listObjectVersions(query: ListVersionsQuery): Promise<ListVersionsPage> {
    return this.db.transaction(() => this.versions.list(query))();
  }

  async setObjectAcl(bucket: string, key: string, acl: ObjectAcl): Promise<boolean> {
    return this.objects.setAcl(bucket, key, acl);
  }

  async listObjects(query: ListObjectsQuery): Promise<ListObjectsPage> {
    // One read transaction so the page is a consistent snapshot across its bounded queries.
    return this.db.transaction(() => this.objects.list(query))();
  }

  async createUpload(upload: UploadRecord): Promise<void> {
    this.transaction(() => this.uploads.create(upload));
  }

  async getUpload(bucket: string, uploadId: string): Promise<UploadRecord | undefined> {
    return this.uploads.get(bucket, uploadId);
  }

  async putPart(part: PartRecord, options?: WriteOptions): Promise<{ releasedBlobs: string[] }> {
    return this.transaction(() => ({ releasedBlobs: this.uploads.putPart(part) }), options);
  }

  async listParts(uploadId: string, partNumberMarker: number, maxParts: number): Promise<{ parts: PartRecord[]; isTruncated: boolean }> {
    return this.uploads.listParts(uploadId, partNumberMarker, maxParts);
  }

  async listUploads(query: ListUploadsQuery): Promise<ListUploadsPage> {
    return this.db.transaction(() => this.uploads.list(query))();
  }

  /** `usedPartNumbers` is implied by record.segments; every part not referenced by it is released. */
  async completeUpload(uploadId: string, record: ObjectRecord, _usedPartNumbers: readonly number[], ifAbsent: boolean): Promise<{ result: "created" | "exists"; releasedBlobs: string[]; versionId?: string }> {
    return this.transaction(() => this.uploads.complete(uploadId, record, ifAbsent, (r) => this.store(r)));
  }

  async abortUpload(uploadId: string): Promise<{ found: boolean; releasedBlobs: string[] }> {
    return this.transaction(() => this.uploads.abort(uploadId));
  }

  async referencedBlobIds(): Promise<Set<string>> {
    return this.db.transaction(() => this.objects.referencedBlobIds())();
  }

  async storageTotals(): Promise<StorageTotal[]> {
    return toStorageTotals(this.db.prepare(SQLITE_STORAGE_TOTALS).all() as { bucket: string; storageClass: string; bytes: number }[]);
  }

  async close(): Promise<void> {
    this.db.close();
  }

  /**
   * One immediate transaction. With `deferSync` (and a FULL database) it commits without syncing
   * the WAL (`synchronous = NORMAL` for this transaction only): the caller must await sync()
   * before it acknowledges the write or acts on it (deleting replaced blobs).
   */
  private transaction<R>(fn: () => R, options?: WriteOptions): R {
    if (!options?.deferSync || !this.walSync) return this.db.transaction(fn).immediate();
    this.syncNormal.run();
    try {
      return this.db.transaction(fn).immediate();
    } finally {
      this.syncFull.run();
    }
  }
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
