/** GetObject with `x-oss-process`: today the `image/codes` action (QR code and barcode recognition). */
import type { RequestContext } from "../http/context.js";
import { sendJson } from "../http/context.js";
import { OssError } from "../errors/oss-error.js";
import type { BucketRecord, ObjectRecord } from "../storage/types.js";
import { parseProcess } from "../image/plan.js";
import { objectStream } from "../objects/read.js";
import { CodesError } from "../codes/types.js";
import { endpointKey, requireBucket } from "./types.js";
import { loadObject } from "./get-object.js";

/** OSS image processing refuses sources over 20 MB (oss-api.md §2.2). */
export const MAX_SOURCE_BYTES = 20 * 1024 * 1024;

export async function processObject(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  const plan = parseProcess(ctx.query.get("x-oss-process") ?? "");
  if (plan.kind === "style") throw new OssError("NoSuchStyle", undefined, { extra: { StyleName: plan.name } });
  if (ctx.auth.kind !== "signed") throw new OssError("AccessDenied", "Anonymous access is not allowed for image/codes.");
  const object = loadObject(ctx, b, endpointKey(ctx));
  if (object.storageClass === "Archive" || object.storageClass === "ColdArchive" || object.storageClass === "DeepColdArchive") {
    throw new OssError("InvalidObjectState", "The object must be restored before it can be processed.");
  }
  if (object.size > MAX_SOURCE_BYTES) {
    throw new OssError("ImageTooLarge", `The source image exceeds ${MAX_SOURCE_BYTES} bytes.`, { ec: "0040-00000012" });
  }
  const image = await readWhole(ctx, object);
  const codes = await detect(ctx, image);
  sendJson(ctx, 200, {
    RequestId: ctx.requestId,
    Codes: codes.map((c) => ({
      Content: c.Content,
      Boundary: { Width: c.Boundary.Width, Height: c.Boundary.Height, Left: c.Boundary.Left, Top: c.Boundary.Top },
    })),
  });
}

async function readWhole(ctx: RequestContext, object: ObjectRecord): Promise<Uint8Array> {
  const buffer = Buffer.allocUnsafe(object.size);
  let offset = 0;
  for await (const chunk of objectStream(ctx.services.blobs, object)) {
    (chunk as Buffer).copy(buffer, offset);
    offset += (chunk as Buffer).length;
  }
  return buffer.subarray(0, offset);
}

async function detect(ctx: RequestContext, image: Uint8Array): ReturnType<RequestContext["services"]["codes"]["detect"]> {
  const { codes, config } = ctx.services;
  try {
    return await codes.detect(image, { maxCodes: config.maxCodes, timeBudgetMs: config.codesTimeBudgetMs });
  } catch (error) {
    if (!(error instanceof CodesError)) throw error;
    switch (error.kind) {
      case "unsupported-format":
        throw new OssError("BadRequest", `The source is not an image in a supported format: ${error.message}`, { ec: "0040-00000005" });
      case "corrupt-image":
        throw new OssError("BadRequest", `The source image is corrupt: ${error.message}`, { ec: "0040-00000005" });
      case "image-too-large":
        throw new OssError("ImageTooLarge", error.message, { ec: "0040-00000012" });
      case "busy":
        throw new OssError("ServiceUnavailable", "Image recognition is at capacity; retry shortly.", { headers: { "retry-after": "1" } });
      case "timeout":
        throw new OssError("ServiceUnavailable", "Image recognition exceeded its time budget.", { headers: { "retry-after": "1" } });
    }
  }
}
