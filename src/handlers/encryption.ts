/** Server-side encryption choices of a request, for the write handlers. */
import type { RequestContext } from "../http/context.js";
import type { BucketRecord } from "../storage/types.js";
import { requestContext } from "../authz/context.js";
import type { ConditionContext } from "../policy/conditions.js";
import { encryptionFor, prepareEncryption, writeSegment, type Caller, type PreparedEncryption } from "../objects/sse.js";
import type { SegmentWriter } from "../objects/write.js";

/** The caller, for KMS checks; its condition context is built only if a check reads it (plaintext GETs never do). */
export function callerOf(ctx: RequestContext): Caller {
  const principal = ctx.auth.kind === "signed" ? ctx.auth.principal : undefined;
  let context: ConditionContext | undefined;
  return {
    principal,
    get context(): ConditionContext {
      return (context ??= requestContext(ctx.req, principal?.accessKeyId));
    },
  };
}

/** The encryption this write gets (headers, else bucket default), with its KMS key checked. */
export async function prepareWriteEncryption(ctx: RequestContext, bucket: BucketRecord): Promise<PreparedEncryption | undefined> {
  return await prepareEncryption(ctx.services, bucket.owner, callerOf(ctx), await encryptionFor(ctx.services, ctx.headers, bucket.name));
}

export function segmentWriter(ctx: RequestContext, prepared: PreparedEncryption | undefined): SegmentWriter {
  return (source, options) => writeSegment(ctx.services, source, prepared, options);
}
