/**
 * IMM 2020-09-30 DetectImageCodes: `ProjectName`, `SourceURI` (`oss://bucket/key`), optional
 * `CredentialConfig` → `{RequestId, Codes: [{Content, Type, Confidence, Boundary: {Left, Top,
 * Width, Height, Polygon: [{X, Y}]}}]}` (oss-api.md §1.1). Same scanning path and cache as
 * OSS image/codes (`scan-object.ts`). Unlike image/codes, the bucket need not be attached to
 * the project: attachment is what enables x-oss-process, while DetectImageCodes names its project.
 */
import type { RpcCall } from "../rpc/registry.js";
import type { DetectedCode } from "../codes/types.js";
import { authorizeImm, ownBucket } from "./access.js";
import { optional, ossUri, projectName } from "./params.js";
import { notFoundProject } from "./project-actions.js";
import { parseCredentialConfig } from "./credential-config.js";
import { scanObject, toImmError } from "./scan-object.js";
import { requireKmsDecrypt, serviceRolePrincipal, serviceRoleReadDecision } from "./service-role.js";
import { RpcError } from "../rpc/errors.js";

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
  const source = ossUri(call.params, "SourceURI");
  parseCredentialConfig(optional(call.params, "CredentialConfig"));
  authorizeImm(call, "DetectImageCodes", project);
  const record = call.services.imm.projects.getProject(call.principal.accountId, project);
  if (!record) throw notFoundProject(project);
  const bucket = ownBucket(call, source.bucket);
  const decision = serviceRoleReadDecision(call.services, record.serviceRole, bucket, source.key);
  if (!decision.allowed) {
    throw new RpcError(403, "Forbidden.RAM", `The service role ${record.serviceRole} of project ${project} is not authorized to read ${source.bucket}/${source.key}: ${decision.reason}.`);
  }
  try {
    const { codes } = await scanObject(call.services, bucket.name, source.key, (object) =>
      requireKmsDecrypt(call.services, object, [
        { who: "You", principal: call.principal },
        { who: `The service role ${record.serviceRole}`, principal: serviceRolePrincipal(call.services, record.serviceRole, bucket.owner) },
      ], (message) => new RpcError(403, "Forbidden.RAM", message)),
    );
    return { Codes: codes.map(immCodeJson) };
  } catch (error) {
    throw toImmError(error);
  }
}
