/**
 * The authorization decision, apart from authentication: fed the principal, the actions, the
 * resource and the ACLs, it allows or throws AccessDenied. Today: the root account of the bucket's
 * owner may do everything; everyone else is judged by the ACLs. RAM and bucket policies plug in
 * here (`PolicySource`) without touching handlers.
 */
import type { Principal } from "../auth/types.js";
import type { Acl, ObjectAcl } from "../storage/types.js";
import { OssError } from "../errors/oss-error.js";
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
}

export type Decision = { readonly allowed: true; readonly reason: string } | { readonly allowed: false; readonly reason: string };

/** Actions no ACL can grant: processing needs an authenticated caller (anonymous image/codes is denied). */
const NEVER_ANONYMOUS = new Set(["oss:ProcessImm"]);

function aclGrants(acl: Acl, action: string): boolean {
  if (acl === "public-read-write") return PUBLIC_READ_ACTIONS.has(action) || PUBLIC_WRITE_ACTIONS.has(action);
  if (acl === "public-read") return PUBLIC_READ_ACTIONS.has(action);
  return false;
}

export function decide(request: AccessRequest): Decision {
  const { principal } = request;
  if (principal && principal.kind === "root" && principal.accountId === request.ownerAccountId) {
    return { allowed: true, reason: "resource owner's root account" };
  }
  const effectiveAcl: Acl | undefined =
    request.objectAcl !== undefined && request.objectAcl !== "default" ? request.objectAcl : request.bucketAcl;
  for (const action of request.actions) {
    if (NEVER_ANONYMOUS.has(action) && principal === undefined) {
      return { allowed: false, reason: `${action} is never granted to anonymous requests` };
    }
    if (effectiveAcl === undefined || !aclGrants(effectiveAcl, action)) {
      return { allowed: false, reason: `no policy or ACL allows ${action} on ${request.resource}` };
    }
  }
  return { allowed: true, reason: `ACL ${effectiveAcl}` };
}

export function authorize(request: AccessRequest): void {
  const decision = decide(request);
  if (!decision.allowed) {
    const message = request.principal
      ? "You have no right to access this object because of bucket acl."
      : "You are denied by bucket referer policy or anonymous access is not allowed.";
    throw new OssError("AccessDenied", message);
  }
}
