/**
 * Bucket CORS (PutBucketCors / GetBucketCors, the OPTIONS preflight, and the CORS headers of
 * ordinary responses) as OSS documents it: up to 20 CORSRule elements, each with one or more
 * AllowedOrigin (at most one `*` each) and AllowedMethod (GET PUT DELETE POST HEAD), optional
 * AllowedHeader (at most one `*` each, compared case-insensitively), ExposeHeader (no `*`) and
 * MaxAgeSeconds; plus ResponseVary. The first rule that matches origin, method and every requested
 * header wins, as in OSS.
 */
import { OssError } from "../errors/oss-error.js";
import { asArray, parseXmlBody, textOf, type XmlNode } from "../http/xml.js";

export const CORS_SETTING = "cors";
export const MAX_CORS_RULES = 20;
const METHODS = ["GET", "PUT", "DELETE", "POST", "HEAD"] as const;

export interface CorsRule {
  readonly allowedOrigins: readonly string[];
  readonly allowedMethods: readonly string[];
  readonly allowedHeaders: readonly string[];
  readonly exposeHeaders: readonly string[];
  readonly maxAgeSeconds?: number;
}

export interface CorsConfiguration {
  readonly rules: readonly CorsRule[];
  readonly responseVary: boolean;
}

function invalid(message: string, name: string, value: string): OssError {
  return new OssError("InvalidArgument", message, { extra: { ArgumentName: name, ArgumentValue: value } });
}

function texts(value: unknown, element: string): string[] {
  return asArray(value).map((v) => {
    const text = textOf(v);
    if (text === undefined) throw new OssError("MalformedXML", `${element} must hold text.`);
    return text;
  });
}

function oneWildcard(values: readonly string[], element: string): void {
  for (const value of values) {
    if (value.split("*").length > 2) throw invalid(`${element} can contain at most one "*".`, element, value);
  }
}

function parseRule(raw: unknown): CorsRule {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) throw new OssError("MalformedXML", "CORSRule must hold elements.");
  const r = raw as Record<string, unknown>;
  for (const name of Object.keys(r)) {
    if (!["AllowedOrigin", "AllowedMethod", "AllowedHeader", "ExposeHeader", "MaxAgeSeconds"].includes(name)) {
      throw new OssError("MalformedXML", `Unknown CORSRule element ${name}.`);
    }
  }
  const allowedOrigins = texts(r.AllowedOrigin, "AllowedOrigin");
  const allowedMethods = texts(r.AllowedMethod, "AllowedMethod");
  const allowedHeaders = texts(r.AllowedHeader, "AllowedHeader");
  const exposeHeaders = texts(r.ExposeHeader, "ExposeHeader");
  if (allowedOrigins.length === 0) throw invalid("A CORSRule needs at least one AllowedOrigin.", "AllowedOrigin", "");
  if (allowedMethods.length === 0) throw invalid("A CORSRule needs at least one AllowedMethod.", "AllowedMethod", "");
  for (const method of allowedMethods) {
    if (!(METHODS as readonly string[]).includes(method)) throw invalid("AllowedMethod must be GET, PUT, DELETE, POST or HEAD.", "AllowedMethod", method);
  }
  oneWildcard(allowedOrigins, "AllowedOrigin");
  oneWildcard(allowedHeaders, "AllowedHeader");
  for (const header of exposeHeaders) {
    if (header.includes("*")) throw invalid("ExposeHeader cannot contain \"*\".", "ExposeHeader", header);
  }
  const maxAge = textOf(r.MaxAgeSeconds);
  if (maxAge !== undefined && !/^\d{1,9}$/.test(maxAge)) throw invalid("MaxAgeSeconds must be a non-negative integer.", "MaxAgeSeconds", maxAge);
  return { allowedOrigins, allowedMethods, allowedHeaders, exposeHeaders, ...(maxAge !== undefined && { maxAgeSeconds: Number(maxAge) }) };
}

export function parseCorsConfiguration(body: Buffer): CorsConfiguration {
  const root = parseXmlBody(body, "CORSConfiguration");
  const raw = asArray(root.CORSRule);
  if (raw.length === 0) throw new OssError("MalformedXML", "A CORS configuration needs at least one CORSRule.");
  if (raw.length > MAX_CORS_RULES) throw invalid(`At most ${MAX_CORS_RULES} CORS rules are allowed.`, "CORSRule", String(raw.length));
  const vary = textOf(root.ResponseVary) ?? "false";
  if (vary !== "true" && vary !== "false") throw invalid("ResponseVary must be true or false.", "ResponseVary", vary);
  return { rules: raw.map(parseRule), responseVary: vary === "true" };
}

export function corsXml(config: CorsConfiguration): XmlNode {
  return {
    CORSRule: config.rules.map((r) => ({
      AllowedOrigin: [...r.allowedOrigins],
      AllowedMethod: [...r.allowedMethods],
      AllowedHeader: [...r.allowedHeaders],
      ExposeHeader: [...r.exposeHeaders],
      MaxAgeSeconds: r.maxAgeSeconds,
    })),
    ResponseVary: config.responseVary,
  };
}

/** `pattern` with at most one `*` (any run of characters) against `value`. */
export function wildcardMatch(pattern: string, value: string): boolean {
  const star = pattern.indexOf("*");
  if (star < 0) return pattern === value;
  const head = pattern.slice(0, star);
  const tail = pattern.slice(star + 1);
  return value.length >= head.length + tail.length && value.startsWith(head) && value.endsWith(tail);
}

/** `Access-Control-Request-Headers` as a list of lower-case names. */
export function requestedHeaders(value: string | undefined): string[] {
  return (value ?? "").split(",").map((h) => h.trim().toLowerCase()).filter((h) => h !== "");
}

/** The first rule allowing this origin, method and every requested header. */
export function matchRule(config: CorsConfiguration, origin: string, method: string, headers: readonly string[] = []): CorsRule | undefined {
  return config.rules.find(
    (rule) =>
      rule.allowedOrigins.some((o) => wildcardMatch(o, origin)) &&
      rule.allowedMethods.includes(method) &&
      headers.every((h) => rule.allowedHeaders.some((a) => wildcardMatch(a.toLowerCase(), h))),
  );
}

/** The Access-Control-* headers OSS sends for a matched rule (the request's origin is echoed). */
export function corsHeaders(rule: CorsRule, origin: string, allowHeaders?: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {
    "access-control-allow-origin": origin,
    "access-control-allow-methods": rule.allowedMethods.join(", "),
  };
  if (allowHeaders && allowHeaders.length > 0) out["access-control-allow-headers"] = allowHeaders.join(", ");
  if (rule.exposeHeaders.length > 0) out["access-control-expose-headers"] = rule.exposeHeaders.join(", ");
  if (rule.maxAgeSeconds !== undefined) out["access-control-max-age"] = String(rule.maxAgeSeconds);
  return out;
}
