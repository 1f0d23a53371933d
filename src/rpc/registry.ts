/** RPC actions keyed by `Version/Action` (e.g. `2020-09-30/DetectImageCodes`). */
import type { Services } from "../services.js";
import type { Principal } from "../auth/types.js";
import type { ConditionContext } from "../policy/conditions.js";
import { ACCESS_ACTIONS } from "./access-actions.js";
import { createProject, deleteProject, getProject, listProjects } from "../imm/project-actions.js";
import { attachOssBucket, detachOssBucket, getOssBucketAttachment } from "../imm/bucket-actions.js";
import { detectImageCodes } from "../imm/detect-action.js";
import { KMS_ACTIONS } from "../kms/actions.js";
import { describeUsage, USAGE_RPC_VERSION } from "../metering/usage-action.js";
import { explainAccessAction } from "../authz/explain-action.js";

export interface RpcCall {
  readonly services: Services;
  readonly principal: Principal;
  readonly params: Readonly<Record<string, string>>;
  readonly requestId: string;
  /** Condition keys for policies (acs:SourceIp, acs:CurrentTime …). */
  readonly context: ConditionContext;
}

export type RpcHandler = (call: RpcCall) => Promise<Record<string, unknown>> | Record<string, unknown>;

/** IMM (Intelligent Media Management) 2020-09-30: projects, bucket attachments, code detection. */
const IMM_2020_09_30: Readonly<Record<string, RpcHandler>> = {
  CreateProject: createProject,
  GetProject: getProject,
  ListProjects: listProjects,
  DeleteProject: deleteProject,
  AttachOSSBucket: attachOssBucket,
  DetachOSSBucket: detachOssBucket,
  GetOSSBucketAttachment: getOssBucketAttachment,
  DetectImageCodes: detectImageCodes,
};

export const RPC_ACTIONS: Readonly<Record<string, RpcHandler>> = {
  ...ACCESS_ACTIONS,
  ...KMS_ACTIONS,
  [`${USAGE_RPC_VERSION}/DescribeUsage`]: describeUsage,
  [`${USAGE_RPC_VERSION}/ExplainAccess`]: explainAccessAction,
  ...Object.fromEntries(Object.entries(IMM_2020_09_30).map(([action, handler]) => [`2020-09-30/${action}`, handler])),
};
