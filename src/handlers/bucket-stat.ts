/**
 * GetBucketStat (`/?stat`): storage and object counts in total and per storage class, multipart
 * uploads and parts, counted from the metadata (a full scan: fine for the bucket sizes this server
 * targets; OSS itself reports with a delay). Element order as OSS's GetBucketStat response; the
 * per-class multipart part counts OSS added lately are not reported.
 */
import type { RequestContext } from "../http/context.js";
import { sendXml } from "../http/context.js";
import type { BucketRecord, StorageClass } from "../storage/types.js";
import { requireBucket } from "./types.js";
import { MIN_BILLABLE_BYTES } from "../objects/storage-class.js";

const PAGE = 1000;

export async function getBucketStat(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  const { meta } = ctx.services;
  const size: Record<StorageClass, number> = { Standard: 0, IA: 0, Archive: 0, ColdArchive: 0, DeepColdArchive: 0 };
  // Billed storage: IA and the archive classes count objects under 64 KB as 64 KB.
  const billed: Record<StorageClass, number> = { Standard: 0, IA: 0, Archive: 0, ColdArchive: 0, DeepColdArchive: 0 };
  const count: Record<StorageClass, number> = { Standard: 0, IA: 0, Archive: 0, ColdArchive: 0, DeepColdArchive: 0 };
  let lastModified = 0;
  for (let after = ""; ; ) {
    const page = await meta.listObjects({ bucket: b.name, prefix: "", delimiter: "", after, maxKeys: PAGE });
    for (const o of page.objects) {
      size[o.storageClass] += o.size;
      billed[o.storageClass] += o.storageClass === "Standard" ? o.size : Math.max(o.size, MIN_BILLABLE_BYTES);
      count[o.storageClass] += 1;
      lastModified = Math.max(lastModified, o.lastModified.getTime());
    }
    if (!page.isTruncated || page.nextMarker === undefined) break;
    after = page.nextMarker;
  }
  let uploads = 0;
  let parts = 0;
  let partBytes = 0;
  for (let keyMarker = "", uploadIdMarker = ""; ; ) {
    const page = await meta.listUploads({ bucket: b.name, prefix: "", delimiter: "", keyMarker, uploadIdMarker, maxUploads: PAGE });
    uploads += page.uploads.length;
    for (const upload of page.uploads) {
      const counted = await countParts(ctx, upload.uploadId);
      parts += counted.count;
      partBytes += counted.bytes;
    }
    if (!page.isTruncated || page.nextKeyMarker === undefined) break;
    keyMarker = page.nextKeyMarker;
    uploadIdMarker = page.nextUploadIdMarker ?? "";
  }
  const total = (v: Record<StorageClass, number>) => Object.values(v).reduce((a, n) => a + n, 0);
  sendXml(ctx, 200, "BucketStat", {
    Storage: total(size),
    ObjectCount: total(count),
    MultipartUploadCount: uploads,
    LiveChannelCount: 0,
    MultipartPartCount: parts,
    MultipartPartStorage: partBytes,
    DeleteMarkerCount: 0,
    LastModifiedTime: Math.floor(lastModified / 1000),
    StandardStorage: size.Standard,
    StandardObjectCount: count.Standard,
    InfrequentAccessStorage: billed.IA,
    InfrequentAccessRealStorage: size.IA,
    InfrequentAccessObjectCount: count.IA,
    ArchiveStorage: billed.Archive,
    ArchiveRealStorage: size.Archive,
    ArchiveObjectCount: count.Archive,
    ColdArchiveStorage: billed.ColdArchive,
    ColdArchiveRealStorage: size.ColdArchive,
    ColdArchiveObjectCount: count.ColdArchive,
    DeepColdArchiveStorage: billed.DeepColdArchive,
    DeepColdArchiveRealStorage: size.DeepColdArchive,
    DeepColdArchiveObjectCount: count.DeepColdArchive,
  });
}

async function countParts(ctx: RequestContext, uploadId: string): Promise<{ count: number; bytes: number }> {
  let count = 0;
  let bytes = 0;
  for (let marker = 0; ; ) {
    const { parts, isTruncated } = await ctx.services.meta.listParts(uploadId, marker, PAGE);
    count += parts.length;
    for (const part of parts) bytes += part.size;
    if (!isTruncated || parts.length === 0) return { count, bytes };
    marker = parts[parts.length - 1]!.partNumber;
  }
}
