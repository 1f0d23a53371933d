/** Multipart uploads and their parts on PostgreSQL (twin of sqlite-uploads.ts). The store wraps mutations in transactions. */
import type { ListRow } from "./list-page.js";
import { afterBound, lowerBound, successor } from "./pg-keys.js";
import type { PgObjects, Queryable } from "./pg-objects.js";
import {
  NoSuchBucketError,
  NoSuchUploadError,
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

export class PgUploads {
  constructor(private readonly objects: PgObjects) {}

  async create(q: Queryable, upload: UploadRecord): Promise<void> {
    if ((await q.query("SELECT 1 FROM buckets WHERE name = $1", [upload.bucket])).length === 0) throw new NoSuchBucketError(upload.bucket);
    await q.query("INSERT INTO uploads (upload_id, bucket, key, initiated, template) VALUES ($1, $2, $3, $4, $5)", [
      upload.uploadId, upload.bucket, upload.key, upload.initiated.getTime(), JSON.stringify(upload.template),
    ]);
  }

  async get(q: Queryable, bucket: string, uploadId: string): Promise<UploadRecord | undefined> {
    const [row] = await q.query<UploadRow>("SELECT * FROM uploads WHERE upload_id = $1", [uploadId]);
    return row && row.bucket === bucket ? toUpload(row) : undefined;
  }

  async hasUploads(q: Queryable, bucket: string): Promise<boolean> {
    return (await q.query("SELECT 1 FROM uploads WHERE bucket = $1 LIMIT 1", [bucket])).length > 0;
  }

  async putPart(q: Queryable, part: PartRecord): Promise<string[]> {
    // One round trip: the upload must exist; the part this replaces (if any) gives up its blob.
    const [probe] = await q.query<{ upload: number | null; blob_id: string | null }>(
      `SELECT (SELECT 1 FROM uploads WHERE upload_id = $1) AS upload,
              (SELECT blob_id FROM parts WHERE upload_id = $1 AND part_number = $2) AS blob_id`,
      [part.uploadId, part.partNumber],
    );
    if (!probe?.upload) throw new NoSuchUploadError(part.uploadId);
    await q.query(
      `INSERT INTO parts (upload_id, part_number, etag, size, crc64, last_modified, blob_id, encryption)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (upload_id, part_number) DO UPDATE SET
         etag = excluded.etag, size = excluded.size, crc64 = excluded.crc64,
         last_modified = excluded.last_modified, blob_id = excluded.blob_id, encryption = excluded.encryption`,
      [part.uploadId, part.partNumber, part.etag, part.size, part.crc64, part.lastModified.getTime(), part.blobId,
        part.encryption === undefined ? null : JSON.stringify(part.encryption)],
    );
    return probe.blob_id === null ? [] : await this.objects.unreferenced(q, [probe.blob_id]);
  }

  async listParts(q: Queryable, uploadId: string, partNumberMarker: number, maxParts: number): Promise<{ parts: PartRecord[]; isTruncated: boolean }> {
    if (maxParts <= 0) return { parts: [], isTruncated: false };
    const rows = await q.query<PartRow>("SELECT * FROM parts WHERE upload_id = $1 AND part_number > $2 ORDER BY part_number LIMIT $3", [
      uploadId, partNumberMarker, maxParts + 1,
    ]);
    return { parts: rows.slice(0, maxParts).map(toPart), isTruncated: rows.length > maxParts };
  }

  /** One batch of ListMultipartUploads: (key, upload id) after the cursor, keys starting with `prefix`. */
  async fetchPage(q: Queryable, bucket: string, prefix: string, cursor: { afterKey: Buffer; afterId?: string }, limit: number): Promise<ListRow<UploadRecord>[]> {
    const upper = successor(prefix);
    const params: unknown[] = [bucket, limit];
    const where: string[] = ["bucket = $1"];
    const bind = (value: unknown): string => `$${params.push(value)}`;
    const after = afterBound(cursor.afterKey);
    if (cursor.afterId !== undefined && after !== undefined && !after.inclusive && Buffer.compare(cursor.afterKey, Buffer.from(prefix)) >= 0) {
      where.push(`(key, upload_id) > (${bind(after.value)}, ${bind(cursor.afterId)})`);
    } else {
      const lower = lowerBound(cursor.afterKey, prefix);
      if (lower === undefined) return [];
      where.push(`key ${lower.inclusive ? ">=" : ">"} ${bind(lower.value)}`);
    }
    if (upper !== undefined) where.push(`key < ${bind(upper)}`);
    const rows = await q.query<UploadRow>(`SELECT * FROM uploads WHERE ${where.join(" AND ")} ORDER BY key, upload_id LIMIT $2`, params);
    return rows.map((row) => ({ key: row.key, id: row.upload_id, load: () => toUpload(row) }));
  }

  /** `store` writes the record (versioning-aware, in the caller's transaction). */
  async complete(
    q: Queryable,
    uploadId: string,
    record: ObjectRecord,
    ifAbsent: boolean,
    store: (record: ObjectRecord) => Promise<{ releasedBlobs: string[]; versionId?: string }>,
  ): Promise<{ result: "created" | "exists"; releasedBlobs: string[]; versionId?: string }> {
    if ((await q.query("SELECT 1 FROM uploads WHERE upload_id = $1", [uploadId])).length === 0) throw new NoSuchUploadError(uploadId);
    if (ifAbsent && (await this.objects.exists(q, record.bucket, record.key))) return { result: "exists", releasedBlobs: [] };
    const partBlobs = await this.removeUpload(q, uploadId);
    const stored = await store(record);
    const releasedByParts = await this.objects.unreferenced(q, partBlobs);
    return {
      result: "created",
      releasedBlobs: [...new Set([...stored.releasedBlobs, ...releasedByParts])],
      ...(stored.versionId !== undefined && { versionId: stored.versionId }),
    };
  }

  async abort(q: Queryable, uploadId: string): Promise<{ found: boolean; releasedBlobs: string[] }> {
    if ((await q.query("SELECT 1 FROM uploads WHERE upload_id = $1", [uploadId])).length === 0) return { found: false, releasedBlobs: [] };
    return { found: true, releasedBlobs: await this.objects.unreferenced(q, await this.removeUpload(q, uploadId)) };
  }

  /** Deletes the upload and its parts; returns the parts' blob ids (not yet checked for other references). */
  private async removeUpload(q: Queryable, uploadId: string): Promise<string[]> {
    const rows = await q.query<{ blob_id: string }>("DELETE FROM parts WHERE upload_id = $1 RETURNING blob_id", [uploadId]);
    await q.query("DELETE FROM uploads WHERE upload_id = $1", [uploadId]);
    return rows.map((r) => r.blob_id);
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
