/** PutBucketPolicy, GetBucketPolicy, DeleteBucketPolicy: JSON policy documents with principals. */
import type { RequestContext } from "../http/context.js";
import { sendEmpty, sendJson } from "../http/context.js";
import { OssError } from "../errors/oss-error.js";
import type { BucketRecord } from "../storage/types.js";
import { readSmallBody } from "../objects/write.js";
import { parsePolicy, PolicyError, POLICY_SIZE_LIMITS } from "../policy/document.js";
import { requireBucket } from "./types.js";

export async function putBucketPolicy(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  const body = await readSmallBody(ctx.req, POLICY_SIZE_LIMITS.resource + 1024);
  const text = body.toString("utf8");
  try {
    parsePolicy(text, "resource");
  } catch (error) {
    if (error instanceof PolicyError) throw new OssError("InvalidPolicyDocument", error.message);
    throw error;
  }
  await ctx.services.iam.bucketPolicies.put(b.name, text);
  sendEmpty(ctx, 200);
}

export async function getBucketPolicy(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  const document = await ctx.services.iam.bucketPolicies.get(b.name);
  if (document === undefined) throw new OssError("NoSuchBucketPolicy", undefined, { extra: { BucketName: b.name } });
  sendJson(ctx, 200, JSON.parse(document));
}

export async function deleteBucketPolicy(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  await ctx.services.iam.bucketPolicies.delete(b.name);
  sendEmpty(ctx, 204);
}
