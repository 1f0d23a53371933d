/**
 * The usage page's bar charts, drawn from DescribeUsage's hourly rows: requests, outbound traffic and the bill per
 * day, and stored bytes per bucket and day. Each bar is a list item labelled for screen readers.
 */
import { formatBytes as bytes, h } from "./dom.js";

export interface UsageRow { hour: string; bucket: string | null; item: string; dimension: string; quantity: number }
export interface UsageBillLine { item: string; dimension: string; quantity: number; unit: string; unitPrice: number; amount: number }

interface Bar { readonly label: string; readonly short: string; readonly value: number; readonly series?: number }

/** Bars scaled to the largest; `series` picks one of a few colours (buckets). */
function barChart(caption: string, bars: readonly Bar[], format: (n: number) => string, emptyText: string, legend?: readonly string[]): HTMLElement {
  const max = Math.max(Number.MIN_VALUE, ...bars.map((b) => b.value));
  const figure = h("figure", { class: "chart" }, h("figcaption", {}, caption));
  if (bars.length === 0) figure.append(h("p", { class: "empty" }, emptyText));
  if (legend && legend.length > 0) {
    figure.append(h("ul", { class: "legend", "aria-label": `${caption}: buckets` }, ...legend.map((name, i) => h("li", { class: `series-${i % 6}` }, name))));
  }
  const list = h("div", { class: "bars", role: "list", "aria-label": caption });
  for (const b of bars) {
    const text = `${b.label}: ${format(b.value)}`;
    const bar = h("div", { class: `bar${b.series === undefined ? "" : ` series-${b.series % 6}`}`, role: "listitem", title: text, "aria-label": text },
      h("span", { class: "bar-value" }, format(b.value)), h("span", { class: "bar-label" }, b.short));
    bar.style.setProperty("--h", `${(b.value / max) * 100}%`);
    list.append(bar);
  }
  figure.append(list);
  return figure;
}

/** One value a day: `value` maps an hourly row to its share (0 for rows the chart does not count). */
function dailyChart(caption: string, rows: readonly UsageRow[], value: (r: UsageRow) => number, format: (n: number) => string, emptyText: string): HTMLElement {
  const perDay = new Map<string, number>();
  for (const r of rows) {
    const v = value(r);
    if (v !== 0) perDay.set(r.hour.slice(0, 10), (perDay.get(r.hour.slice(0, 10)) ?? 0) + v);
  }
  const bars = [...perDay.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([d, n]) => ({ label: d, short: d.slice(5), value: n }));
  return barChart(caption, bars, format, emptyText);
}

/**
 * Stored bytes per bucket and day: the AVERAGE of the day's hourly snapshots — the day's Storage byte-hours of the
 * bucket (every class) over the hours of that day that have a snapshot in the answer (so a day still in progress,
 * or one the server was down for part of, is not diluted by hours never measured).
 */
function storageChart(rows: readonly UsageRow[]): HTMLElement {
  const hoursOfDay = new Map<string, Set<string>>();
  const byteHours = new Map<string, number>(); // "day\0bucket"
  for (const r of rows) {
    if (r.item !== "Storage") continue;
    const d = r.hour.slice(0, 10);
    hoursOfDay.set(d, (hoursOfDay.get(d) ?? new Set()).add(r.hour));
    const key = `${d}\u0000${r.bucket ?? ""}`;
    byteHours.set(key, (byteHours.get(key) ?? 0) + r.quantity);
  }
  const buckets = [...new Set([...byteHours.keys()].map((k) => k.split("\u0000")[1]!))].sort();
  const bars = [...byteHours.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, sum]) => {
    const [d, bucket] = key.split("\u0000") as [string, string];
    return { label: `${d} ${bucket}`, short: d.slice(5), value: sum / hoursOfDay.get(d)!.size, series: buckets.indexOf(bucket) };
  });
  return barChart("Stored bytes per bucket and day (average of the day's hourly snapshots)", bars, bytes, "No storage snapshot in this range.", buckets);
}

/** The four charts: requests, outbound traffic, stored bytes, and the bill's amount per day (each hourly row priced
 * at its bill line's average price: amount / quantity of the same item and dimension over the range). */
export function usageCharts(hours: readonly UsageRow[], bill: { currency: string; lines: readonly UsageBillLine[] }): HTMLElement[] {
  const price = new Map(bill.lines.map((l) => [`${l.item}|${l.dimension}`, l.quantity > 0 ? l.amount / l.quantity : 0]));
  return [
    dailyChart("Requests per day (GET and PUT classes)", hours, (r) => (r.item === "GetRequest" || r.item === "PutRequest" ? r.quantity : 0), String, "No requests in this range."),
    dailyChart("Outbound traffic per day (internet, internal and accelerated)", hours, (r) => (r.item === "EgressBytes" || r.item === "AccelerationBytes" ? r.quantity : 0), bytes, "No traffic in this range."),
    storageChart(hours),
    dailyChart(`Bill per day (${bill.currency})`, hours, (r) => r.quantity * (price.get(`${r.item}|${r.dimension}`) ?? 0), (n) => n.toFixed(n < 0.01 ? 6 : 2), "Nothing billed in this range."),
  ];
}
