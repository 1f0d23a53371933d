/**
 * Storage interfaces. Handlers never touch the filesystem or SQL: they go through these.
 * Two halves:
 *  - BlobStore (blob-types.ts, re-exported here): immutable byte blobs named by opaque ids the store
 *    chooses (object keys never become paths). Writes are crash-safe: temp file → fsync → rename.
 *  - MetadataStore: buckets, object records, multipart uploads, kept transactionally.
 * An object's bytes are an ordered list of segments (one blob each), so multipart completion and
 * appends never copy data. Every backend must pass `conformance.ts`.
 */
import type { StorageTotal } from "./storage-totals.js";

export * from "./blob-types.js";

export type Acl = "private" | "public-read" | "public-read-write";
export type ObjectAcl = Acl | "default";

export type StorageClass = "Standard" | "IA" | "Archive" | "ColdArchive" | "DeepColdArchive";
export type ObjectType = "Normal" | "Appendable" | "Multipart" | "Symlink";

/** A metadata write named a bucket that does not exist (e.g. deleted concurrently). */
export class NoSuchBucketError extends Error {
  constructor(readonly bucket: string) {
    super(`no such bucket: ${bucket}`);
    this.name = "NoSuchBucketError";
  }
}
/** putPart / completeUpload named an upload that does not exist (e.g. aborted concurrently). */
export class NoSuchUploadError extends Error {
  constructor(readonly uploadId: string) {
    super(`no such upload: ${uploadId}`);
    this.name = "NoSuchUploadError";
  }
}


export interface BucketRecord {
  readonly name: string;
  readonly owner: string;
  readonly acl: Acl;
  readonly storageClass: StorageClass;
  readonly createdAt: Date;
  readonly region: string;
}

export interface Segment {
  readonly blobId: string;
  readonly size: number;
  /**
   * Opaque per-segment encryption parameters (owned by the SSE layer), persisted as JSON and
   * round-tripped exactly. Absent for plaintext segments.
   */
  readonly encryption?: unknown;
}

/** Server-side encryption an object was written with (x-oss-server-side-encryption[-key-id]). */
export interface ObjectEncryption {
  readonly algorithm: "AES256" | "KMS";
  readonly kmsKeyId?: string;
}

/** RestoreObject state of an archive-class object; "now" is compared against these by the caller. */
export interface RestoreState {
  readonly requestedAt: Date;
  /** When the restored copy becomes readable (restore "ongoing" before this). */
  readonly readyAt: Date;
  /** When the restored copy lapses back to the archived state. */
  readonly expiresAt: Date;
  readonly tier: string;
}

export interface ObjectRecord {
  readonly bucket: string;
  readonly key: string;
  readonly size: number;
  /** As sent in the ETag header without quotes: 32 uppercase hex, or `HEX-N` for multipart. */
  readonly etag: string;
  /** Decimal string of the unsigned CRC-64 of the whole object. */
  readonly crc64: string;
  readonly lastModified: Date;
  readonly contentType: string;
  /** Stored standard headers replayed on GET: cache-control, content-disposition, content-encoding, expires, content-language. */
  readonly headers: Readonly<Record<string, string>>;
  /** User metadata, names lower-cased without the `x-oss-meta-` prefix. */
  readonly userMeta: Readonly<Record<string, string>>;
  readonly acl: ObjectAcl;
  readonly storageClass: StorageClass;
  readonly type: ObjectType;
  readonly segments: readonly Segment[];
  readonly owner: string;
  /** Set when RestoreObject was called on an archive-class object. */
  readonly restore?: RestoreState;
  /** When the object entered its current storage class (written, copied or transitioned); minimum-duration billing. */
  readonly classSince?: Date;
  readonly serverSideEncryption?: ObjectEncryption;
  /** For a Symlink object: the key it points to, in the same bucket. */
  readonly symlinkTarget?: string;
  /** Object tags (x-oss-tagging / PutObjectTagging), in the order they were set. */
  readonly tags?: ReadonlyArray<readonly [string, string]>;
  /** Version id in a versioned bucket; absent for the "null" version (unversioned or Suspended writes). */
  readonly versionId?: string;
}

export interface ListObjectsQuery {
  readonly bucket: string;
  readonly prefix: string;
  readonly delimiter: string;
  /** Exclusive: list keys strictly greater than this. */
  readonly after: string;
  readonly maxKeys: number;
}

export interface ListObjectsPage {
  readonly objects: ObjectRecord[];
  readonly commonPrefixes: string[];
  readonly isTruncated: boolean;
  /** Last key or common prefix returned when truncated (the next marker). */
  readonly nextMarker: string | undefined;
}

/** A bucket's versioning state (absent: never enabled, every write is the "null" version). */
export type VersioningStatus = "Enabled" | "Suspended";
/** The id clients send and receive for the version written while versioning was off or Suspended. */
export const NULL_VERSION = "null";

export interface DeleteMarkerRecord {
  readonly bucket: string;
  readonly key: string;
  /** Absent for a "null" delete marker (written while Suspended). */
  readonly versionId?: string;
  readonly lastModified: Date;
  readonly owner: string;
}

/** One entry of a version listing or lookup: an object version or a delete marker. */
export type VersionEntry =
  | {
    readonly kind: "version"; readonly record: ObjectRecord; readonly isLatest: boolean;
    /** A noncurrent version: when it stopped being current (lifecycle NoncurrentDays count from it). */
    readonly noncurrentSince?: Date;
  }
  | { readonly kind: "marker"; readonly marker: DeleteMarkerRecord; readonly isLatest: boolean };

export interface ListVersionsQuery {
  readonly bucket: string;
  readonly prefix: string;
  readonly delimiter: string;
  readonly keyMarker: string;
  /** With keyMarker: resume after this version of that key ("null" names the null version). */
  readonly versionIdMarker: string;
  readonly maxKeys: number;
}

export interface ListVersionsPage {
  readonly entries: VersionEntry[];
  readonly commonPrefixes: string[];
  readonly isTruncated: boolean;
  readonly nextKeyMarker: string | undefined;
  readonly nextVersionIdMarker: string | undefined;
}

export interface DeleteObjectOptions {
  readonly versionId?: string;
  readonly now?: Date;
  /** Synchronous precondition on the current object (undefined when there is none), in the delete's transaction. */
  readonly onlyIf?: (current: ObjectRecord | undefined) => boolean;
}

export interface DeleteOutcome {
  /** Something was removed or a delete marker was written. */
  readonly deleted: boolean;
  readonly releasedBlobs: string[];
  /** In a versioned bucket: the version removed, or the delete marker written ("null" for the null one). */
  readonly versionId?: string;
  /** The removed version, or the version written, is a delete marker. */
  readonly deleteMarker?: boolean;
}

export interface UploadRecord {
  readonly uploadId: string;
  readonly bucket: string;
  readonly key: string;
  readonly initiated: Date;
  /** Everything the final object inherits: content type, headers, user meta, acl, class. */
  readonly template: Pick<ObjectRecord, "contentType" | "headers" | "userMeta" | "acl" | "storageClass" | "owner" | "serverSideEncryption" | "tags">;
}

export interface PartRecord {
  readonly uploadId: string;
  readonly partNumber: number;
  readonly etag: string;
  readonly size: number;
  readonly crc64: string;
  readonly lastModified: Date;
  readonly blobId: string;
  /** The part's segment encryption (opaque JSON, as Segment.encryption), absent for plaintext. */
  readonly encryption?: unknown;
}

export interface ListUploadsQuery {
  readonly bucket: string;
  readonly prefix: string;
  readonly delimiter: string;
  readonly keyMarker: string;
  readonly uploadIdMarker: string;
  readonly maxUploads: number;
}

export interface ListUploadsPage {
  readonly uploads: UploadRecord[];
  readonly commonPrefixes: string[];
  readonly isTruncated: boolean;
  readonly nextKeyMarker: string | undefined;
  readonly nextUploadIdMarker: string | undefined;
}

/**
 * Metadata operations. Every mutating call is one transaction. Calls that replace or remove
 * records return the blob ids that are no longer referenced (by any object segment or part, so
 * a blob shared between records is only released with its last reference), for the caller to
 * delete after the commit (a crash in between leaves only orphans, collected by `referencedBlobIds`).
 * Writes naming a missing bucket throw NoSuchBucketError (the promise rejects with it).
 * Every method is asynchronous so that networked databases (PostgreSQL) can implement it; a call
 * that must read and then write atomically is one method (one transaction), never two calls.
 */
/** Options of the metadata writes that can take part in a group commit. */
export interface WriteOptions {
  /**
   * Commit without waiting for the disk: the write is visible (and survives the process's death)
   * at once, and is durable against power loss once `sync()` resolves (group commit).
   */
  readonly deferSync?: boolean;
}

export interface MetadataStore {
  createBucket(bucket: BucketRecord): Promise<"created" | "exists">;
  getBucket(name: string): Promise<BucketRecord | undefined>;
  listBuckets(owner: string): Promise<BucketRecord[]>;
  /** "not-empty" if it holds objects, noncurrent versions, delete markers or uploads in progress. */
  deleteBucket(name: string): Promise<"deleted" | "missing" | "not-empty">;
  setBucketAcl(name: string, acl: Acl): Promise<void>;
  /** Generic named bucket settings (lifecycle XML, archive direct read, SSE default…); removed with the bucket. */
  getBucketSetting(bucket: string, name: string): Promise<string | undefined>;
  /** `undefined` removes the setting. Throws NoSuchBucketError. */
  setBucketSetting(bucket: string, name: string, value: string | undefined): Promise<void>;
  /**
   * Read-modify-write of one setting in one transaction: `update` (synchronous) sees the current
   * value and returns the new one (`undefined` removes it); if it throws, nothing changes and the
   * call rejects with that error. Throws NoSuchBucketError.
   */
  updateBucketSetting(bucket: string, name: string, update: (current: string | undefined) => string | undefined): Promise<void>;
  countObjects(bucket: string): Promise<number>;

  getObject(bucket: string, key: string): Promise<ObjectRecord | undefined>;
  /**
   * As getObject, for callers that only read the record (GET/HEAD): a store that caches records
   * may answer with its own copy, frozen, instead of a fresh one. Optional (readObject() falls
   * back to getObject).
   */
  peekObject?(bucket: string, key: string): Promise<ObjectRecord | undefined>;
  /**
   * Inserts or replaces; returns the blob ids of the replaced record. Throws NoSuchBucketError.
   * In a versioned bucket (setting "versioning") the store assigns the version: Enabled keeps the
   * replaced record as a noncurrent version, Suspended replaces only the "null" version; `versionId`
   * is then the id written ("null" when Suspended).
   */
  putObject(record: ObjectRecord, options?: WriteOptions): Promise<{ releasedBlobs: string[]; versionId?: string }>;
  /**
   * Inserts only when no object exists under the key (x-oss-forbid-overwrite), atomically.
   * Returns "exists" without writing when one does.
   */
  putObjectIfAbsent(record: ObjectRecord, options?: WriteOptions): Promise<"created" | "exists">;
  /**
   * Applies `update` to the current record atomically (used by AppendObject: the caller checks the
   * position against the current size inside `update`; returning undefined aborts). Returns the new record.
   * Blobs the new record stops referencing are not returned (appends only add segments); should
   * that ever happen they are orphans, removed by recoverStorage at the next start.
   */
  updateObject(bucket: string, key: string, update: (current: ObjectRecord | undefined) => ObjectRecord | undefined): Promise<ObjectRecord | undefined>;
  /**
   * Applies `update` to one version atomically ("null" names the null version), current or
   * noncurrent: ACL, tags, restore state, never its bytes. `update` sees undefined when there is no
   * such version or it is a delete marker. Returns the new record.
   */
  updateObjectVersion(bucket: string, key: string, versionId: string, update: (current: ObjectRecord | undefined) => ObjectRecord | undefined): Promise<ObjectRecord | undefined>;
  /**
   * Without a versionId: removes the object, or in a versioned bucket writes a delete marker
   * (the current version becomes noncurrent). With one: removes exactly that version; if it was
   * the current one, the newest remaining version becomes current.
   * `onlyIf` (without a versionId) is checked against the current object in the same transaction:
   * when it returns false nothing changes and `deleted` is false (lifecycle: "still the version listed").
   */
  deleteObject(bucket: string, key: string, options?: DeleteObjectOptions): Promise<DeleteOutcome>;
  /** Whether this store implements versioning (PutBucketVersioning is refused otherwise). */
  readonly supportsVersioning: boolean;
  /** One version ("null" names the null version) or delete marker, current or not. */
  getObjectVersion(bucket: string, key: string, versionId: string): Promise<VersionEntry | undefined>;
  /** The delete marker that is the key's current version, if one is. */
  currentDeleteMarker(bucket: string, key: string): Promise<DeleteMarkerRecord | undefined>;
  /** ListObjectVersions: keys in UTF-8 order, each key's versions newest first, markers included. */
  listObjectVersions(query: ListVersionsQuery): Promise<ListVersionsPage>;
  setObjectAcl(bucket: string, key: string, acl: ObjectAcl): Promise<boolean>;
  listObjects(query: ListObjectsQuery): Promise<ListObjectsPage>;

  createUpload(upload: UploadRecord): Promise<void>;
  getUpload(bucket: string, uploadId: string): Promise<UploadRecord | undefined>;
  /** Inserts or replaces a part; returns the blob id of a replaced part. Throws NoSuchUploadError. */
  putPart(part: PartRecord, options?: WriteOptions): Promise<{ releasedBlobs: string[] }>;
  /**
   * Resolves when every write made through this store so far is durable. Writes made with
   * `{ deferSync: true }` may be visible before they are durable: await this before acknowledging
   * them. Stores whose writes are durable on return resolve at once.
   */
  sync(): Promise<void>;
  /** Parts ordered by number, after `partNumberMarker`, at most `maxParts`. */
  listParts(uploadId: string, partNumberMarker: number, maxParts: number): Promise<{ parts: PartRecord[]; isTruncated: boolean }>;
  listUploads(query: ListUploadsQuery): Promise<ListUploadsPage>;
  /**
   * Atomically: removes the upload and its parts, writes `record` (whose segments are the chosen
   * parts' blobs). Blobs of parts not used, and of a replaced object, are released.
   * With `ifAbsent`, returns "exists" and changes nothing when the key already has an object.
   * Throws NoSuchUploadError when the upload is gone.
   */
  completeUpload(uploadId: string, record: ObjectRecord, usedPartNumbers: readonly number[], ifAbsent: boolean): Promise<{ result: "created" | "exists"; releasedBlobs: string[]; versionId?: string }>;
  /** Removes the upload and its parts; returns their blobs. */
  abortUpload(uploadId: string): Promise<{ found: boolean; releasedBlobs: string[] }>;

  /** Every blob id referenced by an object or a part (for orphan collection). */
  referencedBlobIds(): Promise<Set<string>>;
  /**
   * Stored bytes grouped by bucket and storage class — current objects, noncurrent versions and parts of
   * uploads in progress (storage-totals.ts) — ordered by bucket, then class. One consistent read.
   */
  storageTotals(): Promise<StorageTotal[]>;
  close(): Promise<void>;
}

/** The current record of `bucket/key` for reading only (MetadataStore.peekObject when the store has it). */
export function readObject(meta: MetadataStore, bucket: string, key: string): Promise<ObjectRecord | undefined> {
  return meta.peekObject ? meta.peekObject(bucket, key) : meta.getObject(bucket, key);
}
