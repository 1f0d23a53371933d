/**
 * Static-website behaviour of a bucket with a website configuration, for anonymous GET/HEAD requests
 * (OSS: signed requests to the root get ListObjects, anonymous ones the index page). Decides, from the
 * configuration and which keys exist, what the request is answered with:
 *
 *  - routing rules, in RuleNumber order, first match wins. Conditions: KeyPrefixEquals,
 *    KeySuffixEquals, IncludeHeader (Key + Equals / StartsWith / EndsWith), HttpErrorCodeReturnedEquals
 *    (only 404 is evaluated: such a rule applies once the key turned out missing). Redirect types:
 *    External and AliCDN answer 301/302/307 (HttpRedirectCode, default 302) with Location built from
 *    Protocol, HostName (default: the request's host), ReplaceKeyWith (`${key}` = the requested key) or
 *    EnableReplacePrefix + ReplaceKeyPrefixWith, and PassQueryString; Internal serves the rewritten key
 *    from this bucket without a redirect. Mirror (back-to-origin fetches from MirrorURL) is not done:
 *    such rules never match.
 *  - index documents: the root and keys ending in "/" serve IndexDocument/Suffix, under the "directory"
 *    with SupportSubDir=true, else the root's. A key without "/" that does not exist, with SupportSubDir:
 *    Type 0 answers 302 to `key/` when `key/<Suffix>` exists, Type 2 serves `key/<Suffix>` directly,
 *    Type 1 neither.
 *  - a missing key: the ErrorDocument, when it exists, with its HttpStatus (404 or 200); else the normal
 *    404 NoSuchKey.
 */
import type { WebsiteConfig } from "./config.js";

export type WebsitePlan =
  | { readonly kind: "redirect"; readonly status: 301 | 302 | 307; readonly location: string }
  /** Serve `key` as GetObject/HeadObject would; `status` replaces the 200 (error documents). */
  | { readonly kind: "serve"; readonly key: string; readonly status?: 200 | 404 };

export interface WebsiteRequest {
  /** The requested key; "" for the bucket's root. */
  readonly key: string;
  /** Lower-cased request headers (IncludeHeader conditions, the default redirect host). */
  readonly headers: Readonly<Record<string, string>>;
  /** The raw query string without "?" ("" when none), for PassQueryString. */
  readonly rawQuery: string;
  /** The path that addresses the bucket's root: "/" with virtual-host addressing, "/bucket/" path-style. */
  readonly rootPath: string;
}

type Rule = Record<string, unknown>;
type Exists = (key: string) => Promise<boolean>;

function text(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  return undefined;
}

function child(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function list(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function headerMatches(condition: Record<string, unknown>, headers: Readonly<Record<string, string>>): boolean {
  for (const entry of list(condition.IncludeHeader)) {
    const spec = child(entry);
    const name = text(spec.Key)?.toLowerCase();
    if (!name) continue;
    const value = headers[name];
    if (value === undefined) return false;
    const equals = text(spec.Equals);
    const startsWith = text(spec.StartsWith);
    const endsWith = text(spec.EndsWith);
    if (equals !== undefined && value !== equals) return false;
    if (startsWith !== undefined && !value.startsWith(startsWith)) return false;
    if (endsWith !== undefined && !value.endsWith(endsWith)) return false;
  }
  return true;
}

/** The rule's condition holds for `key`; `missing` says whether the key is known to be absent (404 rules). */
function ruleMatches(rule: Rule, request: WebsiteRequest, key: string, missing: boolean): boolean {
  const redirectType = text(child(rule.Redirect).RedirectType);
  if (redirectType === "Mirror") return false; // back-to-origin fetching is not implemented
  const condition = child(rule.Condition);
  const prefix = text(condition.KeyPrefixEquals);
  if (prefix !== undefined && !key.startsWith(prefix)) return false;
  const suffix = text(condition.KeySuffixEquals);
  if (suffix !== undefined && !key.endsWith(suffix)) return false;
  const errorCode = text(condition.HttpErrorCodeReturnedEquals);
  if (errorCode !== undefined && !(errorCode === "404" && missing)) return false;
  if (errorCode === undefined && missing) return false; // already tried before the lookup
  return headerMatches(condition, request.headers);
}

function rewrittenKey(rule: Rule, key: string): string {
  const redirect = child(rule.Redirect);
  const replaceWith = text(redirect.ReplaceKeyWith);
  if (replaceWith !== undefined) return replaceWith.replaceAll("${key}", key);
  if (text(redirect.EnableReplacePrefix) === "true") {
    const prefix = text(child(rule.Condition).KeyPrefixEquals) ?? "";
    return (text(redirect.ReplaceKeyPrefixWith) ?? "") + key.slice(prefix.length);
  }
  return key;
}

/** Percent-encodes a key for a URL path, keeping "/" (OSS's object URLs). */
export function encodeKeyPath(key: string): string {
  return key.split("/").map(encodeURIComponent).join("/");
}

function applyRule(rule: Rule, request: WebsiteRequest, key: string): WebsitePlan {
  const redirect = child(rule.Redirect);
  const target = rewrittenKey(rule, key);
  if (text(redirect.RedirectType) === "Internal") return { kind: "serve", key: target };
  const code = text(redirect.HttpRedirectCode);
  const status = code === "301" ? 301 : code === "307" ? 307 : 302;
  const protocol = text(redirect.Protocol) === "https" ? "https" : "http";
  const host = text(redirect.HostName) ?? request.headers.host ?? "";
  const query = text(redirect.PassQueryString) === "true" && request.rawQuery !== "" ? `?${request.rawQuery}` : "";
  const path = text(redirect.HostName) === undefined ? request.rootPath : "/";
  return { kind: "redirect", status, location: `${protocol}://${host}${path}${encodeKeyPath(target)}${query}` };
}

function sortedRules(config: WebsiteConfig): Rule[] {
  return [...config.routingRules].sort((a, b) => Number(text(a.RuleNumber)) - Number(text(b.RuleNumber)));
}

export async function planWebsite(config: WebsiteConfig, request: WebsiteRequest, exists: Exists): Promise<WebsitePlan> {
  const rules = sortedRules(config);
  const key = request.key;
  const early = rules.find((rule) => ruleMatches(rule, request, key, false));
  if (early) {
    const plan = applyRule(early, request, key);
    if (plan.kind === "redirect") return plan;
    return await serveOrError(config, plan.key, exists);
  }
  let candidate = key;
  const index = config.index;
  if (index && (key === "" || key.endsWith("/"))) {
    candidate = index.supportSubDir ? `${key}${index.suffix}` : index.suffix;
  } else if (index && index.supportSubDir && index.type !== "1" && !(await exists(key))) {
    const subIndex = `${key}/${index.suffix}`;
    if (await exists(subIndex)) {
      if (index.type === "0") return { kind: "redirect", status: 302, location: `${request.rootPath}${encodeKeyPath(key)}/` };
      candidate = subIndex;
    }
  }
  if (candidate !== "" && (await exists(candidate))) return { kind: "serve", key: candidate };
  const late = rules.find((rule) => ruleMatches(rule, request, key, true));
  if (late) {
    const plan = applyRule(late, request, key);
    if (plan.kind === "redirect") return plan;
    return await serveOrError(config, plan.key, exists);
  }
  return await serveOrError(config, candidate, exists);
}

/** `key` when it exists; else the error document (if it exists) with its status; else `key` (→ 404 NoSuchKey). */
async function serveOrError(config: WebsiteConfig, key: string, exists: Exists): Promise<WebsitePlan> {
  if (key !== "" && (await exists(key))) return { kind: "serve", key };
  if (config.error && (await exists(config.error.key))) return { kind: "serve", key: config.error.key, status: config.error.httpStatus };
  return { kind: "serve", key: key === "" ? (config.index?.suffix ?? config.error?.key ?? "index.html") : key };
}
