/** GetObject, HeadObject, GetObjectMeta: conditionals, single ranges, response-* overrides, streaming. */
import { deleteMarkerHeaders } from "./version-headers.js";
import { pipeline, type Readable } from "node:stream";
import type { RequestContext } from "../http/context.js";
import { sendEmpty } from "../http/context.js";
import { OssError } from "../errors/oss-error.js";
import { readObject, type BucketRecord, type ObjectRecord } from "../storage/types.js";
import { objectHeaders } from "../objects/headers.js";
import { etagMatches, quoted } from "../objects/etag.js";
import { objectStream } from "../objects/read.js";
import { parseRange } from "../objects/range.js";
import { endpointKey, requireBucket } from "./types.js";
import { asLinkHeaders, followSymlink } from "./symlink.js";
import { checkReadable } from "../objects/storage-class.js";
import { openSegments } from "../objects/sse.js";
import { CiphertextCorruptError } from "../crypto/index.js";
import { callerOf } from "./encryption.js";
import { sendFileSocket } from "../http/send-file.js";
import { plaintextPieces, sendPieces } from "./get-object-files.js";

/**
 * Bodies from this size on go by sendfile when they can. Smaller ones are read (and so land in the
 * blob read cache, which holds ranges up to 64 KiB, for the next GET's single write).
 */
const SEND_FILE_MIN_BYTES = 64 * 1024 + 1;

/** `response-*` query parameter → the response header it overrides (signed requests only). */
const OVERRIDES: ReadonlyArray<readonly [string, string]> = [
  ["response-content-type", "content-type"],
  ["response-content-language", "content-language"],
  ["response-expires", "expires"],
  ["response-cache-control", "cache-control"],
  ["response-content-disposition", "content-disposition"],
  ["response-content-encoding", "content-encoding"],
];

/**
 * The object a request names: `?versionId=` picks a version (the router lets it through only to
 * GET/HEAD/GetObjectMeta/DELETE), else the current one. A current delete marker answers 404 with
 * x-oss-delete-marker; a version that is a delete marker answers 405. `readOnly`: the caller
 * never changes the record, so the store may hand out its cached one (frozen; readObject).
 */
export async function loadObject(ctx: RequestContext, bucket: BucketRecord, key: string, readOnly = false): Promise<ObjectRecord> {
  const versionId = ctx.query.get("versionId");
  if (versionId !== undefined) return await loadVersion(ctx, bucket, key, versionId);
  const { meta } = ctx.services;
  const object = readOnly ? await readObject(meta, bucket.name, key) : await meta.getObject(bucket.name, key);
  if (!object) {
    const marker = await ctx.services.meta.currentDeleteMarker(bucket.name, key);
    throw new OssError("NoSuchKey", undefined, { extra: { Key: key }, ...(marker && { headers: deleteMarkerHeaders(marker) }) });
  }
  return object;
}

async function loadVersion(ctx: RequestContext, bucket: BucketRecord, key: string, versionId: string): Promise<ObjectRecord> {
  const entry = versionId === "" ? undefined : await ctx.services.meta.getObjectVersion(bucket.name, key, versionId);
  if (!entry) throw new OssError("NoSuchVersion", undefined, { extra: { Key: key, VersionId: versionId } });
  if (entry.kind === "marker") {
    throw new OssError("MethodNotAllowed", "The specified method is not allowed against this resource.", {
      extra: { Method: ctx.req.method ?? "GET", ResourceType: "DeleteMarker" },
      headers: deleteMarkerHeaders(entry.marker),
    });
  }
  return entry.record;
}

function parseHttpDate(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** HTTP dates have second precision: compare on whole seconds. */
function seconds(d: Date): number {
  return Math.floor(d.getTime() / 1000);
}

/**
 * Evaluates If-Match / If-Unmodified-Since (412) and If-None-Match / If-Modified-Since (304).
 * `<Condition>` names the header without the copy prefix, as OSS does (ali-oss shows it to the user).
 */
export function checkConditions(headers: Readonly<Record<string, string>>, object: ObjectRecord, prefix = ""): 304 | undefined {
  const h = (name: string): string | undefined => headers[`${prefix}${name}`];
  const ifMatch = h("if-match");
  if (ifMatch !== undefined && !etagMatches(ifMatch, object.etag)) {
    throw new OssError("PreconditionFailed", undefined, { extra: { Condition: "If-Match" } });
  }
  const unmodifiedSince = parseHttpDate(h("if-unmodified-since"));
  if (ifMatch === undefined && unmodifiedSince && seconds(object.lastModified) > seconds(unmodifiedSince)) {
    throw new OssError("PreconditionFailed", undefined, { extra: { Condition: "If-Unmodified-Since" } });
  }
  const ifNoneMatch = h("if-none-match");
  if (ifNoneMatch !== undefined && etagMatches(ifNoneMatch, object.etag)) return 304;
  const modifiedSince = parseHttpDate(h("if-modified-since"));
  if (ifNoneMatch === undefined && modifiedSince && seconds(object.lastModified) <= seconds(modifiedSince)) return 304;
  return undefined;
}

function notModified(ctx: RequestContext, object: ObjectRecord): void {
  sendEmpty(ctx, 304, { etag: quoted(object.etag), "last-modified": object.lastModified.toUTCString() });
}

export async function getObject(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  const link = await loadObject(ctx, b, endpointKey(ctx), true);
  const object = await followSymlink(ctx, b.name, link, true);
  ctx.usage.storageClass = object.storageClass;
  const now = ctx.services.clock.now();
  // Unrestored archive objects: 403 InvalidObjectState, unless Archive + archive direct read.
  if (await checkReadable(ctx.services.meta, object, now) === "direct-read") ctx.usage.archiveDirectRead = true;
  if (checkConditions(ctx.headers, object) === 304) return notModified(ctx, object);
  const headers: Record<string, string> = asLinkHeaders(objectHeaders(object, now), link);
  if (ctx.auth.kind === "signed" && ctx.query.size > 0) {
    for (const [param, header] of OVERRIDES) {
      const value = ctx.query.get(param);
      if (value !== undefined) headers[header] = value;
    }
  }
  const standard = (ctx.headers["x-oss-range-behavior"] ?? "").toLowerCase() === "standard";
  const range = parseRange(ctx.headers.range, object.size, standard);
  if (range === "unsatisfiable") {
    throw new OssError("InvalidRange", undefined, { headers: { "content-range": `bytes */${object.size}` } });
  }
  let status = 200;
  let length = object.size;
  if (range) {
    status = 206;
    length = range.end - range.start + 1;
    headers["content-range"] = `bytes ${range.start}-${range.end}/${object.size}`;
  }
  headers["content-length"] = String(length);
  if (ctx.req.method === "HEAD") {
    sendEmpty(ctx, status, headers);
    return;
  }
  // Data keys are unwrapped (and kms:Decrypt checked) before the status line goes out.
  const reader = await openSegments(ctx.services, object, callerOf(ctx));
  const only = object.segments.length === 1 ? object.segments[0] : undefined;
  // A plaintext object whose bytes sit in the read cache is answered in one write: no stream, no pipeline.
  const cached = length > 0 && only && only.encryption === undefined && only.size === object.size
    ? ctx.services.blobs.readCached?.(only.blobId, range ? { start: range.start, end: range.end } : { start: 0, end: object.size - 1 })
    : undefined;
  // A remote blob store (S3) may be down: wait for the first bytes so that fails as 503, not as a cut 200.
  const early = length > 0 && cached?.length !== length && ctx.services.blobs.remote ? objectStream(reader, object, range ?? undefined) : undefined;
  if (early) await firstBytes(early);
  // A larger plaintext object from local files: the kernel sends it (sendfile), no byte through JS.
  // The first file is opened before the status line, so a missing blob is an error response, not a cut 200.
  const pieces = length >= SEND_FILE_MIN_BYTES && cached === undefined && ctx.services.blobs.openFile && sendFileSocket(ctx.res) !== undefined
    ? plaintextPieces(object, range?.start ?? 0, range?.end ?? object.size - 1)
    : undefined;
  const firstFile = pieces?.[0] ? await ctx.services.blobs.openFile!(pieces[0].blobId) : undefined;
  ctx.res.writeHead(status, headers);
  if (length === 0) {
    ctx.res.end();
    return;
  }
  if (cached !== undefined && cached.length === length) {
    ctx.bytesOut += length;
    ctx.res.end(cached);
    return;
  }
  if (pieces && firstFile) {
    await sendPieces(ctx, pieces, firstFile); // metered as the kernel sends
    return;
  }
  const body = early ?? objectStream(reader, object, range ?? undefined);
  // Counted as the bytes go out, so a transfer the client cuts short is metered as far as it got.
  body.on("data", (chunk: Buffer) => {
    ctx.bytesOut += chunk.length;
  });
  try {
    // The callback form: stream/promises builds an AbortSignal per call, measurable on small GETs.
    await new Promise<void>((resolve, reject) => pipeline(body, ctx.res, (error) => (error ? reject(error) : resolve())));
  } catch (error) {
    if (error instanceof CiphertextCorruptError) {
      // Detected and reported, never served: the connection is cut before unverified bytes go out.
      ctx.log.error({ err: error, bucket: object.bucket, key: object.key, chunk: error.chunkIndex }, "encrypted object data failed authentication");
      throw new OssError("InternalError", "The object's stored data failed its integrity check.", { cause: error });
    }
    throw error;
  }
}

export async function headObject(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  const link = await loadObject(ctx, b, endpointKey(ctx), true);
  const object = await followSymlink(ctx, b.name, link, true);
  ctx.usage.storageClass = object.storageClass;
  if (checkConditions(ctx.headers, object) === 304) return notModified(ctx, object);
  sendEmpty(ctx, 200, { ...asLinkHeaders(objectHeaders(object, ctx.services.clock.now()), link), "content-length": object.size });
}

export async function getObjectMeta(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  const object = await loadObject(ctx, b, endpointKey(ctx), true);
  sendEmpty(ctx, 200, {
    etag: quoted(object.etag),
    ...(object.versionId !== undefined && { "x-oss-version-id": object.versionId }),
    "content-length": object.size,
    "last-modified": object.lastModified.toUTCString(),
    "x-oss-hash-crc64ecma": object.crc64,
  });
}

/** Resolves once `stream` has bytes buffered (or ended); rejects with its error (then destroyed). */
function firstBytes(stream: Readable): Promise<void> {
  return new Promise((resolve, reject) => {
    const settle = (error?: Error): void => {
      stream.off("readable", ready);
      stream.off("end", ready);
      stream.off("error", settle);
      if (error) {
        stream.destroy();
        reject(error);
      } else resolve();
    };
    const ready = (): void => settle();
    stream.once("readable", ready);
    stream.once("end", ready);
    stream.once("error", settle);
  });
}
