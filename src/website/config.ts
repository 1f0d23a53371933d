/**
 * Bucket static-website configuration (PutBucketWebsite / GetBucketWebsite / DeleteBucketWebsite,
 * `/?website`): parse and validate the OSS XML, serialize it back. Stored as JSON in the bucket
 * setting "website".
 *
 * Validation, as OSS documents it: at least one of IndexDocument, ErrorDocument, RoutingRules;
 * IndexDocument/Suffix a key without "/" (SupportSubDir true|false, Type 0|1|2); ErrorDocument/Key
 * (HttpStatus 200|404, default 404); at most 20 RoutingRule, each with a unique positive RuleNumber,
 * a Redirect whose RedirectType is Mirror, External, Internal or AliCDN, and Condition kept as
 * given. Routing rules are stored and returned element for element (the SDKs read them back).
 */
import { OssError } from "../errors/oss-error.js";
import { asArray, parseXmlBody, textOf, type XmlNode, type XmlValue } from "../http/xml.js";

export const WEBSITE_SETTING = "website";
export const MAX_ROUTING_RULES = 20;
const REDIRECT_TYPES = ["Mirror", "External", "Internal", "AliCDN"];

export interface WebsiteConfig {
  readonly index?: { readonly suffix: string; readonly supportSubDir: boolean; readonly type: "0" | "1" | "2" };
  readonly error?: { readonly key: string; readonly httpStatus: 200 | 404 };
  /** RoutingRule elements as parsed (element name → text, element, or repeated list), in order. */
  readonly routingRules: readonly Record<string, unknown>[];
}

function invalid(message: string, name: string, value: string | undefined): OssError {
  return new OssError("InvalidArgument", message, { extra: { ArgumentName: name, ArgumentValue: value ?? "" } });
}

function element(value: unknown, where: string): Record<string, unknown> {
  if (value === "" || value === undefined) return {};
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new OssError("MalformedXML", `${where} must be an element.`);
  return value as Record<string, unknown>;
}

export function parseWebsite(body: Buffer): WebsiteConfig {
  const root = parseXmlBody(body, "WebsiteConfiguration");
  if (root.IndexDocument === undefined && root.ErrorDocument === undefined && root.RoutingRules === undefined) {
    throw new OssError("MalformedXML", "A website configuration needs IndexDocument, ErrorDocument or RoutingRules.");
  }
  return {
    ...(root.IndexDocument !== undefined && { index: parseIndex(element(root.IndexDocument, "IndexDocument")) }),
    ...(root.ErrorDocument !== undefined && { error: parseError(element(root.ErrorDocument, "ErrorDocument")) }),
    routingRules: parseRoutingRules(element(root.RoutingRules, "RoutingRules")),
  };
}

function parseIndex(index: Record<string, unknown>): NonNullable<WebsiteConfig["index"]> {
  const suffix = textOf(index.Suffix);
  if (!suffix || suffix.includes("/")) throw invalid("IndexDocument Suffix must be a non-empty key without \"/\".", "Suffix", suffix);
  const subDir = textOf(index.SupportSubDir) ?? "false";
  if (subDir !== "true" && subDir !== "false") throw invalid("SupportSubDir must be true or false.", "SupportSubDir", subDir);
  const type = textOf(index.Type) ?? "0";
  if (type !== "0" && type !== "1" && type !== "2") throw invalid("Type must be 0, 1 or 2.", "Type", type);
  return { suffix, supportSubDir: subDir === "true", type };
}

function parseError(error: Record<string, unknown>): NonNullable<WebsiteConfig["error"]> {
  const key = textOf(error.Key);
  if (!key) throw invalid("ErrorDocument needs a Key.", "Key", key);
  const status = textOf(error.HttpStatus) ?? "404";
  if (status !== "200" && status !== "404") throw invalid("HttpStatus must be 200 or 404.", "HttpStatus", status);
  return { key, httpStatus: status === "200" ? 200 : 404 };
}

function parseRoutingRules(rules: Record<string, unknown>): Record<string, unknown>[] {
  const list = asArray(rules.RoutingRule).map((r) => element(r, "RoutingRule"));
  if (list.length > MAX_ROUTING_RULES) throw invalid(`At most ${MAX_ROUTING_RULES} routing rules are allowed.`, "RoutingRule", String(list.length));
  const numbers = new Set<number>();
  for (const rule of list) {
    const number = textOf(rule.RuleNumber);
    if (number === undefined || !/^[1-9][0-9]{0,4}$/.test(number)) throw invalid("RuleNumber must be a positive integer.", "RuleNumber", number);
    if (numbers.has(Number(number))) throw invalid("RuleNumber must be unique.", "RuleNumber", number);
    numbers.add(Number(number));
    const redirectType = textOf(element(rule.Redirect, "Redirect").RedirectType);
    if (!REDIRECT_TYPES.includes(redirectType ?? "")) throw invalid("RedirectType must be Mirror, External, Internal or AliCDN.", "RedirectType", redirectType);
  }
  return list;
}

export function websiteXml(config: WebsiteConfig): XmlNode {
  return {
    IndexDocument: config.index && {
      Suffix: config.index.suffix,
      SupportSubDir: String(config.index.supportSubDir),
      Type: config.index.type,
    },
    ErrorDocument: config.error && { Key: config.error.key, HttpStatus: String(config.error.httpStatus) },
    RoutingRules: config.routingRules.length === 0 ? undefined : { RoutingRule: config.routingRules.map((r) => r as XmlValue) },
  };
}
