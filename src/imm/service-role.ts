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

export function serviceRoleReadDecision(services: Services, serviceRole: string, bucket: { name: string; owner: string }, key: string): EvaluationResult | { allowed: false; reason: string } {
  const role = services.iam.roles.find(serviceRole);
  if (!role) return { allowed: false, reason: `the service role ${serviceRole} does not exist` };
  const principal: Principal = {
    accountId: bucket.owner,
    kind: "assumed-role",
    name: "imm",
    arn: `acs:ram::${bucket.owner}:assumed-role/${role.RoleName.toLowerCase()}/imm`,
    accessKeyId: "",
    session: { roleName: role.RoleName, sessionPolicy: undefined, expiresAt: new Date(Date.now() + 3600_000) },
  };
  const bucketPolicy = services.iam.bucketPolicies.get(bucket.name);
  return services.authorizer.decide({
    principal,
    actions: ["oss:GetObject"],
    resource: ossResource(bucket.owner, bucket.name, key),
    ownerAccountId: bucket.owner,
    ...(bucketPolicy ? { bucketPolicy } : {}),
  });
}
