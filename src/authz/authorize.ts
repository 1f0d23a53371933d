/**
 * The authorization decision, apart from authentication. Fed the principal, the actions, the
 * resource, the condition context and the ACLs; it gathers the principal's identity policies, the
 * STS session policy and the bucket policy, runs the policy evaluator (src/policy/evaluate.ts) and
 * allows or throws AccessDenied. Every denial is written to the audit log with the statement
 * that decided it.
 */
import type { Logger } from "pino";
import type { Principal } from "../auth/types.js";
import type { Acl, ObjectAcl } from "../storage/types.js";
import { OssError } from "../errors/oss-error.js";
import { evaluate, type EvaluationResult, type NamedPolicy } from "../policy/evaluate.js";
import { parsePolicy, type PolicyDocument, type PolicyKind } from "../policy/document.js";
import type { ConditionContext } from "../policy/conditions.js";
import { PUBLIC_READ_ACTIONS, PUBLIC_WRITE_ACTIONS } from "./actions.js";

export interface AccessRequest {
  /** undefined for anonymous requests. */
  readonly principal: Principal | undefined;
  readonly actions: readonly string[];
  readonly resource: string;
  /** Account that owns the resource (the bucket owner, or the caller's own account for service ops). */
  readonly ownerAccountId: string;
  readonly bucketAcl?: Acl;
  readonly objectAcl?: ObjectAcl;
  /** The bucket policy document (JSON text), when the resource is in a bucket that has one. */
  readonly bucketPolicy?: string;
  readonly context?: ConditionContext;
}

/** Where the identity policies of a principal come from (the IAM store in the server). */
export interface PolicySource {
  identityPolicies(principal: Principal): Promise<ReadonlyArray<{ name: string; document: string }>>;
}

/** Actions no ACL can grant: processing needs an authenticated caller (anonymous image/codes is denied). */
const NEVER_ANONYMOUS = new Set(["oss:processimm"]);

function aclGrants(acl: Acl | undefined, action: string): boolean {
  if (acl === "public-read-write") return PUBLIC_READ_ACTIONS.has(action) || PUBLIC_WRITE_ACTIONS.has(action);
  if (acl === "public-read") return PUBLIC_READ_ACTIONS.has(action);
  return false;
}

export class Authorizer {
  /** Parsed documents by text: policies change rarely, requests are many. Bounded. */
  private readonly parsed = new Map<string, PolicyDocument>();

  constructor(private readonly policies: PolicySource, private readonly log?: Logger) {}

  private parse(text: string, kind: PolicyKind): PolicyDocument {
    const cacheKey = `${kind}:${text}`;
    let doc = this.parsed.get(cacheKey);
    if (!doc) {
      doc = parsePolicy(text, kind);
      if (this.parsed.size > 1000) this.parsed.clear();
      this.parsed.set(cacheKey, doc);
    }
    return doc;
  }

  /** The decision for every action; the first denial, else the last Allow. */
  async decide(request: AccessRequest): Promise<EvaluationResult> {
    const { principal } = request;
    const identityPolicies: NamedPolicy[] = [];
    let sessionPolicy: PolicyDocument | undefined;
    if (principal && principal.kind !== "root") {
      for (const p of await this.policies.identityPolicies(principal)) identityPolicies.push({ name: p.name, document: this.parse(p.document, "identity") });
      if (principal.session?.sessionPolicy) sessionPolicy = this.parse(principal.session.sessionPolicy, "identity");
    }
    const bucketPolicy = request.bucketPolicy ? this.parse(request.bucketPolicy, "resource") : undefined;
    const effectiveAcl = request.objectAcl !== undefined && request.objectAcl !== "default" ? request.objectAcl : request.bucketAcl;
    let last: EvaluationResult | undefined;
    for (const action of request.actions) {
      const anonymousForbidden = principal === undefined && NEVER_ANONYMOUS.has(action.toLowerCase());
      last = evaluate({
        principal,
        action,
        resource: request.resource,
        ownerAccountId: request.ownerAccountId,
        identityPolicies,
        ...(sessionPolicy ? { sessionPolicy } : {}),
        ...(bucketPolicy && !anonymousForbidden ? { bucketPolicy } : {}),
        aclAllows: !anonymousForbidden && aclGrants(effectiveAcl, action),
        ...(request.context ? { context: request.context } : {}),
      });
      if (!last.allowed) return last;
    }
    if (!last) throw new Error("internal: authorization without actions");
    return last;
  }

  /** Throws AccessDenied (and writes an audit line) unless every action is allowed. */
  async authorize(request: AccessRequest): Promise<EvaluationResult> {
    const result = await this.decide(request);
    if (!result.allowed) {
      this.log?.warn(
        {
          audit: "denied",
          principal: request.principal?.arn ?? "anonymous",
          accessKeyId: request.principal?.accessKeyId,
          action: result.action,
          resource: result.resource,
          decision: result.decision,
          decidedBy: result.by,
        },
        result.reason,
      );
      throw new OssError("AccessDenied", `You have no right to access this resource: ${result.reason}.`, {
        extra: { Action: result.action, Resource: result.resource },
      });
    }
    return result;
  }
}
