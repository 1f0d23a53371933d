/** PutBucketLifecycle, GetBucketLifecycle, DeleteBucketLifecycle (`?lifecycle`); rules in src/lifecycle/rules.ts. */
import type { RequestContext } from "../http/context.js";
import { sendEmpty, sendXml } from "../http/context.js";
import { OssError } from "../errors/oss-error.js";
import type { BucketRecord } from "../storage/types.js";
import { readSmallBody } from "../objects/write.js";
import { LIFECYCLE_SETTING, lifecycleXml, parseLifecycle } from "../lifecycle/rules.js";
import { loadRules } from "../lifecycle/runner.js";
import { requireBucket } from "./types.js";

/** 1000 rules of modest size fit well under this. */
const MAX_LIFECYCLE_BODY = 2 * 1024 * 1024;

export async function putBucketLifecycle(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  const rules = parseLifecycle(await readSmallBody(ctx.req, MAX_LIFECYCLE_BODY));
  await ctx.services.meta.setBucketSetting(b.name, LIFECYCLE_SETTING, JSON.stringify(rules));
  sendEmpty(ctx, 200);
}

export async function getBucketLifecycle(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  const rules = await loadRules(ctx.services.meta, b.name);
  if (rules.length === 0) throw new OssError("NoSuchLifecycle", undefined, { extra: { BucketName: b.name } });
  sendXml(ctx, 200, "LifecycleConfiguration", lifecycleXml(rules));
}

export async function deleteBucketLifecycle(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  await ctx.services.meta.setBucketSetting(b.name, LIFECYCLE_SETTING, undefined);
  sendEmpty(ctx, 204);
}
