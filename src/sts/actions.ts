/** STS 2015-04-01: GetCallerIdentity and AssumeRole. */
import type { RpcCall } from "../rpc/registry.js";
import { integer, optional, required } from "../rpc/params.js";
import { RpcError } from "../rpc/errors.js";
import { authorizeRpc } from "../authz/rpc-authorize.js";
import { trustAllows } from "./trust.js";
import { validateSessionPolicy } from "../iam/validate.js";

const SESSION_NAME = /^[\w.@-]{2,64}$/;

export async function getCallerIdentity(call: RpcCall): Promise<Record<string, unknown>> {
  const { principal, services } = call;
  const accountId = principal.accountId;
  if (principal.kind === "root") {
    return { AccountId: accountId, UserId: accountId, PrincipalId: accountId, Arn: principal.arn, IdentityType: "Account" };
  }
  if (principal.kind === "user") {
    const user = await services.iam.users.find(principal.name ?? "");
    return { AccountId: accountId, UserId: user?.UserId ?? "", PrincipalId: user?.UserId ?? "", Arn: principal.arn, IdentityType: "RAMUser" };
  }
  const role = await services.iam.roles.find(principal.session?.roleName ?? "");
  const principalId = `${role?.RoleId ?? ""}:${principal.name ?? ""}`;
  return { AccountId: accountId, UserId: principalId, PrincipalId: principalId, RoleId: role?.RoleId ?? "", Arn: principal.arn, IdentityType: "AssumedRoleUser" };
}

export async function assumeRole(call: RpcCall): Promise<Record<string, unknown>> {
  const roleArn = required(call.params, "RoleArn");
  const sessionName = required(call.params, "RoleSessionName");
  if (!SESSION_NAME.test(sessionName)) {
    throw new RpcError(400, "InvalidParameter.RoleSessionName", "RoleSessionName must be 2-64 characters of letters, digits, '.', '@', '-' and '_'.");
  }
  const role = await call.services.iam.roles.findByArn(roleArn);
  if (!role) throw new RpcError(404, "EntityNotExist.Role", `The role does not exist: ${roleArn}.`);
  const duration = integer(call.params, "DurationSeconds", 3600, 900, role.MaxSessionDuration);
  const sessionPolicy = optional(call.params, "Policy");
  if (sessionPolicy !== undefined) validateSessionPolicy(sessionPolicy);
  // The caller must be allowed sts:AssumeRole by its own policies, and the role must trust it.
  await authorizeRpc(call, "sts:AssumeRole", role.Arn);
  if (!trustAllows(role.AssumeRolePolicyDocument, call.principal)) {
    throw new RpcError(403, "NoPermission", `You are not authorized to do this action. The trust policy of ${role.Arn} does not trust ${call.principal.arn}.`);
  }
  const expiresAt = new Date(Math.floor(Date.now() / 1000) * 1000 + duration * 1000);
  const creds = await call.services.iam.identities.createSession({
    roleName: role.RoleName,
    sessionName,
    sessionPolicy,
    callerArn: call.principal.arn,
    expiresAt,
  });
  return {
    Credentials: {
      AccessKeyId: creds.accessKeyId,
      AccessKeySecret: creds.secret,
      SecurityToken: creds.securityToken,
      Expiration: expiresAt.toISOString().replace(/\.\d{3}Z$/, "Z"),
    },
    AssumedRoleUser: {
      AssumedRoleId: `${role.RoleId}:${sessionName}`,
      Arn: `acs:ram::${call.services.accountId}:assumed-role/${role.RoleName.toLowerCase()}/${sessionName}`,
    },
  };
}
