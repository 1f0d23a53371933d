/**
 * Verification of Alibaba Cloud POP (RPC-style) request signatures, for the IMM-compatible endpoint:
 * - POP V2: HMAC-SHA1 over `METHOD&%2F&enc(sorted params)` with key `secret&`, `Signature` param,
 *   as sent by `@alicloud/pop-core@1.8.0` (GET query or POST form body) — oss-api.md §7.1;
 * - ACS3-HMAC-SHA256: `Authorization: ACS3-HMAC-SHA256 Credential=…,SignedHeaders=…,Signature=…`
 *   with `x-acs-*` headers (Darabonba SDKs) — oss-api.md §7.2.
 * Failures are `RpcAuthError`s carrying the POP-style `{Code, Message, HttpStatus}`.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { rfc3986Encode, rfc3986EncodePath } from "../auth/encode.js";
import type { Credential, CredentialResolver, Principal } from "../auth/types.js";

export interface RpcRequest {
  readonly method: string;
  /** Decoded URL path (RPC endpoints use "/"). */
  readonly path: string;
  /** Decoded query parameters in wire order. */
  readonly query: ReadonlyArray<readonly [string, string]>;
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

export interface RpcAuthResult {
  readonly scheme: "pop-v2" | "acs3";
  readonly principal: Principal;
  /** Query + form-body parameters (first occurrence wins); for ACS3 also Action/Version from x-acs-action/x-acs-version. */
  readonly params: Record<string, string>;
  readonly securityToken?: string;
}

export interface PopErrorBody {
  readonly Code: string;
  readonly Message: string;
  readonly HttpStatus: number;
}

export class RpcAuthError extends Error {
  readonly body: PopErrorBody;
  /** For SignatureDoesNotMatch: the server's string to sign (for logs/debugging; not part of Message). */
  readonly stringToSign: string | undefined;

  constructor(code: string, message: string, httpStatus: number, stringToSign?: string) {
    super(message);
    this.name = "RpcAuthError";
    this.body = { Code: code, Message: message, HttpStatus: httpStatus };
    this.stringToSign = stringToSign;
  }

  get code(): string {
    return this.body.Code;
  }

  get httpStatus(): number {
    return this.body.HttpStatus;
  }
}

export const MAX_SKEW_MS = 15 * 60 * 1000;
const ACS3_ALGORITHM = "ACS3-HMAC-SHA256";

const errors = {
  missing: (name: string) => new RpcAuthError("MissingParameter", `The input parameter "${name}" that is mandatory for processing this request is not supplied.`, 400),
  incomplete: (detail: string) => new RpcAuthError("IncompleteSignature", `The request signature does not conform to Aliyun standards. ${detail}`, 400),
  mismatch: (stringToSign: string) => new RpcAuthError("SignatureDoesNotMatch", "Specified signature is not matched with our calculation.", 400, stringToSign),
  akNotFound: () => new RpcAuthError("InvalidAccessKeyId.NotFound", "Specified access key is not found.", 404),
  akInactive: () => new RpcAuthError("InvalidAccessKeyId.Inactive", "Specified access key is disabled.", 400),
  timestampFormat: () => new RpcAuthError("InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted.", 400),
  timestampExpired: () => new RpcAuthError("InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.", 400),
  nonceUsed: () => new RpcAuthError("SignatureNonceUsed", "Specified signature nonce was used already.", 400),
};

const TOKEN_ERRORS = {
  InvalidSecurityToken: ["InvalidSecurityToken.Malformed", "Specified SecurityToken is malformed."],
  SecurityTokenExpired: ["InvalidSecurityToken.Expired", "Specified SecurityToken is expired."],
  AccessKeyIdAndSecurityTokenNotMatch: ["InvalidSecurityToken.MismatchWithAccessKey", "Specified SecurityToken mismatch with the AccessKey."],
} as const;

/** Where seen nonces are kept: false when `nonce` was already used by `accessKeyId` (a replay). */
export interface NonceMemory {
  remember(accessKeyId: string, nonce: string, requestTime: Date, now: Date): Promise<boolean>;
}

/**
 * Remembers (access key, nonce) pairs until the request could no longer pass the timestamp check,
 * so a replay is refused. Bounded: beyond `maxEntries` the oldest entries are dropped. One
 * process's memory: the server uses iam/nonces.ts (in the database, shared by every worker).
 */
export class NonceCache implements NonceMemory {
  private readonly expiries = new Map<string, number>();

  constructor(private readonly maxEntries = 100_000) {}

  /** False when the nonce was already seen and is still remembered; otherwise records it. */
  async remember(accessKeyId: string, nonce: string, requestTime: Date, now: Date): Promise<boolean> {
    const key = `${accessKeyId}\n${nonce}`;
    const seenUntil = this.expiries.get(key);
    if (seenUntil !== undefined && seenUntil >= now.getTime()) return false;
    this.expiries.delete(key);
    this.prune(now);
    while (this.expiries.size >= this.maxEntries) {
      const oldest = this.expiries.keys().next().value;
      if (oldest === undefined) break;
      this.expiries.delete(oldest);
    }
    this.expiries.set(key, Math.max(now.getTime(), requestTime.getTime()) + MAX_SKEW_MS);
    return true;
  }

  get size(): number {
    return this.expiries.size;
  }

  /** Drops expired entries from the front (insertion order roughly follows time). */
  private prune(now: Date): void {
    for (const [key, expiry] of this.expiries) {
      if (expiry >= now.getTime()) break;
      this.expiries.delete(key);
    }
  }
}

const defaultNonceCache = new NonceCache();

export async function verifyRpcSignature(req: RpcRequest, resolver: CredentialResolver, now: Date, nonces: NonceMemory = defaultNonceCache): Promise<RpcAuthResult> {
  const params = mergeParams(req);
  const authorization = req.headers["authorization"];
  if (authorization !== undefined) {
    if (!authorization.startsWith(`${ACS3_ALGORITHM} `)) throw errors.incomplete(`Unsupported Authorization scheme; expected ${ACS3_ALGORITHM}.`);
    return await verifyAcs3(req, authorization, params, resolver, now, nonces);
  }
  return await verifyPopV2(req, params, resolver, now, nonces);
}

// ------------------------------------------------------------------------------ POP V2 (HMAC-SHA1)

/** `METHOD&%2F&enc(k1=v1&k2=v2…)` over every parameter except `Signature`, sorted by raw key. */
export function buildPopV2StringToSign(method: string, params: Readonly<Record<string, string>>): string {
  const canonicalized = Object.keys(params)
    .filter((key) => key !== "Signature")
    .sort()
    .map((key) => `${rfc3986Encode(key)}=${rfc3986Encode(params[key] ?? "")}`)
    .join("&");
  return `${method.toUpperCase()}&${rfc3986Encode("/")}&${rfc3986Encode(canonicalized)}`;
}

export function signPopV2(secret: string, stringToSign: string): string {
  return createHmac("sha1", `${secret}&`).update(stringToSign, "utf8").digest("base64");
}

async function verifyPopV2(req: RpcRequest, params: Record<string, string>, resolver: CredentialResolver, now: Date, nonces: NonceMemory): Promise<RpcAuthResult> {
  for (const name of ["AccessKeyId", "Signature", "SignatureMethod", "SignatureVersion", "SignatureNonce", "Timestamp"]) {
    if (!params[name]) throw errors.missing(name);
  }
  if (params["SignatureMethod"] !== "HMAC-SHA1") throw errors.incomplete(`Unsupported SignatureMethod "${params["SignatureMethod"] ?? ""}".`);
  if (params["SignatureVersion"] !== "1.0") throw errors.incomplete(`Unsupported SignatureVersion "${params["SignatureVersion"] ?? ""}".`);
  const accessKeyId = params["AccessKeyId"] as string;
  const requestTime = checkTimestamp(params["Timestamp"] as string, now);
  const credential = await resolveCredential(resolver, accessKeyId);
  const securityToken = params["SecurityToken"];
  checkSecurityToken(credential, securityToken, now);

  const stringToSign = buildPopV2StringToSign(req.method, params);
  if (!constantTimeEqual(signPopV2(credential.secret, stringToSign), params["Signature"] as string)) throw errors.mismatch(stringToSign);
  if (!(await nonces.remember(accessKeyId, params["SignatureNonce"] as string, requestTime, now))) throw errors.nonceUsed();
  return result("pop-v2", credential, params, securityToken);
}

// ------------------------------------------------------------------------------ ACS3-HMAC-SHA256

export interface Acs3CanonicalInput {
  readonly method: string;
  readonly path: string;
  readonly query: ReadonlyArray<readonly [string, string]>;
  readonly headers: Readonly<Record<string, string>>;
  /** Lower-case names in the order the client listed them. */
  readonly signedHeaders: readonly string[];
  /** Hex SHA-256 of the body. */
  readonly hashedPayload: string;
}

/** Query: RFC 3986-encoded, sorted by encoded key, `k=` for empty values (unlike OSS V4). */
export function buildAcs3CanonicalQuery(query: ReadonlyArray<readonly [string, string]>): string {
  const encoded = new Map<string, string>();
  for (const [name, value] of query) {
    const encodedName = rfc3986Encode(name);
    if (!encoded.has(encodedName)) encoded.set(encodedName, rfc3986Encode(value));
  }
  return [...encoded.keys()].sort().map((name) => `${name}=${encoded.get(name) ?? ""}`).join("&");
}

export function buildAcs3CanonicalRequest(input: Acs3CanonicalInput): string {
  return [
    input.method.toUpperCase(),
    rfc3986EncodePath(input.path || "/"),
    buildAcs3CanonicalQuery(input.query),
    input.signedHeaders.map((name) => `${name}:${(input.headers[name] ?? "").trim()}\n`).join(""),
    input.signedHeaders.join(";"),
    input.hashedPayload,
  ].join("\n");
}

export function buildAcs3StringToSign(canonicalRequest: string): string {
  return `${ACS3_ALGORITHM}\n${sha256Hex(canonicalRequest)}`;
}

export function signAcs3(secret: string, stringToSign: string): string {
  return createHmac("sha256", secret).update(stringToSign, "utf8").digest("hex");
}

export function sha256Hex(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

/** Parses `ACS3-HMAC-SHA256 Credential=…,SignedHeaders=…,Signature=…` (any order, optional spaces). */
export function parseAcs3Authorization(header: string): { accessKeyId: string; signedHeaders: string[]; signature: string } | string {
  const fields = new Map<string, string>();
  for (const item of header.trim().slice(ACS3_ALGORITHM.length).split(",")) {
    const eq = item.indexOf("=");
    if (eq < 0) return `Malformed Authorization field "${item.trim()}".`;
    fields.set(item.slice(0, eq).trim(), item.slice(eq + 1).trim());
  }
  const accessKeyId = fields.get("Credential");
  const signedHeaders = fields.get("SignedHeaders");
  const signature = fields.get("Signature");
  if (!accessKeyId || !signedHeaders || !signature) return "Authorization must carry Credential, SignedHeaders and Signature.";
  return { accessKeyId, signedHeaders: signedHeaders.split(";").map((name) => name.trim().toLowerCase()), signature };
}

async function verifyAcs3(
  req: RpcRequest, authorization: string, params: Record<string, string>, resolver: CredentialResolver, now: Date, nonces: NonceMemory,
): Promise<RpcAuthResult> {
  const parsed = parseAcs3Authorization(authorization);
  if (typeof parsed === "string") throw errors.incomplete(parsed);
  for (const name of ["x-acs-date", "x-acs-signature-nonce", "x-acs-action", "x-acs-version"]) {
    if (!req.headers[name]) throw errors.missing(name);
  }
  // Darabonba signs every x-acs-* header; an unsigned one could have been injected.
  for (const name of Object.keys(req.headers)) {
    if (name.startsWith("x-acs-") && !parsed.signedHeaders.includes(name)) throw errors.incomplete(`Header "${name}" must be signed.`);
  }
  for (const name of parsed.signedHeaders) {
    if (req.headers[name] === undefined) throw errors.incomplete(`Signed header "${name}" is missing.`);
  }
  const requestTime = checkTimestamp(req.headers["x-acs-date"] as string, now);
  const credential = await resolveCredential(resolver, parsed.accessKeyId);
  const securityToken = req.headers["x-acs-security-token"];
  checkSecurityToken(credential, securityToken, now);

  // The actual body hash (not the header) goes into the canonical request, so the body is bound.
  const canonicalRequest = buildAcs3CanonicalRequest({ ...req, signedHeaders: parsed.signedHeaders, hashedPayload: sha256Hex(req.body) });
  const stringToSign = buildAcs3StringToSign(canonicalRequest);
  if (!constantTimeEqual(signAcs3(credential.secret, stringToSign), parsed.signature)) throw errors.mismatch(stringToSign);
  if (!(await nonces.remember(parsed.accessKeyId, req.headers["x-acs-signature-nonce"] as string, requestTime, now))) throw errors.nonceUsed();

  const withAction = { Action: req.headers["x-acs-action"] as string, Version: req.headers["x-acs-version"] as string, ...params };
  return result("acs3", credential, withAction, securityToken);
}

// ------------------------------------------------------------------------------ shared

/** Query parameters, then (for form-encoded bodies) body parameters; the first occurrence of a name wins. */
function mergeParams(req: RpcRequest): Record<string, string> {
  const params: Record<string, string> = Object.create(null) as Record<string, string>;
  const add = (name: string, value: string) => {
    if (!(name in params)) params[name] = value;
  };
  for (const [name, value] of req.query) add(name, value);
  const contentType = (req.headers["content-type"] ?? "").toLowerCase();
  if (contentType.startsWith("application/x-www-form-urlencoded") && req.body.length > 0) {
    for (const [name, value] of new URLSearchParams(req.body.toString("utf8"))) add(name, value);
  }
  return { ...params };
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

function checkTimestamp(value: string, now: Date): Date {
  const ms = TIMESTAMP.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) throw errors.timestampFormat();
  if (Math.abs(now.getTime() - ms) > MAX_SKEW_MS) throw errors.timestampExpired();
  return new Date(ms);
}

async function resolveCredential(resolver: CredentialResolver, accessKeyId: string): Promise<Credential> {
  const credential = await resolver.resolve(accessKeyId);
  if (!credential) throw errors.akNotFound();
  if (!credential.active) throw errors.akInactive();
  return credential;
}

function checkSecurityToken(credential: Credential, token: string | undefined, now: Date): void {
  const problem = credential.checkSecurityToken?.(token, now);
  if (problem === undefined) return;
  const [code, message] = TOKEN_ERRORS[problem];
  throw new RpcAuthError(code, message, 400);
}

function constantTimeEqual(expected: string, provided: string): boolean {
  const a = Buffer.from(expected, "utf8");
  const b = Buffer.from(provided, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}

function result(scheme: RpcAuthResult["scheme"], credential: Credential, params: Record<string, string>, securityToken: string | undefined): RpcAuthResult {
  const base = { scheme, principal: credential.principal, params };
  // Tokens presented with permanent keys are ignored, as for OSS requests.
  return credential.checkSecurityToken && securityToken !== undefined ? { ...base, securityToken } : base;
}
