/**
 * ListLiveChannel (`GET /?live`): live channels (RTMP ingest) cannot be created here
 * (PutLiveChannel answers 501), so every bucket's list is empty, in OSS's shape.
 */
import type { RequestContext } from "../http/context.js";
import { sendXml } from "../http/context.js";
import type { BucketRecord } from "../storage/types.js";
import { requireBucket } from "./types.js";

export function listLiveChannel(ctx: RequestContext, bucket: BucketRecord | undefined): void {
  requireBucket(bucket);
  const maxKeys = ctx.query.get("max-keys");
  sendXml(ctx, 200, "ListLiveChannelResult", {
    Prefix: ctx.query.get("prefix") ?? "",
    Marker: ctx.query.get("marker") ?? "",
    MaxKeys: maxKeys && /^[0-9]{1,4}$/.test(maxKeys) ? maxKeys : "100",
    IsTruncated: "false",
    NextMarker: "",
  });
}
