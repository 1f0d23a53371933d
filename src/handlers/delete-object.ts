/** DeleteObject and DeleteMultipleObjects. */
import type { RequestContext } from "../http/context.js";
import { sendEmpty, sendXml } from "../http/context.js";
import { OssError } from "../errors/oss-error.js";
import type { BucketRecord, DeleteOutcome } from "../storage/types.js";
import { asArray, parseXmlBody, textOf, type XmlNode } from "../http/xml.js";
import { readSmallBody } from "../objects/write.js";
import { validateKey } from "../http/addressing.js";
import { encoder } from "./list-params.js";
import { endpointKey, requireBucket } from "./types.js";
import { releaseBlobs } from "./release.js";
import { meterEarlyDeletion } from "../objects/storage-class.js";

const MAX_DELETE_KEYS = 1000;
const MAX_DELETE_BODY = 2 * 1024 * 1024;

/**
 * Deletes one key or, with `versionId`, one version. In a versioned bucket a plain delete writes a
 * delete marker and removes no bytes. Returns what the response reports.
 */
async function deleteOne(ctx: RequestContext, bucket: string, key: string, versionId: string | undefined): Promise<DeleteOutcome> {
  const { meta, clock, metering } = ctx.services;
  const now = clock.now();
  const entry = versionId !== undefined ? await meta.getObjectVersion(bucket, key, versionId) : undefined;
  const removed = versionId === undefined ? await meta.getObject(bucket, key) : entry?.kind === "version" ? entry.record : undefined;
  const outcome = await meta.deleteObject(bucket, key, { ...(versionId !== undefined && { versionId }), now });
  releaseBlobs(ctx, outcome.releasedBlobs);
  // Only bytes that are really gone count as an early deletion (a delete marker keeps them).
  if (outcome.deleted && !(versionId === undefined && outcome.deleteMarker)) meterEarlyDeletion(metering, removed, now);
  return outcome;
}

export async function deleteObject(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  const key = endpointKey(ctx);
  const versionId = ctx.query.get("versionId");
  if (versionId === "") throw new OssError("InvalidArgument", "versionId must not be empty.", { extra: { ArgumentName: "versionId", ArgumentValue: "" } });
  const outcome = await deleteOne(ctx, b.name, key, versionId);
  sendEmpty(ctx, 204, {
    ...(outcome.versionId !== undefined && { "x-oss-version-id": outcome.versionId }),
    ...(outcome.deleteMarker && { "x-oss-delete-marker": "true" }),
  });
}

export async function deleteMultipleObjects(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  if (ctx.headers["content-md5"] === undefined) {
    throw new OssError("MissingArgument", "Content-MD5 is required for DeleteMultipleObjects.", {
      extra: { ArgumentName: "Content-MD5" },
    });
  }
  const encode = encoder(ctx.query.get("encoding-type"));
  const body = await readSmallBody(ctx.req, MAX_DELETE_BODY);
  const parsed = parseXmlBody(body, "Delete");
  const quiet = (textOf(parsed.Quiet) ?? "false").toLowerCase() === "true";
  const objects = asArray(parsed.Object);
  if (objects.length === 0 || objects.length > MAX_DELETE_KEYS) throw new OssError("MalformedXML");
  const targets = objects.map((o) => {
    const fields = o as Record<string, unknown> | undefined;
    const key = textOf(fields?.Key);
    if (key === undefined) throw new OssError("MalformedXML");
    validateKey(key);
    const versionId = textOf(fields?.VersionId);
    return { key, versionId: versionId === "" ? undefined : versionId };
  });
  const deleted: XmlNode[] = [];
  for (const { key, versionId } of targets) {
    const outcome = await deleteOne(ctx, b.name, key, versionId);
    // Versioned results as OSS reports them: the version removed, or the delete marker written.
    deleted.push({
      Key: encode(key),
      VersionId: versionId,
      DeleteMarker: outcome.deleteMarker ? "true" : undefined,
      DeleteMarkerVersionId: outcome.deleteMarker ? outcome.versionId : undefined,
    });
  }
  if (quiet) {
    sendEmpty(ctx, 200);
    return;
  }
  sendXml(ctx, 200, "DeleteResult", {
    EncodingType: ctx.query.get("encoding-type") || undefined,
    Deleted: deleted,
  });
}
