/**
 * One access-log line in OSS's log-file format: the fields in OSS's documented order, separated by
 * single spaces, strings in double quotes, "-" for what is not known, times in Beijing time (UTC+8)
 * as OSS writes them:
 *
 *   Remote IP, Reserved, Reserved, Time, "Request-URI", HTTP Status, SentBytes, RequestTime (ms),
 *   "Referer", "User-Agent", "HostName", "Request ID", "LoggingFlag", "Requester Aliyun ID",
 *   "Operation", "Bucket", "Key", ObjectSize, Server Cost Time (ms), "Error Code", Request Length,
 *   "UserID", Delta DataSize, "Sync Request", "StorageClass", "TargetStorageClass",
 *   "TransmissionAccelerationAccessPoint", "AccessKeyID"
 *
 * A line never contains a newline or an unescaped quote: quoted values have `"` and control
 * characters percent-encoded (keys are URL-encoded, as OSS writes them), so one request is one line.
 */

export interface AccessLogEntry {
  readonly remoteIp: string;
  readonly at: Date;
  readonly method: string;
  /** The request target as sent (path and query). */
  readonly uri: string;
  readonly httpVersion: string;
  readonly status: number;
  readonly sentBytes: number;
  readonly requestTimeMs: number;
  readonly referer?: string | undefined;
  readonly userAgent?: string | undefined;
  readonly host?: string | undefined;
  readonly requestId: string;
  /** Requester's account (or RAM user) id; undefined when anonymous. */
  readonly requester?: string | undefined;
  readonly operation: string;
  readonly bucket: string;
  readonly key?: string | undefined;
  readonly objectSize?: number | undefined;
  readonly errorCode?: string | undefined;
  readonly requestLength: number;
  /** The bucket owner's account id. */
  readonly owner?: string | undefined;
  readonly deltaDataSize?: number | undefined;
  readonly storageClass?: string | undefined;
  readonly accessKeyId?: string | undefined;
}

function quoted(value: string | undefined): string {
  if (value === undefined || value === "") return '"-"';
  // eslint-disable-next-line no-control-regex
  return `"${value.replace(/["\u0000-\u001f\u007f]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`)}"`;
}

function number(value: number | undefined): string {
  return value === undefined ? "-" : String(Math.max(0, Math.round(value)));
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad = (n: number): string => String(n).padStart(2, "0");

/** `[02/May/2012:00:00:04 +0800]`. */
export function logTime(at: Date): string {
  const t = new Date(at.getTime() + 8 * 3600_000); // read in UTC fields: Beijing time
  return `[${pad(t.getUTCDate())}/${MONTHS[t.getUTCMonth()]}/${t.getUTCFullYear()}:${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())} +0800]`;
}

export function formatLogLine(e: AccessLogEntry): string {
  return [
    e.remoteIp || "-",
    "-",
    "-",
    logTime(e.at),
    quoted(`${e.method} ${e.uri} HTTP/${e.httpVersion}`),
    String(e.status),
    number(e.sentBytes),
    number(e.requestTimeMs),
    quoted(e.referer),
    quoted(e.userAgent),
    quoted(e.host),
    quoted(e.requestId),
    quoted("true"),
    quoted(e.requester),
    quoted(e.operation),
    quoted(e.bucket),
    quoted(e.key === undefined ? undefined : encodeURIComponent(e.key)),
    number(e.objectSize),
    number(e.requestTimeMs),
    quoted(e.errorCode),
    number(e.requestLength),
    quoted(e.owner),
    number(e.deltaDataSize),
    quoted(undefined),
    quoted(e.storageClass),
    quoted(undefined),
    quoted(undefined),
    quoted(e.accessKeyId),
  ].join(" ");
}

/** `<TargetPrefix><SourceBucket>YYYY-mm-DD-HH-MM-SS-<UniqueString>` (Beijing time, as OSS names them). */
export function logObjectKey(prefix: string, sourceBucket: string, at: Date, unique: string): string {
  const t = new Date(at.getTime() + 8 * 3600_000);
  const stamp = `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}-${pad(t.getUTCHours())}-${pad(t.getUTCMinutes())}-${pad(t.getUTCSeconds())}`;
  return `${prefix}${sourceBucket}${stamp}-${unique}`;
}
