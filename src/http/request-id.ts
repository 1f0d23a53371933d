import { randomBytes } from "node:crypto";

/** OSS request ids are 24 uppercase hex characters. */
export function newRequestId(): string {
  return randomBytes(12).toString("hex").toUpperCase();
}
