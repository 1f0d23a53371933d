/** PutObjectAcl and GetObjectAcl. */
import type { RequestContext } from "../http/context.js";
import { sendEmpty, sendXml } from "../http/context.js";
import { OssError } from "../errors/oss-error.js";
import type { BucketRecord } from "../storage/types.js";
import { parseObjectAcl } from "../objects/headers.js";
import { endpointKey, requireBucket } from "./types.js";
import { loadObject } from "./get-object.js";
import { missingTarget, updateTargetVersion } from "./object-version.js";
import { announceVersion } from "./version-headers.js";
import { NULL_VERSION } from "../storage/types.js";

export async function putObjectAcl(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  const key = endpointKey(ctx);
  const value = ctx.headers["x-oss-object-acl"];
  if (value === undefined) throw new OssError("MissingArgument", "The x-oss-object-acl header is required.");
  const acl = parseObjectAcl(value);
  if (ctx.query.has("versionId")) {
    const updated = await updateTargetVersion(ctx, b.name, key, (current) => current && { ...current, acl });
    if (!updated) throw missingTarget(ctx, key);
    announceVersion(ctx, updated.versionId ?? NULL_VERSION);
  } else if (!await ctx.services.meta.setObjectAcl(b.name, key, acl)) {
    throw new OssError("NoSuchKey", undefined, { extra: { Key: key } });
  }
  sendEmpty(ctx, 200);
}

export async function getObjectAcl(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  const object = await loadObject(ctx, b, endpointKey(ctx));
  if (ctx.query.has("versionId")) announceVersion(ctx, object.versionId ?? NULL_VERSION);
  sendXml(ctx, 200, "AccessControlPolicy", {
    Owner: { ID: object.owner, DisplayName: object.owner },
    AccessControlList: { Grant: object.acl },
  });
}
