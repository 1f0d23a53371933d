/**
 * Authentication of OSS requests: classifies the signature scheme, resolves the access key,
 * checks time and security token, recomputes the signature and compares it in constant time.
 * No I/O but the access key lookup (the resolver); every failure is an `OssError` (oss-api.md §3.3, §4, §5).
 */
import { timingSafeEqual } from "node:crypto";
import { OssError } from "../errors/oss-error.js";
import { hexBytes, signedHeaders } from "./encode.js";
import type { AuthResult, AuthScheme, Credential, CredentialResolver, SignableRequest } from "./types.js";
import { buildV1StringToSign, parseRfc1123Date, parseV1Authorization, signV1 } from "./v1.js";
import {
  UNSIGNED_PAYLOAD, V4_ALGORITHM, V4_TERMINATOR, type V4CanonicalRequestInput, type V4Credential, buildV4CanonicalRequest, buildV4StringToSign,
  normalizeAdditionalHeaders, parseIsoBasicDatetime, parseV4Authorization, parseV4Credential, sameV4Inputs, signV4, v4Inputs,
  type V4Inputs, type V4Scope,
} from "./v4.js";
import { rememberVerified, verifiedBefore } from "./signature-memo.js";

export interface AuthenticateOptions {
  readonly now: Date;
  /** Region id the server signs for (`cn-hangzhou`; an `oss-` prefix is tolerated and stripped). */
  readonly region: string;
}

/** Allowed clock difference for header signatures (and future-dated V4 URLs). */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;
/** Longest V4 presigned URL lifetime, in seconds (7 days). */
export const MAX_V4_EXPIRES_SECONDS = 604_800;

export async function authenticate(wireReq: SignableRequest, resolver: CredentialResolver, opts: AuthenticateOptions): Promise<AuthResult> {
  const req: SignableRequest = { ...wireReq, headers: signedHeaders(wireReq.headers) };
  const scheme = classifyRequest(req);
  switch (scheme) {
    case undefined:
      return { kind: "anonymous" };
    case "v1-header":
      return await verifyV1Header(req, resolver, opts);
    case "v1-query":
      return await verifyV1Query(req, resolver, opts);
    case "v4-header":
      return await verifyV4Header(req, resolver, opts);
    case "v4-query":
      return await verifyV4Query(req, resolver, opts);
  }
}

/** Which scheme signed the request; undefined when anonymous. Throws on ambiguous or unknown schemes. */
export function classifyRequest(req: SignableRequest): AuthScheme | undefined {
  const authorization = req.headers["authorization"];
  const v1Query = hasQuery(req, "OSSAccessKeyId") || hasQuery(req, "Signature");
  const v4Query = hasQuery(req, "x-oss-signature-version") || hasQuery(req, "x-oss-signature");
  if (v1Query && v4Query) throw invalidArgument("The request carries both a V1 and a V4 URL signature.", "Signature");
  if ((v1Query || v4Query) && authorization !== undefined) {
    throw invalidArgument("Only one auth mechanism allowed; the signature is present both in the URL and in the Authorization header.");
  }
  if (v1Query) return "v1-query";
  if (v4Query) {
    const version = queryValue(req, "x-oss-signature-version");
    if (version !== V4_ALGORITHM) throw invalidArgument(`Unsupported x-oss-signature-version "${version ?? ""}", expected ${V4_ALGORITHM}.`, "x-oss-signature-version");
    return "v4-query";
  }
  if (authorization === undefined) return undefined;
  if (authorization.startsWith("OSS ")) return "v1-header";
  if (authorization.startsWith(`${V4_ALGORITHM} `)) return "v4-header";
  const scheme = authorization.trim().split(/\s+/, 1)[0] ?? "";
  if (scheme === "OSS" || scheme === V4_ALGORITHM) throw invalidArgument(`Authorization header is incomplete: "${authorization}".`);
  throw invalidArgument(`Unsupported Authorization scheme "${scheme}"; expected "OSS" or "${V4_ALGORITHM}".`);
}

// ---------------------------------------------------------------------------------------- V1

async function verifyV1Header(req: SignableRequest, resolver: CredentialResolver, opts: AuthenticateOptions): Promise<AuthResult> {
  const authorization = req.headers["authorization"] ?? "";
  const parsed = parseV1Authorization(authorization);
  if (!parsed) throw invalidArgument('Authorization header is invalid, expected "OSS <AccessKeyId>:<Signature>".');
  const credential = await resolveCredential(resolver, parsed.accessKeyId);
  const securityToken = req.headers["x-oss-security-token"];
  checkSecurityToken(credential, securityToken, opts.now);

  const dateLine = req.headers["x-oss-date"] ?? req.headers["date"];
  if (dateLine === undefined) throw new OssError("AccessDenied", "Missing Date or x-oss-date header.", { ec: "0002-00000503" });
  const requestTime = parseRfc1123Date(dateLine);
  if (!requestTime) throw new OssError("AccessDenied", `Invalid date format "${dateLine}", expected RFC 1123 GMT.`, { ec: "0002-00000502" });
  checkSkew(requestTime, dateLine, opts.now);

  const stringToSign = buildV1StringToSign({ ...req, dateLine });
  verifySignature(signV1(credential.secret, stringToSign), parsed.signature, stringToSign, parsed.accessKeyId);
  return signed("v1-header", credential, securityToken);
}

async function verifyV1Query(req: SignableRequest, resolver: CredentialResolver, opts: AuthenticateOptions): Promise<AuthResult> {
  const accessKeyId = queryValue(req, "OSSAccessKeyId");
  const expires = queryValue(req, "Expires");
  const signature = queryValue(req, "Signature");
  if (!accessKeyId || !expires || !signature) {
    throw new OssError("AccessDenied", "OSSAccessKeyId, Expires and Signature must all be present in a signed URL.");
  }
  const credential = await resolveCredential(resolver, accessKeyId);
  const securityToken = queryValue(req, "security-token");
  checkSecurityToken(credential, securityToken, opts.now);

  if (!/^\d{1,12}$/.test(expires)) throw new OssError("AccessDenied", `Invalid Expires "${expires}", expected unix seconds.`);
  const expiresAt = new Date(Number(expires) * 1000);
  if (opts.now.getTime() > expiresAt.getTime()) {
    throw new OssError("AccessDenied", "Request has expired.", {
      extra: { Expires: expiresAt.toISOString(), ServerTime: opts.now.toISOString() },
    });
  }

  const stringToSign = buildV1StringToSign({ ...req, dateLine: expires });
  verifySignature(signV1(credential.secret, stringToSign), signature, stringToSign, accessKeyId);
  return signed("v1-query", credential, securityToken);
}

// ---------------------------------------------------------------------------------------- V4

async function verifyV4Header(req: SignableRequest, resolver: CredentialResolver, opts: AuthenticateOptions): Promise<AuthResult> {
  const parsed = parseV4Authorization(req.headers["authorization"] ?? "");
  if (typeof parsed === "string") throw invalidArgument(parsed);
  const credential = await resolveCredential(resolver, parsed.credential.accessKeyId);
  const securityToken = req.headers["x-oss-security-token"];
  checkSecurityToken(credential, securityToken, opts.now);

  const datetime = req.headers["x-oss-date"];
  if (datetime === undefined) throw new OssError("AccessDenied", "Missing x-oss-date header.", { ec: "0002-00000503" });
  const requestTime = parseIsoBasicDatetime(datetime);
  if (!requestTime) throw new OssError("AccessDenied", `Invalid x-oss-date "${datetime}", expected yyyymmddTHHMMSSZ.`, { ec: "0002-00000502" });
  checkSkew(requestTime, datetime, opts.now);
  checkScope(parsed.credential, datetime, opts.region);

  const payloadHash = req.headers["x-oss-content-sha256"];
  if (payloadHash !== UNSIGNED_PAYLOAD) throw invalidPayloadHash(payloadHash);

  verifyV4Signature(req, credential, parsed.credential, parsed.additionalHeaders, parsed.signature, datetime, payloadHash);
  return signed("v4-header", credential, securityToken);
}

async function verifyV4Query(req: SignableRequest, resolver: CredentialResolver, opts: AuthenticateOptions): Promise<AuthResult> {
  const credentialValue = requiredQueryValue(req, "x-oss-credential");
  const datetime = requiredQueryValue(req, "x-oss-date");
  const expires = requiredQueryValue(req, "x-oss-expires", "0002-00000215");
  const signature = requiredQueryValue(req, "x-oss-signature");
  const scopeCredential = parseV4Credential(credentialValue);
  if (!scopeCredential) {
    throw invalidArgument(`Invalid x-oss-credential "${credentialValue}", expected <AccessKeyId>/<yyyymmdd>/<region>/oss/${V4_TERMINATOR}.`, "x-oss-credential");
  }
  const credential = await resolveCredential(resolver, scopeCredential.accessKeyId);
  const securityToken = queryValue(req, "x-oss-security-token");
  checkSecurityToken(credential, securityToken, opts.now);

  const requestTime = parseIsoBasicDatetime(datetime);
  if (!requestTime) throw new OssError("AccessDenied", `Invalid x-oss-date "${datetime}", expected yyyymmddTHHMMSSZ.`, { ec: "0002-00000502" });
  const lifetime = /^\d{1,7}$/.test(expires) ? Number(expires) : NaN;
  if (!(lifetime >= 1 && lifetime <= MAX_V4_EXPIRES_SECONDS)) {
    throw new OssError("InvalidArgument", `x-oss-expires must be an integer between 1 and ${MAX_V4_EXPIRES_SECONDS}.`, {
      ec: "0002-00000232", extra: { ArgumentName: "x-oss-expires", ArgumentValue: expires },
    });
  }
  const expiresAt = new Date(requestTime.getTime() + lifetime * 1000);
  if (opts.now.getTime() > expiresAt.getTime()) {
    throw new OssError("AccessDenied", "Request has expired.", {
      extra: { Expires: expiresAt.toISOString(), ServerTime: opts.now.toISOString() },
    });
  }
  if (requestTime.getTime() - opts.now.getTime() > MAX_CLOCK_SKEW_MS) {
    throw new OssError("AccessDenied", "Request date is more than 15 minutes in the future.", {
      extra: { RequestTime: datetime, ServerTime: opts.now.toISOString() },
    });
  }
  checkScope(scopeCredential, datetime, opts.region);

  const payloadHash = req.headers["x-oss-content-sha256"] ?? UNSIGNED_PAYLOAD;
  if (payloadHash !== UNSIGNED_PAYLOAD) throw invalidPayloadHash(payloadHash);
  const additional = queryValue(req, "x-oss-additional-headers");
  const additionalHeaders = additional ? additional.split(";") : [];

  verifyV4Signature(req, credential, scopeCredential, additionalHeaders, signature, datetime, payloadHash);
  return signed("v4-query", credential, securityToken);
}

function verifyV4Signature(
  req: SignableRequest,
  credential: Credential,
  scopeCredential: V4Credential,
  additionalHeaders: readonly string[],
  provided: string,
  datetime: string,
  payloadHash: string,
): void {
  const input: V4CanonicalRequestInput = {
    method: req.method, bucket: req.bucket, key: req.key, query: req.query, headers: req.headers,
    additionalHeaders: additionalHeaders.length === 0 ? additionalHeaders : normalizeAdditionalHeaders(additionalHeaders),
    payloadHash,
  };
  const { scope } = scopeCredential;
  // The signature is a function of the secret, the date, the scope and the canonical request's
  // inputs (as given, not encoded: v4Inputs): a presigned URL presented again with the same
  // inputs costs neither the canonical request nor its hash and HMAC (signature-memo.ts).
  const same = (kept: SignedV4): boolean => kept.datetime === datetime && sameScope(kept.scope, scope) && sameV4Inputs(kept.inputs, input);
  if (verifiedBefore(credential.secret, provided, same)) return;
  const canonicalRequest = buildV4CanonicalRequest(input);
  const stringToSign = buildV4StringToSign(datetime, scope, canonicalRequest);
  const expected = signV4(credential.secret, scope, stringToSign);
  if (signatureMatches(expected, provided)) {
    rememberVerified<SignedV4>(credential.secret, provided, { datetime, scope, inputs: v4Inputs(input) });
    return;
  }
  verifySignature(expected, provided, stringToSign, scopeCredential.accessKeyId, canonicalRequest);
}

/** What a remembered V4 signature signed. */
interface SignedV4 {
  readonly datetime: string;
  readonly scope: V4Scope;
  readonly inputs: V4Inputs;
}

function sameScope(a: V4Scope, b: V4Scope): boolean {
  return a.date === b.date && a.region === b.region && a.product === b.product && a.terminator === b.terminator;
}

/** Scope must be `<date of x-oss-date>/<server region>/oss/aliyun_v4_request`. */
export function checkScope(scopeCredential: V4Credential, datetime: string, serverRegion: string): void {
  const { scope } = scopeCredential;
  const region = serverRegion.startsWith("oss-") ? serverRegion.slice(4) : serverRegion;
  if (scope.date !== datetime.slice(0, 8)) {
    throw new OssError("AccessDenied", `Credential scope date "${scope.date}" does not match the request date "${datetime.slice(0, 8)}".`, { ec: "0002-00000223" });
  }
  if (scope.region !== region) {
    const hint = scope.region === `oss-${region}` ? " Use the region id without the oss- prefix." : "";
    throw new OssError("AccessDenied", `Credential scope region "${scope.region}" does not match the server region "${region}".${hint}`, {
      ec: scope.region.startsWith("oss-") ? "0002-00000226" : "0002-00000228",
    });
  }
  if (scope.product !== "oss" || scope.terminator !== V4_TERMINATOR) {
    throw new OssError("AccessDenied", `Credential scope must end with "/oss/${V4_TERMINATOR}".`, { ec: "0002-00000213" });
  }
}

function invalidPayloadHash(value: string | undefined): OssError {
  return new OssError("InvalidArgument", `The x-oss-content-sha256 header must be ${UNSIGNED_PAYLOAD}.`, {
    ec: "0002-00000214", extra: { ArgumentName: "x-oss-content-sha256", ArgumentValue: value ?? "" },
  });
}

// ---------------------------------------------------------------------------------------- shared

export async function resolveCredential(resolver: CredentialResolver, accessKeyId: string): Promise<Credential> {
  const credential = await resolver.resolve(accessKeyId);
  if (!credential || !credential.active) throw new OssError("InvalidAccessKeyId", undefined, { extra: { OSSAccessKeyId: accessKeyId } });
  return credential;
}

export function checkSecurityToken(credential: Credential, token: string | undefined, now: Date): void {
  const problem = credential.checkSecurityToken?.(token, now);
  if (problem !== undefined) throw new OssError(problem);
}

function checkSkew(requestTime: Date, raw: string, now: Date): void {
  if (Math.abs(now.getTime() - requestTime.getTime()) > MAX_CLOCK_SKEW_MS) {
    throw new OssError("RequestTimeTooSkewed", undefined, { extra: { RequestTime: raw, ServerTime: now.toISOString() } });
  }
}

/** Constant-time comparison (no timing hint of how much of a forged signature was right). */
function signatureMatches(expected: string, provided: string): boolean {
  const a = Buffer.from(expected, "utf8");
  const b = Buffer.from(provided, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}

export function verifySignature(expected: string, provided: string, stringToSign: string, accessKeyId: string, canonicalRequest?: string): void {
  if (signatureMatches(expected, provided)) return;
  const extra: Record<string, string> = {
    StringToSign: stringToSign,
    SignatureProvided: provided,
    StringToSignBytes: hexBytes(stringToSign),
    OSSAccessKeyId: accessKeyId,
  };
  if (canonicalRequest !== undefined) extra["CanonicalRequest"] = canonicalRequest;
  throw new OssError("SignatureDoesNotMatch", undefined, { extra });
}

export function signed(scheme: AuthScheme, credential: Credential, securityToken: string | undefined): AuthResult {
  // A token presented with a permanent key is ignored (types.ts), so it is not reported either.
  const token = credential.checkSecurityToken ? securityToken : undefined;
  return { kind: "signed", scheme, principal: credential.principal, securityToken: token };
}

function invalidArgument(message: string, argumentName = "Authorization"): OssError {
  return new OssError("InvalidArgument", message, { extra: { ArgumentName: argumentName } });
}

function queryValue(req: SignableRequest, name: string): string | undefined {
  return req.query.find(([key]) => key === name)?.[1];
}

/** A presigned-URL parameter that must be present and non-empty, else 403 AccessDenied. */
function requiredQueryValue(req: SignableRequest, name: string, ec?: string): string {
  const value = queryValue(req, name);
  if (!value) throw new OssError("AccessDenied", `Missing ${name} in the signed URL.`, ec === undefined ? {} : { ec });
  return value;
}

function hasQuery(req: SignableRequest, name: string): boolean {
  return req.query.some(([key]) => key === name);
}
