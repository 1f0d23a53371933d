/**
 * Updates in place of the version a request names (`?versionId=`: PutObjectAcl, Put/DeleteObjectTagging,
 * RestoreObject), or of the current object without one. A version id that names nothing answers
 * 404 NoSuchVersion; one that names a delete marker 405 MethodNotAllowed, as reads of it do.
 */
import type { RequestContext } from "../http/context.js";
import { OssError } from "../errors/oss-error.js";
import type { ObjectRecord } from "../storage/types.js";
import { deleteMarkerHeaders } from "./version-headers.js";

/** The error for an object (or the named version) that is not there. */
export function missingTarget(ctx: RequestContext, key: string): OssError {
  const versionId = ctx.query.get("versionId");
  return versionId === undefined
    ? new OssError("NoSuchKey", undefined, { extra: { Key: key } })
    : new OssError("NoSuchVersion", undefined, { extra: { Key: key, VersionId: versionId } });
}

/** Applies `update` atomically to the request's version (or the current object); returns the new record. */
export async function updateTargetVersion(
  ctx: RequestContext, bucket: string, key: string,
  update: (current: ObjectRecord | undefined) => ObjectRecord | undefined,
): Promise<ObjectRecord | undefined> {
  const { meta } = ctx.services;
  const versionId = ctx.query.get("versionId");
  if (versionId === undefined) return await meta.updateObject(bucket, key, update);
  const entry = versionId === "" ? undefined : await meta.getObjectVersion(bucket, key, versionId);
  if (!entry) throw missingTarget(ctx, key);
  if (entry.kind === "marker") {
    throw new OssError("MethodNotAllowed", "The specified method is not allowed against this resource.", {
      extra: { Method: ctx.req.method ?? "PUT", ResourceType: "DeleteMarker" },
      headers: deleteMarkerHeaders(entry.marker),
    });
  }
  return await meta.updateObjectVersion(bucket, key, versionId, update);
}
