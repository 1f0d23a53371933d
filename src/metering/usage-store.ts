/**
 * Where metered usage is kept: one row per hour × bucket × item × dimension, quantities added.
 * Asynchronous (issue 19: a PostgreSQL backend's client is); the SQLite implementation is
 * `store.ts`, and every backend must pass `conformance-usage.ts`.
 */
import type { UsageItem } from "./classify.js";

export const HOUR_MS = 3_600_000;

/** Start of the UTC hour containing `ms` (every zone Alibaba bills in has whole-hour offsets from UTC). */
export function hourOf(ms: number): number {
  return Math.floor(ms / HOUR_MS) * HOUR_MS;
}

export interface UsageRow {
  readonly hour: number;
  readonly bucket: string;
  readonly item: UsageItem;
  readonly dimension: string;
  readonly quantity: number;
}

export interface UsageQuery {
  /** Omitted: every bucket. */
  readonly bucket?: string | undefined;
  /** Inclusive; rounded down to its hour. */
  readonly from: number;
  /** Exclusive: hours starting before it. */
  readonly to: number;
}

export interface UsageStore {
  /**
   * Adds every row's quantity to its (hour, bucket, item, dimension) total, all rows in one
   * transaction: all or nothing, so a failed flush can be retried without counting anything twice.
   * Concurrent adds from several processes all count.
   */
  add(rows: readonly UsageRow[]): Promise<void>;
  /**
   * Adds the rows only if `marker` was never recorded, and records it, in one transaction: true when
   * they were added. A job that may run twice for the same period (the hourly storage snapshot) adds
   * its rows once, whichever process or node runs it.
   */
  addOnce(marker: string, rows: readonly UsageRow[]): Promise<boolean>;
  /** Whether `addOnce` recorded `marker` (a cheap check before work that would be refused). */
  hasMarker(marker: string): Promise<boolean>;
  /** The rows of hours in [hourOf(from), to), of one bucket or all, ordered by hour, bucket, item, dimension. */
  query(q: UsageQuery): Promise<UsageRow[]>;
  close(): Promise<void>;
}
