/**
 * One listing algorithm for every MetadataStore (objects and multipart uploads), written against
 * a seekable, key-ordered source so that a page costs O(page) rows, not O(bucket):
 *
 *  - keys compare in UTF-8 byte order (Buffer.compare, SQLite BINARY collation, OSS/S3 order);
 *  - with a delimiter, a key whose remainder after `prefix` contains the delimiter rolls up into
 *    the common prefix `prefix + remainder up to and including the delimiter`; after emitting it the
 *    cursor jumps to `commonPrefix ‖ 0xFF`, past every key sharing it (0xFF never occurs in UTF-8,
 *    so every key with that prefix sorts below it and every other later key above);
 *  - everything returned (keys and prefixes) is strictly after the marker: a common prefix that is
 *    ≤ the marker (the marker is inside it, or is the prefix a previous page ended on) is skipped;
 *  - maxKeys counts keys + prefixes; when more remain, isTruncated is true and nextMarker is the
 *    last key or prefix returned. maxKeys 0 returns an empty, untruncated page (as MinIO does).
 */

import type { ListObjectsPage, ListObjectsQuery, ListUploadsPage, ListUploadsQuery, ObjectRecord, UploadRecord } from "./types.js";

/** Where a scan resumes: entries with key > afterKey, or key == afterKey and id > afterId when set. */
export interface ListCursor {
  readonly afterKey: Buffer;
  readonly afterId?: string;
}

export interface ListRow<T> {
  readonly key: string;
  /** Tie-breaker within a key (upload id); undefined for objects. */
  readonly id?: string;
  readonly load: () => T;
}

/**
 * Returns up to `limit` rows after `cursor` whose key starts with the listing prefix, in
 * (key bytes, id) order. May be lazy: the caller stops early after a common prefix, so a SQLite
 * source only steps the rows it needs.
 */
export type FetchRows<T> = (cursor: ListCursor, limit: number) => Iterable<ListRow<T>>;

export interface ListSpec {
  readonly prefix: string;
  readonly delimiter: string;
  /** Marker key (exclusive unless afterId is set). */
  readonly afterKey: string;
  readonly afterId?: string;
  readonly maxKeys: number;
}

export interface CollectedPage<T> {
  readonly items: T[];
  readonly commonPrefixes: string[];
  readonly isTruncated: boolean;
  /** Last key or prefix returned, when truncated. */
  readonly nextKey: string | undefined;
  /** Id of the last item when it (not a prefix) ended a truncated page. */
  readonly nextId: string | undefined;
}

const MAX_BATCH = 1000;
const BYTE_FF = Buffer.from([0xff]);

export function utf8(text: string): Buffer {
  return Buffer.from(text, "utf8");
}

/** UTF-8 byte-order comparison of two strings. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(utf8(a), utf8(b));
}

/** The smallest bound above every key that starts with `prefix`. */
export function pastPrefix(prefix: string): Buffer {
  return Buffer.concat([utf8(prefix), BYTE_FF]);
}

export function collectPage<T>(spec: ListSpec, fetch: FetchRows<T>): CollectedPage<T> {
  const scan = new PageScan<T>(spec);
  if (spec.maxKeys <= 0) return scan.done(false);
  // `done` runs loaders (more SQL), so it is only called once the row iterator is closed.
  for (;;) {
    const limit = scan.nextLimit();
    const outcome = scan.consume(fetch(scan.cursor, limit), limit);
    if (outcome !== "more") return scan.done(outcome === "truncated");
  }
}

/**
 * `collectPage` over an asynchronous source (a networked database): each batch is one awaited
 * query returning its rows at once; the same scan decides what the page holds.
 */
export async function collectPageAsync<T>(spec: ListSpec, fetch: AsyncFetchRows<T>): Promise<CollectedPage<T>> {
  const scan = new PageScan<T>(spec);
  if (spec.maxKeys <= 0) return scan.done(false);
  for (;;) {
    const limit = scan.nextLimit();
    const outcome = scan.consume(await fetch(scan.cursor, limit), limit);
    if (outcome !== "more") return scan.done(outcome === "truncated");
  }
}

/** Like FetchRows, for sources that answer a batch at a time. */
export type AsyncFetchRows<T> = (cursor: ListCursor, limit: number) => Promise<readonly ListRow<T>[]>;

/** The state of one page's scan: where it resumes, what it kept. Shared by both drivers above. */
class PageScan<T> {
  private readonly loaders: (() => T)[] = [];
  private readonly commonPrefixes: string[] = [];
  private readonly marker: Buffer;
  cursor: ListCursor;
  private count = 0;
  private lastKey: string | undefined;
  private lastId: string | undefined;

  constructor(private readonly spec: ListSpec) {
    this.marker = utf8(spec.afterKey);
    this.cursor = spec.afterId ? { afterKey: this.marker, afterId: spec.afterId } : { afterKey: this.marker };
  }

  nextLimit(): number {
    return Math.min(this.spec.maxKeys - this.count + 1, MAX_BATCH);
  }

  /** Takes one batch: "truncated" (page full, more remain), "end" (source exhausted) or "more". */
  consume(rows: Iterable<ListRow<T>>, limit: number): "truncated" | "end" | "more" {
    const { spec } = this;
    let consumed = 0;
    for (const row of rows) {
      consumed++;
      const commonPrefix = commonPrefixOf(row.key, spec.prefix, spec.delimiter);
      if (commonPrefix !== undefined) {
        // Abandon the rest of this batch (probably more keys under the same prefix) and seek past it.
        this.cursor = { afterKey: pastPrefix(commonPrefix) };
        if (Buffer.compare(utf8(commonPrefix), this.marker) <= 0) return "more";
        if (this.count === spec.maxKeys) return "truncated";
        this.commonPrefixes.push(commonPrefix);
        this.lastKey = commonPrefix;
        this.lastId = undefined;
        this.count++;
        return "more";
      }
      if (this.count === spec.maxKeys) return "truncated";
      this.cursor = row.id === undefined ? { afterKey: utf8(row.key) } : { afterKey: utf8(row.key), afterId: row.id };
      this.loaders.push(row.load);
      this.lastKey = row.key;
      this.lastId = row.id;
      this.count++;
    }
    return consumed < limit ? "end" : "more";
  }

  /** Records are loaded after scanning: a SQLite source may not run other statements mid-iteration. */
  done(isTruncated: boolean): CollectedPage<T> {
    return {
      items: this.loaders.map((load) => load()),
      commonPrefixes: this.commonPrefixes,
      isTruncated,
      nextKey: isTruncated ? this.lastKey : undefined,
      nextId: isTruncated ? this.lastId : undefined,
    };
  }
}

/** The common prefix `key` rolls up into, if any. */
export function commonPrefixOf(key: string, prefix: string, delimiter: string): string | undefined {
  if (delimiter === "") return undefined;
  const at = key.indexOf(delimiter, prefix.length);
  return at < 0 ? undefined : key.slice(0, at + delimiter.length);
}

/** ListObjects over any FetchRows source: the query → scan spec → page mapping every backend shares. */
export function listObjectsPage(query: ListObjectsQuery, fetch: FetchRows<ObjectRecord>): ListObjectsPage {
  return toObjectsPage(collectPage(objectsSpec(query), fetch));
}

/** listObjectsPage over an asynchronous source; `T` is whatever the source loads (rows to finish into records). */
export async function listObjectsPageAsync<T>(query: ListObjectsQuery, fetch: AsyncFetchRows<T>): Promise<CollectedPage<T>> {
  return await collectPageAsync(objectsSpec(query), fetch);
}

function objectsSpec(query: ListObjectsQuery): ListSpec {
  return { prefix: query.prefix, delimiter: query.delimiter, afterKey: query.after, maxKeys: query.maxKeys };
}

export function toObjectsPage(page: CollectedPage<ObjectRecord>): ListObjectsPage {
  return { objects: page.items, commonPrefixes: page.commonPrefixes, isTruncated: page.isTruncated, nextMarker: page.nextKey };
}

/** ListMultipartUploads over any FetchRows source (key-marker + upload-id-marker semantics). */
export function listUploadsPage(query: ListUploadsQuery, fetch: FetchRows<UploadRecord>): ListUploadsPage {
  return toUploadsPage(collectPage(uploadsSpec(query), fetch));
}

export async function listUploadsPageAsync(query: ListUploadsQuery, fetch: AsyncFetchRows<UploadRecord>): Promise<ListUploadsPage> {
  return toUploadsPage(await collectPageAsync(uploadsSpec(query), fetch));
}

function uploadsSpec(query: ListUploadsQuery): ListSpec {
  const spec = { prefix: query.prefix, delimiter: query.delimiter, afterKey: query.keyMarker, maxKeys: query.maxUploads };
  return query.uploadIdMarker ? { ...spec, afterId: query.uploadIdMarker } : spec;
}

function toUploadsPage(page: CollectedPage<UploadRecord>): ListUploadsPage {
  return {
    uploads: page.items,
    commonPrefixes: page.commonPrefixes,
    isTruncated: page.isTruncated,
    nextKeyMarker: page.nextKey,
    nextUploadIdMarker: page.nextId,
  };
}
