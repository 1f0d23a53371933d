/** CompleteMultipartUpload: checks the part list, then commits the object atomically. */
import { announceVersion, replacedForGood } from "./version-headers.js";
import type { RequestContext } from "../http/context.js";
import { sendXml } from "../http/context.js";
import { OssError } from "../errors/oss-error.js";
import type { BucketRecord, ObjectRecord, PartRecord } from "../storage/types.js";
import { asArray, parseXmlBody, textOf } from "../http/xml.js";
import { readSmallBody } from "../objects/write.js";
import { multipartEtag, quoted } from "../objects/etag.js";
import { parseObjectAcl } from "../objects/headers.js";
import { encryptionHeaders } from "../objects/sse.js";
import { crc64Combine, crc64ToString } from "../storage/crc64.js";
import { encoder } from "./list-params.js";
import { endpointKey, requireBucket } from "./types.js";
import { loadUpload, MAX_PART_NUMBER } from "./multipart.js";
import { releaseBlobs } from "./release.js";
import { meterEarlyDeletion } from "../objects/storage-class.js";

/** Every part but the last must be at least this large (OSS: 100 KB). */
export const MIN_PART_SIZE = 100 * 1024;

interface RequestedPart {
  readonly partNumber: number;
  readonly etag: string;
}

function parsePartList(body: Buffer): RequestedPart[] {
  const parsed = parseXmlBody(body, "CompleteMultipartUpload");
  const parts = asArray(parsed.Part).map((p) => {
    const node = p as Record<string, unknown>;
    const partNumber = Number(textOf(node.PartNumber));
    const etag = textOf(node.ETag);
    if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > MAX_PART_NUMBER || etag === undefined) {
      throw new OssError("MalformedXML");
    }
    return { partNumber, etag: etag.replace(/"/g, "").toUpperCase() };
  });
  if (parts.length === 0) throw new OssError("MalformedXML");
  for (let i = 1; i < parts.length; i++) {
    if (parts[i]!.partNumber <= parts[i - 1]!.partNumber) throw new OssError("InvalidPartOrder");
  }
  return parts;
}

async function allParts(ctx: RequestContext, uploadId: string): Promise<PartRecord[]> {
  const parts: PartRecord[] = [];
  let marker = 0;
  for (;;) {
    const page = await ctx.services.meta.listParts(uploadId, marker, 1000);
    parts.push(...page.parts);
    if (!page.isTruncated || page.parts.length === 0) return parts;
    marker = page.parts[page.parts.length - 1]!.partNumber;
  }
}

export async function completeMultipartUpload(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  const key = endpointKey(ctx);
  const upload = await loadUpload(ctx, b, key);
  const encode = encoder(ctx.query.get("encoding-type"));
  const stored = new Map((await allParts(ctx, upload.uploadId)).map((p) => [p.partNumber, p]));
  const completeAll = (ctx.headers["x-oss-complete-all"] ?? "").toLowerCase() === "yes";
  const body = await readSmallBody(ctx.req, 4 * 1024 * 1024);
  if (completeAll && body.length > 0) {
    throw new OssError("InvalidArgument", "x-oss-complete-all: yes must be sent without a body.");
  }
  const requested = completeAll
    ? [...stored.values()].map((p) => ({ partNumber: p.partNumber, etag: p.etag }))
    : parsePartList(body);
  if (requested.length === 0) throw new OssError("InvalidPart", "The upload has no parts.");
  const chosen = requested.map((r, index) => {
    const part = stored.get(r.partNumber);
    if (!part || part.etag.toUpperCase() !== r.etag) {
      throw new OssError("InvalidPart", undefined, { extra: { PartNumber: String(r.partNumber), ETag: r.etag } });
    }
    if (index < requested.length - 1 && part.size < MIN_PART_SIZE) {
      throw new OssError("EntityTooSmall", undefined, { extra: { PartNumber: String(r.partNumber), MinSizeAllowed: String(MIN_PART_SIZE) } });
    }
    return part;
  });
  let crc = 0n;
  let size = 0;
  for (const part of chosen) {
    crc = crc64Combine(crc, BigInt(part.crc64), part.size);
    size += part.size;
  }
  const record: ObjectRecord = {
    bucket: b.name,
    key,
    size,
    etag: multipartEtag(chosen.map((p) => p.etag)),
    crc64: crc64ToString(crc),
    lastModified: ctx.services.clock.now(),
    ...upload.template,
    acl: parseObjectAcl(ctx.headers["x-oss-object-acl"], upload.template.acl),
    type: "Multipart",
    segments: chosen
      .filter((p) => p.size > 0)
      .map((p) => ({ blobId: p.blobId, size: p.size, ...(p.encryption !== undefined ? { encryption: p.encryption } : {}) })),
  };
  const ifAbsent = (ctx.headers["x-oss-forbid-overwrite"] ?? "").toLowerCase() === "true";
  const replaced = ifAbsent ? undefined : await ctx.services.meta.getObject(b.name, key);
  const completed = await ctx.services.meta.completeUpload(upload.uploadId, { ...record, classSince: record.lastModified }, chosen.map((p) => p.partNumber), ifAbsent);
  if (completed.result === "exists") throw new OssError("FileAlreadyExists", undefined, { extra: { Key: key } });
  releaseBlobs(ctx, completed.releasedBlobs);
  announceVersion(ctx, completed.versionId);
  if (replacedForGood(completed)) meterEarlyDeletion(ctx.services.metering, replaced, record.lastModified);
  const host = ctx.headers.host ?? "";
  sendXml(
    ctx,
    200,
    "CompleteMultipartUploadResult",
    {
      EncodingType: ctx.query.get("encoding-type") || undefined,
      Location: `http://${host}/${encodeURIComponent(key).replace(/%2F/g, "/")}`,
      Bucket: b.name,
      Key: encode(key),
      ETag: quoted(record.etag),
    },
    { xmlns: true, headers: { etag: quoted(record.etag), "x-oss-hash-crc64ecma": record.crc64, ...encryptionHeaders(record.serverSideEncryption) } },
  );
}
