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

export async function loadCopySource(ctx: RequestContext): Promise<CopySource> {
  const header = ctx.headers["x-oss-copy-source"] ?? "";
  const [path = "", query = ""] = header.split("?", 2);
  const versionId = sourceVersionId(query);
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
  const bucket = await ctx.services.meta.getBucket(bucketName);
  if (!bucket) throw new OssError("NoSuchBucket", undefined, { extra: { BucketName: bucketName } });
  const found = versionId === undefined ? await ctx.services.meta.getObject(bucketName, key) : await sourceVersion(ctx, bucketName, key, versionId);
  const principal = ctx.auth.kind === "signed" ? ctx.auth.principal : undefined;
  const bucketPolicy = await ctx.services.iam.bucketPolicies.get(bucket.name);
  await ctx.services.authorizer.authorize({
    principal,
    actions: [versionId === undefined ? "oss:GetObject" : "oss:GetObjectVersion"],
    resource: ossResource(bucket.owner, bucket.name, key),
    ownerAccountId: bucket.owner,
    bucketAcl: bucket.acl,
    ...(found ? { objectAcl: found.acl } : {}),
    ...(bucketPolicy ? { bucketPolicy } : {}),
    context: requestContext(ctx.req, principal?.accessKeyId),
  });
  if (!found) throw new OssError(versionId === undefined ? "NoSuchKey" : "NoSuchVersion", undefined, { extra: { Key: key } });
  if (found.versionId !== undefined) ctx.res.setHeader("x-oss-copy-source-version-id", found.versionId);
  const object = await followSymlink(ctx, bucketName, found); // a copy of a symlink copies its target's bytes
  const notModified = checkConditions(ctx.headers, object, "x-oss-copy-source-") === 304;
  await checkReadable(ctx.services.meta, object, ctx.services.clock.now()); // unrestored archive sources: InvalidObjectState
  return { bucket, object, notModified };
}

/** `?versionId=…` is the only query a copy source may carry. */
function sourceVersionId(query: string): string | undefined {
  if (query === "") return undefined;
  const params = new URLSearchParams(query);
  const versionId = params.get("versionId");
  if (versionId === null || versionId === "" || [...params.keys()].some((name) => name !== "versionId")) {
    throw new OssError("InvalidArgument", "x-oss-copy-source accepts only a versionId query.", {
      extra: { ArgumentName: "x-oss-copy-source", ArgumentValue: query },
    });
  }
  return versionId;
}

/** A source version; a delete marker cannot be copied (OSS EC 0016-00000307). */
async function sourceVersion(ctx: RequestContext, bucket: string, key: string, versionId: string): Promise<ObjectRecord | undefined> {
  const entry = await ctx.services.meta.getObjectVersion(bucket, key, versionId);
  if (entry?.kind === "marker") {
    throw new OssError("InvalidArgument", "The version in x-oss-copy-source is a delete marker.", { ec: "0016-00000307" });
  }
  return entry?.record;
}
