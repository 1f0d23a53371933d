/** RAM 2015-05-01 policy actions: custom policies, versions, attachments to users and roles. */
import type { RpcCall } from "../rpc/registry.js";
import { checkName, integer, optional, required } from "../rpc/params.js";
import { RpcError } from "../rpc/errors.js";
import { authorizeRpc } from "../authz/rpc-authorize.js";

function policyArn(call: RpcCall, name = "*"): string {
  return `acs:ram:*:${call.services.accountId}:policy/${name}`;
}

function policyType(call: RpcCall, requiredParam: boolean): "System" | "Custom" | undefined {
  const value = requiredParam ? required(call.params, "PolicyType") : optional(call.params, "PolicyType");
  if (value === undefined) return undefined;
  if (value !== "System" && value !== "Custom") throw new RpcError(400, "InvalidParameter.PolicyType", "PolicyType must be System or Custom.");
  return value;
}

export async function createPolicy(call: RpcCall): Promise<Record<string, unknown>> {
  const name = checkName("PolicyName", required(call.params, "PolicyName"), 128);
  const document = required(call.params, "PolicyDocument");
  await authorizeRpc(call, "ram:CreatePolicy", policyArn(call, name));
  const policy = await call.services.iam.policies.create(name, document, optional(call.params, "Description") ?? "");
  return { Policy: { PolicyName: policy.PolicyName, PolicyType: policy.PolicyType, Description: policy.Description, DefaultVersion: policy.DefaultVersion, CreateDate: policy.CreateDate } };
}

export async function getPolicy(call: RpcCall): Promise<Record<string, unknown>> {
  const name = required(call.params, "PolicyName");
  await authorizeRpc(call, "ram:GetPolicy", policyArn(call, name));
  const { policy, defaultVersion } = await call.services.iam.policies.get(name, policyType(call, false));
  return { Policy: policy, DefaultPolicyVersion: defaultVersion };
}

export async function listPolicies(call: RpcCall): Promise<Record<string, unknown>> {
  await authorizeRpc(call, "ram:ListPolicies", policyArn(call));
  const page = await call.services.iam.policies.list(policyType(call, false), optional(call.params, "Marker") ?? "", integer(call.params, "MaxItems", 100, 1, 1000));
  return { IsTruncated: page.isTruncated, ...(page.marker ? { Marker: page.marker } : {}), Policies: { Policy: page.policies } };
}

export async function deletePolicy(call: RpcCall): Promise<Record<string, unknown>> {
  const name = required(call.params, "PolicyName");
  await authorizeRpc(call, "ram:DeletePolicy", policyArn(call, name));
  await call.services.iam.policies.delete(name);
  return {};
}

export async function createPolicyVersion(call: RpcCall): Promise<Record<string, unknown>> {
  const name = required(call.params, "PolicyName");
  const document = required(call.params, "PolicyDocument");
  await authorizeRpc(call, "ram:CreatePolicyVersion", policyArn(call, name));
  const setAsDefault = (optional(call.params, "SetAsDefault") ?? "false") === "true";
  const rotate = (optional(call.params, "RotateStrategy") ?? "None") === "DeleteOldestNonDefaultVersionWhenLimitExceeded";
  return { PolicyVersion: await call.services.iam.policies.createVersion(name, document, setAsDefault, rotate) };
}

async function attachment(call: RpcCall, type: "user" | "role"): Promise<{ name: string; policyType: "System" | "Custom"; target: { type: "user" | "role"; name: string } }> {
  const policyName = required(call.params, "PolicyName");
  const targetName = required(call.params, type === "user" ? "UserName" : "RoleName");
  if (type === "user") await call.services.iam.users.get(targetName);
  else await call.services.iam.roles.get(targetName);
  return { name: policyName, policyType: policyType(call, true)!, target: { type, name: targetName } };
}

export async function attachPolicyToUser(call: RpcCall): Promise<Record<string, unknown>> {
  await authorizeRpc(call, "ram:AttachPolicyToUser", policyArn(call, call.params.PolicyName ?? "*"));
  const a = await attachment(call, "user");
  await call.services.iam.policies.attach(a.name, a.policyType, a.target);
  return {};
}

export async function detachPolicyFromUser(call: RpcCall): Promise<Record<string, unknown>> {
  await authorizeRpc(call, "ram:DetachPolicyFromUser", policyArn(call, call.params.PolicyName ?? "*"));
  const a = await attachment(call, "user");
  await call.services.iam.policies.detach(a.name, a.policyType, a.target);
  return {};
}

export async function attachPolicyToRole(call: RpcCall): Promise<Record<string, unknown>> {
  await authorizeRpc(call, "ram:AttachPolicyToRole", policyArn(call, call.params.PolicyName ?? "*"));
  const a = await attachment(call, "role");
  await call.services.iam.policies.attach(a.name, a.policyType, a.target);
  return {};
}

export async function detachPolicyFromRole(call: RpcCall): Promise<Record<string, unknown>> {
  await authorizeRpc(call, "ram:DetachPolicyFromRole", policyArn(call, call.params.PolicyName ?? "*"));
  const a = await attachment(call, "role");
  await call.services.iam.policies.detach(a.name, a.policyType, a.target);
  return {};
}

export async function listPoliciesForUser(call: RpcCall): Promise<Record<string, unknown>> {
  const name = required(call.params, "UserName");
  await authorizeRpc(call, "ram:ListPoliciesForUser", `acs:ram:*:${call.services.accountId}:user/${name}`);
  await call.services.iam.users.get(name);
  const policies = await call.services.iam.policies.listFor({ type: "user", name });
  return { Policies: { Policy: policies.map((p) => ({ PolicyName: p.PolicyName, PolicyType: p.PolicyType, Description: p.Description, DefaultVersion: p.DefaultVersion, AttachDate: p.AttachDate })) } };
}
