/** Record factories and brute-force listing oracles shared by the metadata conformance files. */
import { randomBytes } from "node:crypto";
import type { BucketRecord, MetadataStore, ObjectRecord, PartRecord, UploadRecord } from "./types.js";

export interface MetadataStoreFixture {
  readonly store: MetadataStore;
  readonly cleanup: () => Promise<void>;
}

export const OWNER = "owner-1";

export function blobId(): string {
  return randomBytes(16).toString("hex");
}

export function bucketRecord(name: string, owner = OWNER): BucketRecord {
  return { name, owner, acl: "private", storageClass: "Standard", createdAt: new Date(1_700_000_000_123), region: "oss-cn-hangzhou" };
}

export function objectRecord(bucket: string, key: string, blobIds: readonly string[] = [blobId()]): ObjectRecord {
  return {
    bucket,
    key,
    size: blobIds.length * 10,
    etag: "0123456789ABCDEF0123456789ABCDEF",
    crc64: "11051210869376104954",
    lastModified: new Date(1_700_000_001_456),
    contentType: "text/plain; charset=utf-8",
    headers: { "cache-control": "no-cache", "content-disposition": 'attachment; filename="a b.txt"' },
    userMeta: { owner: "张三", "x-emoji": "😀" },
    acl: "default",
    storageClass: "Standard",
    type: "Normal",
    segments: blobIds.map((id) => ({ blobId: id, size: 10 })),
    owner: OWNER,
  };
}

export function uploadRecord(bucket: string, key: string, uploadId = randomBytes(16).toString("hex").toUpperCase()): UploadRecord {
  return {
    uploadId,
    bucket,
    key,
    initiated: new Date(1_700_000_002_789),
    template: { contentType: "image/png", headers: { expires: "Thu, 01 Jan 2099 00:00:00 GMT" }, userMeta: { k: "v" }, acl: "private", storageClass: "IA", owner: OWNER },
  };
}

export function partRecord(uploadId: string, partNumber: number, id = blobId()): PartRecord {
  return { uploadId, partNumber, etag: `ETAG${partNumber}`, size: 100 * partNumber, crc64: String(partNumber), lastModified: new Date(1_700_000_003_000 + partNumber), blobId: id };
}

export function byBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

export interface Entry {
  readonly key: string;
  readonly id?: string;
  readonly isPrefix: boolean;
}

/**
 * Every listing entry after the marker, computed the naive way: sort everything, roll keys up
 * into common prefixes, drop what is not strictly after the marker.
 */
export function expectedEntries(
  rows: readonly { key: string; id?: string }[],
  prefix: string,
  delimiter: string,
  marker: string,
  idMarker?: string,
): Entry[] {
  const sorted = rows
    .filter((r) => r.key.startsWith(prefix))
    .sort((a, b) => byBytes(a.key, b.key) || byBytes(a.id ?? "", b.id ?? ""));
  const entries: Entry[] = [];
  const seenPrefixes = new Set<string>();
  for (const row of sorted) {
    const at = delimiter ? row.key.indexOf(delimiter, prefix.length) : -1;
    if (at >= 0) {
      const commonPrefix = row.key.slice(0, at + delimiter.length);
      if (byBytes(commonPrefix, marker) <= 0 || seenPrefixes.has(commonPrefix)) continue;
      seenPrefixes.add(commonPrefix);
      entries.push({ key: commonPrefix, isPrefix: true });
      continue;
    }
    const order = byBytes(row.key, marker);
    if (order < 0 || (order === 0 && (idMarker === undefined || byBytes(row.id ?? "", idMarker) <= 0))) continue;
    entries.push(row.id === undefined ? { key: row.key, isPrefix: false } : { key: row.key, id: row.id, isPrefix: false });
  }
  return entries;
}

/** A few hundred keys mixing ASCII, separators, escapes-looking text, CJK, emoji and U+FFFD. */
export function generatedKeys(): string[] {
  const parts = ["a", "b", "a b", "a+b", "%2F", "é", "中文", "😀", "\uFFFD", "Z", "~", "0", ".", "-"];
  const keys = new Set<string>();
  let x = 12345;
  const next = () => {
    x = (Math.imul(x, 1103515245) + 12345) & 0x7fffffff;
    return x;
  };
  while (keys.size < 300) {
    const depth = 1 + (next() % 4);
    const segments: string[] = [];
    for (let i = 0; i < depth; i++) segments.push(parts[next() % parts.length]! + (next() % 3 === 0 ? parts[next() % parts.length]! : ""));
    let key = segments.join("/");
    if (next() % 7 === 0) key += "/"; // "directory" placeholder objects
    keys.add(key);
  }
  return [...keys];
}
