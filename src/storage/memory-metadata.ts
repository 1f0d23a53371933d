/**
 * In-memory MetadataStore for unit tests, with the same semantics as SqliteMetadataStore:
 * UTF-8 byte-order listing, blob reference counting (a blob is released only when no object or
 * part references it any more), records copied in and out so callers cannot alias the state.
 */
import { copyObject, copySegment } from "./copy-record.js";
import { compareKeys, listObjectsPage, listUploadsPage, type FetchRows, type ListCursor } from "./list-page.js";
import {
  type DeleteObjectOptions,
  NULL_VERSION,
  NoSuchBucketError,
  type DeleteMarkerRecord,
  type ListVersionsPage,
  type ListVersionsQuery,
  type VersionEntry,
  NoSuchUploadError,
  type Acl,
  type BucketRecord,
  type ListObjectsPage,
  type ListObjectsQuery,
  type ListUploadsPage,
  type ListUploadsQuery,
  type MetadataStore,
  type ObjectAcl,
  type ObjectRecord,
  type PartRecord,
  type Segment,
  type StorageClass,
  type UploadRecord,
} from "./types.js";
import type { StorageTotal } from "./storage-totals.js";

interface SortedKey {
  readonly key: string;
  readonly bytes: Buffer;
}

export class MemoryMetadataStore implements MetadataStore {
  private readonly buckets = new Map<string, BucketRecord>();
  private readonly objects = new Map<string, Map<string, ObjectRecord>>();
  private readonly sortedKeys = new Map<string, SortedKey[]>();
  private readonly uploads = new Map<string, UploadRecord>();
  private readonly parts = new Map<string, Map<number, PartRecord>>();
  private readonly blobRefs = new Map<string, number>();
  /** bucket → setting name → value */
  private readonly settings = new Map<string, Map<string, string>>();

  async createBucket(bucket: BucketRecord): Promise<"created" | "exists"> {
    if (this.buckets.has(bucket.name)) return "exists";
    this.buckets.set(bucket.name, { ...bucket, createdAt: new Date(bucket.createdAt) });
    this.objects.set(bucket.name, new Map());
    return "created";
  }

  async getBucket(name: string): Promise<BucketRecord | undefined> {
    const bucket = this.buckets.get(name);
    return bucket && { ...bucket, createdAt: new Date(bucket.createdAt) };
  }

  async listBuckets(owner: string): Promise<BucketRecord[]> {
    return [...this.buckets.values()]
      .filter((b) => b.owner === owner)
      .sort((a, b) => compareKeys(a.name, b.name))
      .map((b) => ({ ...b, createdAt: new Date(b.createdAt) }));
  }

  async deleteBucket(name: string): Promise<"deleted" | "missing" | "not-empty"> {
    if (!this.buckets.has(name)) return "missing";
    if ((this.objects.get(name)?.size ?? 0) > 0) return "not-empty";
    for (const upload of this.uploads.values()) if (upload.bucket === name) return "not-empty";
    this.buckets.delete(name);
    this.objects.delete(name);
    this.sortedKeys.delete(name);
    this.settings.delete(name);
    return "deleted";
  }

  async getBucketSetting(bucket: string, name: string): Promise<string | undefined> {
    return this.settings.get(bucket)?.get(name);
  }

  async setBucketSetting(bucket: string, name: string, value: string | undefined): Promise<void> {
    if (!this.buckets.has(bucket)) throw new NoSuchBucketError(bucket);
    let settings = this.settings.get(bucket);
    if (!settings) this.settings.set(bucket, (settings = new Map()));
    if (value === undefined) settings.delete(name);
    else settings.set(name, value);
  }

  async updateBucketSetting(bucket: string, name: string, update: (current: string | undefined) => string | undefined): Promise<void> {
    if (!this.buckets.has(bucket)) throw new NoSuchBucketError(bucket);
    const value = update(this.settings.get(bucket)?.get(name));
    let settings = this.settings.get(bucket);
    if (!settings) this.settings.set(bucket, (settings = new Map()));
    if (value === undefined) settings.delete(name);
    else settings.set(name, value);
  }

  async setBucketAcl(name: string, acl: Acl): Promise<void> {
    const bucket = this.buckets.get(name);
    if (bucket) this.buckets.set(name, { ...bucket, acl });
  }

  async countObjects(bucket: string): Promise<number> {
    return this.objects.get(bucket)?.size ?? 0;
  }

  async getObject(bucket: string, key: string): Promise<ObjectRecord | undefined> {
    return this.get(bucket, key);
  }

  private get(bucket: string, key: string): ObjectRecord | undefined {
    const record = this.objects.get(bucket)?.get(key);
    return record && copyObject(record);
  }

  async putObject(record: ObjectRecord): Promise<{ releasedBlobs: string[] }> {
    return { releasedBlobs: this.storeObject(record) };
  }

  async putObjectIfAbsent(record: ObjectRecord): Promise<"created" | "exists"> {
    if (this.bucketObjects(record.bucket).has(record.key)) return "exists";
    this.storeObject(record);
    return "created";
  }

  async updateObject(bucket: string, key: string, update: (current: ObjectRecord | undefined) => ObjectRecord | undefined): Promise<ObjectRecord | undefined> {
    return this.update(bucket, key, update);
  }

  private update(bucket: string, key: string, update: (current: ObjectRecord | undefined) => ObjectRecord | undefined): ObjectRecord | undefined {
    const objects = this.bucketObjects(bucket);
    const current = objects.get(key);
    const next = update(current && copyObject(current));
    if (next === undefined) return undefined;
    if (next.bucket !== bucket || next.key !== key) throw new Error("updateObject must keep bucket and key");
    this.storeObject(next); // blobs it drops (never, for appends) are left for orphan collection
    return copyObject(next);
  }

  async updateObjectVersion(bucket: string, key: string, versionId: string, update: (current: ObjectRecord | undefined) => ObjectRecord | undefined): Promise<ObjectRecord | undefined> {
    // Only the "null" version exists here (versioning is SQLite-only).
    if (versionId === NULL_VERSION && this.bucketObjects(bucket).has(key)) return this.update(bucket, key, update);
    update(undefined);
    return undefined;
  }

  /** Versioning is SQLite-only (PutBucketVersioning is refused here): every object is the "null" version. */
  readonly supportsVersioning = false;

  async deleteObject(bucket: string, key: string, options: DeleteObjectOptions = {}): Promise<{ deleted: boolean; releasedBlobs: string[] }> {
    const objects = this.objects.get(bucket);
    const current = objects?.get(key);
    if (!objects || !current) return { deleted: false, releasedBlobs: [] };
    if (options.onlyIf && options.versionId === undefined && !options.onlyIf(copyObject(current))) return { deleted: false, releasedBlobs: [] };
    if (options.versionId !== undefined && options.versionId !== NULL_VERSION) return { deleted: false, releasedBlobs: [] };
    objects.delete(key);
    this.sortedKeys.delete(bucket);
    return { deleted: true, releasedBlobs: this.dropRefs(current.segments.map((s) => s.blobId)) };
  }

  async getObjectVersion(bucket: string, key: string, versionId: string): Promise<VersionEntry | undefined> {
    const current = this.get(bucket, key);
    return current && versionId === NULL_VERSION ? { kind: "version", record: current, isLatest: true } : undefined;
  }

  async currentDeleteMarker(): Promise<DeleteMarkerRecord | undefined> {
    return undefined;
  }

  /** Without versioning the listing is the current objects, each its key's only ("null") version. */
  async listObjectVersions(query: ListVersionsQuery): Promise<ListVersionsPage> {
    const page = this.list({ bucket: query.bucket, prefix: query.prefix, delimiter: query.delimiter, after: query.keyMarker, maxKeys: query.maxKeys });
    return {
      entries: page.objects.map((record) => ({ kind: "version", record, isLatest: true })),
      commonPrefixes: page.commonPrefixes,
      isTruncated: page.isTruncated,
      nextKeyMarker: page.nextMarker,
      nextVersionIdMarker: page.isTruncated && page.objects.at(-1)?.key === page.nextMarker ? NULL_VERSION : undefined,
    };
  }

  async setObjectAcl(bucket: string, key: string, acl: ObjectAcl): Promise<boolean> {
    const objects = this.objects.get(bucket);
    const current = objects?.get(key);
    if (!objects || !current) return false;
    objects.set(key, { ...current, acl });
    return true;
  }

  async listObjects(query: ListObjectsQuery): Promise<ListObjectsPage> {
    return this.list(query);
  }

  private list(query: ListObjectsQuery): ListObjectsPage {
    const objects = this.objects.get(query.bucket) ?? new Map<string, ObjectRecord>();
    const sorted = this.sortedKeysOf(query.bucket, objects);
    const fetch: FetchRows<ObjectRecord> = (cursor, limit) =>
      rowsAfter(sorted, cursor, query.prefix, limit).map((k) => ({ key: k.key, load: () => copyObject(objects.get(k.key)!) }));
    return listObjectsPage(query, fetch);
  }

  async createUpload(upload: UploadRecord): Promise<void> {
    if (!this.buckets.has(upload.bucket)) throw new NoSuchBucketError(upload.bucket);
    if (this.uploads.has(upload.uploadId)) throw new Error(`duplicate upload id ${upload.uploadId}`);
    this.uploads.set(upload.uploadId, copyUpload(upload));
    this.parts.set(upload.uploadId, new Map());
  }

  async getUpload(bucket: string, uploadId: string): Promise<UploadRecord | undefined> {
    const upload = this.uploads.get(uploadId);
    return upload && upload.bucket === bucket ? copyUpload(upload) : undefined;
  }

  sync(): Promise<void> {
    return Promise.resolve();
  }

  async putPart(part: PartRecord): Promise<{ releasedBlobs: string[] }> {
    const parts = this.parts.get(part.uploadId);
    if (!parts) throw new NoSuchUploadError(part.uploadId);
    const replaced = parts.get(part.partNumber);
    parts.set(part.partNumber, { ...part, lastModified: new Date(part.lastModified) });
    this.addRefs([part.blobId]);
    return { releasedBlobs: replaced ? this.dropRefs([replaced.blobId]) : [] };
  }

  async listParts(uploadId: string, partNumberMarker: number, maxParts: number): Promise<{ parts: PartRecord[]; isTruncated: boolean }> {
    if (maxParts <= 0) return { parts: [], isTruncated: false };
    const all = [...(this.parts.get(uploadId)?.values() ?? [])]
      .filter((p) => p.partNumber > partNumberMarker)
      .sort((a, b) => a.partNumber - b.partNumber);
    const parts = all.slice(0, Math.max(0, maxParts)).map((p) => ({ ...p, lastModified: new Date(p.lastModified) }));
    return { parts, isTruncated: all.length > parts.length };
  }

  async listUploads(query: ListUploadsQuery): Promise<ListUploadsPage> {
    const sorted = [...this.uploads.values()]
      .filter((u) => u.bucket === query.bucket && u.key.startsWith(query.prefix))
      .map((u) => ({ upload: u, key: Buffer.from(u.key), id: Buffer.from(u.uploadId) }))
      .sort((a, b) => Buffer.compare(a.key, b.key) || Buffer.compare(a.id, b.id));
    const fetch: FetchRows<UploadRecord> = (cursor, limit) =>
      sorted
        .filter((u) => {
          const order = Buffer.compare(u.key, cursor.afterKey);
          return order > 0 || (order === 0 && cursor.afterId !== undefined && Buffer.compare(u.id, Buffer.from(cursor.afterId)) > 0);
        })
        .slice(0, limit)
        .map((u) => ({ key: u.upload.key, id: u.upload.uploadId, load: () => copyUpload(u.upload) }));
    return listUploadsPage(query, fetch);
  }

  async completeUpload(uploadId: string, record: ObjectRecord, _usedPartNumbers: readonly number[], ifAbsent: boolean): Promise<{ result: "created" | "exists"; releasedBlobs: string[] }> {
    const upload = this.uploads.get(uploadId);
    const parts = this.parts.get(uploadId);
    if (!upload || !parts) throw new NoSuchUploadError(uploadId);
    if (ifAbsent && this.bucketObjects(record.bucket).has(record.key)) return { result: "exists", releasedBlobs: [] };
    // New references first, so blobs moving from parts into the object are never released.
    const releasedByObject = this.storeObject(record);
    this.uploads.delete(uploadId);
    this.parts.delete(uploadId);
    const releasedByParts = this.dropRefs([...parts.values()].map((p) => p.blobId));
    return { result: "created", releasedBlobs: [...new Set([...releasedByObject, ...releasedByParts])] };
  }

  async abortUpload(uploadId: string): Promise<{ found: boolean; releasedBlobs: string[] }> {
    const parts = this.parts.get(uploadId);
    if (!this.uploads.has(uploadId) || !parts) return { found: false, releasedBlobs: [] };
    this.uploads.delete(uploadId);
    this.parts.delete(uploadId);
    return { found: true, releasedBlobs: this.dropRefs([...parts.values()].map((p) => p.blobId)) };
  }

  async referencedBlobIds(): Promise<Set<string>> {
    return new Set(this.blobRefs.keys());
  }

  async storageTotals(): Promise<StorageTotal[]> {
    const sums = new Map<string, StorageTotal>();
    const add = (bucket: string, storageClass: StorageClass, bytes: number): void => {
      const key = `${bucket}\u0000${storageClass}`;
      sums.set(key, { bucket, storageClass, bytes: (sums.get(key)?.bytes ?? 0) + bytes });
    };
    for (const [bucket, objects] of this.objects) for (const o of objects.values()) add(bucket, o.storageClass, o.size);
    for (const [uploadId, parts] of this.parts) {
      const upload = this.uploads.get(uploadId);
      if (upload) for (const p of parts.values()) add(upload.bucket, upload.template.storageClass, p.size);
    }
    return [...sums.values()].sort((a, b) => compareKeys(a.bucket, b.bucket) || compareKeys(a.storageClass, b.storageClass));
  }

  async close(): Promise<void> {
    // nothing to release
  }

  /** Inserts or replaces; returns the blobs no longer referenced anywhere. */
  private storeObject(record: ObjectRecord): string[] {
    const objects = this.bucketObjects(record.bucket);
    const replaced = objects.get(record.key);
    objects.set(record.key, copyObject(record));
    if (!replaced) this.sortedKeys.delete(record.bucket);
    this.addRefs(record.segments.map((s) => s.blobId));
    return replaced ? this.dropRefs(replaced.segments.map((s) => s.blobId)) : [];
  }

  private bucketObjects(bucket: string): Map<string, ObjectRecord> {
    const objects = this.objects.get(bucket);
    if (!objects) throw new NoSuchBucketError(bucket);
    return objects;
  }

  private sortedKeysOf(bucket: string, objects: Map<string, ObjectRecord>): SortedKey[] {
    let sorted = this.sortedKeys.get(bucket);
    if (!sorted) {
      sorted = [...objects.keys()].map((key) => ({ key, bytes: Buffer.from(key) })).sort((a, b) => Buffer.compare(a.bytes, b.bytes));
      if (this.objects.has(bucket)) this.sortedKeys.set(bucket, sorted);
    }
    return sorted;
  }

  private addRefs(ids: readonly string[]): void {
    for (const id of ids) this.blobRefs.set(id, (this.blobRefs.get(id) ?? 0) + 1);
  }

  /** Decrements references; returns the ids (deduplicated) that dropped to zero. */
  private dropRefs(ids: readonly string[]): string[] {
    const released = new Set<string>();
    for (const id of ids) {
      const count = (this.blobRefs.get(id) ?? 0) - 1;
      if (count > 0) this.blobRefs.set(id, count);
      else {
        this.blobRefs.delete(id);
        released.add(id);
      }
    }
    return [...released];
  }
}

/** Keys after `cursor` that start with `prefix`, at most `limit`, by binary search. */
function rowsAfter(sorted: readonly SortedKey[], cursor: ListCursor, prefix: string, limit: number): SortedKey[] {
  const lower = Buffer.compare(cursor.afterKey, Buffer.from(prefix)) >= 0 ? cursor.afterKey : undefined;
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const bytes = sorted[mid]!.bytes;
    const before = lower ? Buffer.compare(bytes, lower) <= 0 : Buffer.compare(bytes, Buffer.from(prefix)) < 0;
    if (before) lo = mid + 1;
    else hi = mid;
  }
  const rows: SortedKey[] = [];
  for (let i = lo; i < sorted.length && rows.length < limit; i++) {
    const entry = sorted[i]!;
    if (!entry.key.startsWith(prefix)) break;
    rows.push(entry);
  }
  return rows;
}

function copyUpload(upload: UploadRecord): UploadRecord {
  const t = upload.template;
  return { ...upload, initiated: new Date(upload.initiated), template: { ...t, headers: { ...t.headers }, userMeta: { ...t.userMeta } } };
}
