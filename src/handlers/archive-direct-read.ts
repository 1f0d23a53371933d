/**
 * PutBucketArchiveDirectRead / GetBucketArchiveDirectRead (`?bucketArchiveDirectRead`):
 * `<ArchiveDirectReadConfiguration><Enabled>true|false</Enabled></ArchiveDirectReadConfiguration>`.
 * When enabled, unrestored Archive objects (not ColdArchive/DeepColdArchive) can be read by GET and
 * image/codes, metered as archive direct-read retrieval.
 */
import type { RequestContext } from "../http/context.js";
import { sendEmpty, sendXml } from "../http/context.js";
import { OssError } from "../errors/oss-error.js";
import { parseXmlBody, textOf } from "../http/xml.js";
import type { BucketRecord } from "../storage/types.js";
import { readSmallBody } from "../objects/write.js";
import { ARCHIVE_DIRECT_READ_SETTING, archiveDirectReadEnabled } from "../objects/storage-class.js";
import { requireBucket } from "./types.js";

export async function putBucketArchiveDirectRead(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  const root = parseXmlBody(await readSmallBody(ctx.req, 16 * 1024), "ArchiveDirectReadConfiguration");
  const enabled = textOf(root.Enabled);
  if (enabled !== "true" && enabled !== "false") {
    throw new OssError("MalformedXML", "Enabled must be true or false.");
  }
  await ctx.services.meta.setBucketSetting(b.name, ARCHIVE_DIRECT_READ_SETTING, enabled);
  sendEmpty(ctx, 200);
}

export async function getBucketArchiveDirectRead(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  const enabled = await archiveDirectReadEnabled(ctx.services.meta, b.name);
  sendXml(ctx, 200, "ArchiveDirectReadConfiguration", { Enabled: enabled ? "true" : "false" });
}
