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
  const loaders: (() => T)[] = [];
  const commonPrefixes: string[] = [];
  const marker = utf8(spec.afterKey);
  // Records are loaded after scanning: a SQLite source may not run other statements mid-iteration.
  const done = (isTruncated: boolean, nextKey?: string, nextId?: string): CollectedPage<T> => ({
    items: loaders.map((load) => load()),
    commonPrefixes,
    isTruncated,
    nextKey: isTruncated ? nextKey : undefined,
    nextId: isTruncated ? nextId : undefined,
  });
  if (spec.maxKeys <= 0) return done(false);

  let cursor: ListCursor = spec.afterId ? { afterKey: marker, afterId: spec.afterId } : { afterKey: marker };
  let count = 0;
  let lastKey: string | undefined;
  let lastId: string | undefined;

  // `done` runs loaders (more SQL), so it is only called once the row iterator is closed.
  for (;;) {
    const limit = Math.min(spec.maxKeys - count + 1, MAX_BATCH);
    let consumed = 0;
    let jumped = false;
    let truncated = false;
    for (const row of fetch(cursor, limit)) {
      consumed++;
      const commonPrefix = commonPrefixOf(row.key, spec.prefix, spec.delimiter);
      if (commonPrefix !== undefined) {
        // Abandon the rest of this batch (probably more keys under the same prefix) and seek past it.
        cursor = { afterKey: pastPrefix(commonPrefix) };
        jumped = true;
        if (Buffer.compare(utf8(commonPrefix), marker) <= 0) break;
        if (count === spec.maxKeys) {
          truncated = true;
          break;
        }
        commonPrefixes.push(commonPrefix);
        lastKey = commonPrefix;
        lastId = undefined;
        count++;
        break;
      }
      if (count === spec.maxKeys) {
        truncated = true;
        break;
      }
      cursor = row.id === undefined ? { afterKey: utf8(row.key) } : { afterKey: utf8(row.key), afterId: row.id };
      loaders.push(row.load);
      lastKey = row.key;
      lastId = row.id;
      count++;
    }
    if (truncated) return done(true, lastKey, lastId);
    if (!jumped && consumed < limit) return done(false);
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
  const page = collectPage({ prefix: query.prefix, delimiter: query.delimiter, afterKey: query.after, maxKeys: query.maxKeys }, fetch);
  return { objects: page.items, commonPrefixes: page.commonPrefixes, isTruncated: page.isTruncated, nextMarker: page.nextKey };
}

/** ListMultipartUploads over any FetchRows source (key-marker + upload-id-marker semantics). */
export function listUploadsPage(query: ListUploadsQuery, fetch: FetchRows<UploadRecord>): ListUploadsPage {
  const spec = { prefix: query.prefix, delimiter: query.delimiter, afterKey: query.keyMarker, maxKeys: query.maxUploads };
  const page = collectPage(query.uploadIdMarker ? { ...spec, afterId: query.uploadIdMarker } : spec, fetch);
  return {
    uploads: page.items,
    commonPrefixes: page.commonPrefixes,
    isTruncated: page.isTruncated,
    nextKeyMarker: page.nextKey,
    nextUploadIdMarker: page.nextId,
  };
}
