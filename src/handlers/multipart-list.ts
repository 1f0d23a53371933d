/** ListParts and ListMultipartUploads. */
import type { RequestContext } from "../http/context.js";
import { isoDate, sendXml } from "../http/context.js";
import type { BucketRecord } from "../storage/types.js";
import { quoted } from "../objects/etag.js";
import { encoder, parseMaxKeys } from "./list-params.js";
import { endpointKey, requireBucket } from "./types.js";
import { loadUpload } from "./multipart.js";

export async function listParts(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  const key = endpointKey(ctx);
  const upload = await loadUpload(ctx, b, key);
  const encode = encoder(ctx.query.get("encoding-type"));
  const maxParts = parseMaxKeys(ctx.query.get("max-parts"), 1000, 1000, "max-parts");
  const marker = parseMaxKeys(ctx.query.get("part-number-marker"), 0, 10000, "part-number-marker");
  const page = await ctx.services.meta.listParts(upload.uploadId, marker, maxParts);
  const last = page.parts[page.parts.length - 1];
  sendXml(
    ctx,
    200,
    "ListPartsResult",
    {
      Bucket: b.name,
      EncodingType: ctx.query.get("encoding-type") || undefined,
      Key: encode(key),
      UploadId: upload.uploadId,
      StorageClass: upload.template.storageClass,
      PartNumberMarker: marker,
      NextPartNumberMarker: last ? last.partNumber : marker,
      MaxParts: maxParts,
      IsTruncated: page.isTruncated,
      Part: page.parts.map((p) => ({
        PartNumber: p.partNumber,
        LastModified: isoDate(p.lastModified),
        ETag: quoted(p.etag),
        HashCrc64ecma: p.crc64,
        Size: p.size,
      })),
    },
    { xmlns: true },
  );
}

export async function listMultipartUploads(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  const q = ctx.query;
  const encode = encoder(q.get("encoding-type"));
  const prefix = q.get("prefix") ?? "";
  const delimiter = q.get("delimiter") ?? "";
  const keyMarker = q.get("key-marker") ?? "";
  const uploadIdMarker = q.get("upload-id-marker") ?? "";
  const maxUploads = parseMaxKeys(q.get("max-uploads"), 1000, 1000, "max-uploads");
  const page = await ctx.services.meta.listUploads({ bucket: b.name, prefix, delimiter, keyMarker, uploadIdMarker, maxUploads });
  sendXml(
    ctx,
    200,
    "ListMultipartUploadsResult",
    {
      Bucket: b.name,
      EncodingType: q.get("encoding-type") || undefined,
      KeyMarker: encode(keyMarker),
      UploadIdMarker: uploadIdMarker,
      NextKeyMarker: encode(page.nextKeyMarker ?? ""),
      NextUploadIdMarker: page.nextUploadIdMarker ?? "",
      Delimiter: encode(delimiter),
      Prefix: encode(prefix),
      MaxUploads: maxUploads,
      IsTruncated: page.isTruncated,
      Upload: page.uploads.map((u) => ({
        Key: encode(u.key),
        UploadId: u.uploadId,
        StorageClass: u.template.storageClass,
        Initiated: isoDate(u.initiated),
      })),
      CommonPrefixes: page.commonPrefixes.map((p) => ({ Prefix: encode(p) })),
    },
    { xmlns: true },
  );
}
