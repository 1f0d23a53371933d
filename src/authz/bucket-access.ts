/**
 * The OSS decision for an action on a bucket or on an object in it: the caller's identity
 * policies, its STS session policy, the bucket policy, then the ACLs (the object's own ACL,
 * unless `default`, over the bucket's). The OSS endpoint judges every bucket and object request
 * with it (`http/authorize-endpoint.ts`), and IMM judges the caller with it before reading or
 * writing an object on the caller's behalf (`imm/source-access.ts`): one evaluation, not two.
 */
import type { Principal } from "../auth/types.js";
import type { BucketRecord, MetadataStore } from "../storage/types.js";
import type { ConditionContext } from "../policy/conditions.js";
import type { EvaluationResult } from "../policy/evaluate.js";
import type { AccessRequest, Authorizer } from "./authorize.js";
import { ossResource } from "./actions.js";

export interface BucketAccessDeps {
  readonly authorizer: Authorizer;
  readonly meta: Pick<MetadataStore, "getObject">;
  readonly iam: { readonly bucketPolicies: { get(bucket: string): Promise<string | undefined> } };
}

export interface BucketAccessQuery {
  /** undefined for anonymous requests. */
  readonly principal: Principal | undefined;
  readonly actions: readonly string[];
  readonly bucket: BucketRecord;
  /** The object, for object-level actions. */
  readonly key?: string | undefined;
  readonly context: ConditionContext;
}

/**
 * The decision for the query. The object is looked up only when its ACL could change the answer:
 * when the bucket-level decision denies, or when the bucket's ACL is public (it may be what
 * allowed, and a private object in a public-read bucket stays private). An Allow from a policy
 * or from the owner never depends on the object's ACL.
 */
export async function decideBucketAccess(deps: BucketAccessDeps, query: BucketAccessQuery): Promise<EvaluationResult> {
  return await judge(deps, query, (request) => deps.authorizer.decide(request));
}

/** As `decideBucketAccess`, but a denial throws OSS AccessDenied (and writes the audit line). */
export async function authorizeBucketAccess(deps: BucketAccessDeps, query: BucketAccessQuery): Promise<EvaluationResult> {
  return await judge(deps, query, (request) => deps.authorizer.authorize(request));
}

async function judge(deps: BucketAccessDeps, query: BucketAccessQuery, final: (request: AccessRequest) => Promise<EvaluationResult>): Promise<EvaluationResult> {
  const { bucket, key } = query;
  const bucketPolicy = await deps.iam.bucketPolicies.get(bucket.name);
  const request: AccessRequest = {
    principal: query.principal,
    actions: query.actions,
    resource: ossResource(bucket.owner, bucket.name, key),
    ownerAccountId: bucket.owner,
    bucketAcl: bucket.acl,
    ...(bucketPolicy ? { bucketPolicy } : {}),
    context: query.context,
  };
  const bucketLevel = await deps.authorizer.decide(request);
  if (bucketLevel.allowed && (key === undefined || bucket.acl === "private")) return bucketLevel;
  const object = key !== undefined ? await deps.meta.getObject(bucket.name, key) : undefined;
  return await final(object ? { ...request, objectAcl: object.acl } : request);
}
