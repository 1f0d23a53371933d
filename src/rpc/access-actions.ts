/** RAM 2015-05-01 and STS 2015-04-01 actions, keyed by `Version/Action`. */
import type { RpcHandler } from "./registry.js";
import * as users from "../ram/users.js";
import * as policies from "../ram/policies.js";
import * as roles from "../ram/roles.js";
import { assumeRole, getCallerIdentity } from "../sts/actions.js";

const RAM_2015_05_01: Readonly<Record<string, RpcHandler>> = {
  CreateUser: users.createUser,
  GetUser: users.getUser,
  ListUsers: users.listUsers,
  DeleteUser: users.deleteUser,
  CreateAccessKey: users.createAccessKey,
  ListAccessKeys: users.listAccessKeys,
  UpdateAccessKey: users.updateAccessKey,
  DeleteAccessKey: users.deleteAccessKey,
  CreatePolicy: policies.createPolicy,
  GetPolicy: policies.getPolicy,
  ListPolicies: policies.listPolicies,
  DeletePolicy: policies.deletePolicy,
  CreatePolicyVersion: policies.createPolicyVersion,
  AttachPolicyToUser: policies.attachPolicyToUser,
  DetachPolicyFromUser: policies.detachPolicyFromUser,
  ListPoliciesForUser: policies.listPoliciesForUser,
  AttachPolicyToRole: policies.attachPolicyToRole,
  DetachPolicyFromRole: policies.detachPolicyFromRole,
  CreateRole: roles.createRole,
  GetRole: roles.getRole,
  ListRoles: roles.listRoles,
  DeleteRole: roles.deleteRole,
  UpdateRole: roles.updateRole,
  ListPoliciesForRole: roles.listPoliciesForRole,
};

const STS_2015_04_01: Readonly<Record<string, RpcHandler>> = {
  GetCallerIdentity: getCallerIdentity,
  AssumeRole: assumeRole,
};

function versioned(version: string, actions: Readonly<Record<string, RpcHandler>>): Record<string, RpcHandler> {
  return Object.fromEntries(Object.entries(actions).map(([action, handler]) => [`${version}/${action}`, handler]));
}

export const ACCESS_ACTIONS: Readonly<Record<string, RpcHandler>> = {
  ...versioned("2015-05-01", RAM_2015_05_01),
  ...versioned("2015-04-01", STS_2015_04_01),
};
