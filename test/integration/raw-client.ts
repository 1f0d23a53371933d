/**
 * A raw HTTP client for the bad-input tests: requests signed with V1 header auth by the project's
 * own signer (itself pinned by the SDK known-answer vectors), sent over a plain socket so tests can
 * lie about Content-Length, stall, or send oversized headers.
 */
import { connect } from "node:net";
import { buildV1StringToSign, signV1 } from "../../src/auth/v1.js";
import { ROOT_KEY_ID, ROOT_KEY_SECRET } from "./harness.js";

export interface RawRequest {
  method: string;
  bucket?: string;
  /** Decoded key, as signed. */
  key?: string;
  /** Path as sent on the wire; defaults to `/bucket/` + encodeURIComponent-per-segment(key). */
  rawPath?: string;
  query?: Array<[string, string]>;
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** Send this Content-Length instead of the body's real length. */
  contentLength?: number;
  /** Omit the Authorization header (anonymous). */
  anonymous?: boolean;
  /** Sign as this key (default: the root key). */
  accessKeyId?: string;
  secret?: string;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export function encodeKeyPath(key: string): string {
  return key.split("/").map((s) => encodeURIComponent(s)).join("/");
}

export function buildRaw(req: RawRequest): string {
  const body = req.body === undefined ? Buffer.alloc(0) : Buffer.from(req.body);
  const headers: Record<string, string> = { "x-oss-date": new Date().toUTCString(), ...lower(req.headers ?? {}) };
  const query = req.query ?? [];
  if (!req.anonymous) {
    const stringToSign = buildV1StringToSign({ method: req.method, bucket: req.bucket, key: req.key, query, headers, dateLine: headers["x-oss-date"]! });
    headers.authorization = `OSS ${req.accessKeyId ?? ROOT_KEY_ID}:${signV1(req.secret ?? ROOT_KEY_SECRET, stringToSign)}`;
  }
  const path = req.rawPath ?? (req.bucket ? `/${req.bucket}/${req.key ? encodeKeyPath(req.key) : ""}` : "/");
  const qs = query.map(([k, v]) => (v === "" ? encodeURIComponent(k) : `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)).join("&");
  const lines = [`${req.method} ${path}${qs ? `?${qs}` : ""} HTTP/1.1`, "host: 127.0.0.1", "connection: close"];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  lines.push(`content-length: ${req.contentLength ?? body.length}`);
  return `${lines.join("\r\n")}\r\n\r\n`;
}

function lower(h: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
}

/** Sends the request; resolves with the parsed response (or rejects when the server cuts the connection first). */
export function rawRequest(port: number, req: RawRequest, timeoutMs = 15_000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error("raw request timed out"));
    }, timeoutMs);
    socket.on("data", (d) => chunks.push(d));
    socket.on("error", (e) => {
      clearTimeout(timer);
      if (chunks.length) resolve(parseResponse(Buffer.concat(chunks)));
      else reject(e);
    });
    socket.on("end", () => {
      clearTimeout(timer);
      resolve(parseResponse(Buffer.concat(chunks)));
    });
    socket.write(buildRaw(req));
    if (req.body !== undefined) socket.write(Buffer.from(req.body));
  });
}

function parseResponse(raw: Buffer): RawResponse {
  const text = raw.toString("utf8");
  const split = text.indexOf("\r\n\r\n");
  const head = split < 0 ? text : text.slice(0, split);
  const [statusLine = "", ...headerLines] = head.split("\r\n");
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(statusLine.split(" ")[1]), headers, body: split < 0 ? "" : text.slice(split + 4) };
}

export function errorCode(res: RawResponse): string | undefined {
  return /<Code>([^<]*)<\/Code>/.exec(res.body)?.[1];
}
