/**
 * Image actions behind x-oss-process (everything but the IMM-backed ones): the source's checks
 * (exists, readable storage class, ≤ 20 MB, caller's kms:Decrypt by reading as the caller), one
 * bounded pipeline run, and the processed-result cache keyed by object version + whole plan.
 */
import type { RequestContext } from "../http/context.js";
import { OssError, isOssError } from "../errors/oss-error.js";
import type { BucketRecord, ObjectRecord } from "../storage/types.js";
import { objectStream } from "../objects/read.js";
import { openSegments } from "../objects/sse.js";
import { checkReadable } from "../objects/storage-class.js";
import { authorizeBucketAccess } from "../authz/bucket-access.js";
import { requestContext } from "../authz/context.js";
import { MAX_SOURCE_BYTES } from "../imm/scan-object.js";
import { actionOf, type ActionStep, type RunEnv } from "../image/registry.js";
import { probeSource } from "../image/source.js";
import { runImage, runJson } from "../image/pipeline.js";
import type { ProcessedResult } from "../image/service.js";
import { loadObject } from "./get-object.js";
import { callerOf } from "./encryption.js";

export interface ImageAnswer {
  readonly result: ProcessedResult;
  readonly object: ObjectRecord;
}

async function readAll(ctx: RequestContext, object: ObjectRecord): Promise<Buffer> {
  const chunks: Buffer[] = [];
  // Read as the caller: an SSE-KMS source needs their kms:Decrypt, as a GetObject would.
  for await (const chunk of objectStream(await openSegments(ctx.services, object, callerOf(ctx)), object)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function tooLarge(object: ObjectRecord): OssError {
  return new OssError("ImageTooLarge", `The source image is ${object.size} bytes; OSS processes images of at most ${MAX_SOURCE_BYTES} bytes.`, { ec: "0040-00000012" });
}

/** Watermark images: objects of the same bucket, read only when the caller may GetObject them. */
function watermarkReader(ctx: RequestContext, bucket: BucketRecord, codeBoxes: RunEnv["codeBoxes"]): RunEnv {
  return {
    codeBoxes,
    async readObject(key) {
      const principal = ctx.auth.kind === "signed" ? ctx.auth.principal : undefined;
      await authorizeBucketAccess(ctx.services, { principal, actions: ["oss:GetObject"], bucket, key, context: requestContext(ctx.req, principal?.accessKeyId, ctx.query) });
      const object = await ctx.services.meta.getObject(bucket.name, key);
      if (!object) throw new OssError("WatermarkError", `The watermark image ${key} does not exist in bucket ${bucket.name}.`);
      try {
        await checkReadable(ctx.services.meta, object, ctx.services.clock.now());
      } catch (error) {
        if (isOssError(error)) throw new OssError("WatermarkError", `The watermark image ${key} cannot be read: ${error.message}`);
        throw error;
      }
      if (object.size > MAX_SOURCE_BYTES) throw tooLarge(object);
      return readAll(ctx, object);
    },
  };
}

/** Results that depend only on the source version and the plan may be cached. */
function cacheable(object: ObjectRecord, steps: readonly ActionStep[]): boolean {
  // A KMS source's key check happens while reading; a watermark image is another object's version.
  return object.serverSideEncryption?.algorithm !== "KMS" && !steps.some((s) => s.action === "watermark" && s.image !== undefined);
}

/** `codeBoxes`: for image/mask-codes, what image/codes found on this object version (through the IMM gate). */
export async function processImage(ctx: RequestContext, bucket: BucketRecord, key: string, steps: readonly ActionStep[], codeBoxes?: RunEnv["codeBoxes"]): Promise<ImageAnswer> {
  const { services } = ctx;
  const object = await loadObject(ctx, bucket, key);
  ctx.usage.storageClass = object.storageClass;
  if (await checkReadable(services.meta, object, services.clock.now()) === "direct-read") {
    ctx.usage.archiveDirectRead = true;
    ctx.usage.retrievalBytes = object.size; // the whole source is retrieved, whatever the answer's size
  }
  if (object.size > MAX_SOURCE_BYTES) throw tooLarge(object);
  const compute = (): Promise<ProcessedResult> => services.images.run(async () => {
    const source = await probeSource(await readAll(ctx, object));
    const first = steps[0]!;
    if (actionOf(first).kind === "json") return { kind: "json", json: await runJson(source, first) };
    const image = await runImage(source, steps, watermarkReader(ctx, bucket, codeBoxes));
    return { kind: "image", body: image.body, contentType: image.contentType };
  });
  if (!cacheable(object, steps)) return { result: await compute(), object };
  const cacheKey = { bucket: bucket.name, key, etag: object.etag, lastModified: object.lastModified, versionId: object.versionId, work: `image:${JSON.stringify(steps)}` };
  return { result: await services.images.results.getOrCompute(cacheKey, compute), object };
}
