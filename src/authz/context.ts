/** The condition keys a request offers to policies (acs:SourceIp, acs:CurrentTime, oss:Prefix …). */
import type { IncomingMessage } from "node:http";
import { requestContext as buildContext, type ConditionContext } from "../policy/conditions.js";
import { clientAddress } from "../http/client-address.js";

export function requestContext(req: IncomingMessage, accessKeyId: string | undefined, query?: ReadonlyMap<string, string>): ConditionContext {
  const remote = clientAddress(req);
  const userAgent = req.headers["user-agent"];
  const prefix = query?.get("prefix");
  const delimiter = query?.get("delimiter");
  return buildContext({
    sourceIp: remote.startsWith("::ffff:") ? remote.slice(7) : remote,
    secureTransport: Boolean((req.socket as { encrypted?: boolean }).encrypted),
    now: new Date(),
    ...(userAgent !== undefined ? { userAgent } : {}),
    ...(accessKeyId !== undefined ? { accessKeyId } : {}),
    ...(prefix !== undefined ? { prefix } : {}),
    ...(delimiter !== undefined ? { delimiter } : {}),
  });
}
