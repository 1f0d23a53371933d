/**
 * The usage meter: classifies each finished request, counts it in Prometheus at once, and buffers
 * its quantities per bucket × hour × item × dimension in memory until the next flush writes them to
 * the usage store (usage.sqlite, or PostgreSQL under BARBUCKET_DATABASE_URL) in one transaction.
 *
 * Flush window (the kill -9 loss bound): a request is recorded when its response has been fully
 * written; its quantities reach the disk at the next flush, at most BARBUCKET_USAGE_FLUSH_MS
 * (default 1000 ms) later plus the flush's own commit time (a few ms; synchronous=FULL fsyncs it).
 * So after a SIGKILL or power loss, every request acknowledged more than one flush window before
 * the crash is in /usage; requests from the last window may be missing — never counted twice
 * (a flush is one all-or-nothing transaction, and the buffer is cleared only after it commits).
 * A clean stop (SIGTERM → app.stop → close) flushes everything.
 */
import { join } from "node:path";
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import type { EarlyDeletionUsage, RequestUsage, UsageMeter } from "./types.js";
import { classify, type ClassifyRules, type UsageItem } from "./classify.js";
import { DEFAULT_INTERNAL_NETWORKS, parseNetworks } from "./networks.js";
import { SqliteUsageStore } from "./store.js";
import { hourOf, type UsageQuery, type UsageRow, type UsageStore } from "./usage-store.js";
import { UsageCounters } from "./prometheus.js";
import { loadPrices, type PriceTable } from "./prices.js";
import { buildReport, type UsageReport } from "./report.js";
import type { StorageTotal } from "../storage/storage-totals.js";

export interface MeteringConfig {
  /** CIDR blocks whose peers' traffic is internal (free); undefined → DEFAULT_INTERNAL_NETWORKS. */
  readonly internalNetworks: readonly string[] | undefined;
  readonly accelerateDomains: readonly string[];
  readonly usageFlushMs: number;
  readonly pricesFile: string | undefined;
}

/** A buffered row: its quantity grows in place until the row is flushed. */
type BufferedRow = Omit<UsageRow, "quantity"> & { quantity: number };

export interface DurableUsageMeter extends UsageMeter {
  /** Hourly usage, totals and bill for a range (flushes first, so it includes the latest requests). */
  usage(query: UsageQuery): Promise<UsageReport>;
  /**
   * Records one hour's storage snapshot as Storage byte-hours (bytes × 1 h) per bucket and class, straight
   * to the store, once: false when that hour was already recorded (by this or another process or node).
   */
  recordStorage(hour: number, totals: readonly StorageTotal[]): Promise<boolean>;
  /** Whether the storage snapshot of `hour` (start of a UTC hour, epoch ms) is recorded. */
  storageRecorded(hour: number): Promise<boolean>;
  /** Writes the buffer now; rejects if the store fails (the rows are kept for the next try). */
  flush(): Promise<void>;
  readonly prices: PriceTable;
}

export interface UsageMeterOptions {
  readonly dataDir: string;
  readonly registry: Registry;
  readonly config: MeteringConfig;
  readonly log: Logger;
  /** Where flushes go (the meter closes it); default `<dataDir>/usage.sqlite`. */
  readonly store?: UsageStore;
}

/** The usage store marker of one hour's storage snapshot. */
const storageMarker = (hour: number): string => `storage:${new Date(hour).toISOString()}`;

export function createUsageMeter(options: UsageMeterOptions): DurableUsageMeter {
  const { config, log } = options;
  let internal;
  try {
    internal = parseNetworks(config.internalNetworks ?? DEFAULT_INTERNAL_NETWORKS);
  } catch (error) {
    throw new Error(`BARBUCKET_INTERNAL_NETWORKS: ${(error as Error).message}`);
  }
  const rules: ClassifyRules = { internal, accelerateDomains: config.accelerateDomains.map((d) => d.toLowerCase()) };
  const prices = loadPrices(config.pricesFile);
  const store: UsageStore = options.store ?? SqliteUsageStore.open(join(options.dataDir, "usage.sqlite"));
  const counters = new UsageCounters(options.registry);
  let buffer = new Map<string, BufferedRow>();
  let closed = false;
  /** The flush in progress (settled): flushes run one after another. */
  let flushing: Promise<void> = Promise.resolve();

  // The rows being written leave the buffer first, so requests recorded during the write go into a
  // fresh one and are neither lost nor written twice; a failed write puts its rows back.
  const writeBuffer = async (): Promise<void> => {
    if (buffer.size === 0) return;
    const taken = buffer;
    buffer = new Map();
    try {
      await store.add([...taken.values()]);
    } catch (error) {
      for (const [key, row] of taken) {
        const since = buffer.get(key);
        buffer.set(key, since ? { ...row, quantity: row.quantity + since.quantity } : row);
      }
      throw error;
    }
  };
  const flush = (): Promise<void> => {
    const next = flushing.then(writeBuffer);
    flushing = next.catch(() => undefined);
    return next;
  };
  const tick = async (): Promise<void> => {
    try {
      await flush();
    } catch (error) {
      log.error({ err: error, pending: buffer.size }, "usage flush failed; kept in memory for the next try");
    }
  };
  const timer = setInterval(() => void tick(), config.usageFlushMs);
  timer.unref();

  // Rows in `buffer` are its own (writeBuffer swaps the whole map out before writing): added to in place.
  const add = (hour: number, bucket: string, item: UsageItem, dimension: string, quantity: number): void => {
    const key = `${hour}\u0000${bucket}\u0000${item}\u0000${dimension}`;
    const prev = buffer.get(key);
    if (prev) prev.quantity += quantity;
    else buffer.set(key, { hour, bucket, item, dimension, quantity });
  };

  return {
    prices,
    recordRequest(usage: RequestUsage): void {
      if (closed) return;
      const bucket = usage.bucket ?? "";
      const hour = hourOf(usage.at.getTime());
      for (const q of classify(usage, rules)) {
        counters.add(bucket, q);
        add(hour, bucket, q.item, q.dimension, q.quantity);
      }
    },
    recordEarlyDeletion(usage: EarlyDeletionUsage): void {
      if (closed || usage.byteHours <= 0) return;
      const q = { item: "EarlyDeletion" as const, dimension: usage.storageClass, quantity: usage.byteHours };
      counters.add(usage.bucket, q);
      add(hourOf(usage.at.getTime()), usage.bucket, q.item, q.dimension, q.quantity);
    },
    async recordStorage(hour: number, totals: readonly StorageTotal[]): Promise<boolean> {
      const rows = totals.filter((t) => t.bytes > 0).map((t): UsageRow => ({ hour, bucket: t.bucket, item: "Storage", dimension: t.storageClass, quantity: t.bytes }));
      const recorded = await store.addOnce(storageMarker(hour), rows);
      if (recorded) counters.setStored(totals);
      return recorded;
    },
    storageRecorded: async (hour: number): Promise<boolean> => await store.hasMarker(storageMarker(hour)),
    flush,
    async usage(query: UsageQuery): Promise<UsageReport> {
      await tick();
      return buildReport(query, await store.query(query), prices);
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      await tick();
      await store.close();
    },
  };
}
