/**
 * `GET /explain?accessKeyId=…&action=oss:GetObject&bucket=b[&key=k][&resource=…]` on the admin
 * listener: the authorization decision a request would get and the statement that decided it, so an
 * operator can answer "why was this denied" (omit accessKeyId to ask about anonymous callers). The
 * same answer is the RPC action ExplainAccess for signed callers (see authz/explain.ts).
 */
import type { ServerResponse } from "node:http";
import type { Services } from "../services.js";
import { explainAccess } from "../authz/explain.js";

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body, null, 2));
}

export async function serveExplain(url: string, services: Services, res: ServerResponse): Promise<void> {
  const q = new URL(url, "http://admin").searchParams;
  const answer = await explainAccess(services, {
    action: q.get("action") ?? undefined,
    bucket: q.get("bucket") ?? undefined,
    key: q.get("key") ?? undefined,
    accessKeyId: q.get("accessKeyId") ?? undefined,
    resource: q.get("resource") ?? undefined,
  });
  if (answer.ok) reply(res, 200, answer.body);
  else reply(res, answer.status, { error: answer.error });
}
