/**
 * Signatures this process verified recently, by the signature presented. A presigned URL (or an
 * SDK's repeated request) presents the same signature over and over; recomputing it is a SHA-256
 * of the canonical request and an HMAC per request. A signature is a pure function of the secret
 * and the signed text, so a request is taken as verified again only when it presents the same
 * signature for the same text (`signed`: everything the signature covers, e.g. v4InputKey) under
 * the same secret (a rotated or changed secret recomputes); what is signed (time, expiry, scope)
 * is still checked by the caller per request.
 *
 * Entries are looked up by the presented signature (a short key: hashing the long signed text
 * cost more than the rest of a hit), then the signed text is compared. That comparison is not
 * constant-time and need not be: both sides are request text (the caller's, and that of a request
 * that presented the same signature and passed), nothing derived from the secret. Only signatures
 * that passed the constant-time comparison are remembered. Bounded: cleared when full.
 */
const MAX_ENTRIES = 4096;
const verified = new Map<string, { readonly secret: string; readonly signed: string }>();

/** True when this process verified `provided` as the signature of `signed` under `secret` before. */
export function verifiedBefore(secret: string, signed: string, provided: string): boolean {
  const hit = verified.get(provided);
  return hit !== undefined && hit.secret === secret && hit.signed === signed;
}

/** Remembers a signature that passed the constant-time comparison. */
export function rememberVerified(secret: string, signed: string, provided: string): void {
  if (verified.size >= MAX_ENTRIES) verified.clear();
  verified.set(provided, { secret, signed });
}

/** Entries held (tests). */
export function signatureMemoSize(): number {
  return verified.size;
}
