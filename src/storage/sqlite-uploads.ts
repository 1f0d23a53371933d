/** Multipart uploads and their parts in SQLite. The store wraps mutations in transactions. */
import { listUploadsPage, pastPrefix, utf8, type FetchRows } from "./list-page.js";
import type { SqliteObjects } from "./sqlite-objects.js";
import type { SqliteDatabase, SqliteStatement } from "./sqlite-schema.js";
import {
  NoSuchBucketError,
  NoSuchUploadError,
  type ListUploadsPage,
  type ListUploadsQuery,
  type ObjectRecord,
  type PartRecord,
  type UploadRecord,
} from "./types.js";

interface UploadRow {
  upload_id: string;
  bucket: string;
  key: string;
  initiated: number;
  template: string;
}

interface PartRow {
  upload_id: string;
  part_number: number;
  etag: string;
  size: number;
  crc64: string;
  last_modified: number;
  blob_id: string;
  encryption: string | null;
}

export class SqliteUploads {
  private readonly insertUpload: SqliteStatement;
  private readonly selectUpload: SqliteStatement;
  private readonly deleteUpload: SqliteStatement;
  private readonly selectPartBlob: SqliteStatement;
  private readonly upsertPart: SqliteStatement;
  private readonly selectParts: SqliteStatement;
  private readonly selectPartBlobs: SqliteStatement;
  private readonly deleteParts: SqliteStatement;
  private readonly selectPageAfter: SqliteStatement;
  private readonly selectPageFromPrefix: SqliteStatement;
  private readonly bucketExists: SqliteStatement;
  private readonly anyInBucket: SqliteStatement;

  constructor(db: SqliteDatabase, private readonly objects: SqliteObjects) {
    this.insertUpload = db.prepare("INSERT INTO uploads (upload_id, bucket, key, initiated, template) VALUES (?, ?, ?, ?, ?)");
    this.selectUpload = db.prepare("SELECT * FROM uploads WHERE upload_id = ?");
    this.deleteUpload = db.prepare("DELETE FROM uploads WHERE upload_id = ?");
    this.selectPartBlob = db.prepare("SELECT blob_id FROM parts WHERE upload_id = ? AND part_number = ?").pluck();
    this.upsertPart = db.prepare(
      `INSERT INTO parts (upload_id, part_number, etag, size, crc64, last_modified, blob_id, encryption)
       VALUES (@uploadId, @partNumber, @etag, @size, @crc64, @lastModified, @blobId, @encryption)
       ON CONFLICT (upload_id, part_number) DO UPDATE SET
         etag = excluded.etag, size = excluded.size, crc64 = excluded.crc64,
         last_modified = excluded.last_modified, blob_id = excluded.blob_id, encryption = excluded.encryption`,
    );
    this.selectParts = db.prepare("SELECT * FROM parts WHERE upload_id = ? AND part_number > ? ORDER BY part_number LIMIT ?");
    this.selectPartBlobs = db.prepare("SELECT blob_id FROM parts WHERE upload_id = ?").pluck();
    this.deleteParts = db.prepare("DELETE FROM parts WHERE upload_id = ?");
    // Cursor (key, upload_id) > (after, afterId) as a row value; a NULL afterId means "key > after".
    // As for objects, one lower bound per statement so the index range starts at the right place.
    this.selectPageAfter = db.prepare(
      `SELECT * FROM uploads
       WHERE bucket = @bucket AND (key, upload_id) > (CAST(@after AS TEXT), @afterId) AND key < CAST(@end AS TEXT)
       ORDER BY key, upload_id LIMIT @limit`,
    );
    this.selectPageFromPrefix = db.prepare(
      `SELECT * FROM uploads
       WHERE bucket = @bucket AND key >= @prefix AND key < CAST(@end AS TEXT)
       ORDER BY key, upload_id LIMIT @limit`,
    );
    this.bucketExists = db.prepare("SELECT 1 FROM buckets WHERE name = ?").pluck();
    this.anyInBucket = db.prepare("SELECT 1 FROM uploads WHERE bucket = ? LIMIT 1").pluck();
  }

  create(upload: UploadRecord): void {
    if (this.bucketExists.get(upload.bucket) === undefined) throw new NoSuchBucketError(upload.bucket);
    this.insertUpload.run(upload.uploadId, upload.bucket, upload.key, upload.initiated.getTime(), JSON.stringify(upload.template));
  }

  get(bucket: string, uploadId: string): UploadRecord | undefined {
    const row = this.selectUpload.get(uploadId) as UploadRow | undefined;
    return row && row.bucket === bucket ? toUpload(row) : undefined;
  }

  hasUploads(bucket: string): boolean {
    return this.anyInBucket.get(bucket) !== undefined;
  }

  putPart(part: PartRecord): string[] {
    if (this.selectUpload.get(part.uploadId) === undefined) throw new NoSuchUploadError(part.uploadId);
    const replacedBlob = this.selectPartBlob.get(part.uploadId, part.partNumber) as string | undefined;
    this.upsertPart.run({
      uploadId: part.uploadId, partNumber: part.partNumber, etag: part.etag, size: part.size, crc64: part.crc64,
      lastModified: part.lastModified.getTime(), blobId: part.blobId,
      encryption: part.encryption === undefined ? null : JSON.stringify(part.encryption),
    });
    return replacedBlob === undefined ? [] : this.objects.unreferenced([replacedBlob]);
  }

  listParts(uploadId: string, partNumberMarker: number, maxParts: number): { parts: PartRecord[]; isTruncated: boolean } {
    if (maxParts <= 0) return { parts: [], isTruncated: false };
    const rows = this.selectParts.all(uploadId, partNumberMarker, maxParts + 1) as PartRow[];
    return { parts: rows.slice(0, maxParts).map(toPart), isTruncated: rows.length > maxParts };
  }

  list(query: ListUploadsQuery): ListUploadsPage {
    const end = pastPrefix(query.prefix);
    const prefix = utf8(query.prefix);
    const { selectPageAfter, selectPageFromPrefix } = this;
    const fetch: FetchRows<UploadRecord> = function* (cursor, limit) {
      const rows = (
        Buffer.compare(cursor.afterKey, prefix) >= 0
          ? selectPageAfter.iterate({ bucket: query.bucket, after: cursor.afterKey, afterId: cursor.afterId ?? null, end, limit })
          : selectPageFromPrefix.iterate({ bucket: query.bucket, prefix: query.prefix, end, limit })
      ) as IterableIterator<UploadRow>;
      for (const row of rows) yield { key: row.key, id: row.upload_id, load: () => toUpload(row) };
    };
    return listUploadsPage(query, fetch);
  }

  /** `store` writes the record (versioning-aware, in the caller's transaction). */
  complete(
    uploadId: string,
    record: ObjectRecord,
    ifAbsent: boolean,
    store: (record: ObjectRecord) => { releasedBlobs: string[]; versionId?: string },
  ): { result: "created" | "exists"; releasedBlobs: string[]; versionId?: string } {
    if (this.selectUpload.get(uploadId) === undefined) throw new NoSuchUploadError(uploadId);
    if (ifAbsent && this.objects.exists(record.bucket, record.key)) return { result: "exists", releasedBlobs: [] };
    const partBlobs = this.removeUpload(uploadId);
    const stored = store(record);
    const releasedByParts = this.objects.unreferenced(partBlobs);
    return {
      result: "created",
      releasedBlobs: [...new Set([...stored.releasedBlobs, ...releasedByParts])],
      ...(stored.versionId !== undefined && { versionId: stored.versionId }),
    };
  }

  abort(uploadId: string): { found: boolean; releasedBlobs: string[] } {
    if (this.selectUpload.get(uploadId) === undefined) return { found: false, releasedBlobs: [] };
    return { found: true, releasedBlobs: this.objects.unreferenced(this.removeUpload(uploadId)) };
  }

  /** Deletes the upload and its parts; returns the parts' blob ids (not yet checked for other references). */
  private removeUpload(uploadId: string): string[] {
    const blobs = this.selectPartBlobs.all(uploadId) as string[];
    this.deleteParts.run(uploadId);
    this.deleteUpload.run(uploadId);
    return blobs;
  }
}

function toUpload(row: UploadRow): UploadRecord {
  return {
    uploadId: row.upload_id,
    bucket: row.bucket,
    key: row.key,
    initiated: new Date(row.initiated),
    template: JSON.parse(row.template) as UploadRecord["template"],
  };
}

function toPart(row: PartRow): PartRecord {
  return {
    uploadId: row.upload_id,
    partNumber: row.part_number,
    etag: row.etag,
    size: row.size,
    crc64: row.crc64,
    lastModified: new Date(row.last_modified),
    blobId: row.blob_id,
    ...(row.encryption !== null ? { encryption: JSON.parse(row.encryption) as unknown } : {}),
  };
}
