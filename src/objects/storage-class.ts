/**
 * Storage-class rules shared by GET, HEAD, image/codes, RestoreObject, lifecycle and billing:
 * which classes are archived, restore phases and the x-oss-restore header, archive direct read,
 * and minimum storage durations (early deletion). Every "now" comes from the caller's Clock.
 */
import { OssError } from "../errors/oss-error.js";
import type { MetadataStore, ObjectRecord, StorageClass } from "../storage/types.js";
import type { UsageMeter } from "../metering/types.js";

export const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** Coldness order: lifecycle transitions may only move an object to a higher rank. */
export const CLASS_RANK: Readonly<Record<StorageClass, number>> = { Standard: 0, IA: 1, Archive: 2, ColdArchive: 3, DeepColdArchive: 4 };

/** Minimum storage durations in days (oss-api.md §8; DeepColdArchive as ColdArchive). */
export const MIN_STORAGE_DAYS: Readonly<Record<StorageClass, number>> = { Standard: 0, IA: 30, Archive: 60, ColdArchive: 180, DeepColdArchive: 180 };

/** IA and the archive classes bill at least 64 KB per object. */
export const MIN_BILLABLE_BYTES = 64 * 1024;

/** Bucket setting names (MetadataStore.getBucketSetting). */
export const ARCHIVE_DIRECT_READ_SETTING = "archiveDirectRead";

export function isArchiveClass(storageClass: StorageClass): boolean {
  return CLASS_RANK[storageClass] >= CLASS_RANK.Archive;
}

export type RestorePhase = "archived" | "ongoing" | "restored";

/** Where an archive-class object stands at `now`: a lapsed restore is archived again. */
export function restorePhase(object: ObjectRecord, now: Date): RestorePhase {
  const restore = object.restore;
  if (!restore || !isArchiveClass(object.storageClass)) return "archived";
  if (now.getTime() < restore.readyAt.getTime()) return "ongoing";
  if (now.getTime() < restore.expiresAt.getTime()) return "restored";
  return "archived";
}

/** The x-oss-restore header OSS sends on GET/HEAD while a restore is ongoing or its copy readable. */
export function restoreHeader(object: ObjectRecord, now: Date): string | undefined {
  const phase = restorePhase(object, now);
  if (phase === "ongoing") return 'ongoing-request="true"';
  if (phase === "restored") return `ongoing-request="false", expiry-date="${object.restore!.expiresAt.toUTCString()}"`;
  return undefined;
}

export async function archiveDirectReadEnabled(meta: MetadataStore, bucket: string): Promise<boolean> {
  return await meta.getBucketSetting(bucket, ARCHIVE_DIRECT_READ_SETTING) === "true";
}

/**
 * Whether the object's bytes may be read now: "normal", "direct-read" (an unrestored Archive
 * object in a bucket with archive direct read; billed as direct-read retrieval), or "archived"
 * (must be restored first). ColdArchive/DeepColdArchive always need a restore.
 */
export async function readAccess(meta: MetadataStore, object: ObjectRecord, now: Date): Promise<"normal" | "direct-read" | "archived"> {
  if (!isArchiveClass(object.storageClass) || restorePhase(object, now) === "restored") return "normal";
  if (object.storageClass === "Archive" && await archiveDirectReadEnabled(meta, object.bucket)) return "direct-read";
  return "archived";
}

/** readAccess for GetObject: "archived" is 403 InvalidObjectState. */
export async function checkReadable(meta: MetadataStore, object: ObjectRecord, now: Date): Promise<"normal" | "direct-read"> {
  const access = await readAccess(meta, object, now);
  if (access === "archived") throw new OssError("InvalidObjectState", "The operation is not valid for the object's state", { extra: { Key: object.key } });
  return access;
}

export interface EarlyDeletion {
  readonly storageClass: StorageClass;
  /** Billable size (at least 64 KB) × hours left of the minimum duration, rounded up. */
  readonly byteHours: number;
}

/** What removing (deleting, overwriting, transitioning) `object` at `now` owes for its class's minimum. */
export function earlyDeletion(object: ObjectRecord, now: Date): EarlyDeletion | undefined {
  const minDays = MIN_STORAGE_DAYS[object.storageClass];
  if (minDays === 0) return undefined;
  const since = (object.classSince ?? object.lastModified).getTime();
  const remainingMs = since + minDays * DAY_MS - now.getTime();
  if (remainingMs <= 0) return undefined;
  return { storageClass: object.storageClass, byteHours: Math.max(object.size, MIN_BILLABLE_BYTES) * Math.ceil(remainingMs / HOUR_MS) };
}

/** Records the early-deletion quantity for a record that is going away, if it owes one. */
export function meterEarlyDeletion(meter: UsageMeter, object: ObjectRecord | undefined, now: Date): void {
  const owed = object && earlyDeletion(object, now);
  if (owed) meter.recordEarlyDeletion({ at: now, bucket: object.bucket, ...owed });
}
