/**
 * IMM reads the source object as the project's service role (default AliyunIMMDefaultRole), not as
 * the caller: a role without oss:GetObject on the object makes the scan fail even when the caller
 * could read it (issue: access control, item 5). The role's policies are evaluated like any
 * assumed-role session's, against the bucket policy too.
 */
import type { Services } from "../services.js";
import type { Principal } from "../auth/types.js";
import type { EvaluationResult } from "../policy/evaluate.js";
import { ossResource } from "../authz/actions.js";
import type { ObjectRecord } from "../storage/types.js";
import { kmsKeyAllowed } from "../kms/access.js";

/** The principal IMM acts as: a session of the project's service role in the owner's account. */
export function serviceRolePrincipal(services: Services, serviceRole: string, owner: string): Principal | undefined {
  const role = services.iam.roles.find(serviceRole);
  if (!role) return undefined;
  return {
    accountId: owner,
    kind: "assumed-role",
    name: "imm",
    arn: `acs:ram::${owner}:assumed-role/${role.RoleName.toLowerCase()}/imm`,
    accessKeyId: "",
    session: { roleName: role.RoleName, sessionPolicy: undefined, expiresAt: new Date(Date.now() + 3600_000) },
  };
}

/** For SSE-KMS objects: both the caller and the service role need kms:Decrypt on the object's key. */
export function requireKmsDecrypt(services: Services, object: ObjectRecord, principals: ReadonlyArray<{ who: string; principal: Principal | undefined }>, fail: (message: string) => Error): void {
  const keyId = object.serverSideEncryption?.algorithm === "KMS" ? object.serverSideEncryption.kmsKeyId : undefined;
  if (!keyId) return;
  for (const { who, principal } of principals) {
    if (!kmsKeyAllowed(services, { principal, action: "kms:Decrypt", ownerAccountId: object.owner, keyId })) {
      throw fail(`${who} is not allowed kms:Decrypt on the KMS key ${keyId} that protects the object.`);
    }
  }
}

export function serviceRoleReadDecision(services: Services, serviceRole: string, bucket: { name: string; owner: string }, key: string): EvaluationResult | { allowed: false; reason: string } {
  const principal = serviceRolePrincipal(services, serviceRole, bucket.owner);
  if (!principal) return { allowed: false, reason: `the service role ${serviceRole} does not exist` };
  const bucketPolicy = services.iam.bucketPolicies.get(bucket.name);
  return services.authorizer.decide({
    principal,
    actions: ["oss:GetObject"],
    resource: ossResource(bucket.owner, bucket.name, key),
    ownerAccountId: bucket.owner,
    ...(bucketPolicy ? { bucketPolicy } : {}),
  });
}
