/** CopyObject: server-side copy (COPY or REPLACE metadata directive); same key = metadata update. */
import type { RequestContext } from "../http/context.js";
import { isoDate, sendXml } from "../http/context.js";
import { OssError } from "../errors/oss-error.js";
import type { BucketRecord, ObjectRecord } from "../storage/types.js";
import { metadataFromHeaders, parseObjectAcl, parseStorageClass } from "../objects/headers.js";
import { objectStream } from "../objects/read.js";
import { quoted } from "../objects/etag.js";
import { endpointKey, requireBucket } from "./types.js";
import { loadCopySource } from "./copy-source.js";
import { rejectUnsupportedEncryption } from "./encryption.js";
import { releaseBlobs } from "./release.js";
import { fileExists, forbidOverwrite } from "./put-object.js";

const MAX_COPY_SIZE = 1024 ** 3;

export async function copyObject(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  const key = endpointKey(ctx);
  const { meta, blobs } = ctx.services;
  const { object: source } = loadCopySource(ctx);
  rejectUnsupportedEncryption(ctx.headers);
  const directive = (ctx.headers["x-oss-metadata-directive"] ?? "COPY").toUpperCase();
  if (directive !== "COPY" && directive !== "REPLACE") {
    throw new OssError("InvalidArgument", "x-oss-metadata-directive must be COPY or REPLACE.", {
      extra: { ArgumentName: "x-oss-metadata-directive", ArgumentValue: directive },
    });
  }
  if (source.size > MAX_COPY_SIZE) {
    throw new OssError("EntityTooLarge", "CopyObject supports sources up to 1 GB; use UploadPartCopy for larger objects.");
  }
  const noOverwrite = forbidOverwrite(ctx);
  const sameObject = source.bucket === b.name && source.key === key;
  if (noOverwrite && !sameObject && meta.getObject(b.name, key)) throw fileExists(key);

  const metadata = directive === "REPLACE"
    ? metadataFromHeaders(ctx.headers, key)
    : { contentType: source.contentType, headers: source.headers, userMeta: source.userMeta };
  // A copy onto itself only changes metadata and shares the bytes; any other copy gets its own
  // blob, so no blob is ever referenced by two records.
  const segments = sameObject
    ? source.segments
    : await copyBytes(ctx, source);
  const record: ObjectRecord = {
    ...source,
    bucket: b.name,
    key,
    ...metadata,
    acl: parseObjectAcl(ctx.headers["x-oss-object-acl"], sameObject ? source.acl : "default"),
    storageClass: parseStorageClass(ctx.headers["x-oss-storage-class"], sameObject ? source.storageClass : b.storageClass),
    type: source.type === "Appendable" && sameObject ? "Appendable" : source.type === "Multipart" ? "Multipart" : "Normal",
    lastModified: new Date(),
    segments,
    owner: b.owner,
  };
  if (noOverwrite && !sameObject) {
    if (meta.putObjectIfAbsent(record) === "exists") {
      await Promise.all(segments.map((s) => blobs.delete(s.blobId)));
      throw fileExists(key);
    }
  } else {
    const kept = new Set(segments.map((s) => s.blobId));
    releaseBlobs(ctx, meta.putObject(record).releasedBlobs.filter((id) => !kept.has(id)));
  }
  sendXml(ctx, 200, "CopyObjectResult", { ETag: quoted(record.etag), LastModified: isoDate(record.lastModified) }, {
    headers: { etag: quoted(record.etag), "x-oss-hash-crc64ecma": record.crc64 },
  });
}

async function copyBytes(ctx: RequestContext, source: ObjectRecord): Promise<ObjectRecord["segments"]> {
  if (source.size === 0) return [];
  const blob = await ctx.services.blobs.write(objectStream(ctx.services.blobs, source), { expectedSize: source.size });
  return [{ blobId: blob.id, size: blob.size }];
}
