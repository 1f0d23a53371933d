/**
 * Blobs as objects of an S3-compatible bucket (Ceph's RADOS Gateway, or any S3 service):
 * `<prefix><id>` with the same 128-bit random hex ids as FsBlobStore; any other id is refused.
 * Path-style addressing, so a plain `http://host:port` endpoint works.
 *
 * Crash safety, as FsBlobStore's: write() resolves only after PutObject / CompleteMultipartUpload
 * succeeded and HeadObject confirmed the stored length (s3-upload.ts), so metadata references only
 * durable bytes. A crash leaves at worst an unreferenced object (collected by recoverStorage via
 * list()) or an unfinished multipart upload (aborted by cleanupTemp()). Both skip entries younger
 * than `orphanGraceMs`: with several nodes on one bucket, a blob another node has just written but
 * not yet committed to the shared metadata must not look like an orphan. An upload counts from its
 * newest part, not its initiation: another node's long write (a large body from a slow client) is
 * alive as long as its parts keep coming, however long ago it began. Ages are taken on the service's
 * clock (its Date header), not this node's.
 *
 * Encryption stays above (src/crypto/blob-io.ts): an SSE object's blobs arrive here as ciphertext.
 */
import { Readable, PassThrough, pipeline } from "node:stream";
import {
  AbortMultipartUploadCommand, CreateBucketCommand, DeleteObjectCommand, GetObjectCommand, HeadBucketCommand,
  ListMultipartUploadsCommand, ListObjectsV2Command, ListPartsCommand, S3Client,
} from "@aws-sdk/client-s3";
import { randomBytes } from "node:crypto";
import { abortReason, blobNotFound, failedStream, isBlobId } from "./blob-ingest.js";
import { fromS3Error, isS3NotFound, s3Status } from "./s3-errors.js";
import { s3, uploadBlob } from "./s3-upload.js";
import type { BlobInfo, BlobStore, BlobWriteOptions } from "./types.js";

export interface S3BlobStoreOptions {
  readonly endpoint: string;
  readonly bucket: string;
  readonly region: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Key prefix of every blob (default "blobs/"). */
  readonly prefix?: string;
  /** Multipart part size; bodies up to this size are one PutObject (default 8 MiB, at least 5 MiB on AWS). */
  readonly partSize?: number;
  /** list() and cleanupTemp() leave objects / uploads younger than this alone (default 60 s). */
  readonly orphanGraceMs?: number;
  /** Concurrent connections to the service (default 64). */
  readonly maxSockets?: number;
  /** This node's clock (tests skew it); ages are measured on the service's clock all the same. */
  readonly clock?: () => number;
}

const DEFAULT_PART_SIZE = 8 * 1024 * 1024;
const DEFAULT_GRACE_MS = 60_000;

export class S3BlobStore implements BlobStore {
  readonly remote = true;
  readonly client: S3Client;
  readonly bucket: string;
  readonly prefix: string;
  private readonly partSize: number;
  private readonly graceMs: number;
  private readonly clock: () => number;
  /** The service's clock minus this node's, from the Date header of the latest answer. */
  private clockOffsetMs = 0;

  constructor(options: S3BlobStoreOptions) {
    this.bucket = options.bucket;
    this.prefix = options.prefix ?? "blobs/";
    this.partSize = options.partSize ?? DEFAULT_PART_SIZE;
    this.graceMs = options.orphanGraceMs ?? DEFAULT_GRACE_MS;
    this.clock = options.clock ?? Date.now;
    this.client = new S3Client({
      endpoint: options.endpoint,
      region: options.region,
      forcePathStyle: true,
      credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
      // Checksums only where S3 requires them: older S3-compatible services (RGW 16) reject the
      // CRC32 trailers newer SDKs send by default. Integrity: Content-MD5 + the signed SHA-256.
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
      maxAttempts: 3,
      requestHandler: { connectionTimeout: 5_000, requestTimeout: 120_000, httpAgent: { keepAlive: true, maxSockets: options.maxSockets ?? 64 } },
    });
    this.client.middlewareStack.add((next) => async (args) => {
      const result = await next(args);
      const date = Date.parse(String((result.response as { headers?: Record<string, string> }).headers?.["date"] ?? ""));
      if (Number.isFinite(date)) this.clockOffsetMs = date - this.clock();
      return result;
    }, { step: "deserialize", name: "barbucketServiceClock" });
  }

  /** Checks the bucket is reachable, creating it when missing. Call once before serving. */
  async init(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
      return;
    } catch (error) {
      if (s3Status(error) !== 404) throw fromS3Error(error, `access to bucket ${this.bucket}`);
    }
    await s3(`creation of bucket ${this.bucket}`, () => this.client.send(new CreateBucketCommand({ Bucket: this.bucket })));
  }

  async write(source: AsyncIterable<Buffer> | Readable, options: BlobWriteOptions = {}): Promise<BlobInfo> {
    if (options.signal?.aborted) throw abortReason(options.signal);
    const id = randomBytes(16).toString("hex");
    const info = await uploadBlob({ client: this.client, bucket: this.bucket, key: this.keyOf(id), partSize: this.partSize }, source, options);
    return { id, ...info };
  }

  read(id: string, range?: { start: number; end: number }): Readable {
    if (!isBlobId(id)) return failedStream(blobNotFound(id));
    if (range && !(Number.isSafeInteger(range.start) && Number.isSafeInteger(range.end) && range.start >= 0 && range.end >= range.start)) {
      return failedStream(new RangeError(`bad range ${range.start}-${range.end}`));
    }
    const out = new PassThrough({ highWaterMark: 1024 * 1024 });
    const cancel = new AbortController();
    out.once("close", () => cancel.abort());
    this.client
      .send(new GetObjectCommand({ Bucket: this.bucket, Key: this.keyOf(id), ...(range && { Range: `bytes=${range.start}-${range.end}` }) }), { abortSignal: cancel.signal })
      .then(
        (answer) => {
          const body = answer.Body as Readable | undefined;
          if (!body) return void out.end();
          pipeline(body, out, (error) => {
            if (error && !out.destroyed) out.destroy(fromS3Error(error, `read of blob ${id}`));
          });
        },
        (error: unknown) => {
          if (out.destroyed) return;
          if (isS3NotFound(error)) return void out.destroy(blobNotFound(id));
          if (s3Status(error) === 416) return void out.end(); // a range past the end: no bytes, as a file read
          out.destroy(fromS3Error(error, `read of blob ${id}`));
        },
      );
    return out;
  }

  async delete(id: string): Promise<void> {
    if (!isBlobId(id)) return;
    await s3(`delete of blob ${id}`, () => this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.keyOf(id) })));
  }

  async *list(): AsyncIterable<string> {
    let cutoff: number | undefined;
    let token: string | undefined;
    for (let page = 0; page < 10_000_000; page++) {
      const answer = await s3("listing of blobs", () => this.client.send(new ListObjectsV2Command({
        Bucket: this.bucket, Prefix: this.prefix, ...(token && { ContinuationToken: token }),
      })));
      cutoff ??= this.serviceNow() - this.graceMs;
      for (const entry of answer.Contents ?? []) {
        const id = entry.Key?.slice(this.prefix.length) ?? "";
        if (!entry.Key?.startsWith(this.prefix) || !isBlobId(id)) continue;
        if (this.graceMs > 0 && (entry.LastModified?.getTime() ?? 0) > cutoff) continue;
        yield id;
      }
      token = answer.IsTruncated ? answer.NextContinuationToken : undefined;
      if (!token) return;
    }
  }

  /** Aborts multipart uploads left by interrupted writes (older than the grace). Resolves to the number aborted. */
  async cleanupTemp(): Promise<number> {
    let cutoff: number | undefined;
    let aborted = 0;
    let keyMarker: string | undefined;
    let uploadMarker: string | undefined;
    for (let page = 0; page < 1_000_000; page++) {
      const answer = await s3("listing of multipart uploads", () => this.client.send(new ListMultipartUploadsCommand({
        Bucket: this.bucket, Prefix: this.prefix, ...(keyMarker && { KeyMarker: keyMarker }), ...(uploadMarker && { UploadIdMarker: uploadMarker }),
      })));
      cutoff ??= this.serviceNow() - this.graceMs;
      for (const upload of answer.Uploads ?? []) {
        if (!upload.Key || !upload.UploadId) continue;
        if (this.graceMs > 0 && (upload.Initiated?.getTime() ?? 0) > cutoff) continue;
        if (this.graceMs > 0 && (await this.newestPartTime(upload.Key, upload.UploadId)) > cutoff) continue;
        await s3("abort of an unfinished upload", () => this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: upload.Key, UploadId: upload.UploadId })))
          .catch((error: unknown) => {
            if (!isS3NotFound(error) && s3Status((error as Error).cause) !== 404) throw error;
          });
        aborted++;
      }
      if (!answer.IsTruncated) return aborted;
      keyMarker = answer.NextKeyMarker;
      uploadMarker = answer.NextUploadIdMarker;
      if (!keyMarker && !uploadMarker) return aborted;
    }
    return aborted;
  }

  /**
   * Now on the service's clock, which dates the blobs and uploads (to a second): a node whose own clock runs
   * ahead must not take another node's fresh write for an old one.
   */
  private serviceNow(): number {
    return this.clock() + this.clockOffsetMs;
  }

  /** When the newest part of an unfinished upload was stored (0 without parts): a live write keeps adding parts. */
  private async newestPartTime(key: string, uploadId: string): Promise<number> {
    let newest = 0;
    let marker: string | undefined;
    for (let page = 0; page < 100; page++) { // ≤ 10,000 parts, 1,000 a page
      const answer = await s3("listing of an upload's parts", () => this.client.send(new ListPartsCommand({
        Bucket: this.bucket, Key: key, UploadId: uploadId, ...(marker && { PartNumberMarker: marker }),
      }))).catch((error: unknown) => {
        if (isS3NotFound(error) || s3Status((error as Error).cause) === 404) return undefined; // finished or aborted meanwhile
        throw error;
      });
      for (const part of answer?.Parts ?? []) newest = Math.max(newest, part.LastModified?.getTime() ?? 0);
      if (!answer?.IsTruncated || !answer.NextPartNumberMarker) return newest;
      marker = answer.NextPartNumberMarker;
    }
    return newest;
  }

  /** Closes the connections (tests; the server keeps its client for its whole life). */
  close(): void {
    this.client.destroy();
  }

  private keyOf(id: string): string {
    return `${this.prefix}${id}`;
  }
}
