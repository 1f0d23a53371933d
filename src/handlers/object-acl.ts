/** PutObjectAcl and GetObjectAcl. */
import type { RequestContext } from "../http/context.js";
import { sendEmpty, sendXml } from "../http/context.js";
import { OssError } from "../errors/oss-error.js";
import type { BucketRecord } from "../storage/types.js";
import { parseObjectAcl } from "../objects/headers.js";
import { endpointKey, requireBucket } from "./types.js";
import { loadObject } from "./get-object.js";

export function putObjectAcl(ctx: RequestContext, bucket: BucketRecord | undefined): void {
  const b = requireBucket(bucket);
  const key = endpointKey(ctx);
  const value = ctx.headers["x-oss-object-acl"];
  if (value === undefined) throw new OssError("MissingArgument", "The x-oss-object-acl header is required.");
  if (!ctx.services.meta.setObjectAcl(b.name, key, parseObjectAcl(value))) {
    throw new OssError("NoSuchKey", undefined, { extra: { Key: key } });
  }
  sendEmpty(ctx, 200);
}

export function getObjectAcl(ctx: RequestContext, bucket: BucketRecord | undefined): void {
  const b = requireBucket(bucket);
  const object = loadObject(ctx, b, endpointKey(ctx));
  sendXml(ctx, 200, "AccessControlPolicy", {
    Owner: { ID: object.owner, DisplayName: object.owner },
    AccessControlList: { Grant: object.acl },
  });
}
