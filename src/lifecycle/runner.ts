/**
 * The lifecycle job: applies every bucket's Enabled rules at the Clock's "now" — transitions
 * (atomically, by updateObject, only if the object is still the one listed), expirations and
 * aborts of old multipart uploads — and records early deletion for what leaves its class early.
 *
 * Rules are evaluated from state ("is this due now?"), not from a schedule, so the first run after
 * start-up catches up on everything that fell due while the server was down. Runs never overlap.
 */
import type { Logger } from "pino";
import type { Clock } from "../clock.js";
import type { UsageMeter } from "../metering/types.js";
import type { BlobStore, BucketRecord, MetadataStore, ObjectRecord } from "../storage/types.js";
import { CLASS_RANK, meterEarlyDeletion } from "../objects/storage-class.js";
import type { LeaseStore } from "../storage/leases.js";
import { LeasedJob } from "../storage/leased-job.js";
import { newReadEpoch } from "../storage/change-seq.js";
import { LIFECYCLE_SETTING, isDue, ruleMatches, type LifecycleRule } from "./rules.js";
import { applyVersionActions, hasVersionActions } from "./versions.js";

export interface LifecycleDeps {
  readonly meta: MetadataStore;
  readonly blobs: BlobStore;
  readonly clock: Clock;
  readonly meter: UsageMeter;
  readonly log: Logger;
  /** The buckets to visit (the installation's account's buckets). */
  readonly buckets: () => Promise<readonly BucketRecord[]>;
  /** Objects / uploads read per listing page. */
  readonly pageSize?: number;
  /** When given, a run happens only under the `lifecycle` lease: never two at once, whichever process or server. */
  readonly leases?: LeaseStore;
}

/** A run holds the lease at most this long; a holder that dies frees it then. */
const LEASE_TTL_MS = 15 * 60_000;

export interface LifecycleReport {
  readonly at: string;
  readonly buckets: number;
  readonly transitioned: number;
  readonly expired: number;
  readonly abortedUploads: number;
  readonly noncurrentExpired: number;
  readonly noncurrentTransitioned: number;
  readonly deleteMarkersRemoved: number;
  readonly errors: number;
  /** True when another process held the lease, so this one did nothing. */
  readonly skipped?: boolean;
}

/** Upper bound on pages per rule and run (1000 × pageSize objects); the next run continues. */
const MAX_PAGES = 1000;

export async function loadRules(meta: MetadataStore, bucket: string): Promise<LifecycleRule[]> {
  const stored = await meta.getBucketSetting(bucket, LIFECYCLE_SETTING);
  return stored === undefined ? [] : (JSON.parse(stored) as LifecycleRule[]);
}

export class LifecycleRunner {
  private readonly job: LeasedJob<LifecycleReport>;

  constructor(private readonly deps: LifecycleDeps) {
    this.job = new LeasedJob({
      name: "lifecycle", leaseTtlMs: LEASE_TTL_MS, leases: deps.leases, log: deps.log, run: () => this.run(),
      // another process holds the lease: an empty report marked `skipped`
      skipped: async () => {
        const holder = await deps.leases?.holder("lifecycle");
        deps.log.info({ holder: holder?.owner }, "lifecycle run skipped: another process holds the lease");
        return { at: deps.clock.now().toISOString(), buckets: 0, transitioned: 0, expired: 0, abortedUploads: 0, noncurrentExpired: 0, noncurrentTransitioned: 0, deleteMarkersRemoved: 0, errors: 0, skipped: true };
      },
    });
  }

  /** Catches up at once, then runs every `intervalMs`. */
  start(intervalMs: number): void {
    this.job.start(intervalMs);
  }

  /** Stops the timer and waits for a run in progress. */
  async stop(): Promise<void> {
    await this.job.stop();
  }

  /** Runs now; a call during a run gets that run's report. */
  runOnce(): Promise<LifecycleReport> {
    return this.job.runOnce();
  }

  private async run(): Promise<LifecycleReport> {
    newReadEpoch(); // rules (bucket settings) as other processes last wrote them
    const now = this.deps.clock.now();
    const totals = { buckets: 0, transitioned: 0, expired: 0, abortedUploads: 0, noncurrentExpired: 0, noncurrentTransitioned: 0, deleteMarkersRemoved: 0, errors: 0 };
    for (const bucket of await this.deps.buckets()) {
      const rules = (await loadRules(this.deps.meta, bucket.name)).filter((r) => r.status === "Enabled");
      if (rules.length === 0) continue;
      totals.buckets++;
      for (const rule of rules) {
        try {
          if (rule.transitions.length > 0 || rule.expiration) await this.applyToObjects(bucket.name, rule, now, totals);
          if (rule.abortMultipartUpload) await this.abortUploads(bucket.name, rule, now, totals);
          if (hasVersionActions(rule)) await applyVersionActions(this.deps, bucket.name, rule, now, totals, this.deps.pageSize ?? 1000, MAX_PAGES);
        } catch (err) {
          totals.errors++;
          this.deps.log.error({ err, bucket: bucket.name, rule: rule.id }, "lifecycle rule failed");
        }
      }
    }
    const report = { at: now.toISOString(), ...totals };
    this.deps.log.info(report, "lifecycle run");
    return report;
  }

  private async applyToObjects(bucket: string, rule: LifecycleRule, now: Date, totals: { transitioned: number; expired: number }): Promise<void> {
    const { meta } = this.deps;
    let after = "";
    for (let page = 0; page < MAX_PAGES; page++) {
      const listed = await meta.listObjects({ bucket, prefix: rule.prefix, delimiter: "", after, maxKeys: this.deps.pageSize ?? 1000 });
      for (const object of listed.objects) {
        if (!ruleMatches(rule, object.key, object.tags)) continue;
        if (rule.expiration && isDue(rule.expiration, object.lastModified, now)) {
          if (await this.expire(object, now)) totals.expired++;
        } else if (await this.transition(object, rule, now)) {
          totals.transitioned++;
        }
      }
      if (!listed.isTruncated || listed.nextMarker === undefined) return;
      after = listed.nextMarker;
      await new Promise((resolve) => setImmediate(resolve)); // let requests in between pages
    }
  }

  /** Moves the object to the coldest class whose transition is due, if colder than its own. */
  private async transition(listed: ObjectRecord, rule: LifecycleRule, now: Date): Promise<boolean> {
    const target = rule.transitions
      .filter((t) => isDue(t, listed.lastModified, now) && CLASS_RANK[t.storageClass] > CLASS_RANK[listed.storageClass])
      .sort((a, b) => CLASS_RANK[b.storageClass] - CLASS_RANK[a.storageClass])[0];
    if (!target) return false;
    let replaced: ObjectRecord | undefined;
    await this.deps.meta.updateObject(listed.bucket, listed.key, (current) => {
      if (!current || !sameVersion(current, listed) || CLASS_RANK[target.storageClass] <= CLASS_RANK[current.storageClass]) return undefined;
      replaced = current;
      // A restored copy belongs to the old class; the object starts its new class now.
      const { restore: _restore, ...rest } = current;
      return { ...rest, storageClass: target.storageClass, classSince: now };
    });
    meterEarlyDeletion(this.deps.meter, replaced, now);
    return replaced !== undefined;
  }

  private async expire(listed: ObjectRecord, now: Date): Promise<boolean> {
    const { meta, blobs } = this.deps;
    // Only the version that was listed: an object rewritten since is not old any more. Checked in
    // the delete's own transaction (a write between a separate read and the delete would be lost).
    const seen: { current?: ObjectRecord } = {};
    const onlyIf = (found: ObjectRecord | undefined): boolean => {
      if (found === undefined || !sameVersion(found, listed)) return false;
      seen.current = found;
      return true;
    };
    // In a versioned bucket this writes a delete marker and the bytes stay (no early deletion).
    const { deleted, releasedBlobs, deleteMarker } = await meta.deleteObject(listed.bucket, listed.key, { now, onlyIf });
    if (!deleted || seen.current === undefined) return false;
    if (!deleteMarker) meterEarlyDeletion(this.deps.meter, seen.current, now);
    await Promise.all(releasedBlobs.map((id) => blobs.delete(id).catch(() => undefined))); // leftovers are orphans for recovery
    return true;
  }

  private async abortUploads(bucket: string, rule: LifecycleRule, now: Date, totals: { abortedUploads: number }): Promise<void> {
    const { meta, blobs } = this.deps;
    let keyMarker = "";
    let uploadIdMarker = "";
    for (let page = 0; page < MAX_PAGES; page++) {
      const listed = await meta.listUploads({ bucket, prefix: rule.prefix, delimiter: "", keyMarker, uploadIdMarker, maxUploads: this.deps.pageSize ?? 1000 });
      for (const upload of listed.uploads) {
        if (!ruleMatches(rule, upload.key) || !isDue(rule.abortMultipartUpload!, upload.initiated, now)) continue;
        const { found, releasedBlobs } = await meta.abortUpload(upload.uploadId);
        if (!found) continue;
        totals.abortedUploads++;
        await Promise.all(releasedBlobs.map((id) => blobs.delete(id).catch(() => undefined)));
      }
      if (!listed.isTruncated || listed.nextKeyMarker === undefined) return;
      keyMarker = listed.nextKeyMarker;
      uploadIdMarker = listed.nextUploadIdMarker ?? "";
    }
  }
}

function sameVersion(a: ObjectRecord, b: ObjectRecord): boolean {
  return a.etag === b.etag && a.lastModified.getTime() === b.lastModified.getTime();
}
