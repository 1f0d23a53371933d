/** GetObject with `x-oss-process`: today the `image/codes` action (QR code and barcode recognition). */
import type { RequestContext } from "../http/context.js";
import { sendJson } from "../http/context.js";
import { OssError } from "../errors/oss-error.js";
import type { BucketRecord } from "../storage/types.js";
import { parseProcess } from "../image/plan.js";
import { scanObject, toOssError } from "../imm/scan-object.js";
import { endpointKey, requireBucket } from "./types.js";
import type { AttachmentRecord } from "../imm/project-store.js";
import { immProjectArn } from "../policy/evaluate.js";
import { requestContext } from "../authz/context.js";
import { requireKmsDecrypt, serviceRolePrincipal, serviceRoleReadDecision } from "../imm/service-role.js";


export async function processObject(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  const plan = parseProcess(ctx.query.get("x-oss-process") ?? "");
  if (plan.kind === "style") throw new OssError("NoSuchStyle", undefined, { extra: { StyleName: plan.name } });
  if (ctx.auth.kind !== "signed") throw new OssError("AccessDenied", "Anonymous access is not allowed for image/codes.");
  const attachment = requireImmAttachment(ctx, b);
  const role = authorizeProjectUse(ctx, b, attachment.projectName, endpointKey(ctx));
  const callerPrincipal = ctx.auth.kind === "signed" ? ctx.auth.principal : undefined;
  let codes;
  let directRead = false;
  let sourceSize = 0;
  try {
    ({ codes, directRead, object: { size: sourceSize } } = await scanObject(ctx.services, b.name, endpointKey(ctx), (object) =>
      requireKmsDecrypt(ctx.services, object, [
        { who: "You", principal: callerPrincipal },
        { who: `The IMM service role ${role}`, principal: serviceRolePrincipal(ctx.services, role, b.owner) },
      ], (message) => new OssError("AccessDenied", message)),
    ));
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
 * The caller needs imm:DetectImageCodes on the bound project, and the project's service role must
 * be allowed oss:GetObject on the object, since IMM reads it as that role.
 */
function authorizeProjectUse(ctx: RequestContext, bucket: BucketRecord, projectName: string, key: string): string {
  const { services } = ctx;
  const principal = ctx.auth.kind === "signed" ? ctx.auth.principal : undefined;
  services.authorizer.authorize({
    principal,
    actions: ["imm:DetectImageCodes"],
    resource: immProjectArn(services.config.region, bucket.owner, projectName),
    ownerAccountId: bucket.owner,
    context: requestContext(ctx.req, principal?.accessKeyId),
  });
  const project = services.imm.projects.getProject(bucket.owner, projectName);
  const role = project?.serviceRole ?? "AliyunIMMDefaultRole";
  const decision = serviceRoleReadDecision(services, role, bucket, key);
  if (!decision.allowed) {
    services.log.warn({ audit: "denied", principal: `service-role/${role}`, action: "oss:GetObject", bucket: bucket.name, key, reason: decision.reason }, "IMM service role denied");
    throw new OssError("AccessDenied", `The IMM service role ${role} of project ${projectName} may not read the object: ${decision.reason}.`);
  }
  return role;
}
