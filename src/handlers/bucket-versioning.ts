/**
 * PutBucketVersioning / GetBucketVersioning (`?versioning`):
 * `<VersioningConfiguration><Status>Enabled|Suspended</Status></VersioningConfiguration>`.
 * The state is a bucket setting the metadata store reads inside each write's transaction, so a
 * write and a state change never interleave. Once set, versioning can only be suspended, not removed.
 */
import type { RequestContext } from "../http/context.js";
import { sendEmpty, sendXml } from "../http/context.js";
import { OssError } from "../errors/oss-error.js";
import { parseXmlBody, textOf } from "../http/xml.js";
import type { BucketRecord, VersioningStatus } from "../storage/types.js";
import { readSmallBody } from "../objects/write.js";
import { requireBucket } from "./types.js";

export const VERSIONING_SETTING = "versioning";

export async function versioningStatus(ctx: RequestContext, bucket: string): Promise<VersioningStatus | undefined> {
  const value = await ctx.services.meta.getBucketSetting(bucket, VERSIONING_SETTING);
  return value === "Enabled" || value === "Suspended" ? value : undefined;
}

export async function putBucketVersioning(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  const root = parseXmlBody(await readSmallBody(ctx.req, 16 * 1024), "VersioningConfiguration");
  const status = textOf(root.Status);
  if (status !== "Enabled" && status !== "Suspended") throw new OssError("MalformedXML", "Status must be Enabled or Suspended.");
  if (!ctx.services.meta.supportsVersioning) throw new OssError("NotImplemented", "This metadata store does not implement versioning.");
  await ctx.services.meta.setBucketSetting(b.name, VERSIONING_SETTING, status);
  sendEmpty(ctx, 200);
}

export async function getBucketVersioning(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  const status = await versioningStatus(ctx, b.name);
  // A bucket that never had versioning answers an empty configuration, as OSS does.
  sendXml(ctx, 200, "VersioningConfiguration", { Status: status });
}
