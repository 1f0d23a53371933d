/**
 * The one gate for IMM touching an OSS object on a caller's behalf. DetectImageCodes' `SourceURI`,
 * OSS `image/codes`, and every IMM action that reads a `SourceURI` or writes a `TargetURI` (now or
 * later) must pass it before looking at the object or at any cached result of it.
 *
 * IMM works through the project's service role, whose rights are usually far wider than the
 * caller's (AliyunOSSReadOnlyAccess reads every bucket), so the role is an additional requirement,
 * never a substitute. In order:
 *   1. the caller itself may do the action on the object, by the decision an OSS request gets
 *      (`authz/bucket-access.ts`: identity policies, STS session policy, bucket policy, ACLs,
 *      explicit Deny);
 *   2. the object's bucket is attached to the project;
 *   3. the project's service role may do it too, narrowed by `CredentialConfig.Policy` as a session
 *      policy (a CredentialConfig role chain is validated but not acted on: it cannot widen);
 *   4. for a read of an SSE-KMS object, the caller and the role may kms:Decrypt its key (a check the
 *      grant carries, which `scanObject` runs once the object is known, before its cache).
 * `scanObject` takes only an `ImmSourceGrant`, which only `authorizeImmSource` makes.
 * Alibaba Cloud, as far as its documentation shows, asks only about the role (or CredentialConfig);
 * asking about the caller is a deliberate hardening here.
 */
import type { Services } from "../services.js";
import type { Principal } from "../auth/types.js";
import type { ConditionContext } from "../policy/conditions.js";
import type { BucketRecord, ObjectRecord } from "../storage/types.js";
import { isOssError } from "../errors/oss-error.js";
import { ossResource } from "../authz/actions.js";
import { authorizeBucketAccess } from "../authz/bucket-access.js";
import type { CredentialConfig } from "./credential-config.js";
import { requireKmsDecrypt, roleObjectDecision, serviceRolePrincipal } from "./service-role.js";

export type ImmObjectAction = "oss:GetObject" | "oss:GetObjectVersion" | "oss:PutObject";

export interface ImmObjectUse {
  /** Who asked, and the condition keys of their request (acs:SourceIp …). */
  readonly caller: Principal;
  readonly callerContext: ConditionContext;
  readonly project: { readonly name: string; readonly serviceRole: string };
  readonly bucket: BucketRecord;
  readonly key: string;
  /** A version of the object (OSS `?versionId=`, a SourceURI's `?versionId=`); else the current one. */
  readonly versionId?: string | undefined;
  readonly credentialConfig?: CredentialConfig | undefined;
}

/** A refusal, surface-neutral: the RPC endpoint answers 403 Forbidden.RAM, OSS 403 AccessDenied. */
export class ImmAccessDenied extends Error {
  constructor(message: string, readonly denied?: { readonly action: string; readonly resource: string }) {
    super(message);
    this.name = "ImmAccessDenied";
  }
}

declare const granted: unique symbol;

/** Permission to read one object for IMM, made only by `authorizeImmSource`. */
export interface ImmSourceGrant {
  readonly bucket: string;
  readonly key: string;
  /** The version granted; undefined for the current object. */
  readonly versionId: string | undefined;
  /** The checks that need the object itself (kms:Decrypt); throws ImmAccessDenied. */
  readonly checkObject: (object: ObjectRecord) => Promise<void>;
  readonly [granted]: true;
}

/**
 * Authorizes reading `use.key` for IMM (steps 1–3, and 4 in the grant). Throws ImmAccessDenied.
 * A version is read as OSS reads one: oss:GetObjectVersion instead of oss:GetObject, for both.
 */
export async function authorizeImmSource(services: Services, use: ImmObjectUse): Promise<ImmSourceGrant> {
  await authorizeImmObject(services, use, use.versionId === undefined ? "oss:GetObject" : "oss:GetObjectVersion");
  const role = use.project.serviceRole;
  const checkObject = async (object: ObjectRecord): Promise<void> =>
    await requireKmsDecrypt(services, object, [
      { who: "The caller", principal: use.caller, context: use.callerContext },
      { who: `The service role ${role} of project ${use.project.name}`, principal: await serviceRolePrincipal(services, role, use.bucket.owner, use.credentialConfig?.Policy) },
    ], (message) => new ImmAccessDenied(message, { action: "kms:Decrypt", resource: services.kms.keyArn(object.owner, object.serverSideEncryption?.kmsKeyId ?? "") }));
  return { bucket: use.bucket.name, key: use.key, versionId: use.versionId, checkObject } as ImmSourceGrant;
}

/** Steps 1–3 for `action` on the object (`oss:PutObject` for a TargetURI). Throws ImmAccessDenied. */
export async function authorizeImmObject(services: Services, use: ImmObjectUse, action: ImmObjectAction): Promise<void> {
  const { bucket, key, project } = use;
  const resource = ossResource(bucket.owner, bucket.name, key);
  try {
    await authorizeBucketAccess(services, { principal: use.caller, actions: [action], bucket, key, context: use.callerContext });
  } catch (error) {
    if (isOssError(error) && error.code === "AccessDenied") {
      throw new ImmAccessDenied(`User not authorized to operate on the specified resource (${action} on ${resource}). ${error.message}`, { action, resource });
    }
    throw error;
  }
  const attachment = await services.imm.projects.getAttachment(bucket.name, bucket.createdAt.getTime());
  if (attachment?.projectName !== project.name || attachment.accountId !== bucket.owner) {
    audit(services, `imm-project/${project.name}`, action, resource, "the bucket is not attached to the project");
    throw new ImmAccessDenied(`The bucket ${bucket.name} is not attached to project ${project.name}: IMM reaches only the buckets attached to the project (AttachOSSBucket).`);
  }
  const sessionPolicy = use.credentialConfig?.Policy;
  const decision = await roleObjectDecision(services, { name: project.serviceRole, sessionPolicy }, bucket, key, action);
  if (!decision.allowed) {
    audit(services, `service-role/${project.serviceRole}`, action, resource, decision.reason);
    const narrowed = sessionPolicy !== undefined ? " (narrowed by the CredentialConfig.Policy)" : "";
    throw new ImmAccessDenied(`The service role ${project.serviceRole} of project ${project.name}${narrowed} is not authorized to operate on the specified resource (${action} on ${resource}): ${decision.reason}.`, { action, resource });
  }
}

function audit(services: Services, principal: string, action: string, resource: string, reason: string): void {
  services.log.warn({ audit: "denied", principal, action, resource, reason }, "IMM access denied");
}
