/**
 * The identities IMM acts as when it touches OSS: a session of the project's service role
 * (default AliyunIMMDefaultRole) or of a role a request's CredentialConfig names. Their rights are
 * checked on top of the caller's, never instead of them (`source-access.ts`). A role's policies
 * are evaluated like any assumed-role session's, against the bucket policy and ACLs too.
 */
import type { Services } from "../services.js";
import type { Principal } from "../auth/types.js";
import type { EvaluationResult } from "../policy/evaluate.js";
import type { ConditionContext } from "../policy/conditions.js";
import type { BucketRecord, ObjectRecord } from "../storage/types.js";
import { kmsKeyAllowed } from "../kms/access.js";
import { decideBucketAccess } from "../authz/bucket-access.js";

/**
 * The principal IMM acts as: a session of `roleName` in the owner's account, narrowed by
 * `sessionPolicy` (a CredentialConfig.Policy) when given. undefined when the role does not exist.
 */
export async function serviceRolePrincipal(services: Pick<Services, "iam">, roleName: string, owner: string, sessionPolicy?: string): Promise<Principal | undefined> {
  const role = await services.iam.roles.find(roleName);
  if (!role) return undefined;
  return {
    accountId: owner,
    kind: "assumed-role",
    name: "imm",
    arn: `acs:ram::${owner}:assumed-role/${role.RoleName.toLowerCase()}/imm`,
    accessKeyId: "",
    session: { roleName: role.RoleName, sessionPolicy, expiresAt: new Date(Date.now() + 3600_000) },
  };
}

export interface KmsDecryptor {
  /** Names the identity in a refusal: "The caller", "The service role X" … */
  readonly who: string;
  readonly principal: Principal | undefined;
  readonly context?: ConditionContext;
}

/** For SSE-KMS objects: every identity that reads the object needs kms:Decrypt on the object's key. */
export async function requireKmsDecrypt(services: Pick<Services, "authorizer" | "kms">, object: ObjectRecord, readers: readonly KmsDecryptor[], fail: (message: string) => Error): Promise<void> {
  const keyId = object.serverSideEncryption?.algorithm === "KMS" ? object.serverSideEncryption.kmsKeyId : undefined;
  if (!keyId) return;
  for (const { who, principal, context } of readers) {
    if (!(await kmsKeyAllowed(services, { principal, action: "kms:Decrypt", ownerAccountId: object.owner, keyId, ...(context ? { context } : {}) }))) {
      throw fail(`${who} is not allowed kms:Decrypt on the KMS key ${keyId} that protects the object.`);
    }
  }
}

/** May a session of `roleName` (narrowed by `sessionPolicy`) do `action` on the object? */
export async function roleObjectDecision(
  services: Pick<Services, "iam" | "authorizer" | "meta">,
  role: { readonly name: string; readonly sessionPolicy?: string | undefined },
  bucket: BucketRecord,
  key: string,
  action: string,
): Promise<EvaluationResult | { allowed: false; reason: string }> {
  const principal = await serviceRolePrincipal(services, role.name, bucket.owner, role.sessionPolicy);
  if (!principal) return { allowed: false, reason: `the role ${role.name} does not exist` };
  return await decideBucketAccess(services, { principal, actions: [action], bucket, key, context: {} });
}
