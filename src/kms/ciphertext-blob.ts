/**
 * The KMS CiphertextBlob (Encrypt, GenerateDataKey → Decrypt): self-describing and authenticated.
 *
 *   base64( "BK" | 0x01 | keyId (16 bytes, UUID) | keyVersionId (16 bytes, UUID) | iv (12) | ciphertext | tag (16) )
 *
 * Sealed with AES-256-GCM under the CMK's material; the AAD is the 35-byte header followed by the
 * canonical EncryptionContext (JSON with sorted keys, or empty), so the key id, its version and the
 * context can't be swapped without Decrypt failing. Decrypt finds the CMK from the header alone.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { KmsCiphertextError } from "./errors.js";

const MAGIC = Buffer.from([0x42, 0x4b, 0x01]);
const HEADER_BYTES = MAGIC.length + 16 + 16;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export type EncryptionContext = Readonly<Record<string, string>>;

export function isKeyUuid(value: string): boolean {
  return UUID.test(value);
}

function uuidBytes(uuid: string): Buffer {
  if (!UUID.test(uuid)) throw new Error(`not a lower-case UUID: ${uuid}`);
  return Buffer.from(uuid.replace(/-/g, ""), "hex");
}

function uuidString(bytes: Buffer): string {
  const h = bytes.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function canonicalContext(context: EncryptionContext | undefined): Buffer {
  if (!context || Object.keys(context).length === 0) return Buffer.alloc(0);
  const sorted = Object.fromEntries(Object.keys(context).sort().map((k) => [k, context[k]]));
  return Buffer.from(JSON.stringify(sorted));
}

export interface BlobHeader {
  readonly keyId: string;
  readonly keyVersionId: string;
}

export function sealBlob(material: Buffer, header: BlobHeader, plaintext: Buffer, context?: EncryptionContext): string {
  const head = Buffer.concat([MAGIC, uuidBytes(header.keyId), uuidBytes(header.keyVersionId)]);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", material, iv);
  cipher.setAAD(Buffer.concat([head, canonicalContext(context)]));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([head, iv, body, cipher.getAuthTag()]).toString("base64");
}

/** Reads the key the blob names, without decrypting (to find and authorize the CMK first). */
export function readBlobHeader(blob: string): BlobHeader {
  const bytes = decode(blob);
  return { keyId: uuidString(bytes.subarray(3, 19)), keyVersionId: uuidString(bytes.subarray(19, 35)) };
}

export function openBlob(material: Buffer, blob: string, context?: EncryptionContext): Buffer {
  const bytes = decode(blob);
  const head = bytes.subarray(0, HEADER_BYTES);
  const iv = bytes.subarray(HEADER_BYTES, HEADER_BYTES + IV_BYTES);
  const body = bytes.subarray(HEADER_BYTES + IV_BYTES, bytes.length - TAG_BYTES);
  const decipher = createDecipheriv("aes-256-gcm", material, iv);
  decipher.setAAD(Buffer.concat([head, canonicalContext(context)]));
  decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
  const plain = decipher.update(body);
  try {
    decipher.final();
  } catch {
    throw new KmsCiphertextError("it does not authenticate (tampered, or another EncryptionContext).");
  }
  return plain;
}

function decode(blob: string): Buffer {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(blob)) throw new KmsCiphertextError("it is not base64.");
  const bytes = Buffer.from(blob, "base64");
  if (bytes.length < HEADER_BYTES + IV_BYTES + TAG_BYTES || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new KmsCiphertextError("it was not produced by this KMS.");
  }
  return bytes;
}
