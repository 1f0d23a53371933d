/**
 * The access-log delivery job: every interval, under the `access-log` lease (one process at a time,
 * whichever worker or server), seals each bucket's spooled lines into a batch addressed to the
 * bucket's current log target (`<TargetPrefix><SourceBucket>YYYY-mm-DD-HH-MM-SS-<unique>`), then
 * writes every pending batch as one object (text/plain) into its target bucket and forgets it
 * (spool.ts explains why no line is delivered twice). Lines of a bucket whose logging was turned off
 * before delivery are dropped; a batch whose target bucket is gone is dropped with a warning.
 */
import type { Logger } from "pino";
import type { Services } from "../services.js";
import type { LeaseStore } from "../storage/leases.js";
import { LeasedJob } from "../storage/leased-job.js";
import { newReadEpoch } from "../storage/change-seq.js";
import { loadLogging } from "../handlers/bucket-logging.js";
import { writeObjectIfAbsent } from "../objects/internal-write.js";
import type { AccessLogSpool } from "./spool.js";
import { logObjectKey } from "./line.js";

const LEASE = "access-log";
const LEASE_TTL_MS = 10 * 60_000;
/** Lines per log object at most; more wait for the next run. */
const MAX_LINES_PER_OBJECT = 100_000;

export interface AccessLogReport {
  readonly objects: number;
  readonly lines: number;
  readonly dropped: number;
  readonly skipped?: boolean;
}

export class AccessLogWriter {
  private readonly job: LeasedJob<AccessLogReport>;

  constructor(
    private readonly services: Services,
    private readonly spool: AccessLogSpool,
    private readonly log: Logger,
    leases?: LeaseStore,
  ) {
    this.job = new LeasedJob({
      name: LEASE, leaseTtlMs: LEASE_TTL_MS, leases, log, run: () => this.run(),
      skipped: () => ({ objects: 0, lines: 0, dropped: 0, skipped: true }),
    });
  }

  /** Delivers what an earlier run left (a crash, a stop) at once, then every `intervalMs`. */
  start(intervalMs: number): void {
    this.job.start(intervalMs);
  }

  async stop(): Promise<void> {
    await this.job.stop();
  }

  /** Delivers now; a call during a run gets that run's report. */
  runOnce(): Promise<AccessLogReport> {
    return this.job.runOnce();
  }

  private async run(): Promise<AccessLogReport> {
    newReadEpoch(); // logging settings as other processes last wrote them
    await this.spool.flush(); // this process's own requests
    const { meta, clock } = this.services;
    let dropped = 0;
    for (const bucket of await this.spool.unbatchedBuckets()) {
      const target = await loadLogging(meta, bucket);
      if (!target) {
        dropped += await this.spool.dropUnbatched(bucket);
        continue;
      }
      const now = clock.now();
      await this.spool.seal(bucket, target.bucket, (unique) => logObjectKey(target.prefix, bucket, now, unique), MAX_LINES_PER_OBJECT);
    }
    let objects = 0;
    let lines = 0;
    for (const batch of await this.spool.pendingBatches()) {
      const target = await meta.getBucket(batch.targetBucket);
      if (!target) {
        this.log.warn({ batch: batch.id, target: batch.targetBucket, lines: batch.lines }, "access-log target bucket is gone: lines dropped");
        dropped += batch.lines;
        await this.spool.finish(batch);
        continue;
      }
      const outcome = await writeObjectIfAbsent(this.services, target, batch.targetKey, await this.spool.body(batch), "text/plain");
      await this.spool.finish(batch);
      if (outcome === "created") {
        objects++;
        lines += batch.lines;
      }
    }
    if (objects > 0 || dropped > 0) this.log.info({ objects, lines, dropped }, "access logs delivered");
    return { objects, lines, dropped };
  }
}
