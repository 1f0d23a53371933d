/**
 * The price table and the bill. Defaults are Alibaba Cloud's public pay-as-you-go list prices for
 * cn-hangzhou in CNY as we know them (no free quota, no resource plans, no tiering, VAT-inclusive list
 * prices); override any entry with BARBUCKET_PRICES=/path/prices.json of the same shape. Sources and
 * assumptions per entry:
 * - GET/PUT requests: 0.01 CNY / 10,000 for Standard, 0.1 CNY / 10,000 for IA, Archive, ColdArchive
 *   and DeepColdArchive (OSS pricing page, API operation calling fees).
 * - Internet outbound traffic: 0.50 CNY/GB, the 08:00–24:00 rate (the 00:00–08:00 rate, 0.25, is not
 *   modelled: one flat rate is the conservative choice). Internal traffic: free, as on OSS.
 * - IA retrieval: 0.0325 CNY/GB (OSS "data processing fees", RetrievalData).
 * - Archive direct-read retrieval (RetrievalDataArchiveDirect): 0.10 CNY/GB — ASSUMPTION: OSS only
 *   says it is "high" next to restore retrieval (0.06 CNY/GB standard); set the real one in the file.
 * - Restore requests: 0 for Archive/IA/Standard (an Archive restore is billed as a PUT request, which
 *   is already counted), 3 CNY / 10,000 for ColdArchive and DeepColdArchive (Standard priority).
 * - Transfer acceleration: 0.40 CNY/GB (Chinese mainland acceleration), 1.25 CNY/GB on the overseas domain.
 * - EarlyDeletion: the class's monthly storage price per GB (IA 0.08, Archive 0.033, ColdArchive 0.015,
 *   DeepColdArchive 0.0075 CNY/GB/month, LRS list prices) for the byte-hours left of the minimum
 *   duration; a month is 30 days (720 h), as OSS prorates storage.
 * - Storage: the class's monthly storage price per GB (LRS list prices: Standard 0.12, IA 0.08, Archive 0.033,
 *   ColdArchive 0.015, DeepColdArchive 0.0075 CNY/GB/month), prorated by the hour: the hourly snapshots'
 *   byte-hours over 720 GB-hours per GB-month, as OSS bills storage hourly (GB × hours / 720 × monthly price).
 * - ImageQRCodes: 0.80 CNY / 1,000 — ASSUMPTION: IMM's international list price is 0.1132075 USD /
 *   1,000 calls (alibabacloud.com IMM billable items), converted at ~7.1 CNY/USD; no CNY figure found.
 */
import { readFileSync } from "node:fs";
import type { Quantity, UsageItem } from "./classify.js";
import { USAGE_ITEMS } from "./classify.js";

export interface Price {
  /** Human unit, e.g. "10,000 requests", "GB". */
  readonly unit: string;
  /** How many raw units (requests, bytes, calls) one priced unit holds. */
  readonly unitSize: number;
  readonly unitPrice: number;
}

export interface PriceTable {
  readonly currency: string;
  readonly source: string;
  /** Keyed `Item:dimension` (most specific) or `Item` (any dimension). */
  readonly prices: Readonly<Record<string, Price>>;
}

const GB = 1024 ** 3;
const perTenThousand = (unitPrice: number): Price => ({ unit: "10,000 requests", unitSize: 10_000, unitPrice });
const perGb = (unitPrice: number): Price => ({ unit: "GB", unitSize: GB, unitPrice });
const perGbMonth = (unitPrice: number): Price => ({ unit: "GB-month", unitSize: GB * 720, unitPrice });

export const DEFAULT_PRICES: PriceTable = {
  currency: "CNY",
  source: "Alibaba Cloud public pay-as-you-go list prices, cn-hangzhou (see src/metering/prices.ts for assumptions)",
  prices: {
    "GetRequest": perTenThousand(0.1),
    "GetRequest:Standard": perTenThousand(0.01),
    "PutRequest": perTenThousand(0.1),
    "PutRequest:Standard": perTenThousand(0.01),
    "EgressBytes:internet": perGb(0.5),
    "EgressBytes:internal": perGb(0),
    "RetrievalBytes:ia": perGb(0.0325),
    "RetrievalBytes:archive_direct_read": perGb(0.1),
    "RestoreRequest": perTenThousand(0),
    "RestoreRequest:ColdArchive": perTenThousand(3),
    "RestoreRequest:DeepColdArchive": perTenThousand(3),
    "AccelerationBytes": perGb(0.4),
    "AccelerationBytes:oss-accelerate-overseas.aliyuncs.com": perGb(1.25),
    "ImageQRCodes": { unit: "1,000 calls", unitSize: 1000, unitPrice: 0.8 },
    "EarlyDeletion:IA": perGbMonth(0.08),
    "EarlyDeletion:Archive": perGbMonth(0.033),
    "EarlyDeletion:ColdArchive": perGbMonth(0.015),
    "EarlyDeletion:DeepColdArchive": perGbMonth(0.0075),
    "Storage": perGbMonth(0.12),
    "Storage:Standard": perGbMonth(0.12),
    "Storage:IA": perGbMonth(0.08),
    "Storage:Archive": perGbMonth(0.033),
    "Storage:ColdArchive": perGbMonth(0.015),
    "Storage:DeepColdArchive": perGbMonth(0.0075),
  },
};

function validPrice(key: string, value: unknown): Price {
  const p = value as Partial<Price> | null;
  const [item] = key.split(":");
  if (!USAGE_ITEMS.includes(item as UsageItem)) throw new Error(`unknown billing item ${JSON.stringify(key)} (known: ${USAGE_ITEMS.join(", ")})`);
  if (!p || typeof p.unit !== "string" || typeof p.unitSize !== "number" || !(p.unitSize > 0) || typeof p.unitPrice !== "number" || !(p.unitPrice >= 0)) {
    throw new Error(`price ${JSON.stringify(key)} needs {unit: string, unitSize > 0, unitPrice >= 0}`);
  }
  return { unit: p.unit, unitSize: p.unitSize, unitPrice: p.unitPrice };
}

/** Defaults overlaid with the file's entries (a file may set only what differs, and its currency). */
export function loadPrices(file: string | undefined): PriceTable {
  if (!file) return DEFAULT_PRICES;
  let parsed: { currency?: unknown; source?: unknown; prices?: unknown };
  try {
    parsed = JSON.parse(readFileSync(file, "utf8")) as typeof parsed;
  } catch (error) {
    throw new Error(`BARBUCKET_PRICES: cannot read ${file}: ${(error as Error).message}`);
  }
  if (typeof parsed !== "object" || parsed === null || typeof parsed.prices !== "object" || parsed.prices === null) {
    throw new Error(`BARBUCKET_PRICES: ${file} must be {"currency"?, "source"?, "prices": {"Item[:dimension]": {unit, unitSize, unitPrice}}}`);
  }
  const prices: Record<string, Price> = { ...DEFAULT_PRICES.prices };
  for (const [key, value] of Object.entries(parsed.prices)) {
    try {
      prices[key] = validPrice(key, value);
    } catch (error) {
      throw new Error(`BARBUCKET_PRICES: ${(error as Error).message}`);
    }
  }
  return {
    currency: typeof parsed.currency === "string" ? parsed.currency : DEFAULT_PRICES.currency,
    source: typeof parsed.source === "string" ? parsed.source : file,
    prices,
  };
}

export function priceOf(table: PriceTable, item: UsageItem, dimension: string): Price | undefined {
  return table.prices[`${item}:${dimension}`] ?? table.prices[item];
}

export interface BillLine {
  readonly item: UsageItem;
  readonly dimension: string;
  readonly quantity: number;
  readonly unit: string;
  readonly unitSize: number;
  readonly unitPrice: number;
  readonly amount: number;
}

export interface Bill {
  readonly currency: string;
  readonly priceSource: string;
  readonly lines: readonly BillLine[];
  readonly total: number;
}

/** Amounts keep 9 decimals: OSS rounds the bill to the cent, but a small session would read as 0. */
const round9 = (n: number): number => Math.round(n * 1e9) / 1e9;

/** One line per item and dimension; quantities without a price are billed at 0 (and say so). */
export function makeBill(totals: readonly Quantity[], table: PriceTable): Bill {
  const lines = totals.map((t): BillLine => {
    const price = priceOf(table, t.item, t.dimension) ?? { unit: "unpriced", unitSize: 1, unitPrice: 0 };
    return { ...t, unit: price.unit, unitSize: price.unitSize, unitPrice: price.unitPrice, amount: round9((t.quantity / price.unitSize) * price.unitPrice) };
  });
  return { currency: table.currency, priceSource: table.source, lines, total: round9(lines.reduce((s, l) => s + l.amount, 0)) };
}
