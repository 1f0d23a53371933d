/**
 * Usage and the bill (RPC DescribeUsage, authorized as oss:GetBucketStat): requests, outbound traffic and the
 * bill per day as bar charts, totals per item and the priced bill, for all buckets or one, over a date range.
 */
import { rpc } from "./api.js";
import { field, h, replace, showError, statusLine } from "./dom.js";

interface Row { hour: string; bucket: string | null; item: string; dimension: string; quantity: number }
interface BillLine { item: string; dimension: string; quantity: number; unit: string; unitPrice: number; amount: number }
interface Report { hours: Row[]; totals: { item: string; dimension: string; quantity: number }[]; bill: { currency: string; lines: BillLine[]; total: number } }

const day = (d: Date): string => d.toISOString().slice(0, 10);

/** One value a day, as bars: `value` maps an hourly row to its share (0 for rows the chart does not count). */
function dailyChart(caption: string, rows: readonly Row[], value: (r: Row) => number, format: (n: number) => string, emptyText: string): HTMLElement {
  const perDay = new Map<string, number>();
  for (const r of rows) {
    const v = value(r);
    if (v !== 0) perDay.set(r.hour.slice(0, 10), (perDay.get(r.hour.slice(0, 10)) ?? 0) + v);
  }
  const days = [...perDay.entries()].sort(([a], [b]) => a.localeCompare(b));
  const max = Math.max(Number.MIN_VALUE, ...days.map(([, n]) => n));
  const figure = h("figure", { class: "chart" }, h("figcaption", {}, caption));
  if (days.length === 0) figure.append(h("p", { class: "empty" }, emptyText));
  const bars = h("div", { class: "bars", role: "list", "aria-label": caption });
  for (const [d, n] of days) {
    const text = `${d}: ${format(n)}`;
    const bar = h("div", { class: "bar", role: "listitem", title: text, "aria-label": text }, h("span", { class: "bar-value" }, format(n)), h("span", { class: "bar-label" }, d.slice(5)));
    bar.style.setProperty("--h", `${(n / max) * 100}%`);
    bars.append(bar);
  }
  figure.append(bars);
  return figure;
}

function bytes(n: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return `${n < 10 && i > 0 ? n.toFixed(1) : Math.round(n)} ${units[i]}`;
}

/** The three charts: requests, outbound traffic, and the bill's amount per day (each hourly row priced at its bill
 * line's average price: amount / quantity of the same item and dimension over the range). */
function charts(report: Report): HTMLElement[] {
  const price = new Map(report.bill.lines.map((l) => [`${l.item}|${l.dimension}`, l.quantity > 0 ? l.amount / l.quantity : 0]));
  return [
    dailyChart("Requests per day (GET and PUT classes)", report.hours, (r) => (r.item === "GetRequest" || r.item === "PutRequest" ? r.quantity : 0), String, "No requests in this range."),
    dailyChart("Outbound traffic per day (internet, internal and accelerated)", report.hours, (r) => (r.item === "EgressBytes" || r.item === "AccelerationBytes" ? r.quantity : 0), bytes, "No traffic in this range."),
    dailyChart(`Bill per day (${report.bill.currency})`, report.hours, (r) => r.quantity * (price.get(`${r.item}|${r.dimension}`) ?? 0), (n) => n.toFixed(n < 0.01 ? 6 : 2), "Nothing billed in this range."),
  ];
}

function table(head: string[], rows: (string | number)[][]): HTMLElement {
  return h("div", { class: "table-wrap" }, h("table", {}, h("thead", {}, h("tr", {}, ...head.map((c) => h("th", { scope: "col" }, c)))), h("tbody", {}, ...rows.map((r) => h("tr", {}, ...r.map((c) => h("td", { class: typeof c === "number" ? "num" : "" }, String(c))))))));
}

export async function renderUsage(main: HTMLElement): Promise<void> {
  const now = new Date();
  const from = h("input", { type: "date", name: "from", value: day(new Date(now.getTime() - 30 * 86_400_000)) });
  const to = h("input", { type: "date", name: "to", value: day(new Date(now.getTime() + 86_400_000)) });
  const bucket = h("input", { name: "bucket", placeholder: "all buckets", spellcheck: "false" });
  const status = statusLine();
  const out = h("div");
  const form = h("form", { class: "inline-form", "aria-label": "Usage range" }, field("From", from), field("To", to), field("Bucket", bucket), h("button", { type: "submit" }, "Show"));

  async function load(): Promise<void> {
    status.textContent = "Loading…";
    const answer = await rpc<{ Usage: Report }>("DescribeUsage", { From: `${from.value}T00:00:00Z`, To: `${to.value}T00:00:00Z`, ...(bucket.value.trim() ? { Bucket: bucket.value.trim() } : {}) });
    const report = answer.Usage;
    status.textContent = "";
    replace(
      out,
      ...charts(report),
      h("h2", {}, "Totals"),
      table(["Item", "Dimension", "Quantity"], report.totals.map((t) => [t.item, t.dimension || "—", t.quantity])),
      h("h2", {}, `Bill (${report.bill.currency})`),
      table(["Item", "Dimension", "Quantity", "Unit", "Unit price", "Amount"], report.bill.lines.map((l) => [l.item, l.dimension || "—", l.quantity, l.unit, l.unitPrice, l.amount.toFixed(6)])),
      h("p", { class: "total" }, `Total: ${report.bill.total.toFixed(6)} ${report.bill.currency}`),
    );
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    load().catch((error: unknown) => showError(status, error));
  });
  replace(main, h("h1", {}, "Usage"), h("p", { class: "hint" }, "Needs the RAM action oss:GetBucketStat on the bucket (or on all buckets)."), form, status, out);
  await load().catch((error: unknown) => showError(status, error));
}
