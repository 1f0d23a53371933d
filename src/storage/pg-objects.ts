/**
 * Object rows and their segments on PostgreSQL: the twin of sqlite-objects.ts, statement for
 * statement, asynchronous. Callers (pg-metadata.ts) run every mutation inside one SERIALIZABLE
 * transaction (`tx`). A record is read in one statement, its segments aggregated as JSON.
 * Blobs are reported released only when no object segment, part or noncurrent version references them.
 */
import type { Tx } from "../db/transaction.js";
import type { ListRow } from "./list-page.js";
import { lowerBound, successor } from "./pg-keys.js";
import { rowToRecord, toParams, type ObjectRow } from "./sqlite-objects.js";
import { NoSuchBucketError, type ObjectRecord, type Segment } from "./types.js";

/** What a write needs to know first (PgObjects.probe). */
export interface WriteProbe {
  readonly bucketExists: boolean;
  /** The bucket's "versioning" setting, if any. */
  readonly versioning: string | undefined;
  /** The row the write replaces. */
  readonly existing: { readonly id: number; readonly seq: number | null; readonly blobs: string[] } | undefined;
}

/** Anything that runs a statement: a transaction, or the pool (autocommit) for single reads. */
export type Queryable = Pick<Tx, "query">;

interface PgObjectRow extends ObjectRow {
  /** [blob_id, size, encryption JSON text | null] per segment, in order. */
  segments: [string, number, string | null][];
}

export const COLUMNS = [
  "size", "etag", "crc64", "last_modified", "content_type", "headers", "user_meta", "acl", "storage_class", "type", "owner",
  "restore_requested_at", "restore_ready_at", "restore_expires_at", "restore_tier", "class_since", "sse_algorithm", "sse_kms_key_id",
  "tags", "symlink_target", "version_id", "version_seq",
] as const;

const SEGMENTS_JSON =
  "COALESCE((SELECT json_agg(json_build_array(s.blob_id, s.size, s.encryption) ORDER BY s.seq) FROM object_segments s WHERE s.object_id = o.id), '[]') AS segments";
const SELECT_OBJECT = `SELECT o.*, ${SEGMENTS_JSON} FROM objects o`;
const INSERT_OBJECT = `INSERT INTO objects (bucket, key, ${COLUMNS.join(", ")}) VALUES (${[...COLUMNS, "", ""].map((_, i) => `$${i + 1}`).join(", ")}) RETURNING id`;
const UNREFERENCED = `SELECT id FROM unnest($1::text[]) AS ids (id)
  WHERE NOT EXISTS (SELECT 1 FROM object_segments WHERE blob_id = id)
    AND NOT EXISTS (SELECT 1 FROM parts WHERE blob_id = id)
    AND NOT EXISTS (SELECT 1 FROM version_blobs WHERE blob_id = id)`;

/** The record a row holds (segments from the aggregated JSON). */
export function pgRowToRecord(row: PgObjectRow): ObjectRecord {
  return rowToRecord(row, row.segments.map(toSegment));
}

function toSegment([blobId, size, encryption]: [string, number, string | null]): Segment {
  const segment: Segment = { blobId, size };
  return encryption === null ? segment : { ...segment, encryption: JSON.parse(encryption) as unknown };
}

/** A record's column values in COLUMNS order (`seq` for version_seq). */
function columnValues(record: ObjectRecord, seq: number | null): unknown[] {
  const params = toParams(record);
  return COLUMNS.map((column) => (column === "version_seq" ? seq : params[column]));
}

export class PgObjects {
  async get(q: Queryable, bucket: string, key: string): Promise<ObjectRecord | undefined> {
    const [row] = await q.query<PgObjectRow>(`${SELECT_OBJECT} WHERE o.bucket = $1 AND o.key = $2`, [bucket, key]);
    return row && pgRowToRecord(row);
  }

  async exists(q: Queryable, bucket: string, key: string): Promise<boolean> {
    return (await q.query("SELECT 1 FROM objects WHERE bucket = $1 AND key = $2", [bucket, key])).length > 0;
  }

  /** The current row's id, version and sequence (versioning moves rows by these). */
  async currentRow(q: Queryable, bucket: string, key: string): Promise<{ id: number; versionId: string | undefined; seq: number | null; record: ObjectRecord } | undefined> {
    const [row] = await q.query<PgObjectRow>(`${SELECT_OBJECT} WHERE o.bucket = $1 AND o.key = $2`, [bucket, key]);
    return row && { id: row.id, versionId: row.version_id ?? undefined, seq: row.version_seq, record: pgRowToRecord(row) };
  }

  async byId(q: Queryable, id: number): Promise<ObjectRecord | undefined> {
    const [row] = await q.query<PgObjectRow>(`${SELECT_OBJECT} WHERE o.id = $1`, [id]);
    return row && pgRowToRecord(row);
  }

  /** Segment blobs of a row (before it is removed). */
  async blobsOf(q: Queryable, id: number): Promise<string[]> {
    return (await q.query<{ blob_id: string }>("SELECT blob_id FROM object_segments WHERE object_id = $1", [id])).map((r) => r.blob_id);
  }

  /** Removes a row by id (segments cascade); the caller decides what its blobs become. */
  async removeRow(q: Queryable, id: number): Promise<void> {
    await q.query("DELETE FROM objects WHERE id = $1", [id]);
  }

  /**
   * One round trip before a write: does the bucket exist, its versioning setting, and the row a
   * write of `key` would replace, with that row's blobs.
   */
  async probe(q: Queryable, bucket: string, key: string): Promise<WriteProbe> {
    const [row] = await q.query<{ bucket: number | null; versioning: string | null; id: number | null; version_seq: number | null; blobs: string[] | null }>(
      `SELECT (SELECT 1 FROM buckets WHERE name = $1) AS bucket,
              (SELECT value FROM bucket_settings WHERE bucket = $1 AND name = 'versioning') AS versioning,
              o.id, o.version_seq, (SELECT array_agg(blob_id) FROM object_segments WHERE object_id = o.id) AS blobs
       FROM (SELECT 1) AS one LEFT JOIN objects o ON o.bucket = $1 AND o.key = $2`,
      [bucket, key],
    );
    return {
      bucketExists: row?.bucket === 1,
      versioning: row?.versioning ?? undefined,
      existing: row?.id == null ? undefined : { id: row.id, seq: row.version_seq, blobs: row.blobs ?? [] },
    };
  }

  /**
   * Inserts or replaces (keeping the row id); returns the replaced record's blobs now unreferenced.
   * `seq` orders versions; an in-place update without one keeps the row's. `probe` (from probe(),
   * in this transaction) spares its round trip.
   */
  async store(q: Queryable, record: ObjectRecord, seq?: number, probe?: WriteProbe): Promise<string[]> {
    const { bucketExists, existing } = probe ?? (await this.probe(q, record.bucket, record.key));
    if (!bucketExists) throw new NoSuchBucketError(record.bucket);
    const values = columnValues(record, seq ?? existing?.seq ?? null);
    const segments = [
      record.segments.map((_, i) => i),
      record.segments.map((s) => s.blobId),
      record.segments.map((s) => s.size),
      record.segments.map((s) => (s.encryption === undefined ? null : JSON.stringify(s.encryption))),
    ];
    if (existing) {
      // One statement: the row, its segments upserted by position, positions past the new end dropped
      // (the upsert and the delete touch different positions, so their order does not matter).
      const n = COLUMNS.length;
      await q.query(
        `WITH updated AS (UPDATE objects SET (${COLUMNS.join(", ")}) = (${COLUMNS.map((_, i) => `$${i + 2}`).join(", ")}) WHERE id = $1),
              dropped AS (DELETE FROM object_segments WHERE object_id = $1 AND seq >= cardinality($${n + 2}::int[]))
         INSERT INTO object_segments (object_id, seq, blob_id, size, encryption)
         SELECT $1, * FROM unnest($${n + 2}::int[], $${n + 3}::text[], $${n + 4}::bigint[], $${n + 5}::text[])
         ON CONFLICT (object_id, seq) DO UPDATE SET blob_id = excluded.blob_id, size = excluded.size, encryption = excluded.encryption`,
        [existing.id, ...values, ...segments],
      );
      return await this.unreferenced(q, existing.blobs);
    }
    const n = COLUMNS.length + 2;
    await q.query(
      `WITH inserted AS (${INSERT_OBJECT})
       INSERT INTO object_segments (object_id, seq, blob_id, size, encryption)
       SELECT inserted.id, s.* FROM inserted, unnest($${n + 1}::int[], $${n + 2}::text[], $${n + 3}::bigint[], $${n + 4}::text[]) AS s`,
      [record.bucket, record.key, ...values, ...segments],
    );
    return [];
  }

  async delete(q: Queryable, bucket: string, key: string): Promise<{ deleted: boolean; releasedBlobs: string[] }> {
    const [row] = await q.query<{ id: number; blobs: string[] | null }>(
      "SELECT o.id, (SELECT array_agg(blob_id) FROM object_segments WHERE object_id = o.id) AS blobs FROM objects o WHERE bucket = $1 AND key = $2",
      [bucket, key],
    );
    if (!row) return { deleted: false, releasedBlobs: [] };
    await q.query("DELETE FROM objects WHERE id = $1", [row.id]); // segments go by ON DELETE CASCADE
    return { deleted: true, releasedBlobs: await this.unreferenced(q, row.blobs ?? []) };
  }

  async setAcl(q: Queryable, bucket: string, key: string, acl: string): Promise<boolean> {
    return (await q.query("UPDATE objects SET acl = $1 WHERE bucket = $2 AND key = $3 RETURNING 1", [acl, bucket, key])).length > 0;
  }

  async count(q: Queryable, bucket: string): Promise<number> {
    const [row] = await q.query<{ n: number }>("SELECT count(*) AS n FROM objects WHERE bucket = $1", [bucket]);
    return row?.n ?? 0;
  }

  /**
   * One batch of a listing: up to `limit` keys of `bucket` after the cursor starting with `prefix`,
   * in key order. Only keys and row ids travel (a delimiter listing skips most of what it reads);
   * the page's records are loaded afterwards in one statement (`byIds`).
   */
  async fetchKeys(q: Queryable, bucket: string, prefix: string, afterKey: Buffer, limit: number): Promise<ListRow<number>[]> {
    const lower = lowerBound(afterKey, prefix);
    if (lower === undefined) return [];
    const upper = successor(prefix);
    const rows = await q.query<{ id: number; key: string }>(
      `SELECT id, key FROM objects WHERE bucket = $1 AND key ${lower.inclusive ? ">=" : ">"} $2 ${upper === undefined ? "" : "AND key < $4"}
       ORDER BY key LIMIT $3`,
      upper === undefined ? [bucket, lower.value, limit] : [bucket, lower.value, limit, upper],
    );
    return rows.map((row) => ({ key: row.key, load: () => row.id }));
  }

  /** A batch like fetchKeys', records included: for a listing answered by one statement (no delimiter). */
  async fetchRecords(q: Queryable, bucket: string, prefix: string, afterKey: Buffer, limit: number): Promise<ListRow<ObjectRecord>[]> {
    const lower = lowerBound(afterKey, prefix);
    if (lower === undefined) return [];
    const upper = successor(prefix);
    const rows = await q.query<PgObjectRow>(
      `${SELECT_OBJECT} WHERE o.bucket = $1 AND o.key ${lower.inclusive ? ">=" : ">"} $2 ${upper === undefined ? "" : "AND o.key < $4"}
       ORDER BY o.key LIMIT $3`,
      upper === undefined ? [bucket, lower.value, limit] : [bucket, lower.value, limit, upper],
    );
    return rows.map((row) => ({ key: row.key, load: () => pgRowToRecord(row) }));
  }

  /** Records by row id, in the order of `ids` (rows gone meanwhile are left out). */
  async byIds(q: Queryable, ids: readonly number[]): Promise<ObjectRecord[]> {
    if (ids.length === 0) return [];
    const rows = await q.query<PgObjectRow>(`${SELECT_OBJECT} WHERE o.id = ANY($1::bigint[])`, [ids]);
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.flatMap((id) => {
      const row = byId.get(id);
      return row ? [pgRowToRecord(row)] : [];
    });
  }

  /** The given blob ids (deduplicated) that nothing references any more. Call after the changes. */
  async unreferenced(q: Queryable, blobIds: readonly string[]): Promise<string[]> {
    const unique = [...new Set(blobIds)];
    if (unique.length === 0) return [];
    return (await q.query<{ id: string }>(UNREFERENCED, [unique])).map((r) => r.id);
  }

  async referencedBlobIds(q: Queryable): Promise<Set<string>> {
    const rows = await q.query<{ blob_id: string }>("SELECT blob_id FROM object_segments UNION SELECT blob_id FROM parts UNION SELECT blob_id FROM version_blobs");
    return new Set(rows.map((r) => r.blob_id));
  }
}
