/**
 * The usage report shared by the admin endpoint and the CLI: hourly rows, totals per item and
 * dimension, and the bill. Also parses the `from`/`to` parameters both accept.
 */
import type { Quantity, UsageItem } from "./classify.js";
import { USAGE_ITEMS } from "./classify.js";
import { makeBill, type Bill, type PriceTable } from "./prices.js";
import type { UsageQuery, UsageRow } from "./store.js";

export interface UsageReportRow {
  /** ISO start of the UTC hour. */
  readonly hour: string;
  /** null for requests without a bucket (ListBuckets). */
  readonly bucket: string | null;
  readonly item: UsageItem;
  readonly dimension: string;
  readonly quantity: number;
}

export interface UsageReport {
  readonly bucket: string | null;
  readonly from: string;
  readonly to: string;
  readonly hours: readonly UsageReportRow[];
  readonly totals: readonly Quantity[];
  readonly bill: Bill;
}

/** ISO 8601 date/time or epoch milliseconds; undefined when it is neither. */
export function parseTime(raw: string): number | undefined {
  const text = raw.trim();
  if (/^\d{1,15}$/.test(text)) return Number(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Longest range one query may cover (about 3 years of hours), to bound the answer. */
export const MAX_RANGE_MS = 3 * 366 * 24 * 3_600_000;

/** Validates raw `bucket`/`from`/`to` into a query, or returns the message for a 400. */
export function parseUsageQuery(raw: { bucket?: string | undefined; from?: string | undefined; to?: string | undefined }): UsageQuery | string {
  if (raw.from === undefined || raw.to === undefined) return "from and to are required (ISO 8601 time or epoch milliseconds)";
  const from = parseTime(raw.from);
  if (from === undefined) return `from is not an ISO 8601 time or epoch milliseconds: ${JSON.stringify(raw.from)}`;
  const to = parseTime(raw.to);
  if (to === undefined) return `to is not an ISO 8601 time or epoch milliseconds: ${JSON.stringify(raw.to)}`;
  if (to <= from) return "to must be after from";
  if (to - from > MAX_RANGE_MS) return "the range may cover at most 3 years";
  const bucket = raw.bucket === undefined || raw.bucket === "" ? undefined : raw.bucket;
  if (bucket !== undefined && !/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(bucket)) return `not a bucket name: ${JSON.stringify(bucket)}`;
  return { bucket, from, to };
}

/** Sums rows per item and dimension, in a stable order (item order of USAGE_ITEMS, then dimension). */
export function totalsOf(rows: readonly UsageRow[]): Quantity[] {
  const sums = new Map<string, Quantity>();
  for (const r of rows) {
    const key = `${r.item}\u0000${r.dimension}`;
    const prev = sums.get(key);
    sums.set(key, { item: r.item, dimension: r.dimension, quantity: (prev?.quantity ?? 0) + r.quantity });
  }
  return [...sums.values()].sort((a, b) => USAGE_ITEMS.indexOf(a.item) - USAGE_ITEMS.indexOf(b.item) || a.dimension.localeCompare(b.dimension));
}

export function buildReport(query: UsageQuery, rows: readonly UsageRow[], prices: PriceTable): UsageReport {
  const totals = totalsOf(rows);
  return {
    bucket: query.bucket ?? null,
    from: new Date(query.from).toISOString(),
    to: new Date(query.to).toISOString(),
    hours: rows.map((r) => ({ hour: new Date(r.hour).toISOString(), bucket: r.bucket === "" ? null : r.bucket, item: r.item, dimension: r.dimension, quantity: r.quantity })),
    totals,
    bill: makeBill(totals, prices),
  };
}
