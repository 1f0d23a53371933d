/**
 * "Why would this request be allowed or denied?": the authorization decision a request would get
 * (same Authorizer, policies, bucket policy and ACLs) and the statement that decided it. Shared by
 * the admin listener's `/explain` (operators, loopback, unauthenticated) and the RPC action
 * `ExplainAccess` (signed callers with `ram:DecodeDiagnosticMessage`, e.g. the web console).
 * Conditions see only acs:CurrentTime here: the request's IP, transport and agent are unknown.
 * (The stores are awaited even where they answer synchronously today: they are becoming async.)
 */
import type { Services } from "../services.js";
import { ossResource } from "./actions.js";
import { requestContext } from "../policy/conditions.js";

export interface ExplainQuery {
  readonly action: string | undefined;
  readonly bucket?: string | undefined;
  readonly key?: string | undefined;
  /** Omitted: an anonymous caller. */
  readonly accessKeyId?: string | undefined;
  /** Overrides the resource built from bucket and key. */
  readonly resource?: string | undefined;
}

export type ExplainAnswer =
  | { readonly ok: true; readonly body: Record<string, unknown> }
  | { readonly ok: false; readonly status: 400 | 404; readonly code: string; readonly error: string };

export const EXPLAIN_ACTION_PATTERN = /^[a-z]+:[A-Za-z*]+$/;

export async function explainAccess(services: Services, q: ExplainQuery): Promise<ExplainAnswer> {
  const { action, accessKeyId } = q;
  if (!action || !EXPLAIN_ACTION_PATTERN.test(action)) return { ok: false, status: 400, code: "InvalidParameter.Action", error: "action=service:Action is required" };
  const credential = accessKeyId ? await services.credentials.resolve(accessKeyId) : undefined;
  if (accessKeyId && !credential) return { ok: false, status: 404, code: "EntityNotExist.AccessKey", error: `unknown access key ${accessKeyId}` };
  const bucket = q.bucket ? await services.meta.getBucket(q.bucket) : undefined;
  if (q.bucket && !bucket) return { ok: false, status: 404, code: "NoSuchBucket", error: `no bucket ${q.bucket}` };
  const object = bucket && q.key ? await services.meta.getObject(bucket.name, q.key) : undefined;
  const owner = bucket?.owner ?? services.accountId;
  const bucketPolicy = bucket ? await services.iam.bucketPolicies.get(bucket.name) : undefined;
  const result = await services.authorizer.decide({
    principal: credential?.principal,
    actions: [action],
    resource: q.resource ?? ossResource(owner, bucket?.name, q.key),
    ownerAccountId: owner,
    ...(bucket ? { bucketAcl: bucket.acl } : {}),
    ...(object ? { objectAcl: object.acl } : {}),
    ...(bucketPolicy ? { bucketPolicy } : {}),
    context: requestContext({ now: new Date(), ...(accessKeyId ? { accessKeyId } : {}) }),
  });
  return { ok: true, body: { principal: credential?.principal.arn ?? "anonymous", keyActive: credential?.active, ...result } };
}
