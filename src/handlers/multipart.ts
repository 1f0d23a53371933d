/** Multipart uploads: Initiate, UploadPart, UploadPartCopy, Abort. (Complete and the listings live beside.) */
import { randomBytes } from "node:crypto";
import type { RequestContext } from "../http/context.js";
import { isoDate, sendEmpty, sendXml } from "../http/context.js";
import { OssError } from "../errors/oss-error.js";
import type { BlobInfo, BucketRecord, Segment, UploadRecord } from "../storage/types.js";
import { metadataFromHeaders, parseObjectAcl, parseStorageClass } from "../objects/headers.js";
import { writeBody } from "../objects/write.js";
import { md5Etag, quoted } from "../objects/etag.js";
import { objectStream } from "../objects/read.js";
import { parseRange } from "../objects/range.js";
import { crc64ToString } from "../storage/crc64.js";
import { encoder } from "./list-params.js";
import { endpointKey, requireBucket } from "./types.js";
import { callerOf, prepareWriteEncryption, segmentWriter } from "./encryption.js";
import { encryptionHeaders, openSegments, prepareEncryption, writeSegment } from "../objects/sse.js";
import { releaseBlobs } from "./release.js";
import { loadCopySource } from "./copy-source.js";
import { parseTaggingHeader } from "../objects/tags.js";

export const MAX_PART_NUMBER = 10000;
const MAX_PART_SIZE = 5 * 1024 ** 3;

export async function loadUpload(ctx: RequestContext, bucket: BucketRecord, key: string): Promise<UploadRecord> {
  const uploadId = ctx.query.get("uploadId") ?? "";
  const upload = uploadId === "" ? undefined : await ctx.services.meta.getUpload(bucket.name, uploadId);
  if (!upload || upload.key !== key) {
    throw new OssError("NoSuchUpload", undefined, { extra: { UploadId: uploadId } });
  }
  return upload;
}

export async function initiateMultipartUpload(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  const key = endpointKey(ctx);
  // The upload's encryption is fixed now (headers, else bucket default); each part is encrypted
  // with its own data key under it.
  const encryption = await prepareWriteEncryption(ctx, b);
  const encode = encoder(ctx.query.get("encoding-type"));
  const metadata = metadataFromHeaders(ctx.headers, key);
  const tags = parseTaggingHeader(ctx.headers["x-oss-tagging"]);
  const upload: UploadRecord = {
    uploadId: randomBytes(16).toString("hex").toUpperCase(),
    bucket: b.name,
    key,
    initiated: new Date(),
    template: {
      ...metadata,
      acl: parseObjectAcl(ctx.headers["x-oss-object-acl"]),
      storageClass: parseStorageClass(ctx.headers["x-oss-storage-class"], b.storageClass),
      owner: b.owner,
      ...(encryption ? { serverSideEncryption: encryption.encryption } : {}),
      ...(tags && tags.length > 0 ? { tags } : {}),
    },
  };
  if ((ctx.headers["x-oss-forbid-overwrite"] ?? "").toLowerCase() === "true" && await ctx.services.meta.getObject(b.name, key)) {
    throw new OssError("FileAlreadyExists", undefined, { extra: { Key: key } });
  }
  await ctx.services.meta.createUpload(upload);
  sendXml(
    ctx,
    200,
    "InitiateMultipartUploadResult",
    { Bucket: b.name, Key: encode(key), UploadId: upload.uploadId, EncodingType: ctx.query.get("encoding-type") || undefined },
    { xmlns: true, headers: encryptionHeaders(encryption?.encryption) },
  );
}

function parsePartNumber(ctx: RequestContext): number {
  const text = ctx.query.get("partNumber") ?? "";
  const n = Number(text);
  if (text === "" || !Number.isInteger(n) || n < 1 || n > MAX_PART_NUMBER) {
    throw new OssError("InvalidArgument", `Part number must be an integer between 1 and ${MAX_PART_NUMBER}, inclusive.`, {
      extra: { ArgumentName: "partNumber", ArgumentValue: text },
    });
  }
  return n;
}

/** Records a written part; if the upload vanished meanwhile (completed or aborted), drops the blob. */
async function commitPart(ctx: RequestContext, upload: UploadRecord, partNumber: number, blob: Pick<BlobInfo, "id" | "size" | "md5" | "crc64">, segment: Segment): Promise<string> {
  const etag = md5Etag(blob.md5);
  const { meta, blobs } = ctx.services;
  let releasedBlobs: string[];
  try {
    if (!await meta.getUpload(upload.bucket, upload.uploadId)) throw new Error("upload is gone");
    ({ releasedBlobs } = await meta.putPart({
      uploadId: upload.uploadId, partNumber, etag, size: blob.size,
      crc64: crc64ToString(blob.crc64), lastModified: new Date(), blobId: blob.id,
      ...(segment.encryption !== undefined ? { encryption: segment.encryption } : {}),
    }, { deferSync: true }));
  } catch (cause) {
    await blobs.delete(blob.id);
    throw new OssError("NoSuchUpload", undefined, { extra: { UploadId: upload.uploadId }, cause });
  }
  await meta.sync(); // group commit, as PutObject's: durable before the answer and the release
  releaseBlobs(ctx, releasedBlobs);
  return etag;
}

export async function uploadPart(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  const upload = await loadUpload(ctx, b, endpointKey(ctx));
  const partNumber = parsePartNumber(ctx);
  const { blobs, config } = ctx.services;
  const encryption = await prepareEncryption(ctx.services, b.owner, callerOf(ctx), upload.template.serverSideEncryption);
  const { blob, segment } = await writeBody(ctx.req, blobs, segmentWriter(ctx, encryption), {
    maxSize: Math.min(MAX_PART_SIZE, config.maxObjectSize),
    idleTimeoutMs: config.bodyIdleTimeoutMs,
  });
  ctx.bytesIn += blob.size;
  const etag = await commitPart(ctx, upload, partNumber, blob, segment);
  sendEmpty(ctx, 200, {
    etag: quoted(etag), "x-oss-hash-crc64ecma": crc64ToString(blob.crc64), "content-md5": blob.md5.toString("base64"),
    ...encryptionHeaders(upload.template.serverSideEncryption),
  });
}

export async function uploadPartCopy(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  const upload = await loadUpload(ctx, b, endpointKey(ctx));
  const partNumber = parsePartNumber(ctx);
  const { object: source, notModified } = await loadCopySource(ctx);
  if (notModified) {
    sendEmpty(ctx, 304, { etag: quoted(source.etag), "last-modified": source.lastModified.toUTCString() });
    return;
  }
  const rangeHeader = ctx.headers["x-oss-copy-source-range"];
  const range = parseRange(rangeHeader, source.size, true);
  if (range === "unsatisfiable" || (rangeHeader !== undefined && range === undefined)) {
    throw new OssError("InvalidArgument", "x-oss-copy-source-range is not valid for the source object.", {
      extra: { ArgumentName: "x-oss-copy-source-range", ArgumentValue: rangeHeader ?? "" },
    });
  }
  const size = range ? range.end - range.start + 1 : source.size;
  if (size > MAX_PART_SIZE) throw new OssError("EntityTooLarge");
  const { blobs } = ctx.services;
  const encryption = await prepareEncryption(ctx.services, b.owner, callerOf(ctx), upload.template.serverSideEncryption);
  const { blob, segment } = await writeSegment(ctx.services, objectStream(await openSegments(ctx.services, source, callerOf(ctx)), source, range), encryption, { expectedSize: size });
  const etag = await commitPart(ctx, upload, partNumber, blob, segment);
  sendXml(ctx, 200, "CopyPartResult", { LastModified: isoDate(new Date()), ETag: quoted(etag) }, {
    headers: { etag: quoted(etag) },
  });
}

export async function abortMultipartUpload(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  const upload = await loadUpload(ctx, b, endpointKey(ctx));
  const { found, releasedBlobs } = await ctx.services.meta.abortUpload(upload.uploadId);
  if (!found) throw new OssError("NoSuchUpload", undefined, { extra: { UploadId: upload.uploadId } });
  releaseBlobs(ctx, releasedBlobs);
  sendEmpty(ctx, 204);
}
