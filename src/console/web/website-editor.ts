/**
 * Static website hosting (PutBucketWebsite / GetBucketWebsite / DeleteBucketWebsite): the index
 * document (suffix, sub-directory handling), the error document (key, status) and the routing rules
 * (website-rules.ts: a card per rule, validated before it is sent).
 */
import { oss, ossUrl, ossXml } from "./api.js";
import { field, h, select, showError, showOk, statusLine } from "./dom.js";
import { readOrAbsent, refuse, settingSection, type SettingSection } from "./setting-section.js";
import { XML_DECL, children, childText, el } from "./xml.js";
import { parseRoutingRules, routingRuleList, routingRuleProblems, routingRulesXml, type RoutingRule } from "./website-rules.js";

export interface WebsiteForm {
  suffix: string;
  subDir: boolean;
  /** 0: redirect `dir` to `dir/`, 1: neither, 2: serve `dir/<suffix>` (with sub-directories only). */
  type: string;
  errorKey: string;
  errorStatus: string;
  routingRules: RoutingRule[];
}

const TYPES: Readonly<Record<string, string>> = { "0": "0: redirect dir to dir/", "1": "1: answer 404", "2": "2: serve dir/ index" };

export function websiteBody(w: WebsiteForm): string {
  const index = w.suffix ? `<IndexDocument>${el("Suffix", w.suffix)}${el("SupportSubDir", String(w.subDir))}${el("Type", w.type)}</IndexDocument>` : "";
  const error = w.errorKey ? `<ErrorDocument>${el("Key", w.errorKey)}${el("HttpStatus", w.errorStatus)}</ErrorDocument>` : "";
  return `${XML_DECL}<WebsiteConfiguration>${index}${error}${routingRulesXml(w.routingRules)}</WebsiteConfiguration>`;
}

export function parseWebsite(doc: Document): WebsiteForm {
  const root = doc.documentElement;
  const index = children(root, "IndexDocument")[0];
  const error = children(root, "ErrorDocument")[0];
  return {
    suffix: index ? childText(index, "Suffix") : "",
    subDir: index ? childText(index, "SupportSubDir") === "true" : false,
    type: (index && childText(index, "Type")) || "0",
    errorKey: error ? childText(error, "Key") : "",
    errorStatus: (error && childText(error, "HttpStatus")) || "404",
    routingRules: parseRoutingRules(children(root, "RoutingRules")[0]),
  };
}

export function websiteProblems(w: WebsiteForm): string[] {
  const problems: string[] = [];
  if (w.suffix.includes("/")) problems.push("The index document is a name without “/” (e.g. index.html).");
  if (w.errorKey.startsWith("/")) problems.push("The error document is an object key, without a leading “/”.");
  return [...problems, ...routingRuleProblems(w.routingRules)];
}

export function websiteSection(bucket: string): SettingSection {
  const status = statusLine();
  const suffix = h("input", { name: "indexDocument", spellcheck: "false", placeholder: "index.html" });
  const subDir = h("input", { type: "checkbox", name: "supportSubDir" });
  const type = select("indexType", Object.keys(TYPES));
  Array.from(type.options).forEach((o) => (o.textContent = TYPES[o.value] ?? o.value));
  const errorKey = h("input", { name: "errorDocument", spellcheck: "false", placeholder: "error.html" });
  const errorStatus = select("errorStatus", ["404", "200"]);
  const rules = routingRuleList();
  const read = (): WebsiteForm => ({ suffix: suffix.value.trim(), subDir: subDir.checked, type: type.value, errorKey: errorKey.value.trim(), errorStatus: errorStatus.value, routingRules: rules.read() });
  const syncType = (): void => {
    type.disabled = !subDir.checked;
  };
  subDir.addEventListener("change", syncType);
  const form = h(
    "form",
    { class: "stack", "aria-label": "Static website" },
    h("div", { class: "rule-grid" }, field("Index document", suffix), field("Error document (object key)", errorKey), field("Error document status", errorStatus)),
    h("label", { class: "check" }, subDir, " Index documents in sub-directories too (SupportSubDir)"),
    h("div", { class: "inline-form" }, field("With sub-directories, a key naming a directory without its “/”", type)),
    h("h3", {}, "Routing rules"),
    h("p", { class: "hint" }, "Tried in rule-number order, first match wins: before the key is looked up, or — with “404” — once it turned out missing."),
    rules.element,
    h("button", { type: "submit" }, "Save website"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const config = read();
    if (refuse(status, websiteProblems(config), suffix)) return;
    const empty = !config.suffix && !config.errorKey && config.routingRules.length === 0;
    const saving = empty ? oss("DELETE", ossUrl(bucket, "", { website: "" })) : oss("PUT", ossUrl(bucket, "", { website: "" }), { headers: { "content-type": "application/xml" }, body: websiteBody(config) });
    saving.then(() => showOk(status, empty ? "Turned static website hosting off." : "Saved the website settings."), (error: unknown) => showError(status, error));
  });
  const load = async (): Promise<void> => {
    delete form.dataset.loaded;
    const doc = await readOrAbsent(() => ossXml("GET", ossUrl(bucket, "", { website: "" })), "NoSuchWebsiteConfiguration");
    const config = doc ? parseWebsite(doc) : undefined;
    suffix.value = config?.suffix ?? "";
    subDir.checked = config?.subDir ?? false;
    type.value = config?.type ?? "0";
    errorKey.value = config?.errorKey ?? "";
    errorStatus.value = config?.errorStatus ?? "404";
    rules.set(config?.routingRules ?? []);
    form.dataset.loaded = "true"; // what the browser tests wait for
    syncType();
  };
  const hint = h("p", { class: "hint" }, "Served to anonymous GET and HEAD requests; the documents must be publicly readable. Empty both and remove every rule to turn hosting off.");
  return { element: settingSection("website", "Static website", hint, status, form), load };
}
