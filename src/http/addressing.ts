/**
 * Where a request points: bucket and key from the Host header (virtual-host style) or the path
 * (path style). Pure, so it is tested by a table.
 *
 * ali-oss pointed at an IP endpoint sends `Host: <bucket>.oss-<region>.aliyuncs.com` and path `/<key>`,
 * and `Host: .oss-<region>.aliyuncs.com` for ListBuckets, so those suffixes are always known.
 */
import { OssError } from "../errors/oss-error.js";

export interface Target {
  readonly bucket: string | undefined;
  /** Decoded key; undefined for service and bucket requests. */
  readonly key: string | undefined;
  readonly virtualHost: boolean;
}

const BUCKET_NAME = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

export function isValidBucketName(name: string): boolean {
  return BUCKET_NAME.test(name);
}

/** Percent-decodes a URL path; `+` stays literal (unlike in query strings). */
export function decodePath(rawPath: string): string {
  try {
    return decodeURIComponent(rawPath);
  } catch {
    throw new OssError("InvalidArgument", "The request URI is not validly percent-encoded.");
  }
}

function hostWithoutPort(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith("[")) return h.slice(0, h.indexOf("]") + 1);
  const colon = h.lastIndexOf(":");
  return colon >= 0 ? h.slice(0, colon) : h;
}

/** The bucket named by a virtual-host Host header, or undefined when the host is the bare endpoint. */
export function bucketFromHost(host: string | undefined, suffixes: readonly string[]): string | undefined {
  if (!host) return undefined;
  const name = hostWithoutPort(host);
  for (const suffix of suffixes) {
    if (name === suffix || name === `.${suffix}`) return undefined;
    if (name.endsWith(`.${suffix}`)) {
      const label = name.slice(0, -suffix.length - 1);
      return label === "" ? undefined : label;
    }
  }
  return undefined;
}

export function resolveTarget(host: string | undefined, rawPath: string, suffixes: readonly string[]): Target {
  const hostBucket = bucketFromHost(host, suffixes);
  if (hostBucket !== undefined) {
    const key = rawPath.length > 1 ? decodePath(rawPath.slice(1)) : undefined;
    return { bucket: hostBucket, key, virtualHost: true };
  }
  const path = rawPath.startsWith("/") ? rawPath.slice(1) : rawPath;
  if (path === "") return { bucket: undefined, key: undefined, virtualHost: false };
  const slash = path.indexOf("/");
  const bucket = decodePath(slash < 0 ? path : path.slice(0, slash));
  const rest = slash < 0 ? "" : path.slice(slash + 1);
  return { bucket, key: rest === "" ? undefined : decodePath(rest), virtualHost: false };
}

/** OSS object-name rules: UTF-8, 1–1023 bytes, not starting with `/` or `\`, no NUL. */
export function validateKey(key: string): void {
  const bytes = Buffer.byteLength(key, "utf8");
  if (bytes < 1 || bytes > 1023) {
    throw new OssError("InvalidObjectName", "The length of the object name must be between 1 and 1023 bytes.");
  }
  if (key.startsWith("/") || key.startsWith("\\")) {
    throw new OssError("InvalidObjectName", "The object name must not start with '/' or '\\'.");
  }
  if (key.includes("\u0000")) throw new OssError("InvalidObjectName", "The object name must not contain NUL.");
  if (!key.isWellFormed()) throw new OssError("InvalidObjectName", "The object name is not valid UTF-8.");
}

export function validateBucketName(name: string): void {
  if (!isValidBucketName(name)) {
    throw new OssError("InvalidBucketName", undefined, { extra: { BucketName: name } });
  }
}
