/**
 * Envelope keys: a fresh data key and nonce base per blob, and wrapping the data key under the
 * server master key (SSE-OSS `AES256`). For SSE-KMS the KMS wraps it instead (`KmsService`
 * `generateDataKey`/`decrypt`), and its CiphertextBlob is stored as `wrappedKey`.
 */
import { randomBytes } from "node:crypto";
import type { SecretBox } from "../iam/secret-box.js";
import { CiphertextCorruptError, DATA_KEY_BYTES, DEFAULT_CHUNK_SIZE, NONCE_BYTES, checkDataKey, type EncryptionHeader, type EncryptionInfo } from "./format.js";

/** Bound as SecretBox associated data, so a sealed data key can't pass for another kind of secret. */
const MASTER_WRAP_CONTEXT = "barbucket/sse-oss/data-key/v1";

export function newDataKey(): Buffer {
  return randomBytes(DATA_KEY_BYTES);
}

export function newHeader(chunkSize = DEFAULT_CHUNK_SIZE): EncryptionHeader {
  return { nonceBase: randomBytes(NONCE_BYTES), chunkSize };
}

/** The data key sealed under the server master key (`<dataDir>/master.key`), for `EncryptionInfo.wrappedKey`. */
export function wrapWithMasterKey(box: SecretBox, dataKey: Buffer): string {
  checkDataKey(dataKey);
  return box.seal(dataKey.toString("base64"), MASTER_WRAP_CONTEXT);
}

/** Opens a key sealed by `wrapWithMasterKey`; a tampered or foreign value → CiphertextCorruptError. */
export function unwrapWithMasterKey(box: SecretBox, wrapped: string): Buffer {
  let key: Buffer;
  try {
    key = Buffer.from(box.open(wrapped, MASTER_WRAP_CONTEXT), "base64");
  } catch {
    throw new CiphertextCorruptError("the wrapped data key does not open under the server master key");
  }
  if (key.length !== DATA_KEY_BYTES) throw new CiphertextCorruptError("the wrapped data key has the wrong length");
  return key;
}

/** Metadata for a blob written with `header`, once its plaintext size is known. */
export function encryptionInfo(
  fields: { algorithm: "AES256" | "KMS"; kmsKeyId?: string; wrappedKey: string },
  header: EncryptionHeader,
  plaintextSize: number,
): EncryptionInfo {
  return {
    algorithm: fields.algorithm,
    ...(fields.kmsKeyId !== undefined ? { kmsKeyId: fields.kmsKeyId } : {}),
    wrappedKey: fields.wrappedKey,
    nonceBase: header.nonceBase.toString("base64"),
    chunkSize: header.chunkSize,
    plaintextSize,
  };
}

/** The reader's header from stored metadata (validated when a stream is created). */
export function headerFromInfo(info: EncryptionInfo): EncryptionHeader & { plaintextSize: number } {
  return { nonceBase: Buffer.from(info.nonceBase, "base64"), chunkSize: info.chunkSize, plaintextSize: info.plaintextSize };
}
