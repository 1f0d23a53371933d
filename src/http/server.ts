/**
 * The OSS HTTP endpoint: one request flows parse → route → authenticate → authorize → handler,
 * and every failure on the way is rendered once, as OSS XML, by `finishWithError`.
 */
import { clientAddress } from "./client-address.js";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { Services } from "../services.js";
import { OssError, isOssError } from "../errors/oss-error.js";
import { renderError } from "../errors/render.js";
import { authenticate } from "../auth/authenticate.js";
import { flattenHeaders, parseUrl } from "./parse.js";
import { isValidBucketName, resolveTarget, validateBucketName, validateKey } from "./addressing.js";
import { route, type Endpoint } from "./router.js";
import { newRequestId } from "./request-id.js";
import { sendEmpty, type RequestContext } from "./context.js";
import { authorizeEndpoint } from "./authorize-endpoint.js";
import { HANDLERS } from "../handlers/index.js";
import { applyCorsHeaders } from "../handlers/bucket-cors.js";
import { BlobBackendUnavailableError, NoSuchBucketError, NoSuchUploadError } from "../storage/types.js";
import { DatabaseUnavailableError } from "../db/errors.js";
import { newReadEpoch } from "../storage/change-seq.js";
import { isSqliteBusy } from "../storage/sqlite-schema.js";
import { replaceOkStatus, websitePlanFor } from "../website/serve.js";
import type { AccessLogEntry } from "../access-log/line.js";
import { OssResponse } from "./oss-response.js";

const MAX_HEADER_BYTES = 64 * 1024;
const PID = String(process.pid);

export function createOssServer(services: Services): Server {
  const server = createServer(
    {
      maxHeaderSize: MAX_HEADER_BYTES,
      // Slow clients: headers must arrive within 60 s, a whole request within 1 h (large uploads).
      headersTimeout: 60_000,
      requestTimeout: 3_600_000,
      keepAliveTimeout: 5_000,
      // OSS accepts a request carrying both Content-Length and Transfer-Encoding: chunked (ali-oss
      // put() of a stream with a Content-Length header sends both); node's strict parser refuses it
      // as "malformed". The lenient parser lets Transfer-Encoding win (RFC 9112 §6.3), which is
      // what write.ts `declaredLength` then honours. Put a strict proxy in front if request
      // smuggling between proxy and server is a concern.
      insecureHTTPParser: true,
      ServerResponse: OssResponse,
    },
    (req, res) => {
      void handleRequest(services, req, res);
    },
  );
  server.on("clientError", (err: NodeJS.ErrnoException, socket: Socket) => writeClientError(err, socket));
  return server;
}

/** Malformed requests node rejects before our handler (oversized headers, bad request lines). */
function writeClientError(err: NodeJS.ErrnoException, socket: Socket): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = err.code === "HPE_HEADER_OVERFLOW";
  const timeout = err.code === "ERR_HTTP_REQUEST_TIMEOUT";
  const error = tooLarge
    ? new OssError("RequestHeaderTooLarge")
    : timeout
      ? new OssError("RequestTimeout")
      : new OssError("InvalidRequest", "The HTTP request is malformed.");
  const requestId = newRequestId();
  const { body } = renderError(error, requestId, "", "GET");
  socket.end(
    `HTTP/1.1 ${error.status} ${tooLarge ? "Request Header Fields Too Large" : "Bad Request"}\r\n` +
      `Server: AliyunOSS\r\nx-oss-request-id: ${requestId}\r\nx-oss-ec: ${error.ec}\r\nContent-Type: application/xml\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

async function handleRequest(services: Services, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = process.hrtime.bigint();
  newReadEpoch(); // cached buckets and policies are checked against other processes' changes (change-seq.ts)
  const requestId = newRequestId();
  const method = req.method ?? "GET";
  // Server, x-oss-request-id, Date (and the pid) join the head when it is written (oss-response.ts).
  (res as OssResponse).requestId = requestId;
  if (services.config.pidHeader) (res as OssResponse).pid = PID;
  // The request's child logger is made only if something logs through it (the request line does not).
  let requestLog: RequestContext["log"] | undefined;
  const logOf = (): RequestContext["log"] => (requestLog ??= services.log.child({ reqId: requestId }));
  let operation = "Unknown";
  let errorCode: string | undefined;
  let addressed: { bucket: string | undefined; key: string | undefined } = { bucket: undefined, key: undefined };
  let ctx: RequestContext | undefined;
  try {
    const headers = flattenHeaders(req.headers);
    const url = parseUrl(req.url ?? "/");
    const target = resolveTarget(headers.host, url.rawPath, services.config.endpointSuffixes);
    addressed = target;
    if (target.bucket !== undefined) {
      // PutBucket reports a bad name as such; for every other request such a bucket cannot exist.
      if (method === "PUT" && target.key === undefined) validateBucketName(target.bucket);
      else if (!isValidBucketName(target.bucket)) throw new OssError("NoSuchBucket", undefined, { extra: { BucketName: target.bucket } });
    }
    await applyCorsHeaders(services.meta, req, res, target.bucket);
    if (target.key !== undefined) validateKey(target.key);
    let endpoint: Endpoint = route(method, target.bucket, target.key, url.query, headers);
    operation = endpoint.kind;
    const auth = await authenticate(
      { method, bucket: target.bucket, key: target.key, query: url.queryList, headers },
      services.credentials,
      { now: new Date(), region: services.config.region },
    );
    // Static website (anonymous GET/HEAD on a bucket with PutBucketWebsite): index and error documents, routing rules.
    const site = await websitePlanFor(services, { method, auth, endpoint, ...target, headers, query: url.query, rawUrl: req.url ?? "/" });
    if (site?.kind === "serve") {
      endpoint = route(method, target.bucket, site.key, url.query, headers);
      operation = endpoint.kind;
      if (site.status !== undefined) replaceOkStatus(res, site.status);
    }
    ctx = {
      req, res, services, requestId, endpoint, headers, auth,
      get log() {
        return logOf();
      },
      hostId: headers.host ?? "",
      query: url.query,
      bytesIn: 0,
      bytesOut: 0,
      usage: {},
    };
    if (site?.kind === "redirect") {
      sendEmpty(ctx, site.status, { location: site.location });
      return;
    }
    const bucket = await authorizeEndpoint(ctx);
    await HANDLERS[endpoint.kind](ctx, bucket);
  } catch (error) {
    errorCode = finishWithError(services, req, res, error, requestId, logOf);
  } finally {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const done = (): void => {
      services.metrics.observe(operation, method, res.statusCode, seconds);
      if (ctx) {
        if (ctx.bytesIn) services.metrics.bytesIn.inc({ operation }, ctx.bytesIn);
        if (ctx.bytesOut) services.metrics.bytesOut.inc({ operation }, ctx.bytesOut);
      }
      // The line a child logger would write ({"reqId":…} right after the base fields), without making one.
      services.log.info({ reqId: requestId, op: operation, method, status: res.statusCode, ms: Math.round(seconds * 1000) }, "request");
      services.metering.recordRequest({
        at: new Date(),
        bucket: ctx && "bucket" in ctx.endpoint ? ctx.endpoint.bucket : undefined,
        operation,
        method,
        status: res.statusCode,
        storageClass: ctx?.usage.storageClass,
        bytesIn: ctx?.bytesIn ?? 0,
        bytesOut: ctx?.bytesOut ?? 0,
        remoteAddress: clientAddress(req),
        host: req.headers.host ?? "",
        imageQrCodes: res.statusCode === 200 ? (ctx?.usage.imageQrCodes ?? 0) : 0,
        archiveDirectRead: ctx?.usage.archiveDirectRead ?? false,
        ...(ctx?.usage.retrievalBytes !== undefined && { retrievalBytes: ctx.usage.retrievalBytes }),
        restoreRequest: ctx?.usage.restoreRequest ?? false,
      });
      // Every answered request to a bucket, refused ones included (bad signatures, denials), as OSS logs them.
      const logged = ctx && "bucket" in ctx.endpoint ? ctx.endpoint.bucket : addressed.bucket;
      if (services.accessLog && logged !== undefined && isValidBucketName(logged)) {
        const key = ctx && "key" in ctx.endpoint ? ctx.endpoint.key : addressed.key;
        services.accessLog.record(accessLogEntry(req, res, requestId, ctx, { bucket: logged, key, operation, seconds, errorCode }));
      }
    };
    if (res.writableFinished) done();
    else res.once("close", done);
  }
}

/** Lower-layer failures that have an OSS meaning, translated at the boundary. */
function toOssError(error: unknown): OssError | undefined {
  if (isOssError(error)) return error;
  if (error instanceof NoSuchBucketError) return new OssError("NoSuchBucket", undefined, { extra: { BucketName: error.bucket } });
  if (error instanceof NoSuchUploadError) return new OssError("NoSuchUpload", undefined, { extra: { UploadId: error.uploadId } });
  // Another process held the database's write lock past the busy timeout: retryable, not a fault.
  if (isSqliteBusy(error)) return new OssError("ServiceUnavailable", "The metadata store is busy; retry the request.", { cause: error, headers: { "retry-after": "1" } });
  // The S3 / RADOS Gateway behind the blob store is down or overloaded: nothing was acknowledged.
  if (error instanceof BlobBackendUnavailableError) return new OssError("ServiceUnavailable", "The object data store is unavailable; retry the request.", { cause: error, headers: { "retry-after": "1" } });
  // PostgreSQL (BARBUCKET_DATABASE_URL) unreachable, restarting, or conflicting past the retries.
  if (error instanceof DatabaseUnavailableError) return new OssError("ServiceUnavailable", "The metadata store is unavailable; retry the request.", { cause: error, headers: { "retry-after": "1" } });
  return undefined;
}

/** The request as an access-log entry (src/access-log/line.ts); the bucket owner is filled in when it is spooled. */
function accessLogEntry(
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
  ctx: RequestContext | undefined,
  facts: { bucket: string; key: string | undefined; operation: string; seconds: number; errorCode: string | undefined },
): AccessLogEntry {
  const principal = ctx?.auth.kind === "signed" ? ctx.auth.principal : undefined;
  // Request line + "Name: value\r\n" per header + the blank line + the body bytes read.
  const headerBytes = req.rawHeaders.reduce((n, h) => n + h.length + 2, 0) + 2;
  const method = req.method ?? "GET";
  const uri = req.url ?? "/";
  return {
    remoteIp: clientAddress(req),
    at: new Date(Date.now() - facts.seconds * 1000),
    method,
    uri,
    httpVersion: req.httpVersion,
    status: res.statusCode,
    sentBytes: ctx?.bytesOut ?? 0,
    requestTimeMs: facts.seconds * 1000,
    referer: req.headers.referer,
    userAgent: req.headers["user-agent"],
    host: req.headers.host,
    requestId,
    requester: principal && (principal.userId ?? principal.accountId),
    operation: facts.operation,
    bucket: facts.bucket,
    key: facts.key,
    errorCode: facts.errorCode,
    requestLength: method.length + uri.length + 12 + headerBytes + (ctx?.bytesIn ?? 0),
    storageClass: ctx?.usage.storageClass,
    accessKeyId: principal?.accessKeyId,
  };
}

/** Renders the error as OSS XML; returns its code (for the access log). */
function finishWithError(services: Services, req: IncomingMessage, res: ServerResponse, error: unknown, requestId: string, log: () => RequestContext["log"]): string {
  const translated = toOssError(error);
  const ossError = translated ?? new OssError("InternalError", undefined, { cause: error });
  if (!translated) log().error({ err: error }, "unhandled error");
  else if (ossError.status >= 500) log().error({ err: error }, "server error");
  if (res.headersSent) {
    // The status line is gone (e.g. a stream failed mid-body): all we can do is cut the connection
    // so the client sees a truncated body rather than a silently short object.
    res.destroy(ossError);
    return ossError.code;
  }
  const rendered = renderError(ossError, requestId, req.headers.host ?? "", req.method ?? "GET");
  const body = Buffer.from(rendered.body, "utf8");
  // The request body may be unread (e.g. a refused upload): close the connection after the
  // answer and drain briefly, so a client streaming gigabytes after an error is cut off.
  const unread = !req.complete;
  res.writeHead(rendered.status, { ...rendered.headers, "content-length": body.length, ...(unread ? { connection: "close" } : {}) });
  res.end(body);
  if (unread) {
    req.resume();
    setTimeout(() => req.destroy(), 5_000).unref();
  }
  services.log.debug({ code: ossError.code }, "error response");
  return ossError.code;
}
