/** Splitting the raw request line and headers into the decoded forms the router and auth use. */
import type { IncomingHttpHeaders } from "node:http";
import { OssError } from "../errors/oss-error.js";

export interface ParsedUrl {
  readonly rawPath: string;
  /** Decoded pairs in wire order; `+` is a space; a key without `=` has value "". */
  readonly queryList: ReadonlyArray<readonly [string, string]>;
  /** First value wins for repeated keys (as OSS does). */
  readonly query: ReadonlyMap<string, string>;
}

function decodeQueryComponent(text: string): string {
  if (!text.includes("%") && !text.includes("+")) return text; // nothing to decode (most names and many values)
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    throw new OssError("InvalidArgument", "The query string is not validly percent-encoded.");
  }
}

export function parseUrl(url: string): ParsedUrl {
  const q = url.indexOf("?");
  const rawPath = q < 0 ? url : url.slice(0, q);
  const rawQuery = q < 0 ? "" : url.slice(q + 1);
  const queryList: Array<readonly [string, string]> = [];
  const query = new Map<string, string>();
  for (let start = 0; start < rawQuery.length; ) {
    let end = rawQuery.indexOf("&", start);
    if (end < 0) end = rawQuery.length;
    if (end > start) {
      const eq = rawQuery.indexOf("=", start);
      const key = decodeQueryComponent(rawQuery.slice(start, eq < 0 || eq > end ? end : eq));
      const value = eq < 0 || eq > end ? "" : decodeQueryComponent(rawQuery.slice(eq + 1, end));
      queryList.push([key, value]);
      if (!query.has(key)) query.set(key, value);
    }
    start = end + 1;
  }
  return { rawPath, queryList, query };
}

/** Lower-cased names; repeated headers joined with "," (node already lower-cases). */
export function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name] = Array.isArray(value) ? value.join(",") : value;
  }
  return out;
}
