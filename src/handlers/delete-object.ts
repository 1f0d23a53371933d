/** DeleteObject and DeleteMultipleObjects. */
import type { RequestContext } from "../http/context.js";
import { sendEmpty, sendXml } from "../http/context.js";
import { OssError } from "../errors/oss-error.js";
import type { BucketRecord } from "../storage/types.js";
import { asArray, parseXmlBody, textOf } from "../http/xml.js";
import { readSmallBody } from "../objects/write.js";
import { validateKey } from "../http/addressing.js";
import { encoder } from "./list-params.js";
import { endpointKey, requireBucket } from "./types.js";
import { releaseBlobs } from "./release.js";
import { meterEarlyDeletion } from "../objects/storage-class.js";

const MAX_DELETE_KEYS = 1000;
const MAX_DELETE_BODY = 2 * 1024 * 1024;

export function deleteObject(ctx: RequestContext, bucket: BucketRecord | undefined): void {
  const b = requireBucket(bucket);
  const key = endpointKey(ctx);
  const removed = ctx.services.meta.getObject(b.name, key);
  const { deleted, releasedBlobs } = ctx.services.meta.deleteObject(b.name, key);
  releaseBlobs(ctx, releasedBlobs);
  if (deleted) meterEarlyDeletion(ctx.services.metering, removed, ctx.services.clock.now());
  sendEmpty(ctx, 204);
}

export async function deleteMultipleObjects(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  if (ctx.headers["content-md5"] === undefined) {
    throw new OssError("MissingArgument", "Content-MD5 is required for DeleteMultipleObjects.", {
      extra: { ArgumentName: "Content-MD5" },
    });
  }
  const encode = encoder(ctx.query.get("encoding-type"));
  const body = await readSmallBody(ctx.req, MAX_DELETE_BODY);
  const parsed = parseXmlBody(body, "Delete");
  const quiet = (textOf(parsed.Quiet) ?? "false").toLowerCase() === "true";
  const objects = asArray(parsed.Object);
  if (objects.length === 0 || objects.length > MAX_DELETE_KEYS) throw new OssError("MalformedXML");
  const keys = objects.map((o) => {
    const key = textOf((o as Record<string, unknown> | undefined)?.Key);
    if (key === undefined) throw new OssError("MalformedXML");
    validateKey(key);
    return key;
  });
  const deleted: string[] = [];
  for (const key of keys) {
    const removed = ctx.services.meta.getObject(b.name, key);
    const result = ctx.services.meta.deleteObject(b.name, key);
    releaseBlobs(ctx, result.releasedBlobs);
    if (result.deleted) meterEarlyDeletion(ctx.services.metering, removed, ctx.services.clock.now());
    deleted.push(key);
  }
  if (quiet) {
    sendEmpty(ctx, 200);
    return;
  }
  sendXml(ctx, 200, "DeleteResult", {
    EncodingType: ctx.query.get("encoding-type") || undefined,
    Deleted: deleted.map((key) => ({ Key: encode(key) })),
  });
}
