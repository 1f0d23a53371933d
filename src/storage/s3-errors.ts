/**
 * How failures of an S3-compatible backend surface: unreachable or 5xx → BlobBackendUnavailableError
 * (503 to the client, retryable, nothing acknowledged); NoSuchKey → ENOENT as every BlobStore reads
 * fail for an unknown blob; anything else (AccessDenied, NoSuchBucket, …) → an Error naming the S3
 * code, which the HTTP layer answers with 500 InternalError and logs.
 */
import { BlobBackendUnavailableError } from "./types.js";

interface S3ErrorShape {
  readonly name?: string;
  readonly code?: string;
  readonly message?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
  readonly $retryable?: unknown;
}

const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN", "ECONNABORTED", "UND_ERR_SOCKET"]);
const NETWORK_NAMES = new Set(["TimeoutError", "RequestTimeout", "ServiceUnavailable", "SlowDown", "InternalError", "ThrottlingException"]);

/** HTTP status the S3 service answered with, if it answered at all. */
export function s3Status(error: unknown): number | undefined {
  return (error as S3ErrorShape | null)?.$metadata?.httpStatusCode;
}

export function isS3NotFound(error: unknown): boolean {
  const e = error as S3ErrorShape | null;
  return e?.name === "NoSuchKey" || e?.name === "NotFound" || e?.code === "NoSuchKey" || (s3Status(error) === 404 && e?.name !== "NoSuchBucket");
}

export function isS3Unavailable(error: unknown): boolean {
  const e = error as S3ErrorShape | null;
  if (!e || typeof e !== "object") return false;
  if (e.code && NETWORK_CODES.has(e.code)) return true;
  if (e.name && (NETWORK_CODES.has(e.name) || NETWORK_NAMES.has(e.name))) return true;
  const status = s3Status(error);
  if (status !== undefined && status >= 500) return true;
  // No HTTP answer at all (socket closed, DNS, refused) and not an abort we asked for.
  return status === undefined && e.name !== "AbortError" && /socket|connect|network|timed? ?out/i.test(e.message ?? "");
}

/** Wraps an S3 client failure for the layers above (see the module comment). */
export function fromS3Error(error: unknown, what: string): Error {
  if (error instanceof BlobBackendUnavailableError) return error;
  if ((error as S3ErrorShape | null)?.name === "AbortError") return error as Error;
  if (isS3Unavailable(error)) {
    return new BlobBackendUnavailableError(`object data store unavailable (${what}): ${describe(error)}`, { cause: error });
  }
  return new Error(`object data store refused ${what}: ${describe(error)}`, { cause: error });
}

function describe(error: unknown): string {
  const e = error as S3ErrorShape | null;
  const status = s3Status(error);
  return `${e?.name ?? e?.code ?? "Error"}${status ? ` (HTTP ${status})` : ""}${e?.message ? `: ${e.message}` : ""}`;
}
