/**
 * Objects with `x-oss-process`: GET answers the processed result; POST (`?x-oss-process`, the process
 * in a form body ending `|sys/saveas,o_…,b_…`) stores it as an object (ali-oss processObjectSave).
 * Both process the version `?versionId=` names, if any (loadObject: GetObject's 404/405 for it).
 * image/codes keeps every IMM check (process-codes.ts); other actions run on sharp (process-image.ts).
 */
import { performance } from "node:perf_hooks";
import type { RequestContext } from "../http/context.js";
import { sendEmpty, sendJson } from "../http/context.js";
import { quoted } from "../objects/etag.js";
import { checkConditions, loadObject } from "./get-object.js";
import { OssError } from "../errors/oss-error.js";
import type { BucketRecord, ObjectRecord } from "../storage/types.js";
import { parseProcess } from "../image/plan.js";
import { splitSaveAs, type SaveAs } from "../image/saveas.js";
import { getStyle } from "../image/styles.js";
import { actionOf, type ActionStep } from "../image/registry.js";
import type { ProcessedResult } from "../image/service.js";
import { readSmallBody } from "../objects/write.js";
import { authorizeBucketAccess } from "../authz/bucket-access.js";
import { requestContext } from "../authz/context.js";
import { authorizeImmObject, ImmAccessDenied } from "../imm/source-access.js";
import { toOssError } from "../imm/scan-object.js";
import { endpointKey, requireBucket } from "./types.js";
import { detectCodes, type CodesAnswer } from "./process-codes.js";
import { MASK_MAX_CODES } from "../image/actions/mask-codes.js";
import { processImage } from "./process-image.js";
import { JSON_TYPE, sendProcessed } from "./process-response.js";
import { saveResult } from "./process-save.js";

/** The image steps of a process string or of the bucket's style it names (`style/<name>`). */
async function imageSteps(ctx: RequestContext, bucket: BucketRecord, process: string): Promise<{ steps: readonly ActionStep[]; viaStyle: boolean }> {
  const plan = parseProcess(process);
  if (plan.kind === "image") return { steps: plan.steps, viaStyle: false };
  const content = parseProcess((await getStyle(ctx.services.meta, bucket.name, plan.name)).content);
  if (content.kind !== "image") throw new OssError("InvalidArgument", `The style ${plan.name} does not hold an image process.`);
  return { steps: content.steps, viaStyle: true };
}

const usesImm = (steps: readonly ActionStep[]): boolean => steps.some((s) => actionOf(s).imm === true);

export async function processObject(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const started = performance.now();
  const b = requireBucket(bucket);
  const value = ctx.query.get("x-oss-process") ?? "";
  if (value.includes("|")) {
    throw new OssError("InvalidArgument", "sys/saveas is done by POST ?x-oss-process with the process in the body.", { extra: { ArgumentName: "x-oss-process", ArgumentValue: value } });
  }
  const { steps, viaStyle } = await imageSteps(ctx, b, value);
  const key = endpointKey(ctx);
  // The result carries the source's ETag and Last-Modified, so a revalidation is answered from them
  // (classic actions; IMM-backed ones always run their gate and scan).
  const current = usesImm(steps) ? undefined : await loadObject(ctx, b, key);
  if (current && checkConditions(ctx.headers, current) === 304) {
    sendEmpty(ctx, 304, { etag: quoted(current.etag), "last-modified": current.lastModified.toUTCString() });
    return;
  }
  // A style's content was not visible when the request was authorized: oss:ProcessImm is asked here.
  const answer = await runPlan(ctx, b, key, steps, viaStyle);
  sendProcessed(ctx, b, answer.object, answer.result, started);
}

/**
 * image/codes answers its JSON; image/mask-codes scans (up to 255 codes, through every IMM check)
 * and then runs the chain; everything else runs on sharp alone.
 */
async function runPlan(ctx: RequestContext, b: BucketRecord, key: string, steps: readonly ActionStep[], askProcessImm: boolean): Promise<{ result: ProcessedResult; object: ObjectRecord; project?: CodesAnswer["project"] }> {
  if (!usesImm(steps)) return processImage(ctx, b, key, steps);
  const masking = steps[0]!.action === "mask-codes";
  const codes = await detectCodes(ctx, b, key, askProcessImm, masking ? { maxCodes: MASK_MAX_CODES } : {});
  if (!masking) return { result: { kind: "json", json: codes.json }, object: codes.object, project: codes.project };
  const masked = await processImage(ctx, b, key, steps, codes.json.Codes.map((c) => c.Boundary));
  return { ...masked, project: codes.project };
}

/** The body ali-oss and the other SDKs send: `x-oss-process=<url-encoded process>`. */
async function processFromBody(ctx: RequestContext): Promise<string> {
  const body = (await readSmallBody(ctx.req, 64 * 1024)).toString("utf8");
  ctx.bytesIn += Buffer.byteLength(body);
  const value = new URLSearchParams(body).get("x-oss-process");
  if (!value) throw new OssError("InvalidRequest", "no x-oss-process parameter found in the request body.");
  return value;
}

export async function postProcessObject(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  const key = endpointKey(ctx);
  const { process, saveAs } = splitSaveAs(await processFromBody(ctx));
  if (!saveAs) throw new OssError("InvalidArgument", "POST ?x-oss-process needs |sys/saveas,o_<Base64 name> after the process.", { extra: { ArgumentName: "x-oss-process", ArgumentValue: process } });
  const { steps } = await imageSteps(ctx, b, process);
  const target = await targetBucket(ctx, b, saveAs);
  if (!usesImm(steps)) await authorizeTarget(ctx, target, saveAs.key);
  const { result, project } = await runPlan(ctx, b, key, steps, true);
  // IMM writes the result through the project's service role: the target must pass the IMM gate for oss:PutObject.
  if (project) await authorizeImmTarget(ctx, target, saveAs.key, project);
  const body = result.kind === "image" ? result.body : Buffer.from(JSON.stringify(result.json), "utf8");
  const saved = await saveResult(ctx, target, saveAs.key, body, result.kind === "image" ? result.contentType : JSON_TYPE);
  sendJson(ctx, 200, { bucket: target.name, fileSize: saved.size, object: saved.key, status: "OK" });
}

async function targetBucket(ctx: RequestContext, source: BucketRecord, saveAs: SaveAs): Promise<BucketRecord> {
  if (saveAs.bucket === undefined || saveAs.bucket === source.name) return source;
  const target = await ctx.services.meta.getBucket(saveAs.bucket);
  if (!target) throw new OssError("NoSuchBucket", undefined, { extra: { BucketName: saveAs.bucket } });
  return target;
}

/** OSS: sys/saveas needs oss:PutObject on the target object, as the caller. */
async function authorizeTarget(ctx: RequestContext, target: BucketRecord, key: string): Promise<void> {
  const principal = ctx.auth.kind === "signed" ? ctx.auth.principal : undefined;
  await authorizeBucketAccess(ctx.services, { principal, actions: ["oss:PutObject"], bucket: target, key, context: requestContext(ctx.req, principal?.accessKeyId, ctx.query) });
}

async function authorizeImmTarget(ctx: RequestContext, target: BucketRecord, key: string, project: { name: string; serviceRole: string }): Promise<void> {
  if (ctx.auth.kind !== "signed") throw new OssError("AccessDenied", "Anonymous access is not allowed for image/codes.");
  const principal = ctx.auth.principal;
  try {
    await authorizeImmObject(ctx.services, { caller: principal, callerContext: requestContext(ctx.req, principal.accessKeyId, ctx.query), project, bucket: target, key }, "oss:PutObject");
  } catch (error) {
    throw error instanceof ImmAccessDenied ? toOssError(error) : error;
  }
}
