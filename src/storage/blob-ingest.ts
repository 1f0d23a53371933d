/**
 * Shared by every BlobStore: pulls chunks from a source one at a time (so the consumer's awaits
 * are the backpressure), honours an AbortSignal even while the source is stalled, and computes
 * size, MD5 and CRC-64 in the same pass while enforcing expectedSize / maxSize.
 */
import { createHash, type Hash } from "node:crypto";
import { PassThrough, type Readable } from "node:stream";
import { crc64Update } from "./crc64.js";
import { BlobSizeMismatchError, BlobTooLargeError, type BlobWriteOptions } from "./types.js";

export function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  const error = new Error("blob write aborted");
  error.name = "AbortError";
  return error;
}

/**
 * Yields the source's chunks. On abort the pending read is abandoned, the source iterator is
 * closed (which destroys a Readable) and the generator throws the abort reason.
 */
export async function* chunksOf(
  source: AsyncIterable<Buffer> | Readable,
  signal: AbortSignal | undefined,
): AsyncGenerator<Buffer> {
  const iterator = (source as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]();
  let finished = false;
  try {
    for (;;) {
      const next = signal ? await nextOrAbort(iterator, signal) : await iterator.next();
      if (next.done) {
        finished = true;
        return;
      }
      const value = next.value;
      yield typeof value === "string" ? Buffer.from(value) : value;
    }
  } finally {
    // Don't await: a stalled source may never settle its pending next().
    if (!finished) void Promise.resolve(iterator.return?.()).catch(() => undefined);
  }
}

/**
 * iterator.next(), or a rejection as soon as the signal aborts. A fresh listener per call (rather
 * than racing one long-lived promise) so nothing accumulates over a long write.
 */
function nextOrAbort<T>(iterator: AsyncIterator<T>, signal: AbortSignal): Promise<IteratorResult<T>> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(abortReason(signal));
    const onAbort = () => reject(abortReason(signal));
    signal.addEventListener("abort", onAbort, { once: true });
    iterator.next().then(
      (result) => {
        signal.removeEventListener("abort", onAbort);
        resolve(result);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

/** Running size / MD5 / CRC-64 with the write options' limits. */
export class BlobDigest {
  size = 0;
  private readonly md5: Hash = createHash("md5");
  private crc = 0n;

  constructor(private readonly options: BlobWriteOptions = {}) {}

  /** Accounts for a chunk; throws before the chunk is stored if it breaks a limit. */
  add(chunk: Buffer): void {
    const size = this.size + chunk.length;
    const { maxSize, expectedSize } = this.options;
    if (maxSize !== undefined && size > maxSize) throw new BlobTooLargeError(maxSize);
    if (expectedSize !== undefined && size > expectedSize) throw new BlobSizeMismatchError(expectedSize, size);
    this.size = size;
    this.md5.update(chunk);
    this.crc = crc64Update(this.crc, chunk);
  }

  /** Checks the final size and returns the digests. */
  finish(): { size: number; md5: Buffer; crc64: bigint } {
    const { expectedSize } = this.options;
    if (expectedSize !== undefined && this.size !== expectedSize) throw new BlobSizeMismatchError(expectedSize, this.size);
    return { size: this.size, md5: this.md5.digest(), crc64: this.crc };
  }
}

/** 128-bit random ids, lower-case hex: the only alphabet a blob id may use. */
export const BLOB_ID_PATTERN = /^[0-9a-f]{32}$/;

export function isBlobId(id: string): boolean {
  return BLOB_ID_PATTERN.test(id);
}

/** The error a read of an unknown (or malformed) blob id fails with. */
export function blobNotFound(id: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(`no such blob: ${JSON.stringify(id).slice(0, 80)}`);
  error.code = "ENOENT";
  return error;
}

/** A stream that fails with `error` on the next tick (read() reports errors through the stream). */
export function failedStream(error: Error): Readable {
  const stream = new PassThrough();
  process.nextTick(() => stream.destroy(error));
  return stream;
}
