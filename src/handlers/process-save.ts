/**
 * sys/saveas: stores a processing result as an object, in the source's bucket or another one, with
 * the target bucket's default storage class and encryption. Metered as the write it is.
 */
import { replacedForGood } from "./version-headers.js";
import type { RequestContext } from "../http/context.js";
import type { BucketRecord, ObjectRecord } from "../storage/types.js";
import { bucketDefaultEncryption, prepareEncryption } from "../objects/sse.js";
import { writeBufferObject } from "../objects/internal-write.js";
import { meterEarlyDeletion } from "../objects/storage-class.js";
import { validateKey } from "../http/addressing.js";
import { releaseBlobs } from "./release.js";
import { callerOf } from "./encryption.js";

export async function saveResult(ctx: RequestContext, target: BucketRecord, key: string, body: Buffer, contentType: string): Promise<ObjectRecord> {
  validateKey(key);
  const { services } = ctx;
  ctx.usage.storageClass = target.storageClass; // billed as a write of the class stored
  const encryption = await prepareEncryption(services, target.owner, callerOf(ctx), await bucketDefaultEncryption(services, target.name));
  const { record } = await writeBufferObject(services, target, key, body, contentType, encryption);
  const now = record.lastModified;
  const replaced = await services.meta.getObject(target.name, key);
  const result = await services.meta.putObject(record);
  releaseBlobs(ctx, result.releasedBlobs);
  if (replacedForGood(result)) meterEarlyDeletion(services.metering, replaced, now);
  return record;
}
