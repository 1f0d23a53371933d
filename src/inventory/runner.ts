/**
 * The inventory job: every interval, under the `inventory` lease (one process at a time), writes a
 * report (report.ts) for each enabled inventory configuration whose period has passed since its last
 * report — Daily 24 h, Weekly 7 days, measured on the server's Clock — or that has none yet. The time
 * of each configuration's last report is kept in the bucket setting "inventory-runs", written after
 * the report's manifest: a crash in between makes the next run write the report again (a second,
 * complete report in its own timestamp folder), never a manifest naming missing files.
 * The destination must still be a bucket of the source's owner; otherwise the report is skipped with
 * a warning (OSS refuses such configurations when they are put, but the bucket may be deleted later).
 */
import type { Logger } from "pino";
import type { Services } from "../services.js";
import type { BucketRecord } from "../storage/types.js";
import type { LeaseStore } from "../storage/leases.js";
import { LeasedJob } from "../storage/leased-job.js";
import { newReadEpoch } from "../storage/change-seq.js";
import { INVENTORY_SETTING, type InventoryConfig } from "./config.js";
import { writeInventoryReport } from "./report.js";

export const INVENTORY_RUNS_SETTING = "inventory-runs";
const LEASE = "inventory";
const LEASE_TTL_MS = 30 * 60_000;
const DAY_MS = 86_400_000;

export interface InventoryRunReport {
  readonly reports: number;
  readonly rows: number;
  readonly skipped?: boolean;
}

export class InventoryRunner {
  private readonly job: LeasedJob<InventoryRunReport>;

  constructor(
    private readonly services: Services,
    private readonly buckets: () => Promise<readonly BucketRecord[]>,
    private readonly log: Logger,
    leases?: LeaseStore,
  ) {
    this.job = new LeasedJob({
      name: LEASE, leaseTtlMs: LEASE_TTL_MS, leases, log, run: () => this.run(),
      skipped: () => ({ reports: 0, rows: 0, skipped: true }),
    });
  }

  start(intervalMs: number): void {
    this.job.start(intervalMs);
  }

  async stop(): Promise<void> {
    await this.job.stop();
  }

  runOnce(): Promise<InventoryRunReport> {
    return this.job.runOnce();
  }

  private async run(): Promise<InventoryRunReport> {
    newReadEpoch(); // configurations as other processes last wrote them
    const { meta, clock } = this.services;
    let reports = 0;
    let rows = 0;
    for (const source of await this.buckets()) {
      const stored = await meta.getBucketSetting(source.name, INVENTORY_SETTING);
      if (stored === undefined) continue;
      const configs = Object.values(JSON.parse(stored) as Record<string, InventoryConfig>).filter((c) => c.isEnabled);
      const runs = JSON.parse((await meta.getBucketSetting(source.name, INVENTORY_RUNS_SETTING)) ?? "{}") as Record<string, string>;
      for (const config of configs) {
        const now = clock.now();
        const last = runs[config.id];
        const period = config.frequency === "Weekly" ? 7 * DAY_MS : DAY_MS;
        if (last !== undefined && now.getTime() - Date.parse(last) < period) continue;
        const destination = await meta.getBucket(config.bucket);
        if (!destination || destination.owner !== source.owner) {
          this.log.warn({ bucket: source.name, inventory: config.id, destination: config.bucket }, "inventory destination bucket is gone: report skipped");
          continue;
        }
        const report = await writeInventoryReport(this.services, source, destination, config, now);
        reports++;
        rows += report.rows;
        runs[config.id] = now.toISOString();
        await meta.setBucketSetting(source.name, INVENTORY_RUNS_SETTING, JSON.stringify(runs));
        this.log.info({ bucket: source.name, inventory: config.id, manifest: report.manifestKey, rows: report.rows }, "inventory report written");
      }
    }
    return { reports, rows };
  }
}
