/**
 * PutBucketLogging / GetBucketLogging / DeleteBucketLogging (`/?logging`): the access-log target
 * (a bucket of the same owner and region, and a key prefix), stored in the bucket setting "logging"
 * and shown by GetBucketInfo (BucketPolicy/LogBucket, LogPrefix). An empty `<BucketLoggingStatus/>`
 * turns logging off. src/access-log/ writes the log objects.
 */
import type { RequestContext } from "../http/context.js";
import { sendEmpty, sendXml } from "../http/context.js";
import { OssError } from "../errors/oss-error.js";
import { parseXmlBody, textOf } from "../http/xml.js";
import type { BucketRecord, MetadataStore } from "../storage/types.js";
import { readSmallBody } from "../objects/write.js";
import { requireBucket } from "./types.js";

export const LOGGING_SETTING = "logging";

export interface LoggingTarget {
  readonly bucket: string;
  readonly prefix: string;
}

export async function loadLogging(meta: MetadataStore, bucket: string): Promise<LoggingTarget | undefined> {
  const stored = await meta.getBucketSetting(bucket, LOGGING_SETTING);
  return stored === undefined ? undefined : (JSON.parse(stored) as LoggingTarget);
}

export async function putBucketLogging(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  const root = parseXmlBody(await readSmallBody(ctx.req, 16 * 1024), "BucketLoggingStatus");
  const enabled = root.LoggingEnabled;
  if (enabled === undefined) {
    await ctx.services.meta.setBucketSetting(b.name, LOGGING_SETTING, undefined);
    sendEmpty(ctx, 200);
    return;
  }
  if (typeof enabled !== "object" || enabled === null || Array.isArray(enabled)) throw new OssError("MalformedXML");
  const fields = enabled as Record<string, unknown>;
  const targetName = textOf(fields.TargetBucket);
  if (!targetName) throw new OssError("MalformedXML", "LoggingEnabled needs a TargetBucket.");
  const target = await ctx.services.meta.getBucket(targetName);
  if (!target || target.owner !== b.owner || target.region !== b.region) {
    throw new OssError("InvalidTargetBucketForLogging", undefined, { extra: { TargetBucket: targetName } });
  }
  const prefix = textOf(fields.TargetPrefix) ?? "";
  if (Buffer.byteLength(prefix) > 32) {
    throw new OssError("InvalidArgument", "TargetPrefix must be at most 32 bytes.", { extra: { ArgumentName: "TargetPrefix", ArgumentValue: prefix } });
  }
  await ctx.services.meta.setBucketSetting(b.name, LOGGING_SETTING, JSON.stringify({ bucket: targetName, prefix } satisfies LoggingTarget));
  sendEmpty(ctx, 200);
}

export async function getBucketLogging(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  const target = await loadLogging(ctx.services.meta, b.name);
  sendXml(ctx, 200, "BucketLoggingStatus", {
    LoggingEnabled: target && { TargetBucket: target.bucket, TargetPrefix: target.prefix },
  });
}

export async function deleteBucketLogging(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  await ctx.services.meta.setBucketSetting(b.name, LOGGING_SETTING, undefined);
  sendEmpty(ctx, 204);
}
