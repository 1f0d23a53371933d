/**
 * Object rows and their segments in SQLite. Statements are prepared once; callers (the store)
 * wrap every mutation in a transaction. Blobs are reported as released only when no object
 * segment and no part references them any more, so shared blobs are never deleted early.
 */
import { listObjectsPage, pastPrefix, utf8, type FetchRows } from "./list-page.js";
import type { SqliteDatabase, SqliteStatement } from "./sqlite-schema.js";
import { NoSuchBucketError, type ListObjectsPage, type ListObjectsQuery, type ObjectAcl, type ObjectEncryption, type ObjectRecord, type Segment } from "./types.js";

interface ObjectRow {
  id: number;
  bucket: string;
  key: string;
  size: number;
  etag: string;
  crc64: string;
  last_modified: number;
  content_type: string;
  headers: string;
  user_meta: string;
  acl: string;
  storage_class: string;
  type: string;
  owner: string;
  restore_requested_at: number | null;
  restore_ready_at: number | null;
  restore_expires_at: number | null;
  restore_tier: string | null;
  class_since: number | null;
  sse_algorithm: string | null;
  sse_kms_key_id: string | null;
  tags: string | null;
  symlink_target: string | null;
  version_id: string | null;
  version_seq: number | null;
}

interface SegmentRow {
  blobId: string;
  size: number;
  encryption: string | null;
}

export class SqliteObjects {
  private readonly selectRow: SqliteStatement;
  private readonly selectSegments: SqliteStatement;
  private readonly selectSegmentBlobs: SqliteStatement;
  private readonly insertRow: SqliteStatement;
  private readonly updateRow: SqliteStatement;
  private readonly insertSegment: SqliteStatement;
  private readonly deleteSegments: SqliteStatement;
  private readonly deleteRow: SqliteStatement;
  private readonly updateAcl: SqliteStatement;
  private readonly countRows: SqliteStatement;
  private readonly selectPageAfter: SqliteStatement;
  private readonly selectPageFromPrefix: SqliteStatement;
  private readonly bucketExists: SqliteStatement;
  private readonly blobReferenced: SqliteStatement;
  private readonly allReferencedBlobs: SqliteStatement;

  constructor(db: SqliteDatabase) {
    this.selectRow = db.prepare("SELECT * FROM objects WHERE bucket = ? AND key = ?");
    this.selectSegments = db.prepare("SELECT blob_id AS blobId, size, encryption FROM object_segments WHERE object_id = ? ORDER BY seq");
    this.selectSegmentBlobs = db.prepare("SELECT blob_id FROM object_segments WHERE object_id = ?").pluck();
    const columns =
      "size, etag, crc64, last_modified, content_type, headers, user_meta, acl, storage_class, type, owner, " +
      "restore_requested_at, restore_ready_at, restore_expires_at, restore_tier, class_since, sse_algorithm, sse_kms_key_id, tags, symlink_target, " +
      "version_id, version_seq";
    const values = columns.split(", ").map((column) => `@${column}`).join(", ");
    this.insertRow = db.prepare(`INSERT INTO objects (bucket, key, ${columns}) VALUES (@bucket, @key, ${values})`);
    this.updateRow = db.prepare(`UPDATE objects SET (${columns}) = (${values}) WHERE id = @id`);
    this.insertSegment = db.prepare("INSERT INTO object_segments (object_id, seq, blob_id, size, encryption) VALUES (?, ?, ?, ?, ?)");
    this.deleteSegments = db.prepare("DELETE FROM object_segments WHERE object_id = ?");
    this.deleteRow = db.prepare("DELETE FROM objects WHERE id = ?");
    this.updateAcl = db.prepare("UPDATE objects SET acl = ? WHERE bucket = ? AND key = ?");
    this.countRows = db.prepare("SELECT count(*) FROM objects WHERE bucket = ?").pluck();
    // Bounds are bound as UTF-8 bytes and cast, so `prefix ‖ 0xFF` works (BINARY collation = memcmp).
    // One lower bound per statement so the index range starts exactly there: SQLite would use only
    // one of `key > after` and `key >= prefix`, and the wrong one scans everything before the prefix.
    this.selectPageAfter = db.prepare(
      `SELECT * FROM objects
       WHERE bucket = @bucket AND key > CAST(@after AS TEXT) AND key < CAST(@end AS TEXT)
       ORDER BY key LIMIT @limit`,
    );
    this.selectPageFromPrefix = db.prepare(
      `SELECT * FROM objects
       WHERE bucket = @bucket AND key >= @prefix AND key < CAST(@end AS TEXT)
       ORDER BY key LIMIT @limit`,
    );
    this.bucketExists = db.prepare("SELECT 1 FROM buckets WHERE name = ?").pluck();
    // Noncurrent versions hold their blobs through version_blobs: the orphan sweep must keep those too.
    this.blobReferenced = db.prepare(
      `SELECT EXISTS (SELECT 1 FROM object_segments WHERE blob_id = @id)
           OR EXISTS (SELECT 1 FROM parts WHERE blob_id = @id)
           OR EXISTS (SELECT 1 FROM version_blobs WHERE blob_id = @id)`,
    ).pluck();
    this.allReferencedBlobs = db.prepare(
      "SELECT blob_id FROM object_segments UNION SELECT blob_id FROM parts UNION SELECT blob_id FROM version_blobs",
    ).pluck();
  }

  get(bucket: string, key: string): ObjectRecord | undefined {
    const row = this.selectRow.get(bucket, key) as ObjectRow | undefined;
    return row && this.toRecord(row);
  }

  exists(bucket: string, key: string): boolean {
    return this.selectRow.get(bucket, key) !== undefined;
  }

  /** The current row's id, version and sequence (versioning moves rows by these). */
  currentRow(bucket: string, key: string): { id: number; versionId: string | undefined; seq: number | null; record: ObjectRecord } | undefined {
    const row = this.selectRow.get(bucket, key) as ObjectRow | undefined;
    return row && { id: row.id, versionId: row.version_id ?? undefined, seq: row.version_seq, record: this.toRecord(row) };
  }

  /** Segment blobs of a row (before it is removed). */
  blobsOf(id: number): string[] {
    return this.selectSegmentBlobs.all(id) as string[];
  }

  /** Removes a row by id (segments cascade); the caller decides what its blobs become. */
  removeRow(id: number): void {
    this.deleteRow.run(id);
  }

  /**
   * Inserts or replaces (keeping the row id); returns the replaced record's blobs now unreferenced.
   * `seq` orders versions (versioning.ts); an in-place update without one keeps the row's.
   */
  store(record: ObjectRecord, seq?: number): string[] {
    if (this.bucketExists.get(record.bucket) === undefined) throw new NoSuchBucketError(record.bucket);
    const existing = this.selectRow.get(record.bucket, record.key) as ObjectRow | undefined;
    const params = { ...toParams(record), version_seq: seq ?? existing?.version_seq ?? null };
    let id: number;
    let oldBlobs: string[] = [];
    if (existing) {
      id = existing.id;
      oldBlobs = this.selectSegmentBlobs.all(id) as string[];
      this.updateRow.run({ ...params, id });
      this.deleteSegments.run(id);
    } else {
      id = Number(this.insertRow.run(params).lastInsertRowid);
    }
    record.segments.forEach((segment, seq) =>
      this.insertSegment.run(id, seq, segment.blobId, segment.size, segment.encryption === undefined ? null : JSON.stringify(segment.encryption)),
    );
    return this.unreferenced(oldBlobs);
  }

  delete(bucket: string, key: string): { deleted: boolean; releasedBlobs: string[] } {
    const existing = this.selectRow.get(bucket, key) as ObjectRow | undefined;
    if (!existing) return { deleted: false, releasedBlobs: [] };
    const blobs = this.selectSegmentBlobs.all(existing.id) as string[];
    this.deleteRow.run(existing.id); // segments go by ON DELETE CASCADE
    return { deleted: true, releasedBlobs: this.unreferenced(blobs) };
  }

  setAcl(bucket: string, key: string, acl: ObjectAcl): boolean {
    return this.updateAcl.run(acl, bucket, key).changes > 0;
  }

  count(bucket: string): number {
    return this.countRows.get(bucket) as number;
  }

  list(query: ListObjectsQuery): ListObjectsPage {
    const end = pastPrefix(query.prefix);
    const prefix = utf8(query.prefix);
    const { selectPageAfter, selectPageFromPrefix } = this;
    const toRecord = (row: ObjectRow) => this.toRecord(row);
    const fetch: FetchRows<ObjectRecord> = function* (cursor, limit) {
      // A cursor at or past the prefix implies key > prefix; one before it is implied by key >= prefix.
      const rows = (
        Buffer.compare(cursor.afterKey, prefix) >= 0
          ? selectPageAfter.iterate({ bucket: query.bucket, after: cursor.afterKey, end, limit })
          : selectPageFromPrefix.iterate({ bucket: query.bucket, prefix: query.prefix, end, limit })
      ) as IterableIterator<ObjectRow>;
      for (const row of rows) yield { key: row.key, load: () => toRecord(row) };
    };
    return listObjectsPage(query, fetch);
  }

  /** The given blob ids (deduplicated) that nothing references any more. Call after the changes. */
  unreferenced(blobIds: readonly string[]): string[] {
    return [...new Set(blobIds)].filter((id) => this.blobReferenced.get({ id }) === 0);
  }

  referencedBlobIds(): Set<string> {
    return new Set(this.allReferencedBlobs.iterate() as IterableIterator<string>);
  }

  private toRecord(row: ObjectRow): ObjectRecord {
    return rowToRecord(row, (this.selectSegments.all(row.id) as SegmentRow[]).map(toSegment));
  }
}

/** A record from its row and segments (also used for noncurrent versions, stored as JSON rows). */
export function rowToRecord(row: ObjectRow, segments: Segment[]): ObjectRecord {
    return {
      bucket: row.bucket,
      key: row.key,
      size: row.size,
      etag: row.etag,
      crc64: row.crc64,
      lastModified: new Date(row.last_modified),
      contentType: row.content_type,
      headers: JSON.parse(row.headers) as Record<string, string>,
      userMeta: JSON.parse(row.user_meta) as Record<string, string>,
      acl: row.acl as ObjectAcl,
      storageClass: row.storage_class as ObjectRecord["storageClass"],
      type: row.type as ObjectRecord["type"],
      segments,
      owner: row.owner,
      ...(row.restore_requested_at !== null && {
        restore: {
          requestedAt: new Date(row.restore_requested_at),
          readyAt: new Date(row.restore_ready_at ?? row.restore_requested_at),
          expiresAt: new Date(row.restore_expires_at ?? row.restore_requested_at),
          tier: row.restore_tier ?? "Standard",
        },
      }),
      ...(row.class_since !== null && { classSince: new Date(row.class_since) }),
      ...(row.sse_algorithm !== null && {
        serverSideEncryption: {
          algorithm: row.sse_algorithm as ObjectEncryption["algorithm"],
          ...(row.sse_kms_key_id !== null && { kmsKeyId: row.sse_kms_key_id }),
        },
      }),
      ...(row.tags !== null && { tags: JSON.parse(row.tags) as Array<[string, string]> }),
      ...(row.symlink_target !== null && { symlinkTarget: row.symlink_target }),
      ...(row.version_id !== null && row.version_id !== undefined && { versionId: row.version_id }),
    };
}

function toSegment(row: SegmentRow): Segment {
  const segment: Segment = { blobId: row.blobId, size: row.size };
  return row.encryption === null ? segment : { ...segment, encryption: JSON.parse(row.encryption) as unknown };
}

export type { ObjectRow };

export function toParams(record: ObjectRecord): Record<string, string | number | null> {
  return {
    bucket: record.bucket,
    key: record.key,
    size: record.size,
    etag: record.etag,
    crc64: record.crc64,
    last_modified: record.lastModified.getTime(),
    content_type: record.contentType,
    headers: JSON.stringify(record.headers),
    user_meta: JSON.stringify(record.userMeta),
    acl: record.acl,
    storage_class: record.storageClass,
    type: record.type,
    owner: record.owner,
    restore_requested_at: record.restore?.requestedAt.getTime() ?? null,
    restore_ready_at: record.restore?.readyAt.getTime() ?? null,
    restore_expires_at: record.restore?.expiresAt.getTime() ?? null,
    restore_tier: record.restore?.tier ?? null,
    class_since: record.classSince?.getTime() ?? null,
    sse_algorithm: record.serverSideEncryption?.algorithm ?? null,
    sse_kms_key_id: record.serverSideEncryption?.kmsKeyId ?? null,
    tags: record.tags && record.tags.length > 0 ? JSON.stringify(record.tags) : null,
    symlink_target: record.symlinkTarget ?? null,
    version_id: record.versionId ?? null,
  };
}
