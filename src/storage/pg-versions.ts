/**
 * Bucket versioning on PostgreSQL: the twin of sqlite-versions.ts (same tables, same invariant:
 * when a key has an `objects` row it is the key's newest version; when the newest version is a
 * delete marker there is no `objects` row). Versions are ordered by the `version_seq` sequence.
 * The store runs every writing method inside one SERIALIZABLE transaction.
 */
import { collectPageAsync, utf8, type AsyncFetchRows, type ListRow } from "./list-page.js";
import { afterBound, lowerBound, successor } from "./pg-keys.js";
import type { PgObjects, Queryable } from "./pg-objects.js";
import { rowToRecord, toParams, type ObjectRow } from "./sqlite-objects.js";
import { entryVersionId } from "./sqlite-versions.js";
import { newVersionId } from "./version-id.js";
import {
  NULL_VERSION,
  type DeleteMarkerRecord,
  type DeleteOutcome,
  type ListVersionsPage,
  type ListVersionsQuery,
  type ObjectRecord,
  type Segment,
  type VersionEntry,
  type VersioningStatus,
} from "./types.js";

interface VersionRow {
  id: number;
  bucket: string;
  key: string;
  version_id: string | null;
  seq: number;
  is_delete_marker: boolean;
  last_modified: number;
  noncurrent_since: number;
  owner: string;
  record: string | null;
}

interface IndexRow {
  readonly key: string;
  readonly seq: number;
  /** 0: a current row of `objects`; 1: a row of `object_versions`. */
  readonly src: number;
  readonly rid: number;
}

/** Listing sorts a current row whose sequence predates versioning (NULL) above every version. */
const CURRENT_SEQ = 2 ** 52;
const ID_WIDTH = 16;

const CURRENT_INDEX = `SELECT key, COALESCE(version_seq, ${CURRENT_SEQ}) AS seq, 0 AS src, id AS rid FROM objects WHERE bucket = $1`;
const VERSIONS_INDEX = "SELECT key, seq, 1 AS src, id AS rid FROM object_versions WHERE bucket = $1";

export class PgVersions {
  constructor(private readonly objects: PgObjects) {}

  async status(q: Queryable, bucket: string): Promise<VersioningStatus | undefined> {
    const [row] = await q.query<{ value: string }>("SELECT value FROM bucket_settings WHERE bucket = $1 AND name = 'versioning'", [bucket]);
    return row?.value === "Enabled" || row?.value === "Suspended" ? row.value : undefined;
  }

  async hasVersions(q: Queryable, bucket: string): Promise<boolean> {
    return (await q.query("SELECT 1 FROM object_versions WHERE bucket = $1 LIMIT 1", [bucket])).length > 0;
  }

  private async nextSeq(q: Queryable): Promise<number> {
    const [row] = await q.query<{ seq: number }>("SELECT nextval('version_seq') AS seq");
    return row!.seq;
  }

  /** Rewrites a noncurrent version's record (ACL, tags, restore): same id, same bytes. */
  async rewrite(q: Queryable, previous: ObjectRecord, next: ObjectRecord): Promise<ObjectRecord> {
    const sameBytes = previous.segments.length === next.segments.length && previous.segments.every((s, i) => s.blobId === next.segments[i]!.blobId);
    if (!sameBytes) throw new Error("a noncurrent version's bytes never change");
    const { versionId: _ignored, ...rest } = next;
    const record: ObjectRecord = previous.versionId === undefined ? rest : { ...rest, versionId: previous.versionId };
    await q.query(
      "UPDATE object_versions SET record = $1 WHERE bucket = $2 AND key = $3 AND version_id IS NOT DISTINCT FROM $4 AND NOT is_delete_marker",
      [JSON.stringify({ ...toParams(record), segments: record.segments }), record.bucket, record.key, previous.versionId ?? null],
    );
    return record;
  }

  /** Writes `record` as the key's new current version; returns blobs released and the version id written. */
  async write(q: Queryable, record: ObjectRecord, status: VersioningStatus, now: Date): Promise<{ releasedBlobs: string[]; versionId: string }> {
    const released = await this.retireCurrent(q, record.bucket, record.key, status, now);
    const seq = await this.nextSeq(q);
    const versionId = status === "Enabled" ? newVersionId(seq) : undefined;
    const { versionId: _dropped, ...rest } = record;
    released.push(...(await this.objects.store(q, versionId === undefined ? rest : { ...rest, versionId }, seq)));
    return { releasedBlobs: await this.objects.unreferenced(q, released), versionId: versionId ?? NULL_VERSION };
  }

  /** DeleteObject in a versioned bucket (status known) or with a versionId (any bucket). */
  async delete(q: Queryable, bucket: string, key: string, status: VersioningStatus | undefined, versionId: string | undefined, now: Date): Promise<DeleteOutcome> {
    if (versionId !== undefined) return await this.deleteVersion(q, bucket, key, versionId);
    if (status === undefined) return await this.objects.delete(q, bucket, key);
    const released = await this.retireCurrent(q, bucket, key, status, now);
    const seq = await this.nextSeq(q);
    const markerId = status === "Enabled" ? newVersionId(seq) : null;
    const [owner] = await q.query<{ owner: string }>("SELECT owner FROM buckets WHERE name = $1", [bucket]);
    await q.query(
      `INSERT INTO object_versions (bucket, key, version_id, seq, is_delete_marker, last_modified, noncurrent_since, owner, record)
       VALUES ($1, $2, $3, $4, TRUE, $5, $5, $6, NULL)`,
      [bucket, key, markerId, seq, now.getTime(), owner?.owner ?? ""],
    );
    return { deleted: true, releasedBlobs: await this.objects.unreferenced(q, released), versionId: markerId ?? NULL_VERSION, deleteMarker: true };
  }

  async get(q: Queryable, bucket: string, key: string, versionId: string): Promise<VersionEntry | undefined> {
    const wanted = versionId === NULL_VERSION ? null : versionId;
    const current = await this.objects.currentRow(q, bucket, key);
    if (current && (current.versionId ?? null) === wanted) return { kind: "version", record: current.record, isLatest: true };
    const row = await this.byVersionId(q, bucket, key, wanted);
    if (!row) return undefined;
    return this.toEntry(row, !current && (await this.newest(q, bucket, key))?.id === row.id);
  }

  async currentMarker(q: Queryable, bucket: string, key: string): Promise<DeleteMarkerRecord | undefined> {
    if (await this.objects.currentRow(q, bucket, key)) return undefined;
    const newest = await this.newest(q, bucket, key);
    return newest?.is_delete_marker ? toMarker(newest) : undefined;
  }

  async list(q: Queryable, query: ListVersionsQuery): Promise<ListVersionsPage> {
    const upper = successor(query.prefix);
    let afterId: string | undefined;
    if (query.keyMarker !== "" && query.versionIdMarker !== "") {
      const seq = await this.seqOf(q, query.bucket, query.keyMarker, query.versionIdMarker);
      // An unknown version-id-marker resumes after the whole key.
      if (seq !== undefined) afterId = String(CURRENT_SEQ - seq).padStart(ID_WIDTH, "0");
    }
    const emit = (row: IndexRow): ListRow<IndexRow> => ({ key: row.key, id: String(CURRENT_SEQ - row.seq).padStart(ID_WIDTH, "0"), load: () => row });
    const fetch: AsyncFetchRows<IndexRow> = async (cursor, limit) => {
      const out: ListRow<IndexRow>[] = [];
      let left = limit;
      if (cursor.afterId !== undefined && !isJump(cursor.afterKey)) {
        // The rest of the cursor's own key: its versions older than the cursor's.
        const params = [query.bucket, cursor.afterKey.toString("utf8"), CURRENT_SEQ - Number(cursor.afterId), left];
        const rows = merged(
          await q.query<IndexRow>(`${CURRENT_INDEX} AND key = $2 AND COALESCE(version_seq, ${CURRENT_SEQ}) < $3 LIMIT $4`, params),
          await q.query<IndexRow>(`${VERSIONS_INDEX} AND key = $2 AND seq < $3 ORDER BY seq DESC LIMIT $4`, params),
          left,
        );
        out.push(...rows.map(emit));
        left -= rows.length;
        if (left <= 0) return out;
      }
      const lower = lowerBound(cursor.afterKey, query.prefix);
      if (lower === undefined) return out;
      const range = `AND key ${lower.inclusive ? ">=" : ">"} $2 ${upper === undefined ? "" : "AND key < $4"}`;
      const params = upper === undefined ? [query.bucket, lower.value, left] : [query.bucket, lower.value, left, upper];
      const rows = merged(
        await q.query<IndexRow>(`${CURRENT_INDEX} ${range} ORDER BY key LIMIT $3`, params),
        await q.query<IndexRow>(`${VERSIONS_INDEX} ${range} ORDER BY key, seq DESC LIMIT $3`, params),
        left,
      );
      out.push(...rows.map(emit));
      return out;
    };
    const page = await collectPageAsync(
      { prefix: query.prefix, delimiter: query.delimiter, afterKey: query.keyMarker, ...(afterId !== undefined && { afterId }), maxKeys: query.maxKeys },
      fetch,
    );
    const entries: VersionEntry[] = [];
    for (const row of page.items) entries.push(await this.loadEntry(q, row));
    const last = entries.at(-1);
    const lastIsItem = page.isTruncated && page.nextId !== undefined && last !== undefined;
    return {
      entries,
      commonPrefixes: page.commonPrefixes,
      isTruncated: page.isTruncated,
      nextKeyMarker: page.nextKey,
      nextVersionIdMarker: lastIsItem ? entryVersionId(last) : undefined,
    };
  }

  private async byVersionId(q: Queryable, bucket: string, key: string, versionId: string | null): Promise<VersionRow | undefined> {
    const [row] = await q.query<VersionRow>("SELECT * FROM object_versions WHERE bucket = $1 AND key = $2 AND version_id IS NOT DISTINCT FROM $3", [bucket, key, versionId]);
    return row;
  }

  private async newest(q: Queryable, bucket: string, key: string): Promise<VersionRow | undefined> {
    const [row] = await q.query<VersionRow>("SELECT * FROM object_versions WHERE bucket = $1 AND key = $2 ORDER BY seq DESC LIMIT 1", [bucket, key]);
    return row;
  }

  /** The sequence of one version of a key, for a version-id-marker. */
  private async seqOf(q: Queryable, bucket: string, key: string, versionId: string): Promise<number | undefined> {
    const wanted = versionId === NULL_VERSION ? null : versionId;
    const current = await this.objects.currentRow(q, bucket, key);
    if (current && (current.versionId ?? null) === wanted) return current.seq ?? CURRENT_SEQ;
    return (await this.byVersionId(q, bucket, key, wanted))?.seq;
  }

  private async loadEntry(q: Queryable, row: IndexRow): Promise<VersionEntry> {
    if (row.src === 0) return { kind: "version", record: (await this.objects.byId(q, row.rid))!, isLatest: true };
    const [version] = await q.query<VersionRow>("SELECT * FROM object_versions WHERE id = $1", [row.rid]);
    const isLatest = version!.is_delete_marker && !(await this.objects.currentRow(q, version!.bucket, version!.key)) && (await this.newest(q, version!.bucket, version!.key))?.id === version!.id;
    return this.toEntry(version!, isLatest);
  }

  /**
   * Makes room for a new current version: Enabled keeps the current row as noncurrent;
   * Suspended removes the existing "null" version (current or not) and keeps any other.
   */
  private async retireCurrent(q: Queryable, bucket: string, key: string, status: VersioningStatus, now: Date): Promise<string[]> {
    const released: string[] = [];
    const current = await this.objects.currentRow(q, bucket, key);
    if (current) {
      if (status === "Suspended" && current.versionId === undefined) {
        released.push(...(await this.objects.blobsOf(q, current.id)));
      } else {
        await this.archive(q, current.record, current.seq ?? (await this.nextSeq(q)), now);
      }
      await this.objects.removeRow(q, current.id);
    }
    if (status === "Suspended") {
      const nulls = await q.query<{ id: number }>("SELECT id FROM object_versions WHERE bucket = $1 AND key = $2 AND version_id IS NULL", [bucket, key]);
      for (const row of nulls) released.push(...(await this.removeVersionRow(q, row.id)));
    }
    return released;
  }

  private async archive(q: Queryable, record: ObjectRecord, seq: number, now: Date): Promise<void> {
    const [row] = await q.query<{ id: number }>(
      `INSERT INTO object_versions (bucket, key, version_id, seq, is_delete_marker, last_modified, noncurrent_since, owner, record)
       VALUES ($1, $2, $3, $4, FALSE, $5, $6, $7, $8) RETURNING id`,
      [record.bucket, record.key, record.versionId ?? null, seq, record.lastModified.getTime(), now.getTime(), record.owner,
        JSON.stringify({ ...toParams(record), segments: record.segments })],
    );
    if (record.segments.length > 0) {
      await q.query("INSERT INTO version_blobs (version_row, blob_id) SELECT $1, unnest($2::text[])", [row!.id, record.segments.map((s) => s.blobId)]);
    }
  }

  /** Removes a noncurrent row (its blob references cascade); returns its blobs. */
  private async removeVersionRow(q: Queryable, id: number): Promise<string[]> {
    const blobs = await q.query<{ blob_id: string }>("SELECT blob_id FROM version_blobs WHERE version_row = $1", [id]);
    await q.query("DELETE FROM object_versions WHERE id = $1", [id]);
    return blobs.map((r) => r.blob_id);
  }

  private async deleteVersion(q: Queryable, bucket: string, key: string, versionId: string): Promise<DeleteOutcome> {
    const wanted = versionId === NULL_VERSION ? null : versionId;
    const released: string[] = [];
    let deleteMarker = false;
    const current = await this.objects.currentRow(q, bucket, key);
    if (current && (current.versionId ?? null) === wanted) {
      released.push(...(await this.objects.blobsOf(q, current.id)));
      await this.objects.removeRow(q, current.id);
    } else {
      const row = await this.byVersionId(q, bucket, key, wanted);
      if (!row) return { deleted: false, releasedBlobs: [], versionId };
      deleteMarker = row.is_delete_marker;
      released.push(...(await this.removeVersionRow(q, row.id)));
    }
    await this.promoteNewest(q, bucket, key);
    return { deleted: true, releasedBlobs: await this.objects.unreferenced(q, released), versionId, ...(deleteMarker && { deleteMarker }) };
  }

  /** Restores the invariant after a removal: a newest version that is not a marker becomes current. */
  private async promoteNewest(q: Queryable, bucket: string, key: string): Promise<void> {
    if (await this.objects.exists(q, bucket, key)) return;
    const newest = await this.newest(q, bucket, key);
    if (!newest || newest.is_delete_marker) return;
    await this.objects.store(q, parseRecord(newest), newest.seq);
    await q.query("DELETE FROM object_versions WHERE id = $1", [newest.id]); // its blobs are referenced by the current row now
  }

  private toEntry(row: VersionRow, isLatest: boolean): VersionEntry {
    return row.is_delete_marker
      ? { kind: "marker", marker: toMarker(row), isLatest }
      : { kind: "version", record: parseRecord(row), isLatest, noncurrentSince: new Date(row.noncurrent_since) };
  }
}

/** A cursor that jumps past a common prefix (ends in 0xFF) names no key of its own. */
function isJump(afterKey: Buffer): boolean {
  return afterBound(afterKey)?.inclusive !== false;
}

/** The first `limit` rows of two (key bytes, seq DESC)-ordered runs, in that order. */
function merged(current: IndexRow[], versions: IndexRow[], limit: number): IndexRow[] {
  const order = (a: IndexRow, b: IndexRow) => Buffer.compare(utf8(a.key), utf8(b.key)) || b.seq - a.seq;
  return [...current, ...versions].sort(order).slice(0, limit);
}

function parseRecord(row: VersionRow): ObjectRecord {
  const stored = JSON.parse(row.record ?? "{}") as ObjectRow & { segments: Segment[] };
  return rowToRecord({ ...stored, id: 0 }, stored.segments);
}

function toMarker(row: VersionRow): DeleteMarkerRecord {
  return {
    bucket: row.bucket,
    key: row.key,
    ...(row.version_id !== null && { versionId: row.version_id }),
    lastModified: new Date(row.last_modified),
    owner: row.owner,
  };
}

