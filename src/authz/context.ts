/** The condition keys a request offers to policies (acs:SourceIp, acs:CurrentTime, oss:Prefix …). */
import type { IncomingMessage } from "node:http";
import type { ConditionContext } from "../policy/conditions.js";

export function requestContext(req: IncomingMessage, accessKeyId: string | undefined, query?: ReadonlyMap<string, string>): ConditionContext {
  const remote = req.socket.remoteAddress ?? "";
  const context: Record<string, string> = {
    "acs:SourceIp": remote.startsWith("::ffff:") ? remote.slice(7) : remote,
    "acs:SecureTransport": String("encrypted" in req.socket && Boolean((req.socket as { encrypted?: boolean }).encrypted)),
    "acs:CurrentTime": new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
  };
  const userAgent = req.headers["user-agent"];
  if (userAgent) context["acs:UserAgent"] = userAgent;
  if (accessKeyId) context["acs:AccessId"] = accessKeyId;
  if (query?.has("prefix")) context["oss:Prefix"] = query.get("prefix")!;
  if (query?.has("delimiter")) context["oss:Delimiter"] = query.get("delimiter")!;
  return context;
}
