/**
 * Streaming encryption and decryption in the chunked AES-256-GCM format of `format.ts`.
 * Both hold at most about one chunk (plus the incoming write) in memory, and go through Node's
 * Transform, so a slow reader pauses the writer (backpressure).
 *
 * The decrypter verifies a whole chunk's tag before pushing any of its plaintext: a corrupted,
 * reordered, truncated or extended ciphertext fails the stream with `CiphertextCorruptError`
 * and nothing unauthenticated is ever emitted.
 */
import { createCipheriv, createDecipheriv } from "node:crypto";
import { Transform, type TransformCallback } from "node:stream";
import {
  CiphertextCorruptError,
  TAG_BYTES,
  checkDataKey,
  checkHeader,
  checkRange,
  chunkAad,
  chunkCount,
  chunkNonce,
  chunkPlainLength,
  type ByteRange,
  type EncryptionHeader,
} from "./format.js";

/** A FIFO of buffers that can hand out exactly n bytes without re-concatenating everything. */
class ByteQueue {
  private parts: Buffer[] = [];
  private head = 0; // index of the first live part (no Array.shift: tiny writes would make it quadratic)
  length = 0;

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.parts.push(chunk);
    this.length += chunk.length;
  }

  /** Removes and returns the first `n` bytes (n ≤ length). */
  take(n: number): Buffer {
    const out: Buffer[] = [];
    let need = n;
    while (need > 0) {
      const part = this.parts[this.head]!;
      if (part.length <= need) {
        out.push(part);
        this.head++;
        need -= part.length;
      } else {
        out.push(part.subarray(0, need));
        this.parts[this.head] = part.subarray(need);
        need = 0;
      }
    }
    if (this.head > 1024 || this.head === this.parts.length) {
      this.parts = this.parts.slice(this.head);
      this.head = 0;
    }
    this.length -= n;
    return out.length === 1 ? out[0]! : Buffer.concat(out, n);
  }
}

function toBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  throw new TypeError("encryption streams carry bytes only");
}

export function sealChunk(dataKey: Buffer, header: EncryptionHeader, index: number, final: boolean, plain: Buffer): Buffer {
  const cipher = createCipheriv("aes-256-gcm", dataKey, chunkNonce(header.nonceBase, index));
  cipher.setAAD(chunkAad(index, final));
  const body = cipher.update(plain);
  cipher.final();
  return Buffer.concat([body, cipher.getAuthTag()], plain.length + TAG_BYTES);
}

/** Decrypts and verifies one sealed chunk; throws CiphertextCorruptError when it does not verify. */
export function openChunk(dataKey: Buffer, header: EncryptionHeader, index: number, final: boolean, sealed: Buffer): Buffer {
  if (sealed.length < TAG_BYTES) throw new CiphertextCorruptError(`chunk ${index} is truncated`, index);
  const body = sealed.subarray(0, sealed.length - TAG_BYTES);
  const decipher = createDecipheriv("aes-256-gcm", dataKey, chunkNonce(header.nonceBase, index));
  decipher.setAAD(chunkAad(index, final));
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  const plain = decipher.update(body);
  try {
    decipher.final();
  } catch {
    throw new CiphertextCorruptError(`ciphertext chunk ${index} failed authentication (corrupted, reordered or truncated data)`, index);
  }
  return plain;
}

/**
 * The synchronous core of encryption, shared by the stream and `writeEncryptedBlob`. The
 * plaintext size need not be known up front: a chunk is sealed as non-final only once more bytes
 * are known to follow; `end()` seals the remainder (possibly empty) as the final chunk.
 */
export class ChunkSealer {
  private readonly queue = new ByteQueue();
  private index = 0;

  constructor(private readonly dataKey: Buffer, private readonly header: EncryptionHeader) {
    checkDataKey(dataKey);
    checkHeader(header);
  }

  /** Sealed chunks now complete (possibly none). */
  write(plain: Buffer): Buffer[] {
    this.queue.push(plain);
    const out: Buffer[] = [];
    while (this.queue.length > this.header.chunkSize) out.push(sealChunk(this.dataKey, this.header, this.index++, false, this.queue.take(this.header.chunkSize)));
    return out;
  }

  end(): Buffer {
    return sealChunk(this.dataKey, this.header, this.index++, true, this.queue.take(this.queue.length));
  }
}

/** Plaintext in, ciphertext out (see ChunkSealer). */
export function createEncryptStream(dataKey: Buffer, header: EncryptionHeader): Transform {
  const sealer = new ChunkSealer(dataKey, header);
  return new Transform({
    transform(chunk: unknown, _encoding, callback: TransformCallback) {
      try {
        for (const sealed of sealer.write(toBuffer(chunk))) this.push(sealed);
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
    flush(callback: TransformCallback) {
      try {
        this.push(sealer.end());
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
  });
}

/**
 * Ciphertext in, plaintext out. Without `plaintextRange` the input is the whole blob; with it the
 * input must be exactly the bytes `ciphertextRangeFor(plaintextRange, plaintextSize, chunkSize)`
 * names, and only the requested plaintext bytes are emitted.
 */
export function createDecryptStream(
  dataKey: Buffer,
  header: EncryptionHeader & { readonly plaintextSize: number },
  plaintextRange?: ByteRange,
): Transform {
  checkDataKey(dataKey);
  checkHeader(header);
  const { chunkSize, plaintextSize } = header;
  if (!Number.isSafeInteger(plaintextSize) || plaintextSize < 0) throw new RangeError(`bad plaintext size ${plaintextSize}`);
  const lastIndex = chunkCount(plaintextSize, chunkSize) - 1;
  if (plaintextRange) checkRange(plaintextRange, plaintextSize);
  const range = plaintextRange ?? { start: 0, end: plaintextSize - 1 };
  let index = Math.floor(range.start / chunkSize);
  const endIndex = plaintextRange ? Math.floor(range.end / chunkSize) : lastIndex;
  let skip = range.start - index * chunkSize;
  let remaining = range.end - range.start + 1; // plaintext bytes still to emit
  const queue = new ByteQueue();

  const sealedLength = (i: number): number => chunkPlainLength(i, plaintextSize, chunkSize) + TAG_BYTES;

  return new Transform({
    transform(chunk: unknown, _encoding, callback: TransformCallback) {
      try {
        queue.push(toBuffer(chunk));
        while (index <= endIndex && queue.length >= sealedLength(index)) {
          const plain = openChunk(dataKey, header, index, index === lastIndex, queue.take(sealedLength(index)));
          index++;
          const wanted = plain.subarray(skip, skip + remaining);
          skip = 0;
          remaining -= wanted.length;
          if (wanted.length > 0) this.push(wanted);
        }
        if (index > endIndex && queue.length > 0) throw new CiphertextCorruptError("unexpected bytes after the last ciphertext chunk", index);
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
    flush(callback: TransformCallback) {
      if (index <= endIndex) {
        callback(new CiphertextCorruptError(`ciphertext ends early: chunk ${index} is missing or truncated`, index));
        return;
      }
      callback();
    },
  });
}
