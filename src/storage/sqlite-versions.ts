/**
 * Bucket versioning in SQLite. `objects` keeps the current readable version of each key;
 * `object_versions` keeps noncurrent versions and delete markers (a record as JSON plus its blob
 * references in `version_blobs`, so a version's bytes count as referenced and survive the
 * orphan sweep). Invariant: when a key has an `objects` row it is the key's newest version;
 * when the newest version is a delete marker there is no `objects` row.
 * `seq` (one counter per database) orders versions; versionIds are opaque.
 * Callers (the store) run every method that writes inside one immediate transaction, and delete
 * released blobs only after it commits.
 */
import { collectPage, pastPrefix, utf8, type FetchRows, type ListRow } from "./list-page.js";
import { rowToRecord, toParams, type ObjectRow, type SqliteObjects } from "./sqlite-objects.js";
import type { SqliteDatabase, SqliteStatement } from "./sqlite-schema.js";
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
  is_delete_marker: number;
  last_modified: number;
  noncurrent_since: number;
  owner: string;
  record: string | null;
}

/** Listing sorts a current row whose sequence predates versioning (NULL) above every version. */
const CURRENT_SEQ = 2 ** 52;
const ID_WIDTH = 16;

export class SqliteVersions {
  private readonly selectStatus: SqliteStatement;
  private readonly selectCounter: SqliteStatement;
  private readonly bumpCounter: SqliteStatement;
  private readonly insertVersion: SqliteStatement;
  private readonly insertVersionBlob: SqliteStatement;
  private readonly selectVersionBlobs: SqliteStatement;
  private readonly selectById: SqliteStatement;
  private readonly selectNullVersions: SqliteStatement;
  private readonly selectNewest: SqliteStatement;
  private readonly selectByRow: SqliteStatement;
  private readonly deleteVersionRow: SqliteStatement;
  private readonly anyVersion: SqliteStatement;
  private readonly bucketOwner: SqliteStatement;
  private readonly currentAfterKey: SqliteStatement;
  private readonly versionsAfterKey: SqliteStatement;
  private readonly currentWithinKey: SqliteStatement;
  private readonly versionsWithinKey: SqliteStatement;
  private readonly selectObjectRow: SqliteStatement;
  private readonly updateRecord: SqliteStatement;

  constructor(db: SqliteDatabase, private readonly objects: SqliteObjects) {
    this.selectStatus = db.prepare("SELECT value FROM bucket_settings WHERE bucket = ? AND name = 'versioning'").pluck();
    this.selectCounter = db.prepare("SELECT next FROM version_counter").pluck();
    this.bumpCounter = db.prepare("UPDATE version_counter SET next = next + 1");
    this.insertVersion = db.prepare(
      `INSERT INTO object_versions (bucket, key, version_id, seq, is_delete_marker, last_modified, noncurrent_since, owner, record)
       VALUES (@bucket, @key, @versionId, @seq, @marker, @lastModified, @noncurrentSince, @owner, @record)`,
    );
    this.insertVersionBlob = db.prepare("INSERT INTO version_blobs (version_row, blob_id) VALUES (?, ?)");
    this.selectVersionBlobs = db.prepare("SELECT blob_id FROM version_blobs WHERE version_row = ?").pluck();
    this.selectById = db.prepare("SELECT * FROM object_versions WHERE bucket = ? AND key = ? AND version_id IS ?");
    this.selectNullVersions = db.prepare("SELECT * FROM object_versions WHERE bucket = ? AND key = ? AND version_id IS NULL");
    this.selectNewest = db.prepare("SELECT * FROM object_versions WHERE bucket = ? AND key = ? ORDER BY seq DESC LIMIT 1");
    this.selectByRow = db.prepare("SELECT * FROM object_versions WHERE id = ?");
    this.deleteVersionRow = db.prepare("DELETE FROM object_versions WHERE id = ?");
    this.anyVersion = db.prepare("SELECT 1 FROM object_versions WHERE bucket = ? LIMIT 1").pluck();
    this.bucketOwner = db.prepare("SELECT owner FROM buckets WHERE name = ?").pluck();
    // Each half is read in its own index order, at most `limit` rows, and merged here: a SQL
    // UNION ALL ... ORDER BY would sort the whole key range in a temp B-tree. Bounds are UTF-8
    // bytes cast to TEXT (BINARY collation = memcmp), as in sqlite-objects.ts.
    const current = `SELECT key, COALESCE(version_seq, ${CURRENT_SEQ}) AS seq, 0 AS src, id AS rid FROM objects WHERE bucket = @bucket`;
    const versions = "SELECT key, seq, 1 AS src, id AS rid FROM object_versions WHERE bucket = @bucket";
    const range = "key >= CAST(@lo AS TEXT) AND key < CAST(@end AS TEXT)";
    this.currentAfterKey = db.prepare(`${current} AND ${range} ORDER BY key LIMIT @limit`);
    this.versionsAfterKey = db.prepare(`${versions} AND ${range} ORDER BY key, seq DESC LIMIT @limit`);
    this.currentWithinKey = db.prepare(`${current} AND key = @key AND COALESCE(version_seq, ${CURRENT_SEQ}) < @seq`);
    this.versionsWithinKey = db.prepare(`${versions} AND key = @key AND seq < @seq ORDER BY seq DESC LIMIT @limit`);
    this.selectObjectRow = db.prepare("SELECT * FROM objects WHERE id = ?");
    this.updateRecord = db.prepare("UPDATE object_versions SET record = ? WHERE bucket = ? AND key = ? AND version_id IS ? AND is_delete_marker = 0");
  }

  /** Rewrites a noncurrent version's record (ACL, tags, restore): same id, same bytes. */
  rewrite(previous: ObjectRecord, next: ObjectRecord): ObjectRecord {
    const sameBytes = previous.segments.length === next.segments.length && previous.segments.every((s, i) => s.blobId === next.segments[i]!.blobId);
    if (!sameBytes) throw new Error("a noncurrent version's bytes never change");
    const { versionId: _ignored, ...rest } = next;
    const record: ObjectRecord = previous.versionId === undefined ? rest : { ...rest, versionId: previous.versionId };
    this.updateRecord.run(JSON.stringify({ ...toParams(record), segments: record.segments }), record.bucket, record.key, previous.versionId ?? null);
    return record;
  }

  status(bucket: string): VersioningStatus | undefined {
    const value = this.selectStatus.get(bucket) as string | undefined;
    return value === "Enabled" || value === "Suspended" ? value : undefined;
  }

  hasVersions(bucket: string): boolean {
    return this.anyVersion.get(bucket) !== undefined;
  }

  private nextSeq(): number {
    const seq = this.selectCounter.get() as number;
    this.bumpCounter.run();
    return seq;
  }

  /**
   * Writes `record` as the key's new current version in a bucket with versioning `status`.
   * Returns blob ids to check for release (after all changes) and the version id written.
   */
  write(record: ObjectRecord, status: VersioningStatus, now: Date): { releasedBlobs: string[]; versionId: string } {
    const released = this.retireCurrent(record.bucket, record.key, status, now);
    const seq = this.nextSeq();
    const versionId = status === "Enabled" ? newVersionId(seq) : undefined;
    const { versionId: _dropped, ...rest } = record;
    released.push(...this.objects.store(versionId === undefined ? rest : { ...rest, versionId }, seq));
    return { releasedBlobs: this.objects.unreferenced(released), versionId: versionId ?? NULL_VERSION };
  }

  /** DeleteObject in a versioned bucket (status known) or with a versionId (any bucket). */
  delete(bucket: string, key: string, status: VersioningStatus | undefined, versionId: string | undefined, now: Date): DeleteOutcome {
    if (versionId !== undefined) return this.deleteVersion(bucket, key, versionId);
    if (status === undefined) return this.objects.delete(bucket, key);
    const released = this.retireCurrent(bucket, key, status, now);
    const seq = this.nextSeq();
    const markerId = status === "Enabled" ? newVersionId(seq) : null;
    this.insertVersion.run({
      bucket, key, versionId: markerId, seq, marker: 1, lastModified: now.getTime(), noncurrentSince: now.getTime(),
      owner: (this.bucketOwner.get(bucket) as string | undefined) ?? "", record: null,
    });
    return { deleted: true, releasedBlobs: this.objects.unreferenced(released), versionId: markerId ?? NULL_VERSION, deleteMarker: true };
  }

  get(bucket: string, key: string, versionId: string): VersionEntry | undefined {
    const wanted = versionId === NULL_VERSION ? null : versionId;
    const current = this.objects.currentRow(bucket, key);
    if (current && (current.versionId ?? null) === wanted) return { kind: "version", record: current.record, isLatest: true };
    const row = this.selectById.get(bucket, key, wanted) as VersionRow | undefined;
    if (!row) return undefined;
    return this.toEntry(row, !current && (this.selectNewest.get(bucket, key) as VersionRow).id === row.id);
  }

  currentMarker(bucket: string, key: string): DeleteMarkerRecord | undefined {
    if (this.objects.currentRow(bucket, key)) return undefined;
    const newest = this.selectNewest.get(bucket, key) as VersionRow | undefined;
    return newest && newest.is_delete_marker === 1 ? toMarker(newest) : undefined;
  }

  list(query: ListVersionsQuery): ListVersionsPage {
    const end = pastPrefix(query.prefix);
    const prefix = utf8(query.prefix);
    let afterId: string | undefined;
    if (query.keyMarker !== "" && query.versionIdMarker !== "") {
      const seq = this.seqOf(query.bucket, query.keyMarker, query.versionIdMarker);
      // An unknown version-id-marker resumes after the whole key.
      if (seq !== undefined) afterId = String(CURRENT_SEQ - seq).padStart(ID_WIDTH, "0");
    }
    const { currentAfterKey, versionsAfterKey, currentWithinKey, versionsWithinKey } = this;
    const load = (src: number, rid: number) => this.loadEntry(src, rid);
    const fetch: FetchRows<VersionEntry> = function* (cursor, limit) {
      const emit = (row: IndexRow): ListRow<VersionEntry> => ({
        key: row.key,
        id: String(CURRENT_SEQ - row.seq).padStart(ID_WIDTH, "0"),
        load: () => load(row.src, row.rid),
      });
      let left = limit;
      if (cursor.afterId !== undefined) {
        const params = { bucket: query.bucket, key: cursor.afterKey.toString("utf8"), seq: CURRENT_SEQ - Number(cursor.afterId), limit: left };
        const rows = merged(currentWithinKey.all(params) as IndexRow[], versionsWithinKey.all(params) as IndexRow[], left);
        for (const row of rows) yield emit(row);
        left -= rows.length;
        if (left <= 0) return;
      }
      // key > after ⇔ key ≥ after ‖ 0x00 in byte order; the prefix bounds from below too.
      const afterNext = Buffer.concat([cursor.afterKey, Buffer.from([0])]);
      const lo = Buffer.compare(afterNext, prefix) >= 0 ? afterNext : prefix;
      const params = { bucket: query.bucket, lo, end, limit: left };
      for (const row of merged(currentAfterKey.all(params) as IndexRow[], versionsAfterKey.all(params) as IndexRow[], left)) yield emit(row);
    };
    const page = collectPage(
      { prefix: query.prefix, delimiter: query.delimiter, afterKey: query.keyMarker, ...(afterId !== undefined && { afterId }), maxKeys: query.maxKeys },
      fetch,
    );
    const last = page.items.at(-1);
    const lastIsItem = page.isTruncated && page.nextId !== undefined && last !== undefined;
    return {
      entries: page.items,
      commonPrefixes: page.commonPrefixes,
      isTruncated: page.isTruncated,
      nextKeyMarker: page.nextKey,
      nextVersionIdMarker: lastIsItem ? entryVersionId(last) : undefined,
    };
  }

  /** The sequence of one version of a key, for a version-id-marker. */
  private seqOf(bucket: string, key: string, versionId: string): number | undefined {
    const wanted = versionId === NULL_VERSION ? null : versionId;
    const current = this.objects.currentRow(bucket, key);
    if (current && (current.versionId ?? null) === wanted) return current.seq ?? CURRENT_SEQ;
    const row = this.selectById.get(bucket, key, wanted) as VersionRow | undefined;
    return row?.seq;
  }

  private loadEntry(src: number, rid: number): VersionEntry {
    if (src === 0) {
      const row = this.selectObjectRow.get(rid) as ObjectRow;
      return { kind: "version", record: this.objects.get(row.bucket, row.key)!, isLatest: true };
    }
    const row = this.selectByRow.get(rid) as VersionRow;
    const isLatest = row.is_delete_marker === 1 && !this.objects.currentRow(row.bucket, row.key) && (this.selectNewest.get(row.bucket, row.key) as VersionRow).id === row.id;
    return this.toEntry(row, isLatest);
  }

  /**
   * Makes room for a new current version: Enabled keeps the current row as noncurrent;
   * Suspended removes the existing "null" version (current or not) and keeps any other.
   * Returns blob ids to check for release.
   */
  private retireCurrent(bucket: string, key: string, status: VersioningStatus, now: Date): string[] {
    const released: string[] = [];
    const current = this.objects.currentRow(bucket, key);
    if (current) {
      if (status === "Suspended" && current.versionId === undefined) {
        released.push(...this.objects.blobsOf(current.id));
        this.objects.removeRow(current.id);
      } else {
        this.archive(current.record, current.seq ?? this.nextSeq(), now);
        this.objects.removeRow(current.id);
      }
    }
    if (status === "Suspended") {
      for (const row of this.selectNullVersions.all(bucket, key) as VersionRow[]) released.push(...this.removeVersionRow(row.id));
    }
    return released;
  }

  private archive(record: ObjectRecord, seq: number, now: Date): void {
    const { lastInsertRowid } = this.insertVersion.run({
      bucket: record.bucket, key: record.key, versionId: record.versionId ?? null, seq, marker: 0,
      lastModified: record.lastModified.getTime(), noncurrentSince: now.getTime(), owner: record.owner,
      record: JSON.stringify({ ...toParams(record), segments: record.segments }),
    });
    for (const segment of record.segments) this.insertVersionBlob.run(Number(lastInsertRowid), segment.blobId);
  }

  /** Removes a noncurrent row (its blob references cascade); returns its blobs. */
  private removeVersionRow(id: number): string[] {
    const blobs = this.selectVersionBlobs.all(id) as string[];
    this.deleteVersionRow.run(id);
    return blobs;
  }

  private deleteVersion(bucket: string, key: string, versionId: string): DeleteOutcome {
    const wanted = versionId === NULL_VERSION ? null : versionId;
    const released: string[] = [];
    let deleteMarker = false;
    const current = this.objects.currentRow(bucket, key);
    if (current && (current.versionId ?? null) === wanted) {
      released.push(...this.objects.blobsOf(current.id));
      this.objects.removeRow(current.id);
    } else {
      const row = this.selectById.get(bucket, key, wanted) as VersionRow | undefined;
      if (!row) return { deleted: false, releasedBlobs: [], versionId };
      deleteMarker = row.is_delete_marker === 1;
      released.push(...this.removeVersionRow(row.id));
    }
    this.promoteNewest(bucket, key);
    return { deleted: true, releasedBlobs: this.objects.unreferenced(released), versionId, ...(deleteMarker && { deleteMarker }) };
  }

  /** Restores the invariant after a removal: a newest version that is not a marker becomes current. */
  private promoteNewest(bucket: string, key: string): void {
    if (this.objects.currentRow(bucket, key)) return;
    const newest = this.selectNewest.get(bucket, key) as VersionRow | undefined;
    if (!newest || newest.is_delete_marker === 1) return;
    this.objects.store(parseRecord(newest), newest.seq);
    this.deleteVersionRow.run(newest.id); // its blobs are referenced by the current row now
  }

  private toEntry(row: VersionRow, isLatest: boolean): VersionEntry {
    return row.is_delete_marker === 1
      ? { kind: "marker", marker: toMarker(row), isLatest }
      : { kind: "version", record: parseRecord(row), isLatest, noncurrentSince: new Date(row.noncurrent_since) };
  }
}

interface IndexRow {
  readonly key: string;
  readonly seq: number;
  readonly src: number;
  readonly rid: number;
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

/** The id a client sees for an entry ("null" for the null version). */
export function entryVersionId(entry: VersionEntry): string {
  return (entry.kind === "version" ? entry.record.versionId : entry.marker.versionId) ?? NULL_VERSION;
}
