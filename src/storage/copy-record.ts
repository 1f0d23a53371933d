/**
 * Deep copies of object records, for stores that hand out records they keep (the memory store,
 * the SQLite store's record cache): a caller may change what it was given without changing
 * what the store — or another caller — sees.
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
