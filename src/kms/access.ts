/**
 * The KMS permission check the object layer needs for SSE-KMS: may this caller use the CMK?
 * OSS requires `kms:Decrypt` on the key to read (GET/HEAD body, image/codes — also for the IMM
 * service role) and `kms:GenerateDataKey` to write. Keys belong to the bucket owner's account:
 * anonymous callers and other accounts are never allowed (KMS has no key policies here).
 */
import type { Principal } from "../auth/types.js";
import type { Authorizer } from "../authz/authorize.js";
import type { ConditionContext } from "../policy/conditions.js";
import type { KmsService } from "./service.js";

export type KmsKeyAction = "kms:Decrypt" | "kms:GenerateDataKey";

export async function kmsKeyAllowed(
  services: { readonly authorizer: Authorizer; readonly kms: KmsService },
  request: { principal: Principal | undefined; action: KmsKeyAction; ownerAccountId: string; keyId: string; context?: ConditionContext },
): Promise<boolean> {
  const { principal, ownerAccountId } = request;
  if (!principal || principal.accountId !== ownerAccountId) return false;
  return (await services.authorizer.decide({
    principal,
    actions: [request.action],
    resource: services.kms.keyArn(ownerAccountId, request.keyId),
    ownerAccountId,
    ...(request.context ? { context: request.context } : {}),
  })).allowed;
}
