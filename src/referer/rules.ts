/**
 * Hotlink protection (PutBucketReferer / GetBucketReferer) as OSS documents it. The configuration:
 * AllowEmptyReferer, AllowTruncateQueryString (default true: the Referer's query string is ignored
 * when matching), TruncatePath (default false: when true only scheme://host[:port] is matched), RefererList and RefererBlacklist of patterns with `*` (any run) and `?` (one
 * character), compared case-insensitively. It applies to object requests that are anonymous or
 * signed in the URL; requests signed in the Authorization header are not checked.
 */
import { OssError } from "../errors/oss-error.js";
import { asArray, parseXmlBody, textOf, type XmlNode } from "../http/xml.js";

export const REFERER_SETTING = "referer";

export interface RefererConfiguration {
  readonly allowEmptyReferer: boolean;
  readonly allowTruncateQueryString: boolean;
  readonly truncatePath: boolean;
  readonly referers: readonly string[];
  readonly blacklist: readonly string[];
}

/** What GetBucketReferer answers for a bucket without a configuration. */
export const DEFAULT_REFERER: RefererConfiguration = { allowEmptyReferer: true, allowTruncateQueryString: true, truncatePath: false, referers: [], blacklist: [] };

function bool(value: unknown, name: string, fallback: boolean): boolean {
  const text = textOf(value);
  if (text === undefined) return fallback;
  if (text !== "true" && text !== "false") {
    throw new OssError("InvalidArgument", `${name} must be true or false.`, { extra: { ArgumentName: name, ArgumentValue: text } });
  }
  return text === "true";
}

function list(value: unknown): string[] {
  if (value === undefined || value === "") return [];
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new OssError("MalformedXML", "A referer list must hold Referer elements.");
  return asArray((value as Record<string, unknown>).Referer).map((r) => textOf(r) ?? "").filter((r) => r !== "");
}

export function parseRefererConfiguration(body: Buffer): RefererConfiguration {
  const root = parseXmlBody(body, "RefererConfiguration");
  if (root.AllowEmptyReferer === undefined) throw new OssError("MalformedXML", "RefererConfiguration needs AllowEmptyReferer.");
  return {
    allowEmptyReferer: bool(root.AllowEmptyReferer, "AllowEmptyReferer", true),
    allowTruncateQueryString: bool(root.AllowTruncateQueryString, "AllowTruncateQueryString", true),
    truncatePath: bool(root.TruncatePath, "TruncatePath", false),
    referers: list(root.RefererList),
    blacklist: list(root.RefererBlacklist),
  };
}

export function refererXml(config: RefererConfiguration): XmlNode {
  return {
    AllowEmptyReferer: config.allowEmptyReferer,
    AllowTruncateQueryString: config.allowTruncateQueryString,
    TruncatePath: config.truncatePath,
    RefererList: { Referer: [...config.referers] },
    RefererBlacklist: config.blacklist.length > 0 ? { Referer: [...config.blacklist] } : undefined,
  };
}

/** `*` = any run, `?` = one character, case-insensitive, whole string. */
export function refererPatternMatches(pattern: string, referer: string): boolean {
  const regex = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${regex}$`, "i").test(referer);
}

/** Throws AccessDenied when the Referer header is not allowed by the configuration. */
export function checkReferer(config: RefererConfiguration, refererHeader: string | undefined): void {
  const denied = (): OssError => new OssError("AccessDenied", "You are denied by bucket referer policy.");
  if (refererHeader === undefined || refererHeader === "") {
    if (!config.allowEmptyReferer) throw denied();
    return;
  }
  let referer = config.allowTruncateQueryString ? refererHeader.replace(/\?.*$/, "") : refererHeader;
  if (config.truncatePath) referer = referer.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/?#]*).*$/i, "$1");
  if (config.blacklist.some((p) => refererPatternMatches(p, referer))) throw denied();
  if (config.referers.length === 0) return; // only the empty-Referer and blacklist rules apply
  if (!config.referers.some((p) => refererPatternMatches(p, referer))) throw denied();
}
