import type { RequestContext } from "../http/context.js";
import type { BucketRecord } from "../storage/types.js";

/** A handler gets the context and, for bucket and object endpoints, the authorized bucket. */
export type Handler = (ctx: RequestContext, bucket: BucketRecord | undefined) => Promise<void> | void;

/** For handlers of bucket/object endpoints, where the dispatcher always loaded the bucket. */
export function requireBucket(bucket: BucketRecord | undefined): BucketRecord {
  if (!bucket) throw new Error("internal: bucket endpoint dispatched without a bucket");
  return bucket;
}

export function endpointKey(ctx: RequestContext): string {
  if (!("key" in ctx.endpoint) || ctx.endpoint.key === undefined) throw new Error("internal: object endpoint without key");
  return ctx.endpoint.key;
}
