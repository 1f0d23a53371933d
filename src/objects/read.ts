/** Streams an object's bytes (or a byte range of them) across its segments, without buffering. */
import { Readable } from "node:stream";
import type { ObjectRecord } from "../storage/types.js";
import type { SegmentReader } from "./sse.js";

export function objectStream(readSegment: SegmentReader, object: Pick<ObjectRecord, "segments" | "size">, range?: { start: number; end: number }): Readable {
  const start = range?.start ?? 0;
  const end = range?.end ?? object.size - 1;
  if (end < start) return Readable.from([]);
  if (object.segments.length === 1 && object.segments[0]) {
    // The known end spares the final empty read and sizes the read buffer to small objects.
    return readSegment(object.segments[0], { start, end });
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
      for await (const chunk of readSegment(segment, { start: from, end: to })) yield chunk as Buffer;
    }
  }
  return Readable.from(pieces(), { objectMode: false });
}
