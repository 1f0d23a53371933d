/** The per-request state every handler receives, and the helpers that write OSS responses. */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import type { Services } from "../services.js";
import type { Endpoint } from "./router.js";
import type { AuthResult } from "../auth/types.js";
import type { StorageClass } from "../storage/types.js";
import { toXml, type XmlNode } from "./xml.js";

export interface RequestContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly services: Services;
  readonly requestId: string;
  readonly hostId: string;
  readonly endpoint: Endpoint;
  /** Decoded query, first value wins for repeated keys. */
  readonly query: ReadonlyMap<string, string>;
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly auth: AuthResult;
  readonly log: Logger;
  /** Set by handlers that count payload bytes. */
  bytesIn: number;
  bytesOut: number;
  /** Billing facts handlers learn on the way (the meter reads them when the request ends). */
  usage: {
    storageClass?: StorageClass;
    imageQrCodes?: number;
    archiveDirectRead?: boolean;
    /** Object bytes retrieved when they differ from the response body (image/codes reads the whole source). */
    retrievalBytes?: number;
    restoreRequest?: boolean;
  };
}

export function sendXml(ctx: RequestContext, status: number, root: string, body: XmlNode, options: { xmlns?: boolean; headers?: Record<string, string> } = {}): void {
  sendXmlString(ctx, status, toXml(root, body, options.xmlns ? { xmlns: true } : {}), options.headers);
}

export function sendXmlString(ctx: RequestContext, status: number, xml: string, headers: Record<string, string> = {}): void {
  const payload = Buffer.from(xml, "utf8");
  ctx.res.writeHead(status, { ...headers, "content-type": "application/xml", "content-length": payload.length });
  ctx.res.end(ctx.req.method === "HEAD" ? undefined : payload);
  ctx.bytesOut += payload.length;
}

export function sendJson(ctx: RequestContext, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = Buffer.from(JSON.stringify(body), "utf8");
  ctx.res.writeHead(status, { ...headers, "content-type": "application/json", "content-length": payload.length });
  ctx.res.end(payload);
  ctx.bytesOut += payload.length;
}

/** A response without body; HEAD responses may announce the object's length in `headers`. */
export function sendEmpty(ctx: RequestContext, status: number, headers: Record<string, string | number> = {}): void {
  ctx.res.writeHead(status, { "content-length": 0, ...headers });
  ctx.res.end();
}

/** OSS's date formats: RFC 1123 in headers, ISO 8601 with milliseconds in XML bodies. */
export function httpDate(d: Date): string {
  return d.toUTCString();
}
export function isoDate(d: Date): string {
  return d.toISOString();
}
