/**
 * Streams one blob into an S3 object: bodies up to one part go up as a single PutObject, larger
 * ones as a multipart upload whose parts are uploaded while the next part fills (at most one part
 * in flight, so a write holds at most two parts of memory). Size, MD5 and CRC-64 are computed on
 * the way (BlobDigest), limits are enforced before anything is sent, and a failure of any step
 * aborts the multipart upload / deletes the object, so nothing acknowledged is half-written and
 * nothing failed stays visible.
 *
 * The bytes are durable once PutObject / CompleteMultipartUpload succeeded; HeadObject then
 * confirms the stored length and, when the service returns an MD5-style ETag, that it matches the
 * one computed here (RADOS Gateway 16 answers CompleteMultipartUpload with an empty ETag, so it
 * is never taken from that call).
 */
import { createHash } from "node:crypto";
import type { Readable } from "node:stream";
import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateMultipartUploadCommand, DeleteObjectCommand,
  HeadObjectCommand, PutObjectCommand, UploadPartCommand, type S3Client,
} from "@aws-sdk/client-s3";
import { BlobDigest, abortReason, chunksOf } from "./blob-ingest.js";
import { fromS3Error } from "./s3-errors.js";
import type { BlobWriteOptions } from "./types.js";

export interface S3Target {
  readonly client: S3Client;
  readonly bucket: string;
  readonly key: string;
  /** Bytes per multipart part (≥ 5 MiB for AWS; the last part may be smaller). */
  readonly partSize: number;
}

interface Part {
  readonly PartNumber: number;
  readonly ETag: string;
}

/** Collects chunks (copied: the producer may reuse its memory) until a part is full. */
class PartBuffer {
  private buffer: Buffer;
  used = 0;
  constructor(private readonly capacity: number) {
    this.buffer = Buffer.allocUnsafe(0);
  }
  /** Copies as much of `chunk` as fits; returns the bytes taken. */
  take(chunk: Buffer, from: number): number {
    if (this.buffer.length === 0) this.buffer = Buffer.allocUnsafe(Math.min(this.capacity, Math.max(chunk.length - from, 64 * 1024)));
    const room = this.capacity - this.used;
    const n = Math.min(room, chunk.length - from);
    if (this.used + n > this.buffer.length) {
      // Grow geometrically up to the part size: small blobs hold only about their own size.
      const grown = Buffer.allocUnsafe(Math.min(this.capacity, Math.max(this.used + n, this.buffer.length * 2)));
      this.buffer.copy(grown, 0, 0, this.used);
      this.buffer = grown;
    }
    chunk.copy(this.buffer, this.used, from, from + n);
    this.used += n;
    return n;
  }
  get full(): boolean {
    return this.used === this.capacity;
  }
  bytes(): Buffer {
    return this.buffer.subarray(0, this.used);
  }
}

const ETAG_MD5 = /^"?([0-9a-f]{32})(?:-(\d+))?"?$/i;

export async function uploadBlob(
  target: S3Target,
  source: AsyncIterable<Buffer> | Readable,
  options: BlobWriteOptions,
): Promise<{ size: number; md5: Buffer; crc64: bigint }> {
  const { client, bucket, key, partSize } = target;
  const signal = options.signal;
  const digest = new BlobDigest(options);
  let uploadId: string | undefined;
  let stored = false; // the object exists (PutObject / Complete succeeded)
  const parts: Part[] = [];
  const partMd5s: Buffer[] = [];
  let inFlight: Promise<void> | undefined;

  const sendOptions = signal ? { abortSignal: signal } : {};
  const sendPart = (body: Buffer): void => {
    const md5 = createHash("md5").update(body).digest();
    partMd5s.push(md5);
    const number = partMd5s.length;
    const previous = inFlight;
    const upload = (async () => {
      await previous;
      const out = await s3(`part ${number} of ${key}`, () => client.send(new UploadPartCommand({
        Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: number, Body: body,
        ContentLength: body.length, ContentMD5: md5.toString("base64"),
      }), sendOptions));
      parts.push({ PartNumber: number, ETag: out.ETag ?? `"${md5.toString("hex")}"` });
    })();
    upload.catch(() => undefined); // observed by the next await of inFlight
    inFlight = upload;
  };

  try {
    let part = new PartBuffer(partSize);
    for await (const chunk of chunksOf(source, signal)) {
      digest.add(chunk);
      let offset = 0;
      while (offset < chunk.length) {
        offset += part.take(chunk, offset);
        if (!part.full) continue;
        if (uploadId === undefined) {
          const created = await s3(`multipart upload of ${key}`, () => client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }), sendOptions));
          uploadId = created.UploadId;
          if (!uploadId) throw new Error("CreateMultipartUpload returned no UploadId");
        } else {
          await inFlight; // at most one part uploading while the next fills
        }
        sendPart(part.bytes());
        part = new PartBuffer(partSize);
      }
    }
    const info = digest.finish();
    if (signal?.aborted) throw abortReason(signal);
    if (uploadId === undefined) {
      const body = part.bytes();
      await s3(`write of ${key}`, () => client.send(new PutObjectCommand({
        Bucket: bucket, Key: key, Body: body, ContentLength: body.length, ContentMD5: info.md5.toString("base64"),
      }), sendOptions));
      stored = true;
    } else {
      if (part.used > 0) {
        await inFlight;
        sendPart(part.bytes());
      }
      await inFlight;
      inFlight = undefined;
      parts.sort((a, b) => a.PartNumber - b.PartNumber);
      if (signal?.aborted) throw abortReason(signal);
      await s3(`completion of ${key}`, () => client.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId, MultipartUpload: { Parts: parts } })));
      uploadId = undefined;
      stored = true;
    }
    await verify(target, info.size, uploadEtag(info.md5, partMd5s));
    return info;
  } catch (error) {
    if (inFlight) await inFlight.catch(() => undefined);
    if (uploadId !== undefined) {
      await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId })).catch(() => undefined);
    }
    if (stored) await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })).catch(() => undefined);
    throw error;
  }
}

/** The ETag S3 gives the object: its MD5, or MD5-of-part-MD5s `-N` for a multipart upload. */
function uploadEtag(md5: Buffer, partMd5s: readonly Buffer[]): string {
  if (partMd5s.length === 0) return md5.toString("hex");
  return `${createHash("md5").update(Buffer.concat(partMd5s)).digest("hex")}-${partMd5s.length}`;
}

/**
 * HeadObject: the stored length must match, and an MD5-style ETag must be the expected one (the
 * service already checked each body against its Content-MD5; this catches a wrong part list).
 */
async function verify(target: S3Target, size: number, expectedEtag: string): Promise<void> {
  const head = await s3(`check of ${target.key}`, () => target.client.send(new HeadObjectCommand({ Bucket: target.bucket, Key: target.key })));
  if (head.ContentLength !== size) throw new Error(`stored object ${target.key} has ${head.ContentLength} bytes, wrote ${size}`);
  // SSE-KMS / SSE-C objects (a bucket default on AWS) have ETags that are not MD5s: only length is checked there.
  const md5Etags = head.ServerSideEncryption === undefined || head.ServerSideEncryption === "AES256";
  const etag = head.ETag && md5Etags ? ETAG_MD5.exec(head.ETag) : null;
  if (etag && `${etag[1]!.toLowerCase()}${etag[2] ? `-${etag[2]}` : ""}` !== expectedEtag) {
    throw new Error(`stored object ${target.key} has ETag ${head.ETag}, expected ${expectedEtag}`);
  }
}

/** Runs one S3 call, translating its failure (s3-errors.ts); errors of the source or limits pass as they are. */
export async function s3<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw fromS3Error(error, what);
  }
}
