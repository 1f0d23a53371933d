/**
 * Runs the authorization decision for a routed, authenticated request before its handler:
 * loads the bucket (NoSuchBucket if absent), and judges the endpoint's actions against the
 * principal's policies, the bucket policy and the ACLs (`authz/bucket-access.ts`).
 */
import type { RequestContext } from "./context.js";
import type { BucketRecord } from "../storage/types.js";
import { OssError } from "../errors/oss-error.js";
import { ACTIONS, VERSION_ACTIONS, ossResource } from "../authz/actions.js";
import { requestContext } from "../authz/context.js";
import { authorizeBucketAccess } from "../authz/bucket-access.js";
import { namesImmAction } from "../image/permissions.js";
import { checkBucketGuards } from "./bucket-guards.js";

export async function authorizeEndpoint(ctx: RequestContext): Promise<BucketRecord | undefined> {
  const { endpoint, auth, services } = ctx;
  const principal = auth.kind === "signed" ? auth.principal : undefined;
  const base = (ctx.query.has("versionId") && VERSION_ACTIONS[endpoint.kind]) || ACTIONS[endpoint.kind];
  const actions = endpoint.kind === "ProcessObject" && namesImmAction(ctx.query.get("x-oss-process") ?? "") ? [...base, "oss:ProcessImm"] : base;
  const context = requestContext(ctx.req, principal?.accessKeyId, ctx.query);
  if (endpoint.kind === "ListBuckets" || endpoint.kind === "PutBucket") {
    // Service-level and bucket creation: an authenticated identity acting in its own account.
    if (!principal) throw new OssError("AccessDenied", "Anonymous access is forbidden for this operation.");
    const resource = endpoint.kind === "PutBucket" ? ossResource(principal.accountId, endpoint.bucket) : ossResource(principal.accountId);
    await services.authorizer.authorize({ principal, actions, resource, ownerAccountId: principal.accountId, context });
    return undefined;
  }
  const bucket = await services.meta.getBucket(endpoint.bucket);
  if (!bucket && endpoint.kind === "PutBucketAcl" && principal) {
    // PutBucketAcl on a missing bucket creates it (OSS PutBucketAcl docs): PutBucket's check.
    await services.authorizer.authorize({ principal, actions: ["oss:PutBucket", ...actions], resource: ossResource(principal.accountId, endpoint.bucket), ownerAccountId: principal.accountId, context });
    return undefined;
  }
  if (!bucket) throw new OssError("NoSuchBucket", undefined, { extra: { BucketName: endpoint.bucket } });
  if (endpoint.kind === "OptionsObject") return bucket; // the CORS rules are the authorization
  if (endpoint.kind === "PostObject") return bucket; // authenticated and authorized from its form fields
  await authorizeBucketAccess(services, { principal, actions, bucket, key: "key" in endpoint ? endpoint.key : undefined, context });
  await checkBucketGuards(ctx, bucket);
  return bucket;
}
