/**
 * IMM 2020-09-30 DetectImageCodes: `ProjectName`, `SourceURI` (`oss://bucket/key`, or
 * `oss://bucket/key?versionId=<id>` for a version: a Barbucket extension), optional
 * `CredentialConfig` → `{RequestId, Codes: [{Content, Type, Confidence, Boundary: {Left, Top,
 * Width, Height, Polygon: [{X, Y}]}}]}` (oss-api.md §1.1). Same scanning path and cache as
 * OSS image/codes (`scan-object.ts`).
 *
 * The caller needs imm:DetectImageCodes on the project, and the source must pass
 * `authorizeImmSource`: the caller itself may read the object (as an OSS GET would be judged),
 * the bucket is attached to the project, and the project's service role may read it too. The
 * service role alone is not enough (issue 21): it typically reads every bucket of the account.
 * A version is read as OSS reads one: `oss:GetObjectVersion` instead of `oss:GetObject`.
 */
import type { RpcCall } from "../rpc/registry.js";
import type { DetectedCode } from "../codes/types.js";
import { authorizeImm, ownBucket } from "./access.js";
import { optional, ossSourceUri, projectName } from "./params.js";
import { notFoundProject } from "./project-actions.js";
import { parseCredentialConfig } from "./credential-config.js";
import { scanObject, toImmError } from "./scan-object.js";
import { authorizeImmSource } from "./source-access.js";

export function immCodeJson(code: DetectedCode): Record<string, unknown> {
  const b = code.Boundary;
  return {
    Content: code.Content,
    Type: code.Type,
    Confidence: code.Confidence,
    Boundary: { Left: b.Left, Top: b.Top, Width: b.Width, Height: b.Height, Polygon: b.Polygon.map((p) => ({ X: p.X, Y: p.Y })) },
  };
}

export async function detectImageCodes(call: RpcCall): Promise<Record<string, unknown>> {
  const project = projectName(call.params);
  const source = ossSourceUri(call.params, "SourceURI");
  const credentialConfig = parseCredentialConfig(optional(call.params, "CredentialConfig"));
  await authorizeImm(call, "DetectImageCodes", project);
  const record = await call.services.imm.projects.getProject(call.principal.accountId, project);
  if (!record) throw notFoundProject(project);
  const bucket = await ownBucket(call, source.bucket);
  try {
    const grant = await authorizeImmSource(call.services, {
      caller: call.principal,
      callerContext: call.context,
      project: record,
      bucket,
      key: source.key,
      versionId: source.versionId,
      credentialConfig,
    });
    const { codes } = await scanObject(call.services, grant);
    return { Codes: codes.map(immCodeJson) };
  } catch (error) {
    throw toImmError(error);
  }
}
