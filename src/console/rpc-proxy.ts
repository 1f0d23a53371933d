/**
 * The console's RPC calls (RAM, STS, IMM and Barbucket's usage), POP V2-signed with the session's
 * keys and sent to Barbucket's RPC listener on loopback; the listener authenticates, authorizes and
 * meters them. Only the actions the pages use are passed on.
 */
import type { ConsoleCredentials } from "./sessions.js";
import type { Upstream } from "./oss-proxy.js";
import { signRpcParams } from "./sign.js";
import { relayHeaders } from "../http/client-address.js";
import { USAGE_RPC_VERSION } from "../metering/usage-action.js";

/** Action → API version, for the actions the console pages call. */
export const CONSOLE_RPC_ACTIONS: Readonly<Record<string, string>> = {
  GetCallerIdentity: "2015-04-01",
  ListUsers: "2015-05-01",
  CreateUser: "2015-05-01",
  DeleteUser: "2015-05-01",
  CreateAccessKey: "2015-05-01",
  ListAccessKeys: "2015-05-01",
  ListPolicies: "2015-05-01",
  ListPoliciesForUser: "2015-05-01",
  AttachPolicyToUser: "2015-05-01",
  DetachPolicyFromUser: "2015-05-01",
  GetPolicy: "2015-05-01",
  CreatePolicy: "2015-05-01",
  CreatePolicyVersion: "2015-05-01",
  DeletePolicy: "2015-05-01",
  ListRoles: "2015-05-01",
  GetRole: "2015-05-01",
  CreateRole: "2015-05-01",
  UpdateRole: "2015-05-01",
  DeleteRole: "2015-05-01",
  ListPoliciesForRole: "2015-05-01",
  AttachPolicyToRole: "2015-05-01",
  DetachPolicyFromRole: "2015-05-01",
  CreateProject: "2020-09-30",
  ListProjects: "2020-09-30",
  AttachOSSBucket: "2020-09-30",
  GetOSSBucketAttachment: "2020-09-30",
  DescribeUsage: USAGE_RPC_VERSION,
  ExplainAccess: USAGE_RPC_VERSION,
};

export interface RpcAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/** `clientAddress`: the browser's, relayed so that acs:SourceIp and metering see it. */
export async function callRpc(creds: ConsoleCredentials, upstream: Upstream, clientAddress: string, action: string, params: Readonly<Record<string, string>>): Promise<RpcAnswer> {
  const version = CONSOLE_RPC_ACTIONS[action];
  if (!version) return { status: 400, body: { Code: "InvalidAction.NotFound", Message: `The console does not call ${action}.` } };
  const form = new URLSearchParams(signRpcParams(creds, "POST", { ...params, Action: action, Version: version }));
  const host = upstream.host.includes(":") ? `[${upstream.host}]` : upstream.host;
  const res = await fetch(`http://${host}:${upstream.port}/`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...relayHeaders(clientAddress) },
    body: form.toString(),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) as Record<string, unknown> };
  } catch {
    return { status: 502, body: { Code: "BadGateway", Message: `The RPC listener answered ${res.status} with no JSON.` } };
  }
}
