/** PutObject and AppendObject. */
import { announceVersion, replacedForGood } from "./version-headers.js";
import type { RequestContext } from "../http/context.js";
import { sendEmpty } from "../http/context.js";
import { OssError } from "../errors/oss-error.js";
import type { BlobInfo, BucketRecord, ObjectRecord, Segment } from "../storage/types.js";
import { writeBody } from "../objects/write.js";
import { metadataFromHeaders, parseObjectAcl, parseStorageClass } from "../objects/headers.js";
import { appendEtag, md5Etag, quoted } from "../objects/etag.js";
import { crc64Combine, crc64ToString } from "../storage/crc64.js";
import { endpointKey, requireBucket } from "./types.js";
import { callerOf, prepareWriteEncryption, segmentWriter } from "./encryption.js";
import { encryptionHeaders, prepareEncryption, type PreparedEncryption } from "../objects/sse.js";
import { releaseBlobs } from "./release.js";
import { meterEarlyDeletion } from "../objects/storage-class.js";
import { parseTaggingHeader } from "../objects/tags.js";

export function forbidOverwrite(ctx: RequestContext): boolean {
  return (ctx.headers["x-oss-forbid-overwrite"] ?? "").toLowerCase() === "true";
}

export function fileExists(key: string): OssError {
  return new OssError("FileAlreadyExists", undefined, { extra: { Key: key } });
}

export async function putObject(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  const key = endpointKey(ctx);
  const { meta, blobs, config } = ctx.services;
  const fromHeaders = objectFromHeaders(ctx, b, key);
  const encryption = await prepareWriteEncryption(ctx, b);
  const noOverwrite = forbidOverwrite(ctx);
  if (noOverwrite && await meta.getObject(b.name, key)) throw fileExists(key);

  const { blob, segment } = await writeBody(ctx.req, blobs, segmentWriter(ctx, encryption), { maxSize: config.maxObjectSize, idleTimeoutMs: config.bodyIdleTimeoutMs });
  ctx.bytesIn += blob.size;
  const record = await commitObject(ctx, fromHeaders(blob, segment, encryption), noOverwrite);
  sendEmpty(ctx, 200, {
    etag: quoted(record.etag),
    "x-oss-hash-crc64ecma": record.crc64,
    "content-md5": blob.md5.toString("base64"),
    ...encryptionHeaders(record.serverSideEncryption),
  });
}

type WrittenBlob = Pick<BlobInfo, "id" | "size" | "md5" | "crc64">;

/**
 * What a simple upload stores, read from the request's headers (PostObject passes its form fields
 * as headers): metadata, ACL, storage class, tags. Validated before the body is read; the returned
 * function completes the record once the bytes are written.
 */
export function objectFromHeaders(ctx: RequestContext, b: BucketRecord, key: string): (blob: WrittenBlob, segment: Segment, encryption: PreparedEncryption | undefined) => ObjectRecord {
  const metadata = metadataFromHeaders(ctx.headers, key);
  const tags = parseTaggingHeader(ctx.headers["x-oss-tagging"]);
  const acl = parseObjectAcl(ctx.headers["x-oss-object-acl"]);
  const storageClass = parseStorageClass(ctx.headers["x-oss-storage-class"], b.storageClass);
  ctx.usage.storageClass = storageClass; // PUT requests are billed by the class written
  return (blob, segment, encryption) => {
    const now = ctx.services.clock.now();
    return {
      bucket: b.name,
      key,
      size: blob.size,
      etag: md5Etag(blob.md5),
      crc64: crc64ToString(blob.crc64),
      lastModified: now,
      ...metadata,
      acl,
      storageClass,
      classSince: now,
      type: "Normal",
      segments: [segment],
      owner: b.owner,
      ...(encryption ? { serverSideEncryption: encryption.encryption } : {}),
      ...(tags && tags.length > 0 ? { tags } : {}),
    };
  };
}

/** Stores a new object whose blob is written: FileAlreadyExists (blob removed) or the old one's blobs released. */
export async function commitObject(ctx: RequestContext, record: ObjectRecord, noOverwrite: boolean): Promise<ObjectRecord> {
  const { meta, blobs } = ctx.services;
  // Group commit: the metadata transaction commits without its own WAL sync, and one sync shared
  // with the PUTs committed meanwhile makes it durable before the answer (and before replaced
  // blobs are deleted).
  if (noOverwrite) {
    if (await meta.putObjectIfAbsent(record, { deferSync: true }) === "exists") {
      await Promise.all(record.segments.map((s) => blobs.delete(s.blobId)));
      throw fileExists(record.key);
    }
    await meta.sync();
  } else {
    const replaced = await meta.getObject(record.bucket, record.key);
    const result = await meta.putObject(record, { deferSync: true });
    await meta.sync();
    releaseBlobs(ctx, result.releasedBlobs);
    announceVersion(ctx, result.versionId);
    // Overwritten before its class's minimum (a version kept by versioning is not gone).
    if (replacedForGood(result)) meterEarlyDeletion(ctx.services.metering, replaced, record.lastModified);
  }
  return record;
}

export async function appendObject(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  const key = endpointKey(ctx);
  const { meta, blobs, config } = ctx.services;
  const positionText = ctx.query.get("position");
  const position = Number(positionText);
  if (positionText === undefined || positionText === "" || !Number.isSafeInteger(position) || position < 0) {
    throw new OssError("InvalidArgument", "The position argument is missing or invalid.", {
      extra: { ArgumentName: "position", ArgumentValue: positionText ?? "" },
    });
  }
  const existing = await meta.getObject(b.name, key);
  checkAppendable(existing, position, key);
  const tags = existing ? undefined : parseTaggingHeader(ctx.headers["x-oss-tagging"]); // set when the object is created
  // Later appends keep the encryption the object was created with.
  const encryption = existing
    ? await prepareEncryption(ctx.services, b.owner, callerOf(ctx), existing.serverSideEncryption)
    : await prepareWriteEncryption(ctx, b);

  const { blob, segment } = await writeBody(ctx.req, blobs, segmentWriter(ctx, encryption), { maxSize: config.maxObjectSize, idleTimeoutMs: config.bodyIdleTimeoutMs });
  ctx.bytesIn += blob.size;
  let conflict: OssError | undefined;
  const updated = await meta.updateObject(b.name, key, (current) => {
    try {
      checkAppendable(current, position, key);
    } catch (error) {
      conflict = error as OssError;
      return undefined;
    }
    if (!current) {
      const metadata = metadataFromHeaders(ctx.headers, key);
      return {
        bucket: b.name, key, size: blob.size,
        etag: appendEtag(undefined, blob.md5),
        crc64: crc64ToString(blob.crc64),
        lastModified: ctx.services.clock.now(),
        ...metadata,
        acl: parseObjectAcl(ctx.headers["x-oss-object-acl"]),
        storageClass: parseStorageClass(ctx.headers["x-oss-storage-class"], b.storageClass),
        type: "Appendable",
        segments: blob.size > 0 ? [segment] : [],
        owner: b.owner,
        ...(encryption ? { serverSideEncryption: encryption.encryption } : {}),
        ...(tags && tags.length > 0 ? { tags } : {}),
      };
    }
    return {
      ...current,
      size: current.size + blob.size,
      etag: appendEtag(current.etag, blob.md5),
      crc64: crc64ToString(crc64Combine(BigInt(current.crc64), blob.crc64, blob.size)),
      lastModified: ctx.services.clock.now(),
      segments: blob.size > 0 ? [...current.segments, segment] : current.segments,
    };
  });
  if (!updated || blob.size === 0) await blobs.delete(blob.id).catch(() => undefined);
  if (conflict) throw conflict;
  if (!updated) throw new OssError("InternalError");
  sendEmpty(ctx, 200, {
    etag: quoted(updated.etag),
    ...(updated.versionId !== undefined && { "x-oss-version-id": updated.versionId }),
    "x-oss-next-append-position": String(updated.size),
    "x-oss-hash-crc64ecma": updated.crc64,
    ...encryptionHeaders(updated.serverSideEncryption),
  });
}

function checkAppendable(current: ObjectRecord | undefined, position: number, key: string): void {
  if (current && current.type !== "Appendable") {
    throw new OssError("ObjectNotAppendable", undefined, { extra: { Key: key } });
  }
  const length = current?.size ?? 0;
  if (position !== length) {
    throw new OssError("PositionNotEqualToLength", undefined, { headers: { "x-oss-next-append-position": String(length) } });
  }
}
