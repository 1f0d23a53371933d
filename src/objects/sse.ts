/**
 * Server-side encryption for the object layer: which encryption a write gets (request headers,
 * else the bucket default), writing a body as a plain or encrypted segment, and opening segments
 * for reading with their data keys unwrapped up front (so a disabled KMS key or a missing
 * kms:Decrypt permission fails the request before any header is sent).
 *
 * Error codes follow OSS's documented ECs: 0005-00000205 (empty key id), 0005-00000208 (unknown
 * CMK), 0005-00000214 (key disabled, 409), 0005-00000215 (key pending deletion, 409).
 */
import type { Readable } from "node:stream";
import type { Services } from "../services.js";
import type { Principal } from "../auth/types.js";
import type { BlobInfo, BlobWriteOptions, ObjectEncryption, ObjectRecord, Segment } from "../storage/types.js";
import { OssError } from "../errors/oss-error.js";
import {
  newDataKey, newHeader, readDecryptedBlob, unwrapWithMasterKey, wrapWithMasterKey, writeEncryptedBlob,
  type EncryptionInfo,
} from "../crypto/index.js";
import { KmsKeyDisabledError, KmsKeyNotFoundError, KmsCiphertextError } from "../kms/errors.js";
import { kmsKeyAllowed } from "../kms/access.js";
import type { ConditionContext } from "../policy/conditions.js";

/** The bucket setting that holds the default encryption (JSON of ObjectEncryption). */
export const BUCKET_ENCRYPTION_SETTING = "encryption";

export interface Caller {
  readonly principal: Principal | undefined;
  readonly context?: ConditionContext;
}

/** Parses x-oss-server-side-encryption[-key-id]; falls back to the bucket default. */
export async function encryptionFor(services: Services, headers: Readonly<Record<string, string>>, bucket: string): Promise<ObjectEncryption | undefined> {
  const algorithm = headers["x-oss-server-side-encryption"];
  const keyId = headers["x-oss-server-side-encryption-key-id"];
  if (algorithm === undefined) {
    if (keyId !== undefined) {
      throw new OssError("InvalidArgument", "x-oss-server-side-encryption-key-id is only valid with x-oss-server-side-encryption: KMS.", {
        extra: { ArgumentName: "x-oss-server-side-encryption-key-id", ArgumentValue: keyId },
      });
    }
    return await bucketDefaultEncryption(services, bucket);
  }
  if (algorithm === "AES256") {
    if (keyId !== undefined) {
      throw new OssError("InvalidArgument", "x-oss-server-side-encryption-key-id is only valid with KMS.", {
        extra: { ArgumentName: "x-oss-server-side-encryption-key-id", ArgumentValue: keyId },
      });
    }
    return { algorithm: "AES256" };
  }
  if (algorithm === "KMS") {
    if (keyId !== undefined && keyId.trim() === "") {
      throw new OssError("InvalidArgument", "x-oss-server-side-encryption-key-id must not be empty.", { ec: "0005-00000205" });
    }
    return keyId !== undefined ? { algorithm: "KMS", kmsKeyId: keyId.trim() } : { algorithm: "KMS" };
  }
  throw new OssError("InvalidEncryptionAlgorithmError", `The encryption algorithm ${algorithm} is not supported (AES256 or KMS).`, {
    extra: { ArgumentName: "x-oss-server-side-encryption", ArgumentValue: algorithm },
  });
}

export async function bucketDefaultEncryption(services: Services, bucket: string): Promise<ObjectEncryption | undefined> {
  const raw = await services.meta.getBucketSetting(bucket, BUCKET_ENCRYPTION_SETTING);
  return raw ? (JSON.parse(raw) as ObjectEncryption) : undefined;
}

/** OSS errors for KMS failures. */
export function kmsToOss(error: unknown, keyId: string | undefined): unknown {
  if (error instanceof KmsKeyNotFoundError) {
    return new OssError("InvalidArgument", `The KMS key ${keyId ?? error.keyId} does not exist.`, { ec: "0005-00000208" });
  }
  if (error instanceof KmsKeyDisabledError) {
    return error.keyState === "PendingDeletion"
      ? new OssError("KmsKeyPendingDeletion", `The KMS key ${error.keyId} is pending deletion.`, { ec: "0005-00000215" })
      : new OssError("KmsKeyDisabled", `The KMS key ${error.keyId} is disabled.`, { ec: "0005-00000214" });
  }
  if (error instanceof KmsCiphertextError) return new OssError("InternalError", "The object's encrypted data key could not be decrypted.", { cause: error });
  return error;
}

/** A write that is ready to go: for KMS the key is resolved, checked and a data key generated. */
export interface PreparedEncryption {
  readonly encryption: ObjectEncryption;
  write(): Promise<{ dataKey: Buffer; key: { algorithm: "AES256" | "KMS"; kmsKeyId?: string; wrappedKey: string } }>;
}

/**
 * Resolves the key for writing (KMS: default key when none named, must exist and be enabled, and
 * the caller needs kms:GenerateDataKey on it). Returns undefined for plaintext writes.
 */
export async function prepareEncryption(services: Services, owner: string, caller: Caller, encryption: ObjectEncryption | undefined): Promise<PreparedEncryption | undefined> {
  if (!encryption) return undefined;
  if (encryption.algorithm === "AES256") {
    return {
      encryption,
      write: async () => {
        const dataKey = newDataKey();
        return { dataKey, key: { algorithm: "AES256", wrappedKey: wrapWithMasterKey(services.iam.box, dataKey) } };
      },
    };
  }
  let keyId: string;
  try {
    keyId = encryption.kmsKeyId ? (await services.kms.describe(owner, encryption.kmsKeyId)).keyId : await services.kms.defaultKeyId(owner);
  } catch (error) {
    throw kmsToOss(error, encryption.kmsKeyId);
  }
  const allowed = await kmsKeyAllowed(services, { principal: caller.principal, action: "kms:GenerateDataKey", ownerAccountId: owner, keyId, ...(caller.context ? { context: caller.context } : {}) });
  if (!allowed) throw new OssError("AccessDenied", `You are not allowed kms:GenerateDataKey on the KMS key ${keyId}.`);
  return {
    encryption: { algorithm: "KMS", kmsKeyId: keyId },
    write: async () => {
      try {
        const generated = await services.kms.generateDataKey(owner, keyId);
        return { dataKey: generated.plaintext, key: { algorithm: "KMS", kmsKeyId: keyId, wrappedKey: generated.ciphertextBlob } };
      } catch (error) {
        throw kmsToOss(error, keyId);
      }
    },
  };
}

/** Writes one segment, encrypted when `prepared` says so; figures are always about the plaintext. */
export async function writeSegment(
  services: Services,
  source: AsyncIterable<Buffer> | Readable,
  prepared: PreparedEncryption | undefined,
  options: BlobWriteOptions,
): Promise<{ blob: Pick<BlobInfo, "id" | "size" | "md5" | "crc64">; segment: Segment }> {
  if (!prepared) {
    const blob = await services.blobs.write(source, options);
    return { blob, segment: { blobId: blob.id, size: blob.size } };
  }
  const { dataKey, key } = await prepared.write();
  const blob = await writeEncryptedBlob(services.blobs, source, { dataKey, header: newHeader(), key }, options);
  return { blob, segment: { blobId: blob.id, size: blob.size, encryption: blob.encryption } };
}

/** Reads a byte range (segment-relative) of one segment. */
export type SegmentReader = (segment: Segment, range?: { start: number; end: number }) => Readable;

/**
 * Opens an object for reading: unwraps every encrypted segment's data key now, checking that the
 * caller (when given) may use the KMS keys involved (kms:Decrypt).
 */
export async function openSegments(services: Services, object: ObjectRecord, caller: Caller | "internal"): Promise<SegmentReader> {
  const keys = new Map<string, Buffer>();
  const checkedKeys = new Set<string>();
  for (const segment of object.segments) {
    const info = segment.encryption as EncryptionInfo | undefined;
    if (!info) continue;
    if (info.algorithm === "KMS" && caller !== "internal" && info.kmsKeyId && !checkedKeys.has(info.kmsKeyId)) {
      const allowed = await kmsKeyAllowed(services, { principal: caller.principal, action: "kms:Decrypt", ownerAccountId: object.owner, keyId: info.kmsKeyId, ...(caller.context ? { context: caller.context } : {}) });
      if (!allowed) throw new OssError("AccessDenied", `You are not allowed kms:Decrypt on the KMS key ${info.kmsKeyId} that protects this object.`);
      checkedKeys.add(info.kmsKeyId);
    }
    try {
      keys.set(segment.blobId, info.algorithm === "AES256" ? unwrapWithMasterKey(services.iam.box, info.wrappedKey) : (await services.kms.decrypt(object.owner, info.wrappedKey)).plaintext);
    } catch (error) {
      throw kmsToOss(error, info.kmsKeyId);
    }
  }
  return (segment, range) => {
    const info = segment.encryption as EncryptionInfo | undefined;
    const key = keys.get(segment.blobId);
    if (!info || !key) return services.blobs.read(segment.blobId, range);
    return readDecryptedBlob(services.blobs, segment.blobId, key, info, range);
  };
}

/** Response headers for an encrypted object. */
export function encryptionHeaders(encryption: ObjectEncryption | undefined): Record<string, string> {
  if (!encryption) return {};
  return {
    "x-oss-server-side-encryption": encryption.algorithm,
    ...(encryption.kmsKeyId ? { "x-oss-server-side-encryption-key-id": encryption.kmsKeyId } : {}),
  };
}
