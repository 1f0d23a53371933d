/**
 * The database could not answer: unreachable, restarting, out of connections, or a transaction
 * that kept conflicting past its retries. Retryable by the client: the request fails with
 * 503 ServiceUnavailable. (A COMMIT cut off by a lost connection may have committed; a retried
 * OSS write is idempotent in effect.)
 */
export class DatabaseUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "DatabaseUnavailableError";
  }
}

/** SQLSTATE classes and codes that mean "the database is not there right now", not "the query is wrong". */
const UNAVAILABLE_CODES = new Set(["57P01", "57P02", "57P03", "53300", "53400"]);
const UNAVAILABLE_NODE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH"]);

export function isUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && (code.startsWith("08") || UNAVAILABLE_CODES.has(code) || UNAVAILABLE_NODE_CODES.has(code))) return true;
  const message = error instanceof Error ? error.message : "";
  // pg's own wording for a pool that could not connect in time or a connection that died.
  return /timeout exceeded when trying to connect|Connection terminated/i.test(message);
}

/** `error` as a DatabaseUnavailableError when it means the database is unreachable; else unchanged. */
export function asUnavailable(error: unknown): unknown {
  if (error instanceof DatabaseUnavailableError || !isUnavailable(error)) return error;
  return new DatabaseUnavailableError(`the metadata database is unavailable: ${(error as Error).message}`, { cause: error });
}
