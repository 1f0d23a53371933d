/** In-memory BlobStore for unit tests: same ids, limits, abort and range semantics as FsBlobStore. */
import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { BlobDigest, abortReason, blobNotFound, chunksOf, failedStream, isBlobId } from "./blob-ingest.js";
import type { BlobInfo, BlobStore, BlobWriteOptions } from "./types.js";

export class MemoryBlobStore implements BlobStore {
  private readonly blobs = new Map<string, Buffer>();
  /** Writes in progress, the in-memory analogue of tmp/ (always empty once a write settles). */
  private inFlight = 0;

  async write(source: AsyncIterable<Buffer> | Readable, options: BlobWriteOptions = {}): Promise<BlobInfo> {
    if (options.signal?.aborted) throw abortReason(options.signal);
    this.inFlight++;
    try {
      const digest = new BlobDigest(options);
      const chunks: Buffer[] = [];
      for await (const chunk of chunksOf(source, options.signal)) {
        digest.add(chunk);
        chunks.push(Buffer.from(chunk)); // copy: the producer may reuse its buffer
      }
      const info = digest.finish();
      if (options.signal?.aborted) throw abortReason(options.signal);
      const id = randomBytes(16).toString("hex");
      this.blobs.set(id, Buffer.concat(chunks));
      return { id, ...info };
    } finally {
      this.inFlight--;
    }
  }

  read(id: string, range?: { start: number; end: number }): Readable {
    const data = isBlobId(id) ? this.blobs.get(id) : undefined;
    if (!data) return failedStream(blobNotFound(id));
    if (!range) return Readable.from([data], { objectMode: false });
    if (!(Number.isSafeInteger(range.start) && Number.isSafeInteger(range.end) && range.start >= 0 && range.end >= range.start)) {
      return failedStream(new RangeError(`bad range ${range.start}-${range.end}`));
    }
    return Readable.from([data.subarray(range.start, range.end + 1)], { objectMode: false });
  }

  async delete(id: string): Promise<void> {
    this.blobs.delete(id);
  }

  async *list(): AsyncIterable<string> {
    yield* [...this.blobs.keys()];
  }

  async cleanupTemp(): Promise<number> {
    return 0;
  }

  /** Test helper: number of blobs held. */
  get size(): number {
    return this.blobs.size;
  }

  /** Test helper: writes currently streaming. */
  get writesInFlight(): number {
    return this.inFlight;
  }
}
