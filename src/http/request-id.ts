import { randomBytes } from "node:crypto";

/** Random bytes are drawn in batches: one randomBytes call per request showed in the GET profile. */
const POOL_BYTES = 12 * 1024;
let pool = Buffer.alloc(0);
let offset = POOL_BYTES;

/** OSS request ids are 24 uppercase hex characters. */
export function newRequestId(): string {
  if (offset + 12 > pool.length) {
    pool = randomBytes(POOL_BYTES);
    offset = 0;
  }
  const id = pool.toString("hex", offset, offset + 12).toUpperCase();
  offset += 12;
  return id;
}
