/**
 * The static website's routing rules as rule cards (RoutingRules/RoutingRule of PutBucketWebsite): rule number,
 * the condition (KeyPrefixEquals, KeySuffixEquals, HttpErrorCodeReturnedEquals) and the redirect (RedirectType
 * External / AliCDN / Internal / Mirror, Protocol, HostName, ReplaceKeyWith or EnableReplacePrefix +
 * ReplaceKeyPrefixWith, HttpRedirectCode, PassQueryString, MirrorURL). Elements the form does not edit (an
 * IncludeHeader condition, Mirror's other settings, set with the SDKs) are kept as they came, and the card says so.
 * This server stores Mirror rules but does not fetch from origin (src/website/plan.ts): they never match.
 */
import { field, h, select } from "./dom.js";
import { ruleList, type RuleCard, type RuleList } from "./rule-list.js";
import { children, childText, el } from "./xml.js";

export interface RoutingRule {
  number: string;
  keyPrefix: string;
  keySuffix: string;
  errorCode: string;
  redirectType: string;
  protocol: string;
  hostName: string;
  replaceKeyWith: string;
  replacePrefix: boolean;
  replaceKeyPrefixWith: string;
  httpRedirectCode: string;
  passQueryString: boolean;
  mirrorUrl: string;
  /** Serialized children of Condition / Redirect the form does not edit, kept in place. */
  keptCondition: string;
  keptRedirect: string;
}

const MAX_RULES = 20;
const REDIRECT_TYPES = ["External", "AliCDN", "Internal", "Mirror"];
const CONDITION_TAGS = ["KeyPrefixEquals", "KeySuffixEquals", "HttpErrorCodeReturnedEquals"];
const REDIRECT_TAGS = ["RedirectType", "Protocol", "HostName", "ReplaceKeyWith", "EnableReplacePrefix", "ReplaceKeyPrefixWith", "HttpRedirectCode", "PassQueryString", "MirrorURL"];

/** The children of `parent` not named in `known`, serialized (no namespace attribute). */
function kept(parent: Element | undefined, known: readonly string[]): string {
  if (!parent) return "";
  const serializer = new XMLSerializer();
  return Array.from(parent.children).filter((c) => !known.includes(c.tagName)).map((c) => serializer.serializeToString(c).replace(/ xmlns="[^"]*"/g, "")).join("");
}

export function parseRoutingRules(rules: Element | undefined): RoutingRule[] {
  if (!rules) return [];
  return children(rules, "RoutingRule").map((r) => {
    const condition = children(r, "Condition")[0];
    const redirect = children(r, "Redirect")[0];
    const c = (tag: string): string => (condition ? childText(condition, tag) : "");
    const d = (tag: string): string => (redirect ? childText(redirect, tag) : "");
    return {
      number: childText(r, "RuleNumber"), keyPrefix: c("KeyPrefixEquals"), keySuffix: c("KeySuffixEquals"), errorCode: c("HttpErrorCodeReturnedEquals"),
      redirectType: d("RedirectType") || "External", protocol: d("Protocol"), hostName: d("HostName"), replaceKeyWith: d("ReplaceKeyWith"),
      replacePrefix: d("EnableReplacePrefix") === "true", replaceKeyPrefixWith: d("ReplaceKeyPrefixWith"), httpRedirectCode: d("HttpRedirectCode"),
      passQueryString: d("PassQueryString") === "true", mirrorUrl: d("MirrorURL"),
      keptCondition: kept(condition, CONDITION_TAGS), keptRedirect: kept(redirect, REDIRECT_TAGS),
    };
  });
}

const opt = (tag: string, value: string): string => (value ? el(tag, value) : "");

/** The RoutingRules element ("" without rules). */
export function routingRulesXml(rules: readonly RoutingRule[]): string {
  if (rules.length === 0) return "";
  const rule = (r: RoutingRule): string => {
    const redirects = r.redirectType === "External" || r.redirectType === "AliCDN";
    const condition = `${opt("KeyPrefixEquals", r.keyPrefix)}${opt("KeySuffixEquals", r.keySuffix)}${opt("HttpErrorCodeReturnedEquals", r.errorCode)}${r.keptCondition}`;
    const redirect = [
      el("RedirectType", r.redirectType),
      r.passQueryString ? el("PassQueryString", "true") : "",
      r.redirectType === "Mirror" ? opt("MirrorURL", r.mirrorUrl) : "",
      redirects ? opt("Protocol", r.protocol) + opt("HostName", r.hostName) : "",
      r.replacePrefix ? el("EnableReplacePrefix", "true") + el("ReplaceKeyPrefixWith", r.replaceKeyPrefixWith) : opt("ReplaceKeyWith", r.replaceKeyWith),
      redirects ? opt("HttpRedirectCode", r.httpRedirectCode) : "",
      r.keptRedirect,
    ].join("");
    return `<RoutingRule>${el("RuleNumber", r.number)}<Condition>${condition}</Condition><Redirect>${redirect}</Redirect></RoutingRule>`;
  };
  return `<RoutingRules>${rules.map(rule).join("")}</RoutingRules>`;
}

/** What is wrong with the rules, in words (empty when they can be sent). */
export function routingRuleProblems(rules: readonly RoutingRule[]): string[] {
  const problems: string[] = [];
  if (rules.length > MAX_RULES) problems.push(`At most ${MAX_RULES} routing rules.`);
  const seen = new Set<number>();
  rules.forEach((r, i) => {
    const name = `Routing rule ${i + 1}`;
    if (!/^[1-9][0-9]{0,4}$/.test(r.number)) problems.push(`${name}: the rule number is a whole number from 1 to 99999.`);
    else if (seen.has(Number(r.number))) problems.push(`${name}: rule number ${r.number} is used twice.`);
    else seen.add(Number(r.number));
    if (!r.keyPrefix && !r.keySuffix && !r.errorCode && !r.keptCondition) problems.push(`${name}: give a condition (a key prefix, a key suffix or an HTTP error code).`);
    if (r.replaceKeyWith && r.replacePrefix) problems.push(`${name}: replace the whole key or its prefix, not both.`);
    if ((r.redirectType === "External" || r.redirectType === "AliCDN") && r.hostName && !/^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(r.hostName)) {
      problems.push(`${name}: the host name is a name like www.example.com (no scheme, no path).`);
    }
    if (r.redirectType === "Mirror" && !/^https?:\/\/[^\s/]+\/?$/.test(r.mirrorUrl)) problems.push(`${name}: a Mirror rule needs an origin URL like https://origin.example.com/.`);
  });
  return problems;
}

function ruleCard(initial: RoutingRule | undefined, legend: string): RuleCard<RoutingRule> {
  const input = (name: string, value: string, placeholder = ""): HTMLInputElement => h("input", { name, value, placeholder, spellcheck: "false" });
  const number = h("input", { type: "number", name: "ruleNumber", min: 1, max: 99999, inputmode: "numeric", value: initial?.number ?? (/\d+$/.exec(legend)?.[0] ?? "") });
  const keyPrefix = input("keyPrefixEquals", initial?.keyPrefix ?? "", "docs/");
  const keySuffix = input("keySuffixEquals", initial?.keySuffix ?? "", ".php");
  const errorCode = select("httpErrorCodeReturnedEquals", ["", "404"], initial?.errorCode ?? "");
  errorCode.options[0]!.textContent = "any (before the lookup)";
  errorCode.options[1]!.textContent = "404 (key not found)";
  const redirectType = select("redirectType", REDIRECT_TYPES, initial?.redirectType ?? "External");
  const protocol = select("protocol", ["", "http", "https"], initial?.protocol ?? "");
  protocol.options[0]!.textContent = "http (default)";
  const hostName = input("hostName", initial?.hostName ?? "", "this host");
  const replaceKeyWith = input("replaceKeyWith", initial?.replaceKeyWith ?? "", "${key}.html");
  const replacePrefix = h("input", { type: "checkbox", name: "enableReplacePrefix", checked: initial?.replacePrefix ?? false });
  const replaceKeyPrefixWith = input("replaceKeyPrefixWith", initial?.replaceKeyPrefixWith ?? "", "new/");
  const code = select("httpRedirectCode", ["", "301", "302", "307"], initial?.httpRedirectCode ?? "");
  code.options[0]!.textContent = "302 (default)";
  const passQuery = h("input", { type: "checkbox", name: "passQueryString", checked: initial?.passQueryString ?? false });
  const mirrorUrl = input("mirrorUrl", initial?.mirrorUrl ?? "", "https://origin.example.com/");
  const redirectOnly = [field("Protocol", protocol), field("Host name", hostName), field("HTTP redirect code", code)];
  const mirrorOnly = [field("Mirror origin URL", mirrorUrl), h("p", { class: "hint" }, "Stored for the SDKs; this server does not fetch from origin, so a Mirror rule never matches.")];
  const keptNote = h("p", { class: "hint" });
  const keptXml = `${initial?.keptCondition ?? ""}${initial?.keptRedirect ?? ""}`;
  const keptNames = keptXml ? Array.from(new DOMParser().parseFromString(`<kept>${keptXml}</kept>`, "application/xml").documentElement.children, (c) => c.tagName) : [];
  keptNote.hidden = keptNames.length === 0;
  keptNote.textContent = `Also keeps, unchanged: ${[...new Set(keptNames)].join(", ")}.`;
  const sync = (): void => {
    const type = redirectType.value;
    for (const f of redirectOnly) f.hidden = type !== "External" && type !== "AliCDN";
    for (const f of mirrorOnly) f.hidden = type !== "Mirror";
    replaceKeyPrefixWith.disabled = !replacePrefix.checked;
    replaceKeyWith.disabled = replacePrefix.checked;
  };
  redirectType.addEventListener("change", sync);
  replacePrefix.addEventListener("change", sync);
  const element = h("fieldset", { class: "rule" }, h("legend", {}, legend),
    h("div", { class: "rule-grid" }, field("Rule number", number), field("If the key starts with", keyPrefix), field("If the key ends with", keySuffix), field("If the answer would be", errorCode)),
    h("div", { class: "rule-grid" }, field("Then", redirectType), ...redirectOnly, ...mirrorOnly),
    h("div", { class: "rule-grid" }, field("Replace the whole key with", replaceKeyWith), field("Replace the prefix with", replaceKeyPrefixWith)),
    h("label", { class: "check" }, replacePrefix, " Replace the key's prefix (EnableReplacePrefix)"),
    h("label", { class: "check" }, passQuery, " Pass the query string on"),
    keptNote);
  sync();
  return {
    element,
    read: () => ({
      number: number.value.trim(), keyPrefix: keyPrefix.value, keySuffix: keySuffix.value, errorCode: errorCode.value, redirectType: redirectType.value,
      protocol: protocol.value, hostName: hostName.value.trim(), replaceKeyWith: replacePrefix.checked ? "" : replaceKeyWith.value, replacePrefix: replacePrefix.checked,
      replaceKeyPrefixWith: replacePrefix.checked ? replaceKeyPrefixWith.value : "", httpRedirectCode: code.value, passQueryString: passQuery.checked,
      mirrorUrl: mirrorUrl.value.trim(), keptCondition: initial?.keptCondition ?? "", keptRedirect: initial?.keptRedirect ?? "",
    }),
  };
}

export function routingRuleList(): RuleList<RoutingRule> {
  return ruleList("routing", ruleCard);
}
