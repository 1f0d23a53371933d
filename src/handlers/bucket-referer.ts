/** PutBucketReferer / GetBucketReferer (`/?referer`); the check itself is in authz/bucket-guards.ts. */
import type { RequestContext } from "../http/context.js";
import { sendEmpty, sendXml } from "../http/context.js";
import type { BucketRecord, MetadataStore } from "../storage/types.js";
import { readSmallBody } from "../objects/write.js";
import { DEFAULT_REFERER, REFERER_SETTING, parseRefererConfiguration, refererXml, type RefererConfiguration } from "../referer/rules.js";
import { requireBucket } from "./types.js";

export async function loadReferer(meta: MetadataStore, bucket: string): Promise<RefererConfiguration | undefined> {
  const stored = await meta.getBucketSetting(bucket, REFERER_SETTING);
  return stored === undefined ? undefined : (JSON.parse(stored) as RefererConfiguration);
}

export async function putBucketReferer(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  const config = parseRefererConfiguration(await readSmallBody(ctx.req, 256 * 1024));
  // Allowing empty referers with no lists is the default: store nothing (ali-oss deleteBucketReferer sends it).
  const isDefault = config.allowEmptyReferer && config.referers.length === 0 && config.blacklist.length === 0;
  await ctx.services.meta.setBucketSetting(b.name, REFERER_SETTING, isDefault ? undefined : JSON.stringify(config));
  sendEmpty(ctx, 200);
}

export async function getBucketReferer(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  sendXml(ctx, 200, "RefererConfiguration", refererXml(await loadReferer(ctx.services.meta, b.name) ?? DEFAULT_REFERER));
}
