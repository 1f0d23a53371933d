/**
 * Streams a request body into a new blob, enforcing Content-Length, the size limit, the idle
 * timeout and Content-MD5. On any failure nothing is kept (the blob store removes its temp file,
 * and a blob whose MD5 does not match is deleted before the error is returned).
 */
import { createHash } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { OssError, isOssError } from "../errors/oss-error.js";
import { BlobBackendUnavailableError, BlobSizeMismatchError, BlobTooLargeError, type BlobInfo, type BlobStore, type BlobWriteOptions, type Segment } from "../storage/types.js";

/** Writes a body as one segment (plain or encrypted: see sse.ts `writeSegment`). */
export type SegmentWriter = (
  source: AsyncIterable<Buffer>,
  options: BlobWriteOptions,
) => Promise<{ blob: Pick<BlobInfo, "id" | "size" | "md5" | "crc64">; segment: Segment }>;

export interface BodyLimits {
  readonly maxSize: number;
  readonly idleTimeoutMs: number;
}

/** Parses Content-MD5 (base64 of 16 bytes); malformed → InvalidDigest. */
export function parseContentMd5(value: string | string[] | undefined): Buffer | undefined {
  if (value === undefined) return undefined;
  const header = Array.isArray(value) ? value.join(",") : value;
  const raw = Buffer.from(header.trim(), "base64");
  if (raw.length !== 16 || raw.toString("base64") !== header.trim()) throw new OssError("InvalidDigest");
  return raw;
}

/**
 * Declared body length; chunked bodies have none. Missing both → MissingContentLength.
 * With both (ali-oss `put(stream, {headers: {'Content-Length'}})` sends both), Transfer-Encoding
 * wins as RFC 9112 §6.3 says: the length is what the chunks deliver.
 */
export function declaredLength(req: IncomingMessage): number | undefined {
  if (req.headers["transfer-encoding"]) return undefined;
  const header = req.headers["content-length"];
  if (header === undefined) throw new OssError("MissingContentLength");
  const length = Number(header);
  if (!Number.isSafeInteger(length) || length < 0) throw new OssError("InvalidArgument", "Content-Length is not valid.");
  return length;
}

export async function writeBody(
  req: IncomingMessage,
  blobs: BlobStore,
  write: SegmentWriter,
  limits: BodyLimits,
): Promise<{ blob: Pick<BlobInfo, "id" | "size" | "md5" | "crc64">; segment: Segment }> {
  const expectedMd5 = parseContentMd5(req.headers["content-md5"]);
  const expectedSize = declaredLength(req);
  if (expectedSize !== undefined && expectedSize > limits.maxSize) {
    throw new OssError("EntityTooLarge", undefined, { extra: { MaxSizeAllowed: String(limits.maxSize) } });
  }
  const controller = new AbortController();
  let timedOut = false;
  req.setTimeout(limits.idleTimeoutMs, () => {
    timedOut = true;
    controller.abort(new OssError("RequestTimeout"));
  });
  let written: Awaited<ReturnType<SegmentWriter>>;
  try {
    // An iterator that leaves the request open on failure, so an oversized or refused body still
    // gets its OSS error response (the server then closes the connection) instead of a reset.
    written = await write(req.iterator({ destroyOnReturn: false }), {
      ...(expectedSize !== undefined ? { expectedSize } : {}),
      maxSize: limits.maxSize,
      signal: controller.signal,
      stableChunks: true, // the request's chunks are fresh buffers: the store need not copy them
    });
  } catch (error) {
    if (timedOut) throw new OssError("RequestTimeout");
    if (error instanceof BlobSizeMismatchError) throw new OssError("IncompleteBody", undefined, { cause: error });
    if (error instanceof BlobTooLargeError) throw new OssError("EntityTooLarge", undefined, { cause: error });
    if (isOssError(error)) throw error;
    // The blob store's backend failed (S3 down): 503 even if the body was not all read.
    if (error instanceof BlobBackendUnavailableError) throw error;
    if (req.destroyed || !req.complete) throw new OssError("IncompleteBody", "The client closed the connection before the body was complete.", { cause: error });
    throw error;
  } finally {
    req.setTimeout(0);
  }
  if (expectedMd5 && !expectedMd5.equals(written.blob.md5)) {
    await blobs.delete(written.blob.id);
    throw new OssError("InvalidDigest", "The Content-MD5 you specified did not match what we received.", {
      extra: { CalculatedDigest: written.blob.md5.toString("base64") },
    });
  }
  return written;
}

/** Reads a small body (XML configuration) fully, up to `max` bytes, checking Content-MD5 if sent. */
export async function readSmallBody(req: IncomingMessage, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) throw new OssError("MalformedXML", `The request body exceeds ${max} bytes.`);
    chunks.push(chunk as Buffer);
  }
  const body = Buffer.concat(chunks);
  const expectedMd5 = parseContentMd5(req.headers["content-md5"]);
  if (expectedMd5 && !createHash("md5").update(body).digest().equals(expectedMd5)) throw new OssError("InvalidDigest");
  return body;
}
