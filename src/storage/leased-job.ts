/**
 * A background job that runs once across processes: at start and then every interval, never two runs at once in
 * this process (a call during a run gets that run's result), and — given a LeaseStore — only in the process that
 * holds the job's lease (elsewhere the run answers `skipped()`). Lifecycle, access-log delivery and inventory
 * reports are such jobs.
 */
import type { Logger } from "pino";
import { newLeaseOwner, type LeaseStore } from "./leases.js";

export interface LeasedJobSpec<R> {
  /** The lease's name, and the job's in log lines. */
  readonly name: string;
  /** A run holds the lease at most this long; a holder that dies frees it then. */
  readonly leaseTtlMs: number;
  readonly leases: LeaseStore | undefined;
  readonly log: Logger;
  readonly run: () => Promise<R>;
  /** The result of a run another process's lease prevented. */
  readonly skipped: () => R | Promise<R>;
}

export class LeasedJob<R> {
  private readonly owner = newLeaseOwner();
  private running: Promise<R> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly spec: LeasedJobSpec<R>) {}

  /** Runs at once (catching up on what an earlier run, a crash or a stop left), then every `intervalMs`. */
  start(intervalMs: number): void {
    const tick = (): void => {
      this.runOnce().catch((err: unknown) => this.spec.log.error({ err }, `${this.spec.name} run failed`));
    };
    setImmediate(tick);
    this.timer = setInterval(tick, intervalMs);
    this.timer.unref();
  }

  /** Stops the timer and waits for a run in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  /** Runs now; a call during a run gets that run's result. */
  runOnce(): Promise<R> {
    this.running ??= this.leased().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async leased(): Promise<R> {
    const { leases, name, leaseTtlMs, run } = this.spec;
    if (!leases) return await run();
    if (!(await leases.acquire(name, this.owner, leaseTtlMs))) return await this.spec.skipped();
    try {
      return await run();
    } finally {
      await leases.release(name, this.owner);
    }
  }
}
