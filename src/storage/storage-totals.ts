/**
 * Stored bytes per bucket and storage class, as the hourly storage snapshot bills them
 * (metering/storage-snapshot.ts). What counts, decided once for every backend:
 * - every current object (its size, in its class; a symlink is 0 bytes);
 * - every noncurrent version in a versioned bucket (OSS bills previous versions like current
 *   ones); delete markers hold no bytes;
 * - the parts of multipart uploads in progress, in the class the upload was initiated with (OSS
 *   bills uploaded parts as storage until the upload is completed or aborted) — the parts table
 *   keeps each part's size, so this costs one join.
 * Sizes are the objects' plaintext sizes as recorded; the 64 KB minimum billable size of the
 * IA/Archive classes is not applied (a snapshot sums bytes, not objects).
 */
import type { StorageClass } from "./types.js";

export interface StorageTotal {
  readonly bucket: string;
  readonly storageClass: StorageClass;
  readonly bytes: number;
}

/** SQLite: noncurrent versions' and upload templates' classes and sizes are in their JSON records. */
export const SQLITE_STORAGE_TOTALS = `
  SELECT bucket, storage_class AS storageClass, SUM(size) AS bytes FROM (
    SELECT bucket, storage_class, size FROM objects
    UNION ALL
    SELECT bucket, json_extract(record, '$.storage_class'), json_extract(record, '$.size') FROM object_versions WHERE is_delete_marker = 0
    UNION ALL
    SELECT u.bucket, COALESCE(json_extract(u.template, '$.storageClass'), 'Standard'), p.size FROM parts p JOIN uploads u ON u.upload_id = p.upload_id
  ) GROUP BY bucket, storage_class ORDER BY bucket, storage_class`;

/** PostgreSQL: the same; SUM of BIGINT is NUMERIC, read as text and converted (exact below 2^53). */
export const PG_STORAGE_TOTALS = `
  SELECT bucket, storage_class AS "storageClass", SUM(size)::text AS bytes FROM (
    SELECT bucket, storage_class, size FROM objects
    UNION ALL
    SELECT bucket, record::jsonb ->> 'storage_class', (record::jsonb ->> 'size')::bigint FROM object_versions WHERE NOT is_delete_marker
    UNION ALL
    SELECT u.bucket, COALESCE(u.template::jsonb ->> 'storageClass', 'Standard'), p.size FROM parts p JOIN uploads u ON u.upload_id = p.upload_id
  ) s GROUP BY bucket, storage_class ORDER BY bucket, storage_class COLLATE "C"`;

/** Rows as either database returns them (bytes a number or a numeric string) → StorageTotal. */
export function toStorageTotals(rows: readonly { bucket: string; storageClass: string; bytes: number | string }[]): StorageTotal[] {
  return rows.map((r) => ({ bucket: r.bucket, storageClass: r.storageClass as StorageClass, bytes: Number(r.bytes) }));
}
