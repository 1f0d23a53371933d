/**
 * `/oss/<bucket>/<key>?<query>` on the console → the same request, V1-signed with the session's keys,
 * to Barbucket's OSS listener on loopback (path-style), streamed both ways. The OSS listener does
 * all authentication, authorization (RAM, bucket policy, ACL) and metering — with the browser's
 * address as the source (http/client-address.ts); its XML errors come back as they are. Object bodies are served under a sandboxing CSP so that an uploaded HTML or SVG
 * object can never run script in the console's origin.
 */
import { request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import type { ConsoleCredentials } from "./sessions.js";
import { ossPath, signOssHeaders } from "./sign.js";
import { relayHeaders } from "../http/client-address.js";

export interface Upstream {
  readonly host: string;
  readonly port: number;
}

const PASS_REQUEST = new Set(["content-type", "content-length", "content-md5", "range", "if-match", "if-none-match", "if-modified-since", "if-unmodified-since", "cache-control", "content-disposition", "content-encoding", "expires", "user-agent"]);
const DROP_RESPONSE = new Set(["set-cookie", "connection", "keep-alive", "transfer-encoding", "access-control-allow-origin", "access-control-allow-credentials", "access-control-expose-headers"]);

/** Splits `/oss/<bucket>/<key…>` (raw, percent-encoded) into decoded bucket and key. */
export function parseOssPath(rawPath: string): { bucket: string | undefined; key: string | undefined } | undefined {
  const rest = rawPath.slice("/oss/".length);
  if (rest === "") return { bucket: undefined, key: undefined };
  const slash = rest.indexOf("/");
  try {
    const bucket = decodeURIComponent(slash < 0 ? rest : rest.slice(0, slash));
    const key = slash < 0 ? "" : decodeURIComponent(rest.slice(slash + 1));
    return { bucket, key: key === "" ? undefined : key };
  } catch {
    return undefined;
  }
}

export function proxyOss(req: IncomingMessage, res: ServerResponse, creds: ConsoleCredentials, upstream: Upstream): void {
  const url = req.url ?? "/";
  const q = url.indexOf("?");
  const rawPath = q < 0 ? url : url.slice(0, q);
  const rawQuery = q < 0 ? "" : url.slice(q + 1);
  const target = parseOssPath(rawPath);
  if (!target) {
    res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ Code: "InvalidURI", Message: "Bad percent-encoding in the path." }));
    return;
  }
  const query = [...new URLSearchParams(rawQuery)];
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value !== "string") continue;
    if (PASS_REQUEST.has(name) || (name.startsWith("x-oss-") && name !== "x-oss-security-token" && name !== "x-oss-date")) headers[name] = value;
  }
  const method = req.method ?? "GET";
  const signed = signOssHeaders(creds, { method, bucket: target.bucket, key: target.key, query, headers });
  Object.assign(signed, relayHeaders(req.socket.remoteAddress ?? ""));
  signed.host = `${upstream.host.includes(":") ? `[${upstream.host}]` : upstream.host}:${upstream.port}`;
  const path = ossPath(target.bucket, target.key) + (rawQuery ? `?${rawQuery}` : "");
  const out = httpRequest({ host: upstream.host, port: upstream.port, method, path, headers: signed }, (up) => {
    const back: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(up.headers)) {
      if (value !== undefined && !DROP_RESPONSE.has(name)) back[name] = value;
    }
    back["content-security-policy"] = "default-src 'none'; sandbox";
    back["x-content-type-options"] = "nosniff";
    back["cache-control"] = "no-store";
    res.writeHead(up.statusCode ?? 502, back);
    up.pipe(res);
    res.once("close", () => up.destroy());
  });
  out.on("error", (error) => {
    if (!res.headersSent) res.writeHead(502, { "content-type": "application/json" }).end(JSON.stringify({ Code: "BadGateway", Message: `OSS listener unreachable: ${error.message}` }));
    else res.destroy();
  });
  req.once("aborted", () => out.destroy());
  if (method === "GET" || method === "HEAD") out.end();
  else req.pipe(out);
}
