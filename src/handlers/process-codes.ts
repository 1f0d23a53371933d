/**
 * image/codes behind x-oss-process (GET, and POST with sys/saveas): the IMM project binding, the
 * caller's imm:DetectImageCodes, the IMM source gate, the shared scan (and its cache), metering.
 */
import type { RequestContext } from "../http/context.js";
import { OssError } from "../errors/oss-error.js";
import type { BucketRecord, ObjectRecord } from "../storage/types.js";
import type { Principal } from "../auth/types.js";
import { scanObject, toOssError } from "../imm/scan-object.js";
import type { AttachmentRecord } from "../imm/project-store.js";
import { immProjectArn } from "../policy/evaluate.js";
import { requestContext } from "../authz/context.js";
import { authorizeBucketAccess } from "../authz/bucket-access.js";
import { authorizeImmSource, type ImmSourceGrant } from "../imm/source-access.js";
import type { CodeBox } from "../image/actions/mask-codes.js";
import { loadObject } from "./get-object.js";

export interface CodesAnswer {
  readonly json: { RequestId: string; Codes: Array<{ Content: string; Boundary: CodeBox }> };
  readonly object: ObjectRecord;
  readonly project: { readonly name: string; readonly serviceRole: string };
}

/**
 * Scans `key` for the signed caller (image/codes; image/mask-codes with maxCodes 255). `needProcessImm`: POST requests were authorized for
 * oss:PostProcessTask before their body named image/codes, so oss:ProcessImm is asked here.
 */
export async function detectCodes(ctx: RequestContext, bucket: BucketRecord, key: string, needProcessImm: boolean, options: { maxCodes?: number } = {}): Promise<CodesAnswer> {
  if (ctx.auth.kind !== "signed") throw new OssError("AccessDenied", "Anonymous access is not allowed for image/codes.");
  const principal = ctx.auth.principal;
  if (needProcessImm) {
    await authorizeBucketAccess(ctx.services, { principal, actions: ["oss:ProcessImm"], bucket, key, context: requestContext(ctx.req, principal.accessKeyId, ctx.query) });
  }
  const attachment = await requireImmAttachment(ctx, bucket);
  const project = await ctx.services.imm.projects.getProject(bucket.owner, attachment.projectName);
  const projectRef = { name: attachment.projectName, serviceRole: project?.serviceRole ?? "AliyunIMMDefaultRole" };
  // ?versionId=: that version, with GetObject's answers for an unknown version (404) or a delete marker (405).
  const versionId = ctx.query.get("versionId");
  const version = versionId !== undefined ? await loadObject(ctx, bucket, key) : undefined;
  let result;
  try {
    const grant = await authorizeProjectUse(ctx, principal, bucket, projectRef, key, versionId);
    result = await scanObject(ctx.services, grant, { ...options, ...(version && { version }) });
  } catch (error) {
    throw toOssError(error);
  }
  ctx.usage.imageQrCodes = 1;
  if (result.directRead) {
    ctx.usage.archiveDirectRead = true;
    ctx.usage.retrievalBytes = result.object.size; // the whole source is retrieved, not the JSON answer
  }
  // The OSS product page's shape: the rectangular box only (oss-api.md §1.2).
  const json = {
    RequestId: ctx.requestId,
    Codes: result.codes.map((c) => ({
      Content: c.Content,
      Boundary: { Width: c.Boundary.Width, Height: c.Boundary.Height, Left: c.Boundary.Left, Top: c.Boundary.Top },
    })),
  };
  return { json, object: result.object, project: projectRef };
}

/**
 * image/codes runs on IMM, so OSS requires the bucket to be attached to an IMM project
 * (AttachOSSBucket). Real OSS's wording for an unattached bucket is undocumented (oss-api.md §9.2):
 * its IMM-backed errors use `<Code>Imm Client</Code>`, a code outside our error table whose HTTP
 * status is unknown too, so we answer with the documented, SDK-friendly 400 `InvalidArgument`
 * and a message that names the fix. Checked before the object is looked up: the bucket's setup is
 * the first thing wrong, whatever the key.
 */
export async function requireImmAttachment(ctx: RequestContext, bucket: BucketRecord): Promise<AttachmentRecord> {
  const attachment = await ctx.services.imm.projects.getAttachment(bucket.name, bucket.createdAt.getTime());
  if (attachment) return attachment;
  throw new OssError(
    "InvalidArgument",
    `The bucket ${bucket.name} is not attached to an IMM project, which image/codes requires. Attach it with IMM AttachOSSBucket (ProjectName, OSSBucket).`,
    { extra: { ArgumentName: "x-oss-process", ArgumentValue: ctx.query.get("x-oss-process") ?? "" } },
  );
}

/**
 * The caller needs imm:DetectImageCodes on the bound project, and the object must pass the IMM
 * source gate (the caller's own oss:GetObject, or oss:GetObjectVersion for a version — already
 * judged for a GET with oss:ProcessImm, asked again so that this path cannot drift from
 * DetectImageCodes — and the project's service role's, since IMM reads the object as that role).
 */
async function authorizeProjectUse(ctx: RequestContext, principal: Principal, bucket: BucketRecord, project: CodesAnswer["project"], key: string, versionId: string | undefined): Promise<ImmSourceGrant> {
  const { services } = ctx;
  const context = requestContext(ctx.req, principal.accessKeyId, ctx.query);
  await services.authorizer.authorize({
    principal,
    actions: ["imm:DetectImageCodes"],
    resource: immProjectArn(services.config.region, bucket.owner, project.name),
    ownerAccountId: bucket.owner,
    context,
  });
  return await authorizeImmSource(services, { caller: principal, callerContext: context, project, bucket, key, versionId });
}
