/**
 * IMM 2020-09-30 OSS bucket attachment actions: AttachOSSBucket, DetachOSSBucket,
 * GetOSSBucketAttachment. An attached bucket may use IMM-backed `x-oss-process` (image/codes).
 * One project per bucket; a project may serve many buckets.
 */
import type { RpcCall } from "../rpc/registry.js";
import { RpcError } from "../rpc/errors.js";
import { authorizeImm, ownBucket } from "./access.js";
import { bucketName, description, projectName } from "./params.js";
import { notFoundProject } from "./project-actions.js";

function notAttached(bucket: string): RpcError {
  return new RpcError(404, "ResourceNotFound", `The specified resource attachment is not found: bucket ${bucket} is not attached to any project.`);
}

export async function attachOssBucket(call: RpcCall): Promise<Record<string, unknown>> {
  const project = projectName(call.params);
  const bucketNameValue = bucketName(call.params);
  const text = description(call.params, 128);
  await authorizeImm(call, "AttachOSSBucket", project);
  const bucket = await ownBucket(call, bucketNameValue);
  const outcome = await call.services.imm.projects.attachBucket({
    accountId: call.principal.accountId,
    bucket: bucket.name,
    bucketCreatedAt: bucket.createdAt.getTime(),
    projectName: project,
    description: text,
    now: new Date(),
  });
  if (outcome.result === "no-project") throw notFoundProject(project);
  if (outcome.result === "already-attached") {
    throw new RpcError(409, "ResourceAlreadyExist", `The bucket ${bucket.name} is already attached to project ${outcome.projectName}; call DetachOSSBucket first.`);
  }
  return {};
}

export async function detachOssBucket(call: RpcCall): Promise<Record<string, unknown>> {
  const name = bucketName(call.params);
  const bucket = await ownBucket(call, name);
  const attachment = await call.services.imm.projects.getAttachment(bucket.name, bucket.createdAt.getTime());
  if (!attachment) throw notAttached(name);
  await authorizeImm(call, "DetachOSSBucket", attachment.projectName);
  if (!await call.services.imm.projects.detachBucket(bucket.name, bucket.createdAt.getTime())) throw notAttached(name);
  return {};
}

/** Field names as the GetOSSBucketAttachmentResponseBody model: ProjectName, Description, CreateTime, UpdateTime. */
export async function getOssBucketAttachment(call: RpcCall): Promise<Record<string, unknown>> {
  const name = bucketName(call.params);
  const bucket = await ownBucket(call, name);
  const attachment = await call.services.imm.projects.getAttachment(bucket.name, bucket.createdAt.getTime());
  if (!attachment) throw notAttached(name);
  await authorizeImm(call, "GetOSSBucketAttachment", attachment.projectName);
  return {
    ProjectName: attachment.projectName,
    Description: attachment.description,
    CreateTime: attachment.createdAt.toISOString(),
    UpdateTime: attachment.updatedAt.toISOString(),
  };
}
