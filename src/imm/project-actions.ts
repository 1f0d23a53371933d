/**
 * IMM 2020-09-30 project actions: CreateProject, GetProject, ListProjects, DeleteProject.
 * Response fields as the SDK models name them (`Project`, `Projects`, `NextToken`); the RPC server
 * adds `RequestId`.
 */
import type { RpcCall } from "../rpc/registry.js";
import { RpcError } from "../rpc/errors.js";
import { DEFAULT_LIMITS, type ProjectLimits, type ProjectRecord } from "./project-store.js";
import { authorizeImm } from "./access.js";
import { boolean, description, integer, invalid, isValidProjectName, optional, projectName, tags, type Params } from "./params.js";

/** The `Project` model. Usage counters are 0: this server keeps no datasets. */
export function projectJson(p: ProjectRecord): Record<string, unknown> {
  return {
    ProjectName: p.name,
    ServiceRole: p.serviceRole,
    Description: p.description,
    TemplateId: p.templateId,
    CreateTime: p.createdAt.toISOString(),
    UpdateTime: p.updatedAt.toISOString(),
    ...p.limits,
    EngineConcurrency: 100,
    ProjectQueriesPerSecond: 100,
    DatasetCount: 0,
    FileCount: 0,
    TotalFileSize: 0,
    Tags: p.tags.map((t) => ({ TagKey: t.key, TagValue: t.value })),
  };
}

export function notFoundProject(name: string): RpcError {
  return new RpcError(404, "ResourceNotFound", `The specified resource project is not found: ${name}`);
}

const ROLE_NAME = /^[A-Za-z0-9._-]{1,64}$/;

/** Quota ranges from the CreateProjectRequest model; the reserved ones only need to be positive. */
function limits(params: Params): ProjectLimits {
  const big = Number.MAX_VALUE;
  return {
    ProjectMaxDatasetCount: integer(params, "ProjectMaxDatasetCount", 1, 1_000_000_000) ?? DEFAULT_LIMITS.ProjectMaxDatasetCount,
    DatasetMaxBindCount: integer(params, "DatasetMaxBindCount", 1, 10) ?? DEFAULT_LIMITS.DatasetMaxBindCount,
    DatasetMaxFileCount: integer(params, "DatasetMaxFileCount", 1, 100_000_000) ?? DEFAULT_LIMITS.DatasetMaxFileCount,
    DatasetMaxEntityCount: integer(params, "DatasetMaxEntityCount", 1, big) ?? DEFAULT_LIMITS.DatasetMaxEntityCount,
    DatasetMaxRelationCount: integer(params, "DatasetMaxRelationCount", 1, big) ?? DEFAULT_LIMITS.DatasetMaxRelationCount,
    DatasetMaxTotalFileSize: integer(params, "DatasetMaxTotalFileSize", 1, big) ?? DEFAULT_LIMITS.DatasetMaxTotalFileSize,
  };
}

export async function createProject(call: RpcCall): Promise<Record<string, unknown>> {
  const name = projectName(call.params);
  await authorizeImm(call, "CreateProject", name);
  const serviceRole = optional(call.params, "ServiceRole") ?? "AliyunIMMDefaultRole";
  if (!ROLE_NAME.test(serviceRole)) throw invalid(`The ServiceRole "${serviceRole}" is not a valid RAM role name.`);
  const templateId = optional(call.params, "TemplateId") ?? "";
  if (templateId.length > 128) throw invalid("The TemplateId must be at most 128 characters long.");
  const now = new Date();
  const project: ProjectRecord = {
    accountId: call.principal.accountId,
    name,
    serviceRole,
    description: description(call.params, 256),
    templateId,
    limits: limits(call.params),
    tags: tags(call.params),
    createdAt: now,
    updatedAt: now,
  };
  if (await call.services.imm.projects.createProject(project) === "exists") {
    throw new RpcError(409, "ResourceAlreadyExist", `The specified resource project already exists: ${name}`);
  }
  return { Project: projectJson(project) };
}

export async function getProject(call: RpcCall): Promise<Record<string, unknown>> {
  const name = projectName(call.params);
  boolean(call.params, "WithStatistics"); // validated; the statistics are always the zero counters
  await authorizeImm(call, "GetProject", name);
  const project = await call.services.imm.projects.getProject(call.principal.accountId, name);
  if (!project) throw notFoundProject(name);
  return { Project: projectJson(project) };
}

/** NextToken is the last returned name, base64url-encoded (opaque to clients, like IMM's). */
function decodeToken(token: string | undefined): string {
  if (token === undefined) return "";
  const name = Buffer.from(token, "base64url").toString("utf8");
  if (!isValidProjectName(name) || Buffer.from(name).toString("base64url") !== token) throw invalid(`The NextToken "${token}" is invalid.`);
  return name;
}

export async function listProjects(call: RpcCall): Promise<Record<string, unknown>> {
  // IMM: 0..200, where absent or 0 means 100.
  const maxResults = integer(call.params, "MaxResults", 0, 200) || 100;
  const prefix = optional(call.params, "Prefix") ?? "";
  if (prefix.length > 128) throw invalid("The Prefix must be at most 128 characters long.");
  const after = decodeToken(optional(call.params, "NextToken"));
  await authorizeImm(call, "ListProjects");
  const page = await call.services.imm.projects.listProjects(call.principal.accountId, { prefix, after, limit: maxResults });
  const last = page.projects.at(-1);
  return {
    NextToken: page.truncated && last ? Buffer.from(last.name).toString("base64url") : "",
    Projects: page.projects.map(projectJson),
  };
}

/**
 * DeleteProject refuses (409 `ResourceInUse`) while a bucket is attached, naming the buckets:
 * IMM asks that a project's resources be removed before the project, and silently detaching would
 * turn every image/codes call on those buckets into an error the bucket owner did not ask for.
 */
export async function deleteProject(call: RpcCall): Promise<Record<string, unknown>> {
  const name = projectName(call.params);
  await authorizeImm(call, "DeleteProject", name);
  const { meta } = call.services;
  // Bucket records are read before the (synchronous) project transaction; an attachment made in
  // between is not in `live` and counts as live (the delete is refused, as if it had landed first).
  const projects = call.services.imm.projects;
  const live = new Map<string, boolean>();
  for (const a of await projects.listAttachments(call.principal.accountId, name)) {
    live.set(`${a.bucket}@${a.bucketCreatedAt}`, (await meta.getBucket(a.bucket))?.createdAt.getTime() === a.bucketCreatedAt);
  }
  const outcome = await projects.deleteProject(call.principal.accountId, name, (a) => live.get(`${a.bucket}@${a.bucketCreatedAt}`) ?? true);
  if (outcome.result === "missing") throw notFoundProject(name);
  if (outcome.result === "in-use") {
    throw new RpcError(409, "ResourceInUse", `The project ${name} is still attached to OSS bucket(s) ${outcome.buckets.join(", ")}; call DetachOSSBucket first.`);
  }
  return {};
}
