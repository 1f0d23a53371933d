/**
 * Object tagging (`/key?tagging`: Put/Get/DeleteObjectTagging) and bucket tags (`/?tagging`:
 * Put/Get/DeleteBucketTags). Object tags live on the object row (updated in one transaction);
 * bucket tags in the bucket setting "tags". DeleteBucketTags with `tagging=k1,k2` removes those keys.
 */
import type { RequestContext } from "../http/context.js";
import { sendEmpty, sendXml } from "../http/context.js";
import { OssError } from "../errors/oss-error.js";
import type { BucketRecord } from "../storage/types.js";
import { readSmallBody } from "../objects/write.js";
import { parseTaggingXml, taggingXml, validateBucketTags, validateObjectTags, type TagSet } from "../objects/tags.js";
import { endpointKey, requireBucket } from "./types.js";
import { loadObject } from "./get-object.js";
import { missingTarget, updateTargetVersion } from "./object-version.js";
import { announceVersion } from "./version-headers.js";
import { NULL_VERSION } from "../storage/types.js";

export const BUCKET_TAGS_SETTING = "tags";
const MAX_TAGGING_BODY = 64 * 1024;

async function setObjectTags(ctx: RequestContext, bucket: BucketRecord, tags: TagSet | undefined): Promise<void> {
  const key = endpointKey(ctx);
  const updated = await updateTargetVersion(ctx, bucket.name, key, (current) => {
    if (!current) return undefined;
    const { tags: _old, ...rest } = current;
    return tags && tags.length > 0 ? { ...rest, tags } : rest;
  });
  if (!updated) throw missingTarget(ctx, key);
  if (ctx.query.has("versionId")) announceVersion(ctx, updated.versionId ?? NULL_VERSION);
}

export async function putObjectTagging(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  const tags = validateObjectTags(parseTaggingXml(await readSmallBody(ctx.req, MAX_TAGGING_BODY)));
  await setObjectTags(ctx, b, tags);
  sendEmpty(ctx, 200);
}

export async function getObjectTagging(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  const object = await loadObject(ctx, b, endpointKey(ctx));
  if (ctx.query.has("versionId")) announceVersion(ctx, object.versionId ?? NULL_VERSION);
  sendXml(ctx, 200, "Tagging", taggingXml(object.tags));
}

export async function deleteObjectTagging(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  await setObjectTags(ctx, requireBucket(bucket), undefined);
  sendEmpty(ctx, 204);
}

export async function loadBucketTags(ctx: RequestContext, bucket: string): Promise<TagSet> {
  return parseBucketTags(await ctx.services.meta.getBucketSetting(bucket, BUCKET_TAGS_SETTING));
}

function parseBucketTags(stored: string | undefined): TagSet {
  return stored === undefined ? [] : (JSON.parse(stored) as Array<[string, string]>);
}

export async function putBucketTags(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  const tags = validateBucketTags(parseTaggingXml(await readSmallBody(ctx.req, MAX_TAGGING_BODY)));
  await ctx.services.meta.setBucketSetting(b.name, BUCKET_TAGS_SETTING, tags.length > 0 ? JSON.stringify(tags) : undefined);
  sendEmpty(ctx, 200);
}

export async function getBucketTags(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  sendXml(ctx, 200, "Tagging", taggingXml(await loadBucketTags(ctx, b.name)));
}

export async function deleteBucketTags(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  const only = ctx.query.get("tagging") ?? "";
  await ctx.services.meta.updateBucketSetting(b.name, BUCKET_TAGS_SETTING, (stored) => {
    const keep = only === "" ? [] : parseBucketTags(stored).filter(([key]) => !only.split(",").includes(key));
    return keep.length > 0 ? JSON.stringify(keep) : undefined;
  });
  sendEmpty(ctx, 204);
}
