/** Exit codes of every `barbucket` command (documented in `barbucket help` and the README). */
export const EXIT = {
  /** Everything done. */
  ok: 0,
  /** Some items failed (e.g. a file of `scan` could not be read; one object of `cp -r` failed). */
  failed: 1,
  /** Bad usage: unknown option, missing argument, malformed oss:// URL. */
  usage: 2,
  /** Not found: no such bucket, object, or local file. */
  notFound: 3,
  /** Access denied: bad credentials, signature mismatch, or refused by policy/ACL. */
  denied: 4,
  /** Any other server or network error (connection refused, 5xx, conflict such as BucketNotEmpty). */
  server: 5,
} as const;

export const EXIT_CODES_HELP = `Exit status:
  0  success
  1  some items failed (the others were done; see the error lines)
  2  bad usage (unknown option, missing argument, malformed oss:// URL)
  3  not found (no such bucket, object or local file)
  4  access denied (bad credentials or signature, refused by policy or ACL)
  5  other server or network error (connection refused, 5xx, BucketNotEmpty, …)`;

/** Thrown for bad usage inside a command; main turns it into exit 2. */
export class UsageError extends Error {}

/** Thrown for a missing local file or object found missing by the CLI itself. */
export class NotFoundError extends Error {}

interface ErrorLike {
  code?: unknown;
  status?: unknown;
  name?: unknown;
  message?: unknown;
}

/** Maps an ali-oss or Node error to the exit code above. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof UsageError) return EXIT.usage;
  if (error instanceof NotFoundError) return EXIT.notFound;
  const e = (error ?? {}) as ErrorLike;
  const code = typeof e.code === "string" ? e.code : "";
  const status = typeof e.status === "number" ? e.status : 0;
  if (code === "ENOENT" || code.startsWith("NoSuch") || status === 404) return EXIT.notFound;
  if (code === "EACCES" || code === "EPERM") return EXIT.denied;
  if (status === 403 || code === "AccessDenied" || code === "InvalidAccessKeyId" || code === "SignatureDoesNotMatch") return EXIT.denied;
  return EXIT.server;
}

/** One line for stderr: the OSS error code and message, or the Node error. */
export function describeError(error: unknown): string {
  const e = (error ?? {}) as ErrorLike;
  const message = typeof e.message === "string" ? e.message : String(error);
  const code = typeof e.code === "string" ? e.code : "";
  const status = typeof e.status === "number" && e.status > 0 ? ` (HTTP ${e.status})` : "";
  // ali-oss messages are long and repeat the request; the first line is the useful one.
  const first = message.split("\n")[0]!.replace(/ \(connected: .*$/, "");
  return code && !first.includes(code) ? `${code}${status}: ${first}` : `${first}${status}`;
}
