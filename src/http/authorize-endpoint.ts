/**
 * Runs the authorization decision for a routed, authenticated request before its handler:
 * loads the bucket (NoSuchBucket if absent), and judges the endpoint's actions against the
 * principal, the bucket ACL and, only when that is not enough, the object's own ACL.
 */
import type { RequestContext } from "./context.js";
import type { BucketRecord } from "../storage/types.js";
import { OssError } from "../errors/oss-error.js";
import { ACTIONS, ossResource } from "../authz/actions.js";
import { authorize, decide } from "../authz/authorize.js";

export function authorizeEndpoint(ctx: RequestContext): BucketRecord | undefined {
  const { endpoint, auth, services } = ctx;
  const principal = auth.kind === "signed" ? auth.principal : undefined;
  const actions = ACTIONS[endpoint.kind];
  if (endpoint.kind === "ListBuckets" || endpoint.kind === "PutBucket") {
    // Service-level and bucket creation: any authenticated account acts on its own behalf.
    if (!principal) throw new OssError("AccessDenied", "Anonymous access is forbidden for this operation.");
    authorize({ principal, actions, resource: ossResource(principal.accountId), ownerAccountId: principal.accountId });
    return undefined;
  }
  const bucket = services.meta.getBucket(endpoint.bucket);
  if (!bucket) throw new OssError("NoSuchBucket", undefined, { extra: { BucketName: endpoint.bucket } });
  const key = "key" in endpoint ? endpoint.key : undefined;
  const request = {
    principal,
    actions,
    resource: ossResource(bucket.owner, bucket.name, key),
    ownerAccountId: bucket.owner,
    bucketAcl: bucket.acl,
  };
  if (decide(request).allowed) return bucket;
  if (key !== undefined) {
    const object = services.meta.getObject(bucket.name, key);
    if (object) {
      authorize({ ...request, objectAcl: object.acl });
      return bucket;
    }
  }
  authorize(request);
  return bucket;
}
