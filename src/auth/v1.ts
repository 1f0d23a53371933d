/**
 * Signature V1 (`OSS <AccessKeyId>:<Signature>`, HMAC-SHA1) — string-to-sign builder and signer for
 * the header and presigned-URL forms (oss-api.md §4).
 */
import { createHmac } from "node:crypto";
import { isV1SubResource } from "./subresources.js";

export interface V1StringToSignInput {
  readonly method: string;
  readonly bucket: string | undefined;
  /** Decoded object key. */
  readonly key: string | undefined;
  readonly query: ReadonlyArray<readonly [string, string]>;
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string>>;
  /** The Date line: `x-oss-date ?? date` for header auth, the `Expires` value for presigned URLs. */
  readonly dateLine: string;
}

/** `x-oss-*` headers: lower-cased name, trimmed value, sorted by name, each `name:value\n`. */
export function buildV1CanonicalizedOssHeaders(headers: Readonly<Record<string, string>>): string {
  return Object.keys(headers)
    .map((name) => name.toLowerCase())
    .filter((name) => name.startsWith("x-oss-"))
    .sort()
    .map((name) => `${name}:${(headers[name] ?? "").trim()}\n`)
    .join("");
}

/**
 * `/`, `/bucket/` or `/bucket/key` (decoded key) followed by the sorted sub-resources.
 * Duplicate query keys: the first value wins (as for every other query lookup).
 */
export function buildV1CanonicalizedResource(
  bucket: string | undefined,
  key: string | undefined,
  query: ReadonlyArray<readonly [string, string]>,
): string {
  let resource = "/";
  if (bucket) resource += `${bucket}/${key ?? ""}`;
  const subResources = new Map<string, string>();
  for (const [name, value] of query) {
    if (isV1SubResource(name) && !subResources.has(name)) subResources.set(name, value);
  }
  if (subResources.size === 0) return resource;
  const parts = [...subResources.keys()].sort().map((name) => {
    const value = subResources.get(name) ?? "";
    return value === "" ? name : `${name}=${value}`;
  });
  return `${resource}?${parts.join("&")}`;
}

export function buildV1StringToSign(input: V1StringToSignInput): string {
  return (
    `${input.method.toUpperCase()}\n` +
    `${input.headers["content-md5"] ?? ""}\n` +
    `${input.headers["content-type"] ?? ""}\n` +
    `${input.dateLine}\n` +
    buildV1CanonicalizedOssHeaders(input.headers) +
    buildV1CanonicalizedResource(input.bucket, input.key, input.query)
  );
}

/** base64(HMAC-SHA1(secret, stringToSign)). */
export function signV1(secret: string, stringToSign: string): string {
  return createHmac("sha1", secret).update(stringToSign, "utf8").digest("base64");
}

/** Parses `OSS <AccessKeyId>:<Signature>`; undefined when malformed. */
export function parseV1Authorization(header: string): { accessKeyId: string; signature: string } | undefined {
  const match = /^OSS ([^:\s]+):(\S+)$/.exec(header.trim());
  if (!match) return undefined;
  return { accessKeyId: match[1] ?? "", signature: match[2] ?? "" };
}

const RFC1123_DATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/** Parses an RFC 1123 GMT date (`Wed, 28 Dec 2022 10:27:41 GMT`); undefined when malformed. */
export function parseRfc1123Date(value: string): Date | undefined {
  if (!RFC1123_DATE.test(value.trim())) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}
