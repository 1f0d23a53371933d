/**
 * `barbucket usage --from T --to T [--bucket B] [--json] [--data-dir D | --admin URL] [--prices FILE]`:
 * billable usage per hour, totals and the bill.
 *
 * Two sources, by design:
 * - `--data-dir D` (default: $BARBUCKET_DATA_DIR or ./data) reads `D/usage.sqlite` read-only. Works
 *   while the server is down (billing after a crash) and beside a running one (WAL); it sees what
 *   the server has flushed, i.e. everything but the last flush window (BARBUCKET_USAGE_FLUSH_MS).
 *   Prices: --prices FILE, else $BARBUCKET_PRICES, else the built-in list prices.
 *   With BARBUCKET_DATABASE_URL set the servers keep usage in PostgreSQL (every node's together):
 *   the command reads that database instead, read-only, with the same meaning.
 * - `--admin URL` asks a running server's admin listener (`/usage`), which flushes first: live
 *   numbers, priced with the server's own table.
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import type { CliIO, Command } from "./main.js";
import { SqliteUsageStore } from "../metering/store.js";
import { PgUsageStore } from "../metering/pg-usage-store.js";
import type { UsageStore } from "../metering/usage-store.js";
import { validateDatabaseUrl } from "../db/pool.js";
import { loadPrices } from "../metering/prices.js";
import { buildReport, parseUsageQuery, type UsageReport } from "../metering/report.js";

export const USAGE_HELP = `usage: barbucket usage --from T --to T [--bucket B] [--json] [--data-dir D | --admin URL] [--prices FILE]

Billable usage per UTC hour (requests by class, egress, retrieval, acceleration, restores, ImageQRCodes
units, early deletion, and Storage: each hour's snapshot of the bytes stored per bucket and class, as
byte-hours billed per GB-month), totals and the bill. T is an ISO 8601 time or epoch milliseconds; hours starting in [from, to).

Options:
  --bucket B       one bucket (default: all)
  --json           the JSON the admin endpoint /usage returns, instead of tables
  --data-dir D     read D/usage.sqlite directly (default $BARBUCKET_DATA_DIR or ./data); works with the
                   server down, and misses at most the last flush window of a running server
  --admin URL      ask a running server instead, e.g. http://127.0.0.1:9002 (live numbers)
  --prices FILE    price table for a direct read (default $BARBUCKET_PRICES, else built-in list prices)
  -h, --help       this text

With BARBUCKET_DATABASE_URL set (servers on PostgreSQL), the usage of every node is read from that
database instead of a data dir (--data-dir is then refused); it too misses at most a flush window.

Exit status: 0 on success, 1 if the usage could not be read, 2 on bad usage.`;

interface UsageArgs {
  bucket?: string;
  from?: string;
  to?: string;
  json: boolean;
  dataDir?: string;
  admin?: string;
  prices?: string;
}

const VALUE_OPTIONS = { "--bucket": "bucket", "--from": "from", "--to": "to", "--data-dir": "dataDir", "--admin": "admin", "--prices": "prices" } as const;

function parse(argv: string[]): UsageArgs | { help: true } | { error: string } {
  const a: UsageArgs = { json: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "-h" || arg === "--help") return { help: true };
    if (arg === "--json") { a.json = true; continue; }
    const [name, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const field = VALUE_OPTIONS[name as keyof typeof VALUE_OPTIONS];
    if (!field) return { error: `unknown option ${arg}` };
    const value = inline ?? argv[++i];
    if (value === undefined) return { error: `${name} needs a value` };
    a[field] = value;
  }
  if (a.dataDir !== undefined && a.admin !== undefined) return { error: "use either --data-dir or --admin" };
  return a;
}

/** The flushed usage, read-only: PostgreSQL under BARBUCKET_DATABASE_URL, else the data dir's usage.sqlite. */
function openReader(dataDir: string | undefined): UsageStore {
  const url = process.env.BARBUCKET_DATABASE_URL;
  if (url) {
    if (dataDir !== undefined) throw new Error("BARBUCKET_DATABASE_URL is set: usage is in PostgreSQL, not in a data dir (unset it to read --data-dir)");
    validateDatabaseUrl(url);
    return PgUsageStore.openReader(url);
  }
  const file = join(resolve(dataDir ?? (process.env.BARBUCKET_DATA_DIR || "./data")), "usage.sqlite");
  if (!existsSync(file)) throw new Error(`no usage database at ${file} (has the server run with this data dir?)`);
  return SqliteUsageStore.openReadOnly(file);
}

async function fromAdmin(base: string, query: { bucket?: string | undefined; from: number; to: number }): Promise<UsageReport> {
  const url = new URL("/usage", base);
  if (query.bucket) url.searchParams.set("bucket", query.bucket);
  url.searchParams.set("from", String(query.from));
  url.searchParams.set("to", String(query.to));
  const res = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  const body = (await res.json()) as UsageReport | { error: string };
  if (!res.ok || "error" in body) throw new Error(`${url.origin}/usage answered ${res.status}: ${"error" in body ? body.error : ""}`);
  return body;
}

function table(rows: readonly (readonly string[])[], rightAligned: ReadonlySet<number>): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (rightAligned.has(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join("  ").trimEnd());
}

export function formatReport(report: UsageReport): string[] {
  const lines = [`Usage of ${report.bucket ?? "all buckets"}, ${report.from} .. ${report.to}`, ""];
  if (report.hours.length === 0) lines.push("(no usage in this range)");
  else lines.push(...table([["HOUR", "BUCKET", "ITEM", "DIMENSION", "QUANTITY"], ...report.hours.map((h) => [h.hour, h.bucket ?? "-", h.item, h.dimension || "-", String(h.quantity)])], new Set([4])));
  const { bill } = report;
  lines.push("", `Bill (${bill.currency}; ${bill.priceSource})`);
  lines.push(...table([
    ["ITEM", "DIMENSION", "QUANTITY", "UNIT", "UNIT PRICE", "AMOUNT"],
    ...bill.lines.map((l) => [l.item, l.dimension || "-", String(l.quantity), l.unit, String(l.unitPrice), l.amount.toFixed(9)]),
    ["TOTAL", "", "", "", "", bill.total.toFixed(9)],
  ], new Set([2, 4, 5])));
  return lines;
}

export const usageCommand: Command = {
  summary: "billable usage per hour, totals and the bill (from usage.sqlite, PostgreSQL or a running server)",
  async run(argv: string[], io: CliIO): Promise<number> {
    const args = parse(argv);
    if ("help" in args) { io.out(USAGE_HELP); return 0; }
    if ("error" in args) { io.err(`barbucket usage: ${args.error}\n\n${USAGE_HELP}`); return 2; }
    const query = parseUsageQuery(args);
    if (typeof query === "string") { io.err(`barbucket usage: ${query}`); return 2; }
    let report: UsageReport;
    try {
      if (args.admin !== undefined) {
        report = await fromAdmin(args.admin, query);
      } else {
        const store = openReader(args.dataDir);
        try {
          report = buildReport(query, await store.query(query), loadPrices(args.prices ?? (process.env.BARBUCKET_PRICES || undefined)));
        } finally {
          await store.close();
        }
      }
    } catch (error) {
      io.err(`barbucket usage: ${(error as Error).message}`);
      return 1;
    }
    if (args.json) io.out(JSON.stringify(report, null, 2));
    else for (const line of formatReport(report)) io.out(line);
    return 0;
  },
};
