/** Authorization of RPC (RAM, STS, IMM) actions through the same Authorizer as the OSS endpoint. */
import type { RpcCall } from "../rpc/registry.js";
import { RpcError } from "../rpc/errors.js";
import { isOssError } from "../errors/oss-error.js";

export async function authorizeRpc(call: RpcCall, action: string, resource: string): Promise<void> {
  try {
    await call.services.authorizer.authorize({
      principal: call.principal,
      actions: [action],
      resource,
      ownerAccountId: call.services.accountId,
      context: call.context,
    });
  } catch (error) {
    if (isOssError(error) && error.code === "AccessDenied") {
      throw new RpcError(403, "NoPermission", `You are not authorized to do this action. ${error.message}`);
    }
    throw error;
  }
}
