/**
 * `DescribeUsage` (Barbucket's own RPC action, Version 2026-12-01): the admin listener's `/usage`
 * report (hourly usage per item, totals and the bill), for a signed caller. Authorized as the RAM
 * action `oss:GetBucketStat` — OSS's action for a bucket's usage statistics — on the bucket
 * (`acs:oss:*:<account>:<bucket>`), or on `acs:oss:*:<account>:*` for all buckets. Parameters:
 * `From`, `To` (ISO 8601 or epoch ms), optional `Bucket`.
 */
import type { RpcCall } from "../rpc/registry.js";
import { RpcError } from "../rpc/errors.js";
import { authorizeRpc } from "../authz/rpc-authorize.js";
import { ossResourceArn } from "../policy/evaluate.js";
import { parseUsageQuery } from "./report.js";

export const USAGE_RPC_VERSION = "2026-12-01";
export const USAGE_RAM_ACTION = "oss:GetBucketStat";

export async function describeUsage(call: RpcCall): Promise<Record<string, unknown>> {
  const query = parseUsageQuery({ bucket: call.params.Bucket, from: call.params.From, to: call.params.To });
  if (typeof query === "string") throw new RpcError(400, "InvalidParameter", query);
  await authorizeRpc(call, USAGE_RAM_ACTION, ossResourceArn(call.services.accountId, query.bucket, undefined));
  if (!call.services.usageReports) throw new RpcError(503, "ServiceUnavailable", "This server keeps no usage reports.");
  return { Usage: await call.services.usageReports.usage(query) };
}
