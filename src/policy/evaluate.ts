/**
 * The policy evaluator (oss-api.md §6.3). Pure: the caller supplies the principal, the action, the
 * resource ARN, the condition context, every applicable policy and the ACL verdict.
 *
 * Order:
 *   1. An explicit Deny in the session policy, any identity policy, or the bucket policy ⇒ ExplicitDeny.
 *   2. An Allow from the identity policies (same-account callers only) or from the bucket policy ⇒
 *      Allow — but when a session policy is present it must Allow too (RAM evaluates the session
 *      policy before identity and resource policies, so it narrows both).
 *   3. The resource owner's root account ⇒ Allow.
 *   4. The ACL verdict (`aclAllows`) ⇒ Allow.
 *   5. Otherwise ImplicitDeny.
 *
 * Cross-account: identity policies only grant on resources of the caller's own account; another
 * account needs the bucket policy. A bucket policy naming the caller itself (UID / user / role /
 * session ARN) grants on its own; naming only the caller's account (`{uid}`, `acs:ram::{uid}:root`)
 * delegates to that account, so a RAM user/role then also needs an identity Allow.
 */
import { conditionsHold, normalizeContext, type ConditionContext, type NormalizedContext } from "./conditions.js";
import { parsePolicy, type PolicyDocument, type PolicyStatement } from "./document.js";
import { matchPrincipal, type Pattern, type PolicyPrincipal, type PrincipalMatch } from "./match.js";

// One import point for callers (server wiring): parse, evaluate, build contexts.
export type { PolicyPrincipal } from "./match.js";
export { parsePolicy, tryParsePolicy, PolicyError, POLICY_SIZE_LIMITS, type PolicyDocument, type PolicyKind, type PolicyErrorCode } from "./document.js";
export { requestContext, type ConditionContext, type RequestFacts } from "./conditions.js";

export interface NamedPolicy {
  readonly name: string;
  readonly document: PolicyDocument;
}

export interface EvaluationRequest {
  /** undefined for anonymous requests. `Principal` from src/auth/types.ts fits. */
  readonly principal: PolicyPrincipal | undefined;
  /** e.g. `oss:GetObject` (matched case-insensitively). */
  readonly action: string;
  /** e.g. `acs:oss:*:{owner}:{bucket}/{key}` (see `ossResourceArn`). */
  readonly resource: string;
  /** Account owning the resource (the bucket owner; the IMM project's / KMS key's account). */
  readonly ownerAccountId: string;
  /** Condition keys (case-insensitive) → value(s): `acs:SourceIp`, `acs:SecureTransport`, `acs:CurrentTime`, `oss:Prefix`… */
  readonly context?: ConditionContext;
  /** The user's attached policies, or the role's policies for an assumed-role session. */
  readonly identityPolicies?: readonly NamedPolicy[];
  /** STS AssumeRole inline `Policy`: narrows identity and bucket-policy grants. */
  readonly sessionPolicy?: PolicyDocument;
  readonly bucketPolicy?: PolicyDocument;
  /** The ACL verdict computed by the caller (bucket/object ACL grants this action to this caller). */
  readonly aclAllows?: boolean;
}

export type DecisionSource = "identity" | "session" | "bucket" | "owner" | "acl" | "none";

export interface EvaluationResult {
  readonly allowed: boolean;
  readonly decision: "ExplicitDeny" | "Allow" | "ImplicitDeny";
  /** Which policy (and statement) decided; for ImplicitDeny, `session` means the session policy narrowed an Allow away. */
  readonly by: { readonly source: DecisionSource; readonly policyName?: string; readonly statementIndex?: number };
  readonly reason: string;
  readonly action: string;
  readonly resource: string;
}

// ---------------------------------------------------------------------------------------------
// Statement matching

function anyMatch(patterns: readonly Pattern[] | undefined, value: string): boolean {
  return patterns !== undefined && patterns.some((p) => p.test(value));
}

/** Action, resource and conditions (not the principal). */
function statementApplies(s: PolicyStatement, action: string, resource: string, ctx: LazyContext): boolean {
  const actionOk = s.action ? anyMatch(s.action, action) : !anyMatch(s.notAction, action);
  if (!actionOk) return false;
  const resourceOk = s.resource ? anyMatch(s.resource, resource) : !anyMatch(s.notResource, resource);
  return resourceOk && (s.conditions.length === 0 || conditionsHold(s.conditions, ctx.get()));
}

/** The normalised condition context, built on first use: most requests meet no Condition at all. */
class LazyContext {
  private normalized: NormalizedContext | undefined;
  constructor(private readonly context: ConditionContext | undefined) {}
  get(): NormalizedContext {
    return (this.normalized ??= normalizeContext(this.context));
  }
}

interface Hit {
  readonly policyName?: string;
  readonly statementIndex: number;
}

interface Scan {
  deny?: Hit;
  allow?: Hit;
  /** Bucket policies only: an Allow that names just the caller's account. */
  allowViaAccount?: Hit;
}

function scanDocument(doc: PolicyDocument, policyName: string | undefined, req: EvaluationRequest, ctx: LazyContext, into: Scan): void {
  const { principal } = req;
  const isOwnerRoot = principal?.kind === "root" && principal.accountId === req.ownerAccountId;
  for (const s of doc.statements) {
    let match: PrincipalMatch = "direct";
    if (s.principal) {
      // `*` without a Condition covers everyone except the bucket owner; with a Condition, everyone.
      match = matchPrincipal(s.principal, principal, { ignoreAny: isOwnerRoot && s.conditions.length === 0 });
      if (match === "none") continue;
    }
    if (!statementApplies(s, req.action, req.resource, ctx)) continue;
    const hit: Hit = policyName === undefined ? { statementIndex: s.index } : { policyName, statementIndex: s.index };
    if (s.effect === "Deny") into.deny ??= hit;
    else if (match === "direct") into.allow ??= hit;
    else into.allowViaAccount ??= hit;
  }
}

function describe(source: DecisionSource, hit: Hit): string {
  const name = hit.policyName !== undefined ? ` "${hit.policyName}"` : "";
  return `${source} policy${name} statement ${hit.statementIndex}`;
}

// ---------------------------------------------------------------------------------------------

export function evaluate(req: EvaluationRequest): EvaluationResult {
  const ctx = new LazyContext(req.context);
  const { principal } = req;
  const result = (allowed: boolean, decision: EvaluationResult["decision"], source: DecisionSource, hit: Hit | undefined, reason: string): EvaluationResult => {
    const by: { source: DecisionSource; policyName?: string; statementIndex?: number } = { source };
    if (hit?.policyName !== undefined) by.policyName = hit.policyName;
    if (hit) by.statementIndex = hit.statementIndex;
    return { action: req.action, resource: req.resource, allowed, decision, by, reason };
  };

  // Identity and session policies belong to an authenticated RAM identity; anonymous callers have none.
  const session: Scan = {};
  const identity: Scan = {};
  if (principal !== undefined) {
    if (req.sessionPolicy) scanDocument(req.sessionPolicy, undefined, req, ctx, session);
    for (const p of req.identityPolicies ?? []) scanDocument(p.document, p.name, req, ctx, identity);
  }
  const bucket: Scan = {};
  if (req.bucketPolicy) scanDocument(req.bucketPolicy, undefined, req, ctx, bucket);

  const what = `${req.action} on ${req.resource}`;
  if (session.deny) return result(false, "ExplicitDeny", "session", session.deny, `explicit Deny of ${what} in ${describe("session", session.deny)}`);
  if (identity.deny) return result(false, "ExplicitDeny", "identity", identity.deny, `explicit Deny of ${what} in ${describe("identity", identity.deny)}`);
  if (bucket.deny) return result(false, "ExplicitDeny", "bucket", bucket.deny, `explicit Deny of ${what} in ${describe("bucket", bucket.deny)}`);

  const sameAccount = principal !== undefined && principal.accountId === req.ownerAccountId;
  const grant: [DecisionSource, Hit] | undefined =
    identity.allow && sameAccount ? ["identity", identity.allow]
    : bucket.allow ? ["bucket", bucket.allow]
    : bucket.allowViaAccount && identity.allow ? ["bucket", bucket.allowViaAccount]
    : undefined;
  if (grant && (!req.sessionPolicy || session.allow)) {
    const [source, hit] = grant;
    const via = identity.allow && hit === bucket.allowViaAccount ? ` (granted to the caller's account; ${describe("identity", identity.allow)} also allows)` : "";
    return result(true, "Allow", source, hit, `${what} allowed by ${describe(source, hit)}${via}`);
  }

  if (principal?.kind === "root" && principal.accountId === req.ownerAccountId) {
    return result(true, "Allow", "owner", undefined, `${principal.arn} is the root account of the resource owner`);
  }
  if (req.aclAllows) return result(true, "Allow", "acl", undefined, `${what} allowed by the ACL`);
  if (grant) return result(false, "ImplicitDeny", "session", undefined, `${what} is allowed by ${describe(grant[0], grant[1])} but not by the STS session policy`);
  const who = principal ? principal.arn : "anonymous";
  const crossAccount = principal !== undefined && !sameAccount && identity.allow ? " (identity policies do not grant on another account's resources)" : "";
  return result(false, "ImplicitDeny", "none", undefined, `no policy or ACL allows ${who} ${what}${crossAccount}`);
}

/** Evaluates several actions on one resource (e.g. oss:GetObject + oss:ProcessImm): the first denial, else the last Allow. */
export function evaluateAll(req: Omit<EvaluationRequest, "action">, actions: readonly string[]): EvaluationResult {
  if (actions.length === 0) throw new Error("evaluateAll needs at least one action");
  let last: EvaluationResult | undefined;
  for (const action of actions) {
    last = evaluate({ ...req, action });
    if (!last.allowed) return last;
  }
  return last as EvaluationResult;
}

// ---------------------------------------------------------------------------------------------
// ARNs (oss-api.md §6.2)

/** `acs:oss:*:{owner}:{bucket}/{key}`, bucket-level `acs:oss:*:{owner}:{bucket}`, service-level `acs:oss:*:{owner}:*`. */
export function ossResourceArn(owner: string, bucket?: string, key?: string): string {
  if (bucket === undefined) return `acs:oss:*:${owner}:*`;
  return key === undefined ? `acs:oss:*:${owner}:${bucket}` : `acs:oss:*:${owner}:${bucket}/${key}`;
}

export function immProjectArn(region: string, account: string, project: string): string {
  return `acs:imm:${region}:${account}:project/${project}`;
}

export function kmsKeyArn(region: string, account: string, keyId: string): string {
  return `acs:kms:${region}:${account}:key/${keyId}`;
}

// ---------------------------------------------------------------------------------------------
// System policies, as published in the RAM console (help.aliyun.com/zh/ram/developer-reference/…).

const SYSTEM_POLICY_TEXT = {
  AliyunOSSFullAccess: { Version: "1", Statement: [{ Action: "oss:*", Effect: "Allow", Resource: "*" }] },
  AliyunOSSReadOnlyAccess: { Version: "1", Statement: [{ Action: ["oss:Get*", "oss:List*"], Effect: "Allow", Resource: "*" }] },
  AliyunIMMFullAccess: {
    Version: "1",
    Statement: [
      { Action: "imm:*", Resource: "*", Effect: "Allow" },
      { Action: "oss:ListBuckets", Resource: "*", Effect: "Allow" },
      { Action: "ram:ListRoles", Resource: "*", Effect: "Allow" },
      { Action: "ram:PassRole", Resource: "*", Effect: "Allow", Condition: { StringEquals: { "acs:Service": "imm.aliyuncs.com" } } },
    ],
  },
} as const;

export type SystemPolicyName = keyof typeof SYSTEM_POLICY_TEXT;

export const SYSTEM_POLICIES: Readonly<Record<SystemPolicyName, PolicyDocument>> = Object.freeze(
  Object.fromEntries(
    Object.entries(SYSTEM_POLICY_TEXT).map(([name, doc]) => [name, parsePolicy(JSON.stringify(doc, null, 2), "identity")]),
  ) as Record<SystemPolicyName, PolicyDocument>,
);
