/** CopyObject: server-side copy (COPY or REPLACE metadata directive); same key = metadata update. */
import { announceVersion, replacedForGood } from "./version-headers.js";
import type { RequestContext } from "../http/context.js";
import { isoDate, sendEmpty, sendXml } from "../http/context.js";
import { OssError } from "../errors/oss-error.js";
import type { BucketRecord, ObjectEncryption, ObjectRecord } from "../storage/types.js";
import { metadataFromHeaders, parseObjectAcl, parseStorageClass } from "../objects/headers.js";
import { objectStream } from "../objects/read.js";
import { quoted } from "../objects/etag.js";
import { endpointKey, requireBucket } from "./types.js";
import { loadCopySource } from "./copy-source.js";
import { callerOf, prepareWriteEncryption } from "./encryption.js";
import { encryptionHeaders, openSegments, writeSegment, type PreparedEncryption } from "../objects/sse.js";
import { releaseBlobs } from "./release.js";
import { meterEarlyDeletion } from "../objects/storage-class.js";
import { fileExists, forbidOverwrite } from "./put-object.js";
import { parseTaggingHeader, type TagSet } from "../objects/tags.js";

/** x-oss-tagging-directive: Copy (default) keeps the source's tags, Replace takes x-oss-tagging. */
function copiedTags(ctx: RequestContext, source: ObjectRecord): TagSet | undefined {
  const directive = ctx.headers["x-oss-tagging-directive"] ?? "Copy";
  if (directive.toLowerCase() === "copy") return source.tags;
  if (directive.toLowerCase() !== "replace") {
    throw new OssError("InvalidArgument", "x-oss-tagging-directive must be Copy or Replace.", {
      extra: { ArgumentName: "x-oss-tagging-directive", ArgumentValue: directive },
    });
  }
  const tags = parseTaggingHeader(ctx.headers["x-oss-tagging"]);
  return tags && tags.length > 0 ? tags : undefined;
}

const MAX_COPY_SIZE = 1024 ** 3;

export async function copyObject(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  const key = endpointKey(ctx);
  const { meta, blobs } = ctx.services;
  const { object: source, notModified } = await loadCopySource(ctx);
  if (notModified) {
    sendEmpty(ctx, 304, { etag: quoted(source.etag), "last-modified": source.lastModified.toUTCString() });
    return;
  }
  const encryption = await prepareWriteEncryption(ctx, b);
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
  if (noOverwrite && !sameObject && await meta.getObject(b.name, key)) throw fileExists(key);

  const tags = copiedTags(ctx, source);
  const metadata = directive === "REPLACE"
    ? metadataFromHeaders(ctx.headers, key)
    : { contentType: source.contentType, headers: source.headers, userMeta: source.userMeta };
  // A copy onto itself that keeps the encryption only changes metadata and shares the bytes; any
  // other copy gets its own blob (re-encrypted as the destination asks: SSE is never inherited).
  const keepBytes = sameObject && sameEncryption(source.serverSideEncryption, encryption?.encryption);
  const segments = keepBytes ? source.segments : await copyBytes(ctx, source, encryption);
  const now = ctx.services.clock.now();
  const record: ObjectRecord = {
    ...source,
    bucket: b.name,
    key,
    ...metadata,
    acl: parseObjectAcl(ctx.headers["x-oss-object-acl"], sameObject ? source.acl : "default"),
    storageClass: parseStorageClass(ctx.headers["x-oss-storage-class"], sameObject ? source.storageClass : b.storageClass),
    type: source.type === "Appendable" && sameObject ? "Appendable" : source.type === "Multipart" ? "Multipart" : "Normal",
    lastModified: now,
    classSince: now,
    restore: undefined, // the copy is a new object: never restored
    segments,
    owner: b.owner,
    serverSideEncryption: encryption?.encryption,
    tags,
  };
  if (noOverwrite && !sameObject) {
    if (await meta.putObjectIfAbsent(record) === "exists") {
      await Promise.all(segments.map((s) => blobs.delete(s.blobId)));
      throw fileExists(key);
    }
  } else {
    const kept = new Set(segments.map((s) => s.blobId));
    const replaced = await meta.getObject(b.name, key);
    const result = await meta.putObject(record);
    releaseBlobs(ctx, result.releasedBlobs.filter((id) => !kept.has(id)));
    announceVersion(ctx, result.versionId);
    if (replacedForGood(result)) meterEarlyDeletion(ctx.services.metering, replaced, now); // incl. a class change by copying onto itself
  }
  sendXml(ctx, 200, "CopyObjectResult", { ETag: quoted(record.etag), LastModified: isoDate(record.lastModified) }, {
    headers: { etag: quoted(record.etag), "x-oss-hash-crc64ecma": record.crc64, ...encryptionHeaders(record.serverSideEncryption) },
  });
}

function sameEncryption(a: ObjectEncryption | undefined, b: ObjectEncryption | undefined): boolean {
  return a?.algorithm === b?.algorithm && a?.kmsKeyId === b?.kmsKeyId;
}

async function copyBytes(ctx: RequestContext, source: ObjectRecord, encryption: PreparedEncryption | undefined): Promise<ObjectRecord["segments"]> {
  if (source.size === 0) return [];
  const reader = await openSegments(ctx.services, source, callerOf(ctx));
  const { segment } = await writeSegment(ctx.services, objectStream(reader, source), encryption, { expectedSize: source.size });
  return [segment];
}
