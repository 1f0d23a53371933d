/** RAM 2015-05-01 user and access-key actions. */
import type { RpcCall } from "../rpc/registry.js";
import { checkName, integer, optional, required } from "../rpc/params.js";
import { RpcError } from "../rpc/errors.js";
import { authorizeRpc } from "../authz/rpc-authorize.js";

function userArn(call: RpcCall, name = "*"): string {
  return `acs:ram:*:${call.services.accountId}:user/${name}`;
}

export function createUser(call: RpcCall): Record<string, unknown> {
  const name = checkName("UserName", required(call.params, "UserName"));
  authorizeRpc(call, "ram:CreateUser", userArn(call, name));
  const displayName = optional(call.params, "DisplayName");
  if (displayName !== undefined && displayName.length > 128) throw new RpcError(400, "InvalidParameter.DisplayName", "DisplayName is at most 128 characters.");
  const user = call.services.iam.users.create({
    name,
    ...(displayName !== undefined ? { displayName } : {}),
    ...(optional(call.params, "Email") !== undefined ? { email: optional(call.params, "Email")! } : {}),
    ...(optional(call.params, "MobilePhone") !== undefined ? { mobilePhone: optional(call.params, "MobilePhone")! } : {}),
    ...(optional(call.params, "Comments") !== undefined ? { comments: optional(call.params, "Comments")! } : {}),
  });
  return { User: user };
}

export function getUser(call: RpcCall): Record<string, unknown> {
  const name = required(call.params, "UserName");
  authorizeRpc(call, "ram:GetUser", userArn(call, name));
  return { User: call.services.iam.users.get(name) };
}

export function listUsers(call: RpcCall): Record<string, unknown> {
  authorizeRpc(call, "ram:ListUsers", userArn(call));
  const page = call.services.iam.users.list(optional(call.params, "Marker") ?? "", integer(call.params, "MaxItems", 100, 1, 1000));
  return { IsTruncated: page.isTruncated, ...(page.marker ? { Marker: page.marker } : {}), Users: { User: page.users } };
}

export function deleteUser(call: RpcCall): Record<string, unknown> {
  const name = required(call.params, "UserName");
  authorizeRpc(call, "ram:DeleteUser", userArn(call, name));
  call.services.iam.users.delete(name);
  return {};
}

export function createAccessKey(call: RpcCall): Record<string, unknown> {
  const name = required(call.params, "UserName");
  authorizeRpc(call, "ram:CreateAccessKey", userArn(call, name));
  call.services.iam.users.get(name);
  const key = call.services.iam.identities.createUserKey(name);
  // The secret is returned once, here; it is stored only sealed under the master key.
  return { AccessKey: { AccessKeyId: key.accessKeyId, AccessKeySecret: key.secret, Status: "Active", CreateDate: key.createDate } };
}

export function listAccessKeys(call: RpcCall): Record<string, unknown> {
  const name = required(call.params, "UserName");
  authorizeRpc(call, "ram:ListAccessKeys", userArn(call, name));
  call.services.iam.users.get(name);
  const keys = call.services.iam.identities.listUserKeys(name);
  return { AccessKeys: { AccessKey: keys.map((k) => ({ AccessKeyId: k.accessKeyId, Status: k.status, CreateDate: k.createDate })) } };
}

export function updateAccessKey(call: RpcCall): Record<string, unknown> {
  const name = required(call.params, "UserName");
  const keyId = required(call.params, "UserAccessKeyId");
  const status = required(call.params, "Status");
  if (status !== "Active" && status !== "Inactive") throw new RpcError(400, "InvalidParameter.Status", "Status must be Active or Inactive.");
  authorizeRpc(call, "ram:UpdateAccessKey", userArn(call, name));
  call.services.iam.users.get(name);
  call.services.iam.identities.updateUserKey(name, keyId, status);
  return {};
}

export function deleteAccessKey(call: RpcCall): Record<string, unknown> {
  const name = required(call.params, "UserName");
  const keyId = required(call.params, "UserAccessKeyId");
  authorizeRpc(call, "ram:DeleteAccessKey", userArn(call, name));
  call.services.iam.users.get(name);
  call.services.iam.identities.deleteUserKey(name, keyId);
  return {};
}
