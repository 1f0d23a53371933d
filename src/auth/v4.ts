/**
 * Signature V4 (`OSS4-HMAC-SHA256`) — canonical request, string to sign, signing key and signature,
 * for the Authorization-header and presigned-URL forms (oss-api.md §5).
 */
import { createHash, createHmac } from "node:crypto";
import { rfc3986Encode, rfc3986EncodePath } from "./encode.js";

export const V4_ALGORITHM = "OSS4-HMAC-SHA256";
export const V4_TERMINATOR = "aliyun_v4_request";
export const UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";

/** `<yyyymmdd>/<region>/<product>/aliyun_v4_request`, split. */
export interface V4Scope {
  readonly date: string;
  readonly region: string;
  readonly product: string;
  readonly terminator: string;
}

export interface V4Credential {
  readonly accessKeyId: string;
  readonly scope: V4Scope;
}

export interface V4Authorization {
  readonly credential: V4Credential;
  /** As listed by the client (not yet normalised). */
  readonly additionalHeaders: readonly string[];
  readonly signature: string;
}

export interface V4CanonicalRequestInput {
  readonly method: string;
  readonly bucket: string | undefined;
  readonly key: string | undefined;
  /** Decoded query parameters; `x-oss-signature` is skipped. */
  readonly query: ReadonlyArray<readonly [string, string]>;
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string>>;
  /** Normalised (see `normalizeAdditionalHeaders`). */
  readonly additionalHeaders: readonly string[];
  readonly payloadHash: string;
}

/** `/`, `/bucket/` or `/bucket/key`, RFC 3986-encoded with `/` kept. */
export function buildV4CanonicalUri(bucket: string | undefined, key: string | undefined): string {
  if (!bucket) return "/";
  return rfc3986EncodePath(`/${bucket}/${key ?? ""}`);
}

/**
 * All query parameters except `x-oss-signature`, key and value RFC 3986-encoded, sorted by encoded
 * key (byte order), `k` alone when the value is empty. Duplicate keys: the first value wins.
 */
export function buildV4CanonicalQuery(query: ReadonlyArray<readonly [string, string]>): string {
  const encoded = new Map<string, string>();
  for (const [name, value] of query) {
    if (name === "x-oss-signature") continue;
    const encodedName = rfc3986Encode(name);
    if (!encoded.has(encodedName)) encoded.set(encodedName, rfc3986Encode(value));
  }
  // Encoded keys are pure ASCII, so UTF-16 code-unit order equals byte order.
  return [...encoded.keys()]
    .sort()
    .map((name) => {
      const value = encoded.get(name) ?? "";
      return value === "" ? name : `${name}=${value}`;
    })
    .join("&");
}

function isDefaultSignedHeader(name: string): boolean {
  return name === "content-type" || name === "content-md5" || name.startsWith("x-oss-");
}

/**
 * Lower-cases, de-duplicates and sorts the AdditionalHeaders list, dropping entries that are signed
 * anyway (x-oss-*, content-type, content-md5) — what the SDKs do before signing, so the result is
 * also the AdditionalHeaders line of the canonical request.
 */
export function normalizeAdditionalHeaders(names: readonly string[]): string[] {
  const lower = names.map((name) => name.trim().toLowerCase()).filter((name) => name !== "" && !isDefaultSignedHeader(name));
  return [...new Set(lower)].sort();
}

/**
 * `name:value\n` for every x-oss-*, content-type and content-md5 header plus the additional ones,
 * sorted by name. A listed additional header that is absent is emitted with an empty value, so the
 * signature fails rather than silently signing less than the client claims.
 */
export function buildV4CanonicalHeaders(headers: Readonly<Record<string, string>>, additionalHeaders: readonly string[]): string {
  const names = new Set<string>(additionalHeaders);
  for (const name of Object.keys(headers)) {
    if (isDefaultSignedHeader(name)) names.add(name);
  }
  return [...names]
    .sort()
    .map((name) => `${name}:${(headers[name] ?? "").trim()}\n`)
    .join("");
}

export function buildV4CanonicalRequest(input: V4CanonicalRequestInput): string {
  return [
    input.method.toUpperCase(),
    buildV4CanonicalUri(input.bucket, input.key),
    buildV4CanonicalQuery(input.query),
    buildV4CanonicalHeaders(input.headers, input.additionalHeaders),
    input.additionalHeaders.join(";"),
    input.payloadHash,
  ].join("\n");
}

/**
 * Everything a canonical request is made of (method, bucket, key, payload hash, query, signed
 * headers, additional headers), as given: nothing encoded or sorted. Equal snapshots mean equal
 * canonical requests (the converse need not hold: the same request with its query or headers in
 * another order differs). `x-oss-signature` is left out, as in the canonical query.
 */
export interface V4Inputs {
  readonly head: ReadonlyArray<string | undefined>;
  /** Query names and values, alternating. */
  readonly query: readonly string[];
  /** x-oss-*, content-type and content-md5 names and values, alternating, in the request's order. */
  readonly headers: readonly string[];
  /** The (normalised) additional header names and their values (undefined when absent), alternating. */
  readonly additional: ReadonlyArray<string | undefined>;
}

/** The inputs of `input`, to keep (see sameV4Inputs). `additionalHeaders` must be normalised. */
export function v4Inputs(input: V4CanonicalRequestInput): V4Inputs {
  const query: string[] = [];
  for (const [name, value] of input.query) if (name !== "x-oss-signature") query.push(name, value);
  const headers: string[] = [];
  for (const name in input.headers) if (isDefaultSignedHeader(name)) headers.push(name, input.headers[name]!);
  const additional: Array<string | undefined> = [];
  for (const name of input.additionalHeaders) additional.push(name, input.headers[name]);
  return { head: [input.method, input.bucket, input.key, input.payloadHash], query, headers, additional };
}

/** Whether `input` has exactly the inputs kept in `kept` (compared in place: nothing is allocated). */
export function sameV4Inputs(kept: V4Inputs, input: V4CanonicalRequestInput): boolean {
  const { head } = kept;
  if (head[0] !== input.method || head[1] !== input.bucket || head[2] !== input.key || head[3] !== input.payloadHash) return false;
  let i = 0;
  for (const [name, value] of input.query) {
    if (name === "x-oss-signature") continue;
    if (kept.query[i] !== name || kept.query[i + 1] !== value) return false;
    i += 2;
  }
  if (i !== kept.query.length) return false;
  i = 0;
  const { headers } = input;
  for (const name in headers) {
    if (!isDefaultSignedHeader(name)) continue;
    if (kept.headers[i] !== name || kept.headers[i + 1] !== headers[name]) return false;
    i += 2;
  }
  if (i !== kept.headers.length) return false;
  i = 0;
  for (const name of input.additionalHeaders) {
    if (kept.additional[i] !== name || kept.additional[i + 1] !== headers[name]) return false;
    i += 2;
  }
  return i === kept.additional.length;
}

export function formatV4Scope(scope: V4Scope): string {
  return `${scope.date}/${scope.region}/${scope.product}/${scope.terminator}`;
}

export function buildV4StringToSign(datetime: string, scope: V4Scope, canonicalRequest: string): string {
  const hashed = createHash("sha256").update(canonicalRequest, "utf8").digest("hex");
  return `${V4_ALGORITHM}\n${datetime}\n${formatV4Scope(scope)}\n${hashed}`;
}

function hmacSha256(key: string | Buffer, data: string): Buffer {
  return createHmac("sha256", key).update(data, "utf8").digest();
}

/** HMAC chain "aliyun_v4"+secret → date → region → product → "aliyun_v4_request". */
export function deriveV4SigningKey(secret: string, scope: V4Scope): Buffer {
  const kDate = hmacSha256(`aliyun_v4${secret}`, scope.date);
  const kRegion = hmacSha256(kDate, scope.region);
  const kProduct = hmacSha256(kRegion, scope.product);
  return hmacSha256(kProduct, scope.terminator);
}

/**
 * Derived signing keys, keyed by everything the derivation reads (secret, date, region, product,
 * terminator), each part length-prefixed so no two inputs share a key. A derivation is four HMACs;
 * a presigned URL or an SDK's requests reuse one scope all day. Bounded: cleared when full.
 */
const signingKeys = new Map<string, Buffer>();
const MAX_SIGNING_KEYS = 4096;

function signingKeyCacheKey(secret: string, scope: V4Scope): string {
  const { date, region, product, terminator } = scope;
  return `${secret.length}:${secret}${date.length}:${date}${region.length}:${region}${product.length}:${product}${terminator.length}:${terminator}`;
}

/** `deriveV4SigningKey`, cached per secret + scope. The returned buffer must not be modified. */
export function cachedV4SigningKey(secret: string, scope: V4Scope): Buffer {
  const cacheKey = signingKeyCacheKey(secret, scope);
  let key = signingKeys.get(cacheKey);
  if (key === undefined) {
    key = deriveV4SigningKey(secret, scope);
    if (signingKeys.size >= MAX_SIGNING_KEYS) signingKeys.clear();
    signingKeys.set(cacheKey, key);
  }
  return key;
}

/** Number of cached signing keys (tests). */
export function v4SigningKeyCacheSize(): number {
  return signingKeys.size;
}

/** Lower-case hex HMAC-SHA256 of the string to sign under the derived key. */
export function signV4(secret: string, scope: V4Scope, stringToSign: string): string {
  return createHmac("sha256", cachedV4SigningKey(secret, scope)).update(stringToSign, "utf8").digest("hex");
}

/** Parses `<AK>/<yyyymmdd>/<region>/<product>/aliyun_v4_request`; undefined when not five non-empty parts. */
export function parseV4Credential(value: string): V4Credential | undefined {
  const parts = value.split("/");
  if (parts.length !== 5 || parts.some((part) => part === "")) return undefined;
  const [accessKeyId, date, region, product, terminator] = parts as [string, string, string, string, string];
  return { accessKeyId, scope: { date, region, product, terminator } };
}

/**
 * Parses `OSS4-HMAC-SHA256 Credential=…[,AdditionalHeaders=…],Signature=…`. Fields may come in any
 * order with optional whitespace around `,` and `=` (oss2 uses ", " and a different order).
 * Returns a reason string when malformed.
 */
export function parseV4Authorization(header: string): V4Authorization | string {
  const trimmed = header.trim();
  if (!trimmed.startsWith(`${V4_ALGORITHM} `)) return `Authorization must start with "${V4_ALGORITHM} ".`;
  const fields = new Map<string, string>();
  for (const item of trimmed.slice(V4_ALGORITHM.length + 1).split(",")) {
    const eq = item.indexOf("=");
    if (eq < 0) return `Malformed Authorization field "${item.trim()}".`;
    const name = item.slice(0, eq).trim();
    if (fields.has(name)) return `Duplicate Authorization field "${name}".`;
    fields.set(name, item.slice(eq + 1).trim());
  }
  for (const name of fields.keys()) {
    if (name !== "Credential" && name !== "AdditionalHeaders" && name !== "Signature") return `Unknown Authorization field "${name}".`;
  }
  const credentialValue = fields.get("Credential");
  const signature = fields.get("Signature");
  if (credentialValue === undefined) return "Authorization is missing Credential.";
  if (signature === undefined || signature === "") return "Authorization is missing Signature.";
  const credential = parseV4Credential(credentialValue);
  if (!credential) return `Invalid Credential "${credentialValue}", expected <AccessKeyId>/<yyyymmdd>/<region>/oss/${V4_TERMINATOR}.`;
  const additional = fields.get("AdditionalHeaders");
  return { credential, additionalHeaders: additional ? additional.split(";") : [], signature };
}

const ISO_BASIC_DATETIME = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** The last value parsed (a presigned URL repeats its x-oss-date on every request). */
let lastDatetime = "";
let lastDatetimeMs = NaN;

/** Parses `20231216T162057Z` (UTC); undefined when malformed or not a real date. */
export function parseIsoBasicDatetime(value: string): Date | undefined {
  if (value === lastDatetime) return new Date(lastDatetimeMs);
  const date = parseIsoBasic(value);
  if (date) {
    lastDatetime = value;
    lastDatetimeMs = date.getTime();
  }
  return date;
}

function parseIsoBasic(value: string): Date | undefined {
  const match = ISO_BASIC_DATETIME.exec(value);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number) as [number, number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  const roundTrips = date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d
    && date.getUTCHours() === h && date.getUTCMinutes() === mi && date.getUTCSeconds() === s;
  return roundTrips ? date : undefined;
}
