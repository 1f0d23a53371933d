/**
 * `GET /usage?bucket=&from=&to=` on the admin listener: hourly usage per item, totals and the bill,
 * as JSON. `from`/`to` are ISO 8601 times or epoch ms; `bucket` is optional (all buckets). Bad
 * parameters get a 400 `{error}`.
 */
import type { ServerResponse } from "node:http";
import type { UsageQuery } from "../metering/store.js";
import type { UsageReport } from "../metering/report.js";
import { parseUsageQuery } from "../metering/report.js";

export interface UsageSource {
  /** A promise when other processes must flush their buffered usage first (the primary). */
  usage(query: UsageQuery): UsageReport | Promise<UsageReport>;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

export function serveUsage(rawUrl: string, source: UsageSource, res: ServerResponse): void {
  const params = new URL(rawUrl, "http://admin").searchParams;
  const unknown = [...params.keys()].filter((k) => k !== "bucket" && k !== "from" && k !== "to");
  if (unknown.length > 0) return sendJson(res, 400, { error: `unknown parameter ${unknown[0]} (use bucket, from, to)` });
  const query = parseUsageQuery({ bucket: params.get("bucket") ?? undefined, from: params.get("from") ?? undefined, to: params.get("to") ?? undefined });
  if (typeof query === "string") return sendJson(res, 400, { error: query });
  const failed = (error: unknown): void => sendJson(res, 500, { error: `usage query failed: ${(error as Error).message}` });
  try {
    Promise.resolve(source.usage(query)).then((report) => sendJson(res, 200, report), failed);
  } catch (error) {
    failed(error);
  }
}
