/**
 * What an RPC (POP) call reports to the meter: the Action as operation, the bucket of an
 * `oss://bucket/key` SourceURI (DetectImageCodes), and one ImageQRCodes unit only when
 * DetectImageCodes answered 200 — IMM bills the unit per successful call.
 */
import type { RequestUsage } from "./types.js";

export function bucketOfSourceUri(uri: string | undefined): string | undefined {
  const match = /^oss:\/\/([^/]+)\//.exec(uri ?? "");
  return match?.[1];
}

export function rpcUsage(call: {
  action: string;
  method: string;
  params: Readonly<Record<string, string | undefined>>;
  status: number;
  bytesIn: number;
  bytesOut: number;
  remoteAddress: string | undefined;
  host: string | undefined;
}): RequestUsage {
  return {
    at: new Date(),
    endpoint: "rpc",
    bucket: bucketOfSourceUri(call.params.SourceURI),
    operation: call.action || "Unknown",
    method: call.method,
    status: call.status,
    storageClass: undefined,
    bytesIn: call.bytesIn,
    bytesOut: call.bytesOut,
    remoteAddress: call.remoteAddress ?? "",
    host: call.host ?? "",
    imageQrCodes: call.action === "DetectImageCodes" && call.status === 200 ? 1 : 0,
    archiveDirectRead: false,
    restoreRequest: false,
  };
}
