/**
 * PutBucketWebsite / GetBucketWebsite / DeleteBucketWebsite (`/?website`). The configuration is
 * validated and stored (src/website/config.ts); src/website/serve.ts applies it to anonymous requests.
 */
import type { RequestContext } from "../http/context.js";
import { sendEmpty, sendXml } from "../http/context.js";
import { OssError } from "../errors/oss-error.js";
import type { BucketRecord } from "../storage/types.js";
import { readSmallBody } from "../objects/write.js";
import { WEBSITE_SETTING, parseWebsite, websiteXml, type WebsiteConfig } from "../website/config.js";
import { requireBucket } from "./types.js";

export async function putBucketWebsite(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  const config = parseWebsite(await readSmallBody(ctx.req, 64 * 1024));
  await ctx.services.meta.setBucketSetting(b.name, WEBSITE_SETTING, JSON.stringify(config));
  sendEmpty(ctx, 200);
}

export async function getBucketWebsite(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  const stored = await ctx.services.meta.getBucketSetting(b.name, WEBSITE_SETTING);
  if (stored === undefined) throw new OssError("NoSuchWebsiteConfiguration", undefined, { extra: { BucketName: b.name } });
  sendXml(ctx, 200, "WebsiteConfiguration", websiteXml(JSON.parse(stored) as WebsiteConfig));
}

export async function deleteBucketWebsite(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  await ctx.services.meta.setBucketSetting(b.name, WEBSITE_SETTING, undefined);
  sendEmpty(ctx, 204);
}
