/**
 * Authorization of IMM calls through the shared decision in `authz/` (so RAM policies, once they
 * plug in there, govern IMM too): today the account's root may do everything, anyone else is
 * implicitly denied. A denial is 403 `Forbidden.RAM`, the POP gateway's code for "no RAM permission".
 */
import type { RpcCall } from "../rpc/registry.js";
import { RpcError } from "../rpc/errors.js";
import type { BucketRecord } from "../storage/types.js";

/** `acs:imm:{region}:{account}:project/{name}`, or `…:*` for account-wide actions (ListProjects). */
export function immResource(call: RpcCall, projectName?: string): string {
  const base = `acs:imm:${call.services.config.region}:${call.principal.accountId}`;
  return projectName === undefined ? `${base}:*` : `${base}:project/${projectName}`;
}

export async function authorizeImm(call: RpcCall, action: string, projectName?: string): Promise<void> {
  const decision = await call.services.authorizer.decide({
    principal: call.principal,
    actions: [`imm:${action}`],
    resource: immResource(call, projectName),
    ownerAccountId: call.principal.accountId,
    context: call.context,
  });
  if (!decision.allowed) {
    throw new RpcError(403, "Forbidden.RAM", `User not authorized to operate on the specified resource (imm:${action} on ${immResource(call, projectName)}).`);
  }
}

/**
 * The bucket a call names, which must exist and belong to the caller's account: IMM reaches OSS
 * through the project's service role, which only ever sees its own account's buckets.
 */
export async function ownBucket(call: RpcCall, name: string): Promise<BucketRecord> {
  const bucket = await call.services.meta.getBucket(name);
  if (!bucket) throw new RpcError(404, "ResourceNotFound", `The specified resource bucket is not found: ${name}`);
  if (bucket.owner !== call.principal.accountId) {
    throw new RpcError(403, "Forbidden.RAM", `The bucket ${name} does not belong to your account.`);
  }
  return bucket;
}
