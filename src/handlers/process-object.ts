/** GetObject with `x-oss-process`: today the `image/codes` action (QR code and barcode recognition). */
import type { RequestContext } from "../http/context.js";
import { sendJson } from "../http/context.js";
import { OssError } from "../errors/oss-error.js";
import type { BucketRecord } from "../storage/types.js";
import type { Principal } from "../auth/types.js";
import { parseProcess } from "../image/plan.js";
import { scanObject, toOssError } from "../imm/scan-object.js";
import { endpointKey, requireBucket } from "./types.js";
import type { AttachmentRecord } from "../imm/project-store.js";
import { immProjectArn } from "../policy/evaluate.js";
import { requestContext } from "../authz/context.js";
import { authorizeImmSource, type ImmSourceGrant } from "../imm/source-access.js";

export async function processObject(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  const plan = parseProcess(ctx.query.get("x-oss-process") ?? "");
  if (plan.kind === "style") throw new OssError("NoSuchStyle", undefined, { extra: { StyleName: plan.name } });
  if (ctx.auth.kind !== "signed") throw new OssError("AccessDenied", "Anonymous access is not allowed for image/codes.");
  const attachment = requireImmAttachment(ctx, b);
  let codes;
  let directRead = false;
  let sourceSize = 0;
  try {
    const grant = authorizeProjectUse(ctx, ctx.auth.principal, b, attachment.projectName, endpointKey(ctx));
    ({ codes, directRead, object: { size: sourceSize } } = await scanObject(ctx.services, grant));
  } catch (error) {
    throw toOssError(error);
  }
  ctx.usage.imageQrCodes = 1;
  if (directRead) {
    ctx.usage.archiveDirectRead = true;
    ctx.usage.retrievalBytes = sourceSize; // the whole source is retrieved, not the JSON answer
  }
  // The OSS product page's shape: the rectangular box only (oss-api.md §1.2).
  sendJson(ctx, 200, {
    RequestId: ctx.requestId,
    Codes: codes.map((c) => ({
      Content: c.Content,
      Boundary: { Width: c.Boundary.Width, Height: c.Boundary.Height, Left: c.Boundary.Left, Top: c.Boundary.Top },
    })),
  });
}

/**
 * image/codes runs on IMM, so OSS requires the bucket to be attached to an IMM project
 * (AttachOSSBucket). Real OSS's wording for an unattached bucket is undocumented (oss-api.md §9.2):
 * its IMM-backed errors use `<Code>Imm Client</Code>`, a code outside our error table whose HTTP
 * status is unknown too, so we answer with the documented, SDK-friendly 400 `InvalidArgument`
 * and a message that names the fix. Checked before the object is looked up: the bucket's setup is
 * the first thing wrong, whatever the key.
 */
function requireImmAttachment(ctx: RequestContext, bucket: BucketRecord): AttachmentRecord {
  const attachment = ctx.services.imm.projects.getAttachment(bucket.name, bucket.createdAt.getTime());
  if (attachment) return attachment;
  throw new OssError(
    "InvalidArgument",
    `The bucket ${bucket.name} is not attached to an IMM project, which image/codes requires. Attach it with IMM AttachOSSBucket (ProjectName, OSSBucket).`,
    { extra: { ArgumentName: "x-oss-process", ArgumentValue: ctx.query.get("x-oss-process") ?? "" } },
  );
}

/**
 * The caller needs imm:DetectImageCodes on the bound project, and the object must pass the IMM
 * source gate (the caller's own oss:GetObject — already judged for this request with
 * oss:ProcessImm, asked again so that this path cannot drift from DetectImageCodes — and the
 * project's service role's, since IMM reads the object as that role).
 */
function authorizeProjectUse(ctx: RequestContext, principal: Principal, bucket: BucketRecord, projectName: string, key: string): ImmSourceGrant {
  const { services } = ctx;
  const context = requestContext(ctx.req, principal.accessKeyId, ctx.query);
  services.authorizer.authorize({
    principal,
    actions: ["imm:DetectImageCodes"],
    resource: immProjectArn(services.config.region, bucket.owner, projectName),
    ownerAccountId: bucket.owner,
    context,
  });
  const project = services.imm.projects.getProject(bucket.owner, projectName);
  return authorizeImmSource(services, {
    caller: principal,
    callerContext: context,
    project: { name: projectName, serviceRole: project?.serviceRole ?? "AliyunIMMDefaultRole" },
    bucket,
    key,
  });
}
