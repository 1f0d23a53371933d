/**
 * Signing for the console's requests to Barbucket's own listeners, as the signed-in identity:
 * OSS Signature V1 headers and presigned URLs (the same builders the server verifies with), and
 * POP V2 RPC parameters. Nothing here decides access: the listeners authenticate and authorize.
 */
import { randomUUID } from "node:crypto";
import { buildV1StringToSign, signV1 } from "../auth/v1.js";
import { buildPopV2StringToSign, signPopV2 } from "../rpc/signature.js";
import type { ConsoleCredentials } from "./sessions.js";

/** `/bucket/key` with each key segment percent-encoded (path-style addressing). */
export function ossPath(bucket: string | undefined, key: string | undefined): string {
  if (!bucket) return "/";
  return `/${encodeURIComponent(bucket)}/${(key ?? "").split("/").map(encodeURIComponent).join("/")}`;
}

/** Adds `date`, the security token (STS) and `authorization` to lower-cased `headers`. */
export function signOssHeaders(
  creds: ConsoleCredentials,
  request: { method: string; bucket: string | undefined; key: string | undefined; query: ReadonlyArray<readonly [string, string]>; headers: Record<string, string> },
  now: Date = new Date(),
): Record<string, string> {
  const headers: Record<string, string> = { ...request.headers, date: now.toUTCString() };
  if (creds.securityToken) headers["x-oss-security-token"] = creds.securityToken;
  const stringToSign = buildV1StringToSign({ method: request.method, bucket: request.bucket, key: request.key, query: request.query, headers, dateLine: now.toUTCString() });
  headers.authorization = `OSS ${creds.accessKeyId}:${signV1(creds.accessKeySecret, stringToSign)}`;
  return headers;
}

/** A V1 presigned GET URL on `origin` (e.g. http://127.0.0.1:9000), valid for `expiresSeconds`. */
export function presignGetUrl(creds: ConsoleCredentials, origin: string, bucket: string, key: string, expiresSeconds: number, now: Date = new Date()): string {
  const expires = String(Math.floor(now.getTime() / 1000) + expiresSeconds);
  const query: [string, string][] = creds.securityToken ? [["security-token", creds.securityToken]] : [];
  const stringToSign = buildV1StringToSign({ method: "GET", bucket, key, query, headers: {}, dateLine: expires });
  const params = new URLSearchParams({ OSSAccessKeyId: creds.accessKeyId, Expires: expires, Signature: signV1(creds.accessKeySecret, stringToSign) });
  if (creds.securityToken) params.set("security-token", creds.securityToken);
  return `${origin}${ossPath(bucket, key)}?${params.toString()}`;
}

/** POP V2 (HMAC-SHA1) form parameters for one RPC call, signature included. */
export function signRpcParams(creds: ConsoleCredentials, method: string, params: Readonly<Record<string, string>>, now: Date = new Date()): Record<string, string> {
  const all: Record<string, string> = {
    ...params,
    Format: "JSON",
    AccessKeyId: creds.accessKeyId,
    SignatureMethod: "HMAC-SHA1",
    SignatureVersion: "1.0",
    SignatureNonce: randomUUID(),
    Timestamp: now.toISOString().replace(/\.\d{3}Z$/, "Z"),
  };
  if (creds.securityToken) all.SecurityToken = creds.securityToken;
  all.Signature = signPopV2(creds.accessKeySecret, buildPopV2StringToSign(method, all));
  return all;
}
