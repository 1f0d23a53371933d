/**
 * GetObject's body by sendfile (src/http/send-file.ts): the object's plaintext segments, or the
 * part of them a Range asks for, each sent from its blob file by the kernel.
 */
import type { RequestContext } from "../http/context.js";
import type { ObjectRecord } from "../storage/types.js";
import type { BlobFile } from "../storage/blob-files.js";
import { sendFileRange, sendHead } from "../http/send-file.js";

/** One segment's share of the range: `length` bytes of blob `blobId` from `offset`. */
export interface FilePiece {
  readonly blobId: string;
  readonly offset: number;
  readonly length: number;
}

/** The pieces of bytes [start, end] of `object`; undefined when a segment is encrypted (its bytes need JS). */
export function plaintextPieces(object: Pick<ObjectRecord, "segments">, start: number, end: number): FilePiece[] | undefined {
  const pieces: FilePiece[] = [];
  let segStart = 0;
  for (const segment of object.segments) {
    const segEnd = segStart + segment.size - 1;
    if (segment.size > 0 && segEnd >= start && segStart <= end) {
      if (segment.encryption !== undefined) return undefined;
      const from = Math.max(start, segStart);
      const to = Math.min(end, segEnd);
      pieces.push({ blobId: segment.blobId, offset: from - segStart, length: to - from + 1 });
    }
    segStart += segment.size;
  }
  return pieces;
}

/**
 * Sends the head, then every piece, then ends the response. `first` is the first piece's file,
 * opened before the status line (a missing blob is then an error answer); the others are opened
 * as their turn comes (a blob missing by then cuts the connection, as a failing stream does).
 */
export async function sendPieces(ctx: RequestContext, pieces: readonly FilePiece[], first: BlobFile): Promise<void> {
  const onSent = (bytes: number): void => {
    ctx.bytesOut += bytes;
  };
  let file: BlobFile | undefined = first;
  try {
    await sendHead(ctx.res);
    for (const piece of pieces) {
      file ??= await ctx.services.blobs.openFile!(piece.blobId);
      await sendFileRange(ctx.res, file.fd, piece.offset, piece.length, onSent);
      file.release();
      file = undefined;
    }
  } finally {
    file?.release();
  }
  ctx.res.end();
}
