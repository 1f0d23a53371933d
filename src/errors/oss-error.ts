import { type ErrorCode, UNDOCUMENTED_EC, errorSpec } from "./codes.js";

/**
 * The single error type of the OSS surface. Lower layers translate their failures into one of
 * these at the boundary; `render.ts` turns it into the XML body OSS sends.
 * `extra` holds the additional elements OSS adds for some codes (BucketName, Key, StringToSign …),
 * in the order they should be written.
 */
export class OssError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly ec: string;
  readonly extra: ReadonlyArray<readonly [string, string]>;
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    code: ErrorCode,
    message?: string,
    options: { extra?: Record<string, string>; ec?: string; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    const spec = errorSpec(code);
    super(message ?? spec.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "OssError";
    this.code = code;
    this.status = spec.status;
    this.ec = options.ec ?? spec.ec ?? UNDOCUMENTED_EC;
    this.extra = Object.entries(options.extra ?? {});
    this.headers = options.headers ?? {};
  }
}

export function isOssError(e: unknown): e is OssError {
  return e instanceof OssError;
}
