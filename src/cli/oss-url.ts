/** `oss://bucket/key` addresses of the CLI. */
import { UsageError } from "./exit-codes.js";

export interface OssUrl {
  readonly bucket: string;
  /** The key or prefix, "" for the bucket itself. No leading slash. */
  readonly key: string;
}

export function isOssUrl(text: string): boolean {
  return /^oss:\/\//i.test(text);
}

/** Parses `oss://bucket[/key]`; throws UsageError for anything else. */
export function parseOssUrl(text: string): OssUrl {
  const m = /^oss:\/\/([^/]*)(?:\/(.*))?$/is.exec(text);
  if (!m) throw new UsageError(`not an oss:// URL: ${text}`);
  const bucket = m[1]!;
  if (!/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(bucket)) {
    throw new UsageError(`bad bucket name "${bucket}" in ${text} (3..63 of a-z, 0-9 and -, not starting or ending with -)`);
  }
  return { bucket, key: m[2] ?? "" };
}

export function formatOssUrl(bucket: string, key = ""): string {
  return `oss://${bucket}/${key}`;
}

/** The key for a source placed under a destination: a destination ending in "/" (or empty) is a folder. */
export function destinationKey(dstKey: string, sourceName: string): string {
  if (dstKey === "" || dstKey.endsWith("/")) return dstKey + sourceName;
  return dstKey;
}
