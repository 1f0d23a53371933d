/** The source of CopyObject / UploadPartCopy: parsed, authorized for oss:GetObject, conditions checked. */
import type { RequestContext } from "../http/context.js";
import { OssError } from "../errors/oss-error.js";
import type { BucketRecord, ObjectRecord } from "../storage/types.js";
import { decodePath, validateKey } from "../http/addressing.js";
import { ossResource } from "../authz/actions.js";
import { requestContext } from "../authz/context.js";
import { checkConditions } from "./get-object.js";
import { checkReadable } from "../objects/storage-class.js";
import { followSymlink } from "./symlink.js";

export interface CopySource {
  readonly bucket: BucketRecord;
  readonly object: ObjectRecord;
  /** If-None-Match / If-Modified-Since held: OSS answers 304 and copies nothing. */
  readonly notModified: boolean;
}

export function loadCopySource(ctx: RequestContext): CopySource {
  const header = ctx.headers["x-oss-copy-source"] ?? "";
  const [path = "", query = ""] = header.split("?", 2);
  if (query !== "") throw new OssError("NotImplemented", "Copying a specific version (versionId) is not implemented by this server yet.");
  const decoded = decodePath(path.startsWith("/") ? path.slice(1) : path);
  const slash = decoded.indexOf("/");
  if (slash <= 0 || slash === decoded.length - 1) {
    throw new OssError("InvalidArgument", "x-oss-copy-source must be /bucket/key.", {
      extra: { ArgumentName: "x-oss-copy-source", ArgumentValue: header },
    });
  }
  const bucketName = decoded.slice(0, slash);
  const key = decoded.slice(slash + 1);
  validateKey(key);
  const bucket = ctx.services.meta.getBucket(bucketName);
  if (!bucket) throw new OssError("NoSuchBucket", undefined, { extra: { BucketName: bucketName } });
  const found = ctx.services.meta.getObject(bucketName, key);
  const principal = ctx.auth.kind === "signed" ? ctx.auth.principal : undefined;
  const bucketPolicy = ctx.services.iam.bucketPolicies.get(bucket.name);
  ctx.services.authorizer.authorize({
    principal,
    actions: ["oss:GetObject"],
    resource: ossResource(bucket.owner, bucket.name, key),
    ownerAccountId: bucket.owner,
    bucketAcl: bucket.acl,
    ...(found ? { objectAcl: found.acl } : {}),
    ...(bucketPolicy ? { bucketPolicy } : {}),
    context: requestContext(ctx.req, principal?.accessKeyId),
  });
  if (!found) throw new OssError("NoSuchKey", undefined, { extra: { Key: key } });
  const object = followSymlink(ctx, bucketName, found); // a copy of a symlink copies its target's bytes
  const notModified = checkConditions(ctx.headers, object, "x-oss-copy-source-") === 304;
  checkReadable(ctx.services.meta, object, ctx.services.clock.now()); // unrestored archive sources: InvalidObjectState
  return { bucket, object, notModified };
}
