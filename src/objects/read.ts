/** Streams an object's bytes (or a byte range of them) across its segments, without buffering. */
import { Readable } from "node:stream";
import type { BlobStore, ObjectRecord } from "../storage/types.js";

export function objectStream(blobs: BlobStore, object: Pick<ObjectRecord, "segments" | "size">, range?: { start: number; end: number }): Readable {
  const start = range?.start ?? 0;
  const end = range?.end ?? object.size - 1;
  if (object.segments.length === 1 && object.segments[0]) {
    return blobs.read(object.segments[0].blobId, range);
  }
  async function* pieces(): AsyncGenerator<Buffer> {
    let offset = 0;
    for (const segment of object.segments) {
      const segStart = offset;
      const segEnd = offset + segment.size - 1;
      offset += segment.size;
      if (segment.size === 0 || segEnd < start) continue;
      if (segStart > end) break;
      const from = Math.max(start, segStart) - segStart;
      const to = Math.min(end, segEnd) - segStart;
      for await (const chunk of blobs.read(segment.blobId, { start: from, end: to })) yield chunk as Buffer;
    }
  }
  return Readable.from(pieces(), { objectMode: false });
}
