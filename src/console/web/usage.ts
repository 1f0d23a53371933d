/**
 * Usage and the bill (RPC DescribeUsage, authorized as oss:GetBucketStat): requests, outbound traffic, stored bytes
 * (per bucket) and the bill per day as bar charts (usage-charts.ts), totals per item and the priced bill, for all buckets or one, over a date range.
 */
import { rpc } from "./api.js";
import { field, h, replace, showError, statusLine } from "./dom.js";
import { usageCharts, type UsageBillLine, type UsageRow } from "./usage-charts.js";

interface Report { hours: UsageRow[]; totals: { item: string; dimension: string; quantity: number }[]; bill: { currency: string; lines: UsageBillLine[]; total: number } }

const day = (d: Date): string => d.toISOString().slice(0, 10);

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
      ...usageCharts(report.hours, report.bill),
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
