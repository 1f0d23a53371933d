/** RAM 2015-05-01 role actions. */
import type { RpcCall } from "../rpc/registry.js";
import { checkName, integer, optional, required } from "../rpc/params.js";
import { authorizeRpc } from "../authz/rpc-authorize.js";

function roleResource(call: RpcCall, name = "*"): string {
  return `acs:ram:*:${call.services.accountId}:role/${name}`;
}

export async function createRole(call: RpcCall): Promise<Record<string, unknown>> {
  const name = checkName("RoleName", required(call.params, "RoleName"));
  const trust = required(call.params, "AssumeRolePolicyDocument");
  await authorizeRpc(call, "ram:CreateRole", roleResource(call, name));
  const role = await call.services.iam.roles.create({
    name,
    trustPolicy: trust,
    description: optional(call.params, "Description") ?? "",
    maxSessionDuration: integer(call.params, "MaxSessionDuration", 3600, 3600, 43200),
  });
  return { Role: role };
}

export async function getRole(call: RpcCall): Promise<Record<string, unknown>> {
  const name = required(call.params, "RoleName");
  await authorizeRpc(call, "ram:GetRole", roleResource(call, name));
  return { Role: await call.services.iam.roles.get(name) };
}

export async function listRoles(call: RpcCall): Promise<Record<string, unknown>> {
  await authorizeRpc(call, "ram:ListRoles", roleResource(call));
  const page = await call.services.iam.roles.list(optional(call.params, "Marker") ?? "", integer(call.params, "MaxItems", 100, 1, 1000));
  return { IsTruncated: page.isTruncated, ...(page.marker ? { Marker: page.marker } : {}), Roles: { Role: page.roles } };
}

export async function listPoliciesForRole(call: RpcCall): Promise<Record<string, unknown>> {
  const name = required(call.params, "RoleName");
  await authorizeRpc(call, "ram:ListPoliciesForRole", roleResource(call, name));
  await call.services.iam.roles.get(name);
  const policies = await call.services.iam.policies.listFor({ type: "role", name });
  return { Policies: { Policy: policies.map((p) => ({ PolicyName: p.PolicyName, PolicyType: p.PolicyType, Description: p.Description, DefaultVersion: p.DefaultVersion, AttachDate: p.AttachDate })) } };
}

export async function deleteRole(call: RpcCall): Promise<Record<string, unknown>> {
  const name = required(call.params, "RoleName");
  await authorizeRpc(call, "ram:DeleteRole", roleResource(call, name));
  await call.services.iam.roles.delete(name);
  return {};
}

/** UpdateRole: `NewAssumeRolePolicyDocument` (the trust policy), `NewMaxSessionDuration`, `NewDescription`. */
export async function updateRole(call: RpcCall): Promise<Record<string, unknown>> {
  const name = required(call.params, "RoleName");
  await authorizeRpc(call, "ram:UpdateRole", roleResource(call, name));
  const trustPolicy = optional(call.params, "NewAssumeRolePolicyDocument");
  const description = optional(call.params, "NewDescription");
  const maxSessionDuration = optional(call.params, "NewMaxSessionDuration") === undefined ? undefined : integer(call.params, "NewMaxSessionDuration", 3600, 3600, 43200);
  const role = await call.services.iam.roles.update(name, {
    ...(trustPolicy !== undefined ? { trustPolicy } : {}),
    ...(description !== undefined ? { description } : {}),
    ...(maxSessionDuration !== undefined ? { maxSessionDuration } : {}),
  });
  return { Role: role };
}
