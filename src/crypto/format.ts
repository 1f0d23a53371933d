/**
 * The at-rest format of server-side encrypted blobs (SSE-OSS `AES256` and SSE-KMS `KMS`), and the
 * pure size/range arithmetic over it.
 *
 * Each blob (one object segment) has its own random 256-bit data key and random 96-bit nonce base.
 * The plaintext is cut into chunks of `chunkSize` bytes (the last one may be shorter; an empty
 * plaintext is one empty chunk). Each chunk is sealed independently with AES-256-GCM:
 *
 *   nonce_i = nonceBase XOR (i as a 64-bit big-endian integer in bytes 4..11)
 *   aad_i   = "barbucket-sse-v1" || u64be(i) || u8(final ? 1 : 0)
 *   on disk = ciphertext_i (same length as the plaintext chunk) || tag_i (16 bytes)
 *
 * Binding the index (nonce + AAD) stops reordering; the final flag stops truncation at a chunk
 * boundary and bytes appended after the final chunk are rejected by the reader. No header is
 * stored in the blob: nonce base, chunk size and plaintext size live in the object's metadata
 * (`EncryptionInfo`), so the ciphertext size is a pure function of the plaintext size:
 *
 *   ciphertextSize(n) = n + 16 * max(1, ceil(n / chunkSize))
 *
 * and the ciphertext of chunk i starts at i * (chunkSize + 16), which makes range reads cheap.
 */

export const TAG_BYTES = 16;
export const NONCE_BYTES = 12;
export const DATA_KEY_BYTES = 32;
/** 64 KiB: a range GET decrypts at most 2 × 64 KiB more than it returns; tag overhead is 0.024 %. */
export const DEFAULT_CHUNK_SIZE = 64 * 1024;
export const MIN_CHUNK_SIZE = 16;
export const MAX_CHUNK_SIZE = 16 * 1024 * 1024;

const AAD_PREFIX = Buffer.from("barbucket-sse-v1");

/** What a reader needs besides the data key to decrypt one blob. */
export interface EncryptionHeader {
  /** 12 random bytes, fresh per blob. */
  readonly nonceBase: Buffer;
  readonly chunkSize: number;
}

/**
 * Per-segment encryption metadata, stored with the object record (JSON-safe).
 *  - `algorithm`: the SSE mode the client asked for (`x-oss-server-side-encryption`).
 *  - `kmsKeyId`: the CMK (KMS only), echoed as `x-oss-server-side-encryption-key-id`.
 *  - `wrappedKey`: the data key encrypted under the server master key (AES256, SecretBox format
 *    `v1.<iv>.<tag>.<ct>`) or the KMS CiphertextBlob (KMS) — never the key itself.
 *  - `nonceBase`: base64 of the 12-byte nonce base.
 *  - `chunkSize`, `plaintextSize`: bytes; `plaintextSize` is the segment's logical size.
 */
export interface EncryptionInfo {
  readonly algorithm: "AES256" | "KMS";
  readonly kmsKeyId?: string;
  readonly wrappedKey: string;
  readonly nonceBase: string;
  readonly chunkSize: number;
  readonly plaintextSize: number;
}

/** Ciphertext failed authentication, is truncated, has extra bytes, or the wrapped key is bad. */
export class CiphertextCorruptError extends Error {
  constructor(message: string, readonly chunkIndex?: number) {
    super(message);
    this.name = "CiphertextCorruptError";
  }
}

export function checkHeader(header: EncryptionHeader): void {
  if (header.nonceBase.length !== NONCE_BYTES) throw new RangeError(`nonce base must be ${NONCE_BYTES} bytes`);
  const c = header.chunkSize;
  if (!Number.isInteger(c) || c < MIN_CHUNK_SIZE || c > MAX_CHUNK_SIZE) throw new RangeError(`chunk size must be an integer in [${MIN_CHUNK_SIZE}, ${MAX_CHUNK_SIZE}]`);
}

export function checkDataKey(key: Buffer): void {
  if (key.length !== DATA_KEY_BYTES) throw new RangeError(`data key must be ${DATA_KEY_BYTES} bytes`);
}

/** Number of chunks a plaintext of `size` bytes is sealed as (an empty plaintext is one chunk). */
export function chunkCount(plaintextSize: number, chunkSize: number): number {
  return Math.max(1, Math.ceil(plaintextSize / chunkSize));
}

export function ciphertextSize(plaintextSize: number, chunkSize: number): number {
  return plaintextSize + TAG_BYTES * chunkCount(plaintextSize, chunkSize);
}

/** Plaintext length of chunk `index` of a plaintext of `plaintextSize` bytes. */
export function chunkPlainLength(index: number, plaintextSize: number, chunkSize: number): number {
  const last = chunkCount(plaintextSize, chunkSize) - 1;
  return index < last ? chunkSize : plaintextSize - last * chunkSize;
}

export function chunkNonce(nonceBase: Buffer, index: number): Buffer {
  const nonce = Buffer.from(nonceBase);
  // Index fits in 53 bits; XOR it big-endian into the low 8 bytes.
  const hi = Math.floor(index / 2 ** 32);
  const lo = index >>> 0;
  nonce.writeUInt32BE((nonce.readUInt32BE(4) ^ hi) >>> 0, 4);
  nonce.writeUInt32BE((nonce.readUInt32BE(8) ^ lo) >>> 0, 8);
  return nonce;
}

export function chunkAad(index: number, final: boolean): Buffer {
  const aad = Buffer.alloc(AAD_PREFIX.length + 9);
  AAD_PREFIX.copy(aad, 0);
  aad.writeBigUInt64BE(BigInt(index), AAD_PREFIX.length);
  aad[AAD_PREFIX.length + 8] = final ? 1 : 0;
  return aad;
}

/** An inclusive plaintext byte range, as in HTTP `Range: bytes=start-end`. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

export interface CiphertextRange {
  /** Inclusive ciphertext byte offsets to read from the blob. */
  readonly start: number;
  readonly end: number;
  /** Index of the chunk the ciphertext range starts with. */
  readonly firstChunkIndex: number;
  /** Plaintext bytes to drop from the first decrypted chunk. */
  readonly skipBytes: number;
}

export function checkRange(range: ByteRange, plaintextSize: number): void {
  const { start, end } = range;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end >= plaintextSize) {
    throw new RangeError(`range ${start}-${end} is not within a plaintext of ${plaintextSize} bytes`);
  }
}

/** The whole chunks covering `range`: what a range GET must read from the blob and decrypt. */
export function ciphertextRangeFor(range: ByteRange, plaintextSize: number, chunkSize: number): CiphertextRange {
  checkRange(range, plaintextSize);
  const stride = chunkSize + TAG_BYTES;
  const firstChunkIndex = Math.floor(range.start / chunkSize);
  const lastChunkIndex = Math.floor(range.end / chunkSize);
  const start = firstChunkIndex * stride;
  const end = lastChunkIndex * stride + chunkPlainLength(lastChunkIndex, plaintextSize, chunkSize) + TAG_BYTES - 1;
  return { start, end, firstChunkIndex, skipBytes: range.start - firstChunkIndex * chunkSize };
}
