/**
 * The blob half of the storage interfaces (types.ts): immutable byte blobs named by opaque ids the
 * store chooses (object keys never become paths); writes are crash-safe (temp file → fsync → rename).
 */
import type { Readable } from "node:stream";
import type { BlobFile } from "./blob-files.js";

export interface BlobInfo {
  readonly id: string;
  readonly size: number;
  /** Raw 16-byte MD5 of the content. */
  readonly md5: Buffer;
  /** CRC-64/ECMA-182 (as OSS's x-oss-hash-crc64ecma) of the content. */
  readonly crc64: bigint;
}

export interface BlobWriteOptions {
  /** When set, the write fails with BlobSizeMismatchError unless exactly this many bytes arrive. */
  readonly expectedSize?: number;
  /** Upper bound on bytes accepted; more → BlobTooLargeError. */
  readonly maxSize?: number;
  readonly signal?: AbortSignal;
  /**
   * The source never modifies a chunk after yielding it (Node's streams, such as a request body,
   * hand out a fresh buffer per chunk): the store may keep references instead of copying. Without
   * it a store must assume the producer reuses a chunk's memory once asked for the next one.
   */
  readonly stableChunks?: boolean;
}

/** Raised when the body ends before `expectedSize` bytes (truncated upload) or exceeds it. */
export class BlobSizeMismatchError extends Error {
  constructor(readonly expected: number, readonly received: number) {
    super(`expected ${expected} bytes, received ${received}`);
    this.name = "BlobSizeMismatchError";
  }
}
export class BlobTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`blob exceeds ${limit} bytes`);
    this.name = "BlobTooLargeError";
  }
}

/**
 * A remote blob backend (S3 / RADOS Gateway) could not be reached or answered 5xx. Retryable:
 * nothing was acknowledged, so the request fails with 503 ServiceUnavailable and loses nothing.
 */
export class BlobBackendUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "BlobBackendUnavailableError";
  }
}

export interface BlobStore {
  /**
   * Streams `source` into a new blob. Resolves only after the bytes are durable (fsync + rename +
   * directory fsync). On any failure nothing is left behind (temp file removed) and it rejects.
   */
  write(source: AsyncIterable<Buffer> | Readable, options?: BlobWriteOptions): Promise<BlobInfo>;
  /** Reads bytes [start, end] inclusive (whole blob without range). Rejects/ errors if unknown. */
  read(id: string, range?: { start: number; end: number }): Readable;
  /**
   * Bytes [start, end] when a read cache holds them, without I/O; undefined otherwise (optional:
   * stores without a cache leave it out). Lets small GETs answer without building a stream.
   */
  readCached?(id: string, range: { start: number; end: number }): Buffer | undefined;
  /**
   * True for a store across the network (S3): its reads can fail for reasons other than the bytes
   * (backend down), so a GET waits for the first bytes before it sends its status line and can
   * still answer 503 instead of cutting a 200 short. Local stores leave it out.
   */
  readonly remote?: boolean;
  /**
   * The blob's file, open, for the kernel to send (sendfile); local stores only. Rejects like
   * `read` when the blob is unknown. The caller must `release()` it.
   */
  openFile?(id: string): Promise<BlobFile>;
  /** Removes a blob; unknown ids are ignored. */
  delete(id: string): Promise<void>;
  /** All blob ids currently stored (for orphan collection after a crash). */
  list(): AsyncIterable<string>;
  /**
   * Removes leftover temp files from interrupted writes. Called once at startup.
   * Resolves to the number removed when the store counts them (FsBlobStore does).
   */
  cleanupTemp(): Promise<number | void>;
}
