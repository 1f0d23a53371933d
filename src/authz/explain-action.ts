/**
 * `ExplainAccess` (Barbucket's own RPC action, Version 2026-12-01, beside DescribeUsage): the admin
 * listener's `/explain` for a signed caller. The answer discloses which policy statement, bucket
 * policy or ACL decides another identity's access, so it is authorized as RAM's own action for
 * access-denied diagnostics, `ram:DecodeDiagnosticMessage` (resource `*`: granted to the account and
 * by `ram:*`, e.g. AliyunRAMFullAccess). Parameters: `AuthAction` (e.g. oss:GetObject; `Action` is the RPC's own), optional
 * `AuthAccessKeyId` (omitted: anonymous; `AccessKeyId` is the signer's), `Bucket`, `Key`, `AuthResource`.
 */
import type { RpcCall } from "../rpc/registry.js";
import { RpcError } from "../rpc/errors.js";
import { optional, required } from "../rpc/params.js";
import { authorizeRpc } from "./rpc-authorize.js";
import { explainAccess } from "./explain.js";

export const EXPLAIN_RAM_ACTION = "ram:DecodeDiagnosticMessage";

export async function explainAccessAction(call: RpcCall): Promise<Record<string, unknown>> {
  const action = required(call.params, "AuthAction");
  await authorizeRpc(call, EXPLAIN_RAM_ACTION, `acs:ram:*:${call.services.accountId}:*`);
  const answer = await explainAccess(call.services, {
    action,
    accessKeyId: optional(call.params, "AuthAccessKeyId"),
    bucket: optional(call.params, "Bucket"),
    key: optional(call.params, "Key"),
    resource: optional(call.params, "AuthResource"),
  });
  if (!answer.ok) throw new RpcError(answer.status, answer.code, `${answer.error}.`);
  return { Explanation: answer.body };
}
