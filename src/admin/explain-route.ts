/**
 * `GET /explain?accessKeyId=…&action=oss:GetObject&bucket=b[&key=k]` on the admin listener: runs the
 * same authorization decision a request would get and says which policy statement decided it, so
 * an operator can answer "why was this denied" (omit accessKeyId to ask about anonymous callers).
 * Conditions see only acs:CurrentTime here: the request's IP, transport and agent are unknown.
 */
import type { ServerResponse } from "node:http";
import type { Services } from "../services.js";
import { ossResource } from "../authz/actions.js";
import { requestContext } from "../policy/conditions.js";

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body, null, 2));
}

export async function serveExplain(url: string, services: Services, res: ServerResponse): Promise<void> {
  const q = new URL(url, "http://admin").searchParams;
  const action = q.get("action");
  const bucketName = q.get("bucket") ?? undefined;
  const key = q.get("key") ?? undefined;
  const accessKeyId = q.get("accessKeyId") ?? undefined;
  if (!action || !/^[a-z]+:[A-Za-z*]+$/.test(action)) return reply(res, 400, { error: "action=service:Action is required" });
  const credential = accessKeyId ? await services.credentials.resolve(accessKeyId) : undefined;
  if (accessKeyId && !credential) return reply(res, 404, { error: `unknown access key ${accessKeyId}` });
  const bucket = bucketName ? await services.meta.getBucket(bucketName) : undefined;
  if (bucketName && !bucket) return reply(res, 404, { error: `no bucket ${bucketName}` });
  const object = bucket && key ? await services.meta.getObject(bucket.name, key) : undefined;
  const owner = bucket?.owner ?? services.accountId;
  const bucketPolicy = bucket ? await services.iam.bucketPolicies.get(bucket.name) : undefined;
  const result = await services.authorizer.decide({
    principal: credential?.principal,
    actions: [action],
    resource: q.get("resource") ?? ossResource(owner, bucket?.name, key),
    ownerAccountId: owner,
    ...(bucket ? { bucketAcl: bucket.acl } : {}),
    ...(object ? { objectAcl: object.acl } : {}),
    ...(bucketPolicy ? { bucketPolicy } : {}),
    context: requestContext({ now: new Date(), ...(accessKeyId ? { accessKeyId } : {}) }),
  });
  reply(res, 200, { principal: credential?.principal.arn ?? "anonymous", keyActive: credential?.active, ...result });
}
