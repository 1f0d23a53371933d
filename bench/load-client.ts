/**
 * bench:load's client side: V4 header signing with the server's own helpers (src/auth/v4.ts), one
 * bounded HTTP request, and the server's process tree read from /proc (RSS, CPU).
 */
import http from "node:http";
import { readdirSync, readFileSync } from "node:fs";
import { UNSIGNED_PAYLOAD, V4_ALGORITHM, V4_TERMINATOR, buildV4CanonicalRequest, buildV4StringToSign, signV4, type V4Scope } from "../src/auth/v4.js";

export interface Credentials { readonly keyId: string; readonly secret: string; readonly region: string }

export interface Request {
  readonly method: "GET" | "PUT" | "POST" | "DELETE";
  readonly bucket: string;
  readonly key: string;
  /** Decoded query parameters (a subresource without value: ["uploads", ""]). */
  readonly query?: ReadonlyArray<readonly [string, string]>;
  readonly body?: Buffer;
  readonly contentType?: string;
}

export interface Response { readonly status: number; readonly bytes: number; readonly body: Buffer | undefined; readonly headers: http.IncomingHttpHeaders }

/** Headers of a V4-signed request (Authorization header form, unsigned payload). */
export function signedHeaders(creds: Credentials, request: Request, now = new Date()): Record<string, string> {
  const datetime = now.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
  const scope: V4Scope = { date: datetime.slice(0, 8), region: creds.region, product: "oss", terminator: V4_TERMINATOR };
  const headers: Record<string, string> = { "x-oss-date": datetime, "x-oss-content-sha256": UNSIGNED_PAYLOAD };
  if (request.contentType) headers["content-type"] = request.contentType;
  const canonical = buildV4CanonicalRequest({
    method: request.method, bucket: request.bucket, key: request.key, query: request.query ?? [],
    headers, additionalHeaders: [], payloadHash: UNSIGNED_PAYLOAD,
  });
  const signature = signV4(creds.secret, scope, buildV4StringToSign(datetime, scope, canonical));
  headers["authorization"] = `${V4_ALGORITHM} Credential=${creds.keyId}/${scope.date}/${scope.region}/oss/${V4_TERMINATOR},Signature=${signature}`;
  return headers;
}

function pathOf(request: Request): string {
  const key = request.key.split("/").map(encodeURIComponent).join("/");
  const query = (request.query ?? []).map(([k, v]) => (v === "" ? encodeURIComponent(k) : `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)).join("&");
  return `/${request.bucket}/${key}${query ? `?${query}` : ""}`;
}

/**
 * One signed request; the body is kept when `keepBody` or the status is not 2xx (for the error
 * code). Never longer than `timeoutMs` (then it rejects and the socket is destroyed).
 */
export function send(agent: http.Agent, port: number, creds: Credentials, request: Request, timeoutMs: number, keepBody = false): Promise<Response> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = signedHeaders(creds, request);
    if (request.body) headers["content-length"] = String(request.body.length);
    const req = http.request({ host: "127.0.0.1", port, method: request.method, path: pathOf(request), headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      let bytes = 0;
      const keep = keepBody || (res.statusCode ?? 0) >= 300;
      res.on("data", (chunk: Buffer) => {
        bytes += chunk.length;
        if (keep && bytes <= 1 << 20) chunks.push(chunk);
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, bytes, body: keep ? Buffer.concat(chunks) : undefined, headers: res.headers }));
      res.on("error", reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end(request.body);
  });
}

/** `<Code>` of an OSS error document ("" when none). */
export function errorCode(body: Buffer | undefined): string {
  return /<Code>([^<]*)<\/Code>/.exec(body?.toString("utf8") ?? "")?.[1] ?? "";
}

/** `pid` and every process below it (Linux /proc): a cluster primary and its workers. */
export function processTree(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(name)]);
    } catch {
      // exited meanwhile
    }
  }
  const out: number[] = [];
  const queue = [pid];
  while (queue.length > 0 && out.length < 1000) {
    const next = queue.shift()!;
    out.push(next);
    queue.push(...(parents.get(next) ?? []));
  }
  return out;
}

/** VmRSS in KiB (0 when the process is gone). */
export function rssKib(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** utime + stime in ms of a process (0 when gone). */
export function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // USER_HZ = 100 on Linux
  } catch {
    return 0;
  }
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
