/**
 * The response OSS sends for a processed object: the result (picture or JSON) with the source's
 * identity headers (ETag, Last-Modified, object type, storage class, CRC-64), x-oss-server-time, and
 * the forced download OSS adds on its default domains.
 */
import type { RequestContext } from "../http/context.js";
import type { BucketRecord, ObjectRecord } from "../storage/types.js";
import { quoted } from "../objects/etag.js";
import type { ProcessedResult } from "../image/service.js";

/** OSS EC 0048-00000101: buckets created after 2019-09-24 11:00:00 (UTC+8). */
const FORCED_DOWNLOAD_SINCE = Date.UTC(2019, 8, 24, 3, 0, 0);
/** The MIME types EC 0048-00000101 lists. */
const FORCED_IMAGE_TYPES = new Set([
  "image/jpeg", "image/gif", "image/tiff", "image/png", "image/webp", "image/svg+xml", "image/bmp", "image/x-ms-bmp",
  "image/x-cmu-raster", "image/exr", "image/x-icon", "image/heic",
]);

/**
 * Content-Disposition: attachment + x-oss-force-download: true, as OSS adds them on its default endpoint domains
 * for buckets created after the cut-off: for the image types EC 0048-00000101 lists (with that x-oss-ec), and for
 * JSON processing results (image/codes, info, average-hue). Barbucket binds no custom domains (CNAME is not
 * implemented), so every request reaches it through its own endpoint, its default domain, whatever the Host.
 */
export function forcedDownloadHeaders(bucket: BucketRecord, contentType: string): Record<string, string> {
  if (bucket.createdAt.getTime() < FORCED_DOWNLOAD_SINCE) return {};
  const base = contentType.split(";")[0]!.trim();
  if (FORCED_IMAGE_TYPES.has(base)) return { "content-disposition": "attachment", "x-oss-force-download": "true", "x-oss-ec": "0048-00000101" };
  if (base === "application/json") return { "content-disposition": "attachment", "x-oss-force-download": "true" };
  return {};
}

export const JSON_TYPE = "application/json;charset=utf-8";

export function sendProcessed(ctx: RequestContext, bucket: BucketRecord, object: ObjectRecord, result: ProcessedResult, startedAt: number): void {
  const body = result.kind === "image" ? result.body : Buffer.from(JSON.stringify(result.json), "utf8");
  const contentType = result.kind === "image" ? result.contentType : JSON_TYPE;
  ctx.res.writeHead(200, {
    "content-type": contentType,
    "content-length": body.length,
    etag: quoted(object.etag),
    "last-modified": object.lastModified.toUTCString(),
    "x-oss-object-type": object.type,
    "x-oss-storage-class": object.storageClass,
    "x-oss-hash-crc64ecma": object.crc64,
    ...(object.versionId !== undefined && { "x-oss-version-id": object.versionId }),
    "x-oss-server-time": String(Math.max(0, Math.round(performance.now() - startedAt))),
    ...forcedDownloadHeaders(bucket, contentType),
  });
  ctx.res.end(body);
  ctx.bytesOut += body.length;
}
