/** ETags as OSS computes them: uppercase hex MD5, and `HEX-N` (MD5 of the parts' raw MD5s) for multipart. */
import { createHash } from "node:crypto";

export function md5Etag(md5: Buffer): string {
  return md5.toString("hex").toUpperCase();
}

export function multipartEtag(partEtags: readonly string[]): string {
  const hash = createHash("md5");
  for (const etag of partEtags) hash.update(Buffer.from(etag, "hex"));
  return `${hash.digest("hex").toUpperCase()}-${partEtags.length}`;
}

/** Appendable objects have no content MD5 in OSS; this chains the previous ETag with the new bytes' MD5. */
export function appendEtag(previous: string | undefined, segmentMd5: Buffer): string {
  const hash = createHash("md5");
  if (previous) hash.update(previous);
  hash.update(segmentMd5);
  return hash.digest("hex").toUpperCase();
}

export function quoted(etag: string): string {
  return `"${etag}"`;
}

/** Compares an If-Match style header value (maybe quoted, maybe a list, maybe `*`) with an ETag. */
export function etagMatches(header: string, etag: string): boolean {
  return header.split(",").some((candidate) => {
    const c = candidate.trim().replace(/^W\//, "").replace(/^"|"$/g, "");
    return c === "*" || c.toUpperCase() === etag.toUpperCase();
  });
}
