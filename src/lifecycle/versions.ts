/**
 * The lifecycle job's versioning actions, over ListObjectVersions pages of a rule's prefix:
 * NoncurrentVersionExpiration removes a noncurrent version for good `NoncurrentDays` after it
 * stopped being current; NoncurrentVersionTransition moves it (in place, same id) to the coldest
 * class due; Expiration/ExpiredObjectDeleteMarker removes a delete marker that is the current and
 * only version of its key. Rules with Tag filters apply to versions carrying those tags (never to
 * delete markers, which have none).
 *
 * An action on a page's last entry waits until the next page is read: that entry is the resume
 * point (a removed version-id-marker would skip the rest of its key).
 */
import type { BlobStore, MetadataStore, VersionEntry } from "../storage/types.js";
import type { UsageMeter } from "../metering/types.js";
import { CLASS_RANK, meterEarlyDeletion } from "../objects/storage-class.js";
import { entryVersionId } from "../storage/sqlite-versions.js";
import { ruleMatches, type LifecycleRule } from "./rules.js";

const DAY_MS = 86_400_000;

export interface VersionActionDeps {
  readonly meta: MetadataStore;
  readonly blobs: BlobStore;
  readonly meter: UsageMeter;
}

export interface VersionTotals {
  noncurrentExpired: number;
  noncurrentTransitioned: number;
  deleteMarkersRemoved: number;
}

export function hasVersionActions(rule: LifecycleRule): boolean {
  return rule.noncurrentExpiration !== undefined || (rule.noncurrentTransitions?.length ?? 0) > 0 || rule.expiredObjectDeleteMarker === true;
}

const keyOf = (e: VersionEntry): string => (e.kind === "version" ? e.record.key : e.marker.key);

export async function applyVersionActions(
  deps: VersionActionDeps, bucket: string, rule: LifecycleRule, now: Date, totals: VersionTotals, pageSize: number, maxPages: number,
): Promise<void> {
  let keyMarker = "";
  let versionIdMarker = "";
  let deferred: VersionEntry | undefined;
  for (let page = 0; page < maxPages; page++) {
    const listed = await deps.meta.listObjectVersions({ bucket, prefix: rule.prefix, delimiter: "", keyMarker, versionIdMarker, maxKeys: pageSize });
    if (deferred) await act(deps, bucket, rule, deferred, now, totals);
    deferred = undefined;
    const entries = listed.entries;
    for (const [i, entry] of entries.entries()) {
      if (i === entries.length - 1 && listed.isTruncated) deferred = entry;
      else await act(deps, bucket, rule, entry, now, totals);
    }
    if (!listed.isTruncated || listed.nextKeyMarker === undefined) break;
    keyMarker = listed.nextKeyMarker;
    versionIdMarker = listed.nextVersionIdMarker ?? "";
    await new Promise((resolve) => setImmediate(resolve)); // let requests in between pages
  }
  if (deferred) await act(deps, bucket, rule, deferred, now, totals);
}

async function act(deps: VersionActionDeps, bucket: string, rule: LifecycleRule, entry: VersionEntry, now: Date, totals: VersionTotals): Promise<void> {
  const key = keyOf(entry);
  if (entry.kind === "marker") {
    if (rule.expiredObjectDeleteMarker && rule.tags === undefined && ruleMatches(rule, key) && entry.isLatest && await onlyVersion(deps.meta, bucket, key)) {
      const removed = await deps.meta.deleteObject(bucket, key, { versionId: entryVersionId(entry) });
      if (removed.deleted) totals.deleteMarkersRemoved++;
    }
    return;
  }
  if (entry.isLatest || entry.noncurrentSince === undefined || !ruleMatches(rule, key, entry.record.tags)) return;
  const age = now.getTime() - entry.noncurrentSince.getTime();
  const versionId = entryVersionId(entry);
  if (rule.noncurrentExpiration && age >= rule.noncurrentExpiration.noncurrentDays * DAY_MS) {
    const { deleted, releasedBlobs } = await deps.meta.deleteObject(bucket, key, { versionId });
    if (!deleted) return;
    totals.noncurrentExpired++;
    meterEarlyDeletion(deps.meter, entry.record, now);
    await Promise.all(releasedBlobs.map((id) => deps.blobs.delete(id).catch(() => undefined))); // leftovers are orphans for recovery
    return;
  }
  const target = (rule.noncurrentTransitions ?? [])
    .filter((t) => age >= t.noncurrentDays * DAY_MS && CLASS_RANK[t.storageClass] > CLASS_RANK[entry.record.storageClass])
    .sort((a, b) => CLASS_RANK[b.storageClass] - CLASS_RANK[a.storageClass])[0];
  if (!target) return;
  let replaced = false;
  await deps.meta.updateObjectVersion(bucket, key, versionId, (current) => {
    if (!current || current.etag !== entry.record.etag || CLASS_RANK[target.storageClass] <= CLASS_RANK[current.storageClass]) return undefined;
    replaced = true;
    const { restore: _restore, ...rest } = current;
    return { ...rest, storageClass: target.storageClass, classSince: now };
  });
  if (replaced) {
    totals.noncurrentTransitioned++;
    meterEarlyDeletion(deps.meter, entry.record, now);
  }
}

/** Whether the key has no version but its current delete marker. */
async function onlyVersion(meta: MetadataStore, bucket: string, key: string): Promise<boolean> {
  const page = await meta.listObjectVersions({ bucket, prefix: key, delimiter: "", keyMarker: "", versionIdMarker: "", maxKeys: 2 });
  return page.entries.filter((e) => keyOf(e) === key).length === 1;
}
