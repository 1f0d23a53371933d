/** RAM 2015-05-01 user and access-key actions. */
import type { RpcCall } from "../rpc/registry.js";
import { checkName, integer, optional, required } from "../rpc/params.js";
import { RpcError } from "../rpc/errors.js";
import { authorizeRpc } from "../authz/rpc-authorize.js";

function userArn(call: RpcCall, name = "*"): string {
  return `acs:ram:*:${call.services.accountId}:user/${name}`;
}

export async function createUser(call: RpcCall): Promise<Record<string, unknown>> {
  const name = checkName("UserName", required(call.params, "UserName"));
  await authorizeRpc(call, "ram:CreateUser", userArn(call, name));
  const displayName = optional(call.params, "DisplayName");
  if (displayName !== undefined && displayName.length > 128) throw new RpcError(400, "InvalidParameter.DisplayName", "DisplayName is at most 128 characters.");
  const user = await call.services.iam.users.create({
    name,
    ...(displayName !== undefined ? { displayName } : {}),
    ...(optional(call.params, "Email") !== undefined ? { email: optional(call.params, "Email")! } : {}),
    ...(optional(call.params, "MobilePhone") !== undefined ? { mobilePhone: optional(call.params, "MobilePhone")! } : {}),
    ...(optional(call.params, "Comments") !== undefined ? { comments: optional(call.params, "Comments")! } : {}),
  });
  return { User: user };
}

export async function getUser(call: RpcCall): Promise<Record<string, unknown>> {
  const name = required(call.params, "UserName");
  await authorizeRpc(call, "ram:GetUser", userArn(call, name));
  return { User: await call.services.iam.users.get(name) };
}

export async function listUsers(call: RpcCall): Promise<Record<string, unknown>> {
  await authorizeRpc(call, "ram:ListUsers", userArn(call));
  const page = await call.services.iam.users.list(optional(call.params, "Marker") ?? "", integer(call.params, "MaxItems", 100, 1, 1000));
  return { IsTruncated: page.isTruncated, ...(page.marker ? { Marker: page.marker } : {}), Users: { User: page.users } };
}

export async function deleteUser(call: RpcCall): Promise<Record<string, unknown>> {
  const name = required(call.params, "UserName");
  await authorizeRpc(call, "ram:DeleteUser", userArn(call, name));
  await call.services.iam.users.delete(name);
  return {};
}

export async function createAccessKey(call: RpcCall): Promise<Record<string, unknown>> {
  const name = required(call.params, "UserName");
  await authorizeRpc(call, "ram:CreateAccessKey", userArn(call, name));
  await call.services.iam.users.get(name);
  const key = await call.services.iam.identities.createUserKey(name);
  // The secret is returned once, here; it is stored only sealed under the master key.
  return { AccessKey: { AccessKeyId: key.accessKeyId, AccessKeySecret: key.secret, Status: "Active", CreateDate: key.createDate } };
}

export async function listAccessKeys(call: RpcCall): Promise<Record<string, unknown>> {
  const name = required(call.params, "UserName");
  await authorizeRpc(call, "ram:ListAccessKeys", userArn(call, name));
  await call.services.iam.users.get(name);
  const keys = await call.services.iam.identities.listUserKeys(name);
  return { AccessKeys: { AccessKey: keys.map((k) => ({ AccessKeyId: k.accessKeyId, Status: k.status, CreateDate: k.createDate })) } };
}

export async function updateAccessKey(call: RpcCall): Promise<Record<string, unknown>> {
  const name = required(call.params, "UserName");
  const keyId = required(call.params, "UserAccessKeyId");
  const status = required(call.params, "Status");
  if (status !== "Active" && status !== "Inactive") throw new RpcError(400, "InvalidParameter.Status", "Status must be Active or Inactive.");
  await authorizeRpc(call, "ram:UpdateAccessKey", userArn(call, name));
  await call.services.iam.users.get(name);
  await call.services.iam.identities.updateUserKey(name, keyId, status);
  return {};
}

export async function deleteAccessKey(call: RpcCall): Promise<Record<string, unknown>> {
  const name = required(call.params, "UserName");
  const keyId = required(call.params, "UserAccessKeyId");
  await authorizeRpc(call, "ram:DeleteAccessKey", userArn(call, name));
  await call.services.iam.users.get(name);
  await call.services.iam.identities.deleteUserKey(name, keyId);
  return {};
}
