/**
 * Recently computed signatures, by what they sign. A presigned URL (or an SDK's repeated request)
 * asks for the same signature over and over; recomputing it is a SHA-256 of the canonical request
 * and an HMAC per request. A signature is a pure function of the secret and the signed text, so
 * an entry is reused only for the same secret (a rotated or changed secret recomputes) and the
 * same text; what is signed (time, expiry, scope) is still checked by the caller per request.
 * Bounded: cleared when full.
 */
const MAX_ENTRIES = 4096;
const memo = new Map<string, { readonly secret: string; readonly signature: string }>();

/** `compute()` for (secret, signed), from memory when this process computed it before. */
export function memoSignature(secret: string, signed: string, compute: () => string): string {
  const hit = memo.get(signed);
  if (hit !== undefined && hit.secret === secret) return hit.signature;
  const signature = compute();
  if (memo.size >= MAX_ENTRIES) memo.clear();
  memo.set(signed, { secret, signature });
  return signature;
}

/** Entries held (tests). */
export function signatureMemoSize(): number {
  return memo.size;
}
