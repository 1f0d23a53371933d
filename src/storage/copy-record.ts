/**
 * Deep copies of object records, for stores that hand out records they keep (the memory store,
 * the SQLite store's record cache): a caller may change what it was given without changing
 * what the store — or another caller — sees; and deep freezing, for the copies they keep.
 */
import type { ObjectRecord, Segment } from "./types.js";

export function copyObject(record: ObjectRecord): ObjectRecord {
  const { restore, classSince, serverSideEncryption, tags, ...rest } = record;
  return {
    ...rest,
    lastModified: new Date(record.lastModified),
    headers: { ...record.headers },
    userMeta: { ...record.userMeta },
    segments: record.segments.map(copySegment),
    ...(restore && {
      restore: {
        requestedAt: new Date(restore.requestedAt),
        readyAt: new Date(restore.readyAt),
        expiresAt: new Date(restore.expiresAt),
        tier: restore.tier,
      },
    }),
    ...(classSince && { classSince: new Date(classSince) }),
    ...(serverSideEncryption && { serverSideEncryption: { ...serverSideEncryption } }),
    ...(tags && { tags: tags.map(([k, v]): [string, string] => [k, v]) }),
  };
}

/** Encryption parameters go through JSON exactly as the SQLite store persists them. */
export function copySegment(segment: Segment): Segment {
  const copy: Segment = { blobId: segment.blobId, size: segment.size };
  return segment.encryption === undefined ? copy : { ...copy, encryption: JSON.parse(JSON.stringify(segment.encryption)) as unknown };
}

/**
 * Freezes a record with everything it holds (headers, metadata, segments and their encryption
 * parameters, tags, restore state), so a reader handed the store's own copy cannot change it:
 * an assignment throws. Dates are left as they are (freezing does not stop setTime).
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== "object" || value === null || value instanceof Date || Object.isFrozen(value)) return value;
  for (const item of Object.values(value)) deepFreeze(item);
  return Object.freeze(value);
}
