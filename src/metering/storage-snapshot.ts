/**
 * The hourly storage snapshot: how storage gets into the bill. Every interval (BARBUCKET_STORAGE_USAGE_INTERVAL_MS,
 * default 5 min), under the `storage-usage` lease (one process of one node at a time), the job looks at the current
 * UTC hour of the server's Clock; if its snapshot is not recorded yet, it sums the stored bytes per bucket and class
 * from the metadata store (MetadataStore.storageTotals: current objects, noncurrent versions, parts of uploads in
 * progress) and records them as that hour's Storage byte-hours (bytes × 1 h), together with the hour's marker, in one
 * usage-store transaction (UsageStore.addOnce). So each hour is recorded at most once whatever runs it — a second
 * run, a second process, a second node — and the check before summing keeps the other runs of the hour cheap.
 * The snapshot is taken at the first run in the hour (within one interval of its start); hours in which no
 * process of the server ran are not recorded, so not billed.
 */
import type { Logger } from "pino";
import type { Clock } from "../clock.js";
import type { LeaseStore } from "../storage/leases.js";
import { LeasedJob } from "../storage/leased-job.js";
import type { StorageTotal } from "../storage/storage-totals.js";
import { hourOf } from "./usage-store.js";

const LEASE = "storage-usage";
const LEASE_TTL_MS = 10 * 60_000;

export interface StorageSnapshotReport {
  /** ISO start of the hour looked at. */
  readonly hour: string;
  /** This run recorded the hour (false: it was recorded before, or another process holds the lease). */
  readonly recorded: boolean;
  /** Bytes stored over all buckets and classes, when this run recorded them. */
  readonly bytes?: number;
  readonly skipped?: boolean;
}

export interface StorageSnapshotDeps {
  readonly meta: { storageTotals(): Promise<StorageTotal[]> };
  readonly meter: {
    recordStorage(hour: number, totals: readonly StorageTotal[]): Promise<boolean>;
    storageRecorded(hour: number): Promise<boolean>;
  };
  readonly clock: Clock;
  readonly log: Logger;
  readonly leases?: LeaseStore | undefined;
}

/** The job (start / stop / runOnce of a LeasedJob); admin `POST /storage-usage/run` calls runOnce. */
export function storageSnapshotJob(deps: StorageSnapshotDeps): LeasedJob<StorageSnapshotReport> {
  return new LeasedJob({
    name: LEASE, leaseTtlMs: LEASE_TTL_MS, leases: deps.leases, log: deps.log, run: () => snapshot(deps),
    skipped: () => ({ hour: new Date(hourOf(deps.clock.now().getTime())).toISOString(), recorded: false, skipped: true }),
  });
}

async function snapshot({ meta, meter, clock, log }: StorageSnapshotDeps): Promise<StorageSnapshotReport> {
  const hour = hourOf(clock.now().getTime());
  const iso = new Date(hour).toISOString();
  if (await meter.storageRecorded(hour)) return { hour: iso, recorded: false };
  const totals = await meta.storageTotals();
  const bytes = totals.reduce((sum, t) => sum + t.bytes, 0);
  if (!(await meter.recordStorage(hour, totals))) return { hour: iso, recorded: false };
  log.info({ hour: iso, buckets: new Set(totals.map((t) => t.bucket)).size, bytes }, "storage snapshot recorded");
  return { hour: iso, recorded: true, bytes };
}
