/**
 * Encrypted blobs on any BlobStore: what the object layer calls instead of `blobs.write` /
 * `blobs.read` for an SSE object segment.
 *
 * Why not just pipe through the streams: `BlobStore.write` digests and size-checks the bytes it
 * stores, which here are ciphertext, while OSS reports (ETag, x-oss-hash-crc64ecma, Content-MD5
 * checks, Content-Length) and limits are about the plaintext. `writeEncryptedBlob` therefore
 * digests and checks the plaintext itself and returns plaintext figures, with the stored
 * (ciphertext) size on the side.
 */
import { pipeline, type Readable } from "node:stream";
import { BlobDigest, chunksOf } from "../storage/blob-ingest.js";
import type { BlobStore, BlobWriteOptions } from "../storage/types.js";
import { ChunkSealer, createDecryptStream } from "./streams.js";
import { ciphertextRangeFor, type ByteRange, type EncryptionHeader, type EncryptionInfo } from "./format.js";
import { encryptionInfo, headerFromInfo } from "./data-key.js";

export interface EncryptedBlobInfo {
  /** The blob holding the ciphertext. */
  readonly id: string;
  /** Plaintext size, MD5 and CRC-64 (what the object's ETag, CRC and Content-Length are built from). */
  readonly size: number;
  readonly md5: Buffer;
  readonly crc64: bigint;
  /** Bytes stored (= ciphertextSize(size, chunkSize)). */
  readonly storedSize: number;
  /** The segment's metadata to keep with the object record. */
  readonly encryption: EncryptionInfo;
}

export interface EncryptedWrite {
  readonly dataKey: Buffer;
  readonly header: EncryptionHeader;
  /** How the data key is kept: `wrapWithMasterKey(...)` for AES256, the KMS CiphertextBlob for KMS. */
  readonly key: { readonly algorithm: "AES256" | "KMS"; readonly kmsKeyId?: string; readonly wrappedKey: string };
}

/**
 * Streams `source` (plaintext) into a new blob as ciphertext. `expectedSize`/`maxSize` apply to
 * the plaintext and fail with the usual BlobSizeMismatchError / BlobTooLargeError; on any failure
 * nothing is left behind (the BlobStore's guarantee).
 */
export async function writeEncryptedBlob(
  blobs: BlobStore,
  source: AsyncIterable<Buffer> | Readable,
  write: EncryptedWrite,
  options: BlobWriteOptions = {},
): Promise<EncryptedBlobInfo> {
  const digest = new BlobDigest(options);
  const sealer = new ChunkSealer(write.dataKey, write.header);
  let plain: { size: number; md5: Buffer; crc64: bigint } | undefined;
  async function* chunks(): AsyncGenerator<Buffer> {
    for await (const chunk of chunksOf(source, options.signal)) {
      digest.add(chunk); // plaintext limits: throws before anything of an oversized body is stored
      yield* sealer.write(chunk);
    }
    plain = digest.finish(); // a short body fails here, before the final chunk and the commit
    yield sealer.end();
  }
  const stored = await blobs.write(chunks(), options.signal ? { signal: options.signal } : {});
  if (!plain) throw new Error("encrypted write finished without digesting the plaintext");
  return { id: stored.id, ...plain, storedSize: stored.size, encryption: encryptionInfo(write.key, write.header, plain.size) };
}

/**
 * The plaintext of an encrypted blob, or of `range` of it (inclusive, validated by the caller
 * against `info.plaintextSize`: a bad range throws RangeError). Reads only the chunks the range
 * needs; corrupted data fails the stream with CiphertextCorruptError, never emitting unverified bytes.
 */
export function readDecryptedBlob(blobs: BlobStore, blobId: string, dataKey: Buffer, info: EncryptionInfo, range?: ByteRange): Readable {
  const decrypt = createDecryptStream(dataKey, headerFromInfo(info), range);
  const c = range ? ciphertextRangeFor(range, info.plaintextSize, info.chunkSize) : undefined;
  const source = blobs.read(blobId, c ? { start: c.start, end: c.end } : undefined);
  // Errors reach the consumer through `decrypt`, which pipeline destroys with the first error.
  return pipeline(source, decrypt, () => undefined);
}
