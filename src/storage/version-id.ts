/**
 * Version ids as this server makes them (SQLite and PostgreSQL stores alike), and their shape, for
 * places that must tell an id from other text (an IMM SourceURI's `?versionId=` suffix).
 */
import { randomBytes } from "node:crypto";
import { NULL_VERSION } from "./types.js";

const PREFIX = "CAEQ";

/** A new opaque version id: the sequence keeps it unique, the random part keeps it unguessable. */
export function newVersionId(seq: number): string {
  const bytes = Buffer.alloc(16);
  bytes.writeBigUInt64BE(BigInt(seq));
  randomBytes(8).copy(bytes, 8);
  return `${PREFIX}${bytes.toString("base64url")}`;
}

/** What newVersionId makes: the prefix and 16 bytes in unpadded base64url (22 characters). */
const GENERATED_SHAPE = new RegExp(`^${PREFIX}[A-Za-z0-9_-]{22}$`);

/** Could `text` be a version id of this server (made by newVersionId, or the null version's)? */
export function hasVersionIdShape(text: string): boolean {
  return text === NULL_VERSION || GENERATED_SHAPE.test(text);
}
