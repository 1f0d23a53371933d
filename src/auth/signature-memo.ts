/**
 * Signatures this process verified recently, by the signature presented. A presigned URL (or an
 * SDK's repeated request) presents the same signature over and over; recomputing it is a SHA-256
 * of the canonical request and an HMAC per request. A signature is a pure function of the secret
 * and what it signs, so a request is taken as verified again only when it presents the same
 * signature under the same secret (a rotated or changed secret recomputes) for the same signed
 * inputs (`same(kept)`: for V4, v4.ts sameV4Inputs plus the date and scope); what is signed (time,
 * expiry, scope) is still checked by the caller per request.
 *
 * Entries are looked up by the presented signature (a short key: hashing a long key per request
 * cost more than the rest of a hit), then the inputs are compared. That comparison is not
 * constant-time and need not be: both sides are request data (the caller's, and that of a
 * request that presented the same signature and passed), nothing derived from the secret. Only
 * signatures that passed the constant-time comparison are remembered. Bounded: cleared when full.
 */
const MAX_ENTRIES = 4096;
const verified = new Map<string, { readonly secret: string; readonly signed: unknown }>();

/** True when this process verified `provided` under `secret` before, for inputs `same` recognises. */
export function verifiedBefore<T>(secret: string, provided: string, same: (kept: T) => boolean): boolean {
  const hit = verified.get(provided);
  return hit !== undefined && hit.secret === secret && same(hit.signed as T);
}

/** Remembers a signature that passed the constant-time comparison, with what it signed. */
export function rememberVerified<T>(secret: string, provided: string, signed: T): void {
  if (verified.size >= MAX_ENTRIES) verified.clear();
  verified.set(provided, { secret, signed });
}

/** Entries held (tests). */
export function signatureMemoSize(): number {
  return verified.size;
}
