/**
 * Hotlink protection (PutBucketReferer / GetBucketReferer): whether requests without a Referer are
 * allowed, the allowed (RefererList) and refused (RefererBlacklist) patterns with `*` and `?`, and
 * the two matching options. The server applies it to anonymous and presigned object requests only.
 */
import { oss, ossUrl, ossXml } from "./api.js";
import { field, h, showError, showOk, statusLine } from "./dom.js";
import { refuse, settingSection, textLines, type SettingSection } from "./setting-section.js";
import { XML_DECL, children, childText, el } from "./xml.js";

export interface RefererForm {
  allowEmpty: boolean;
  truncateQuery: boolean;
  truncatePath: boolean;
  allow: string[];
  deny: string[];
}

const MAX_PATTERN = 1024;

export function refererBody(r: RefererForm): string {
  const list = (tag: string, patterns: string[]): string => `<${tag}>${patterns.map((p) => el("Referer", p)).join("")}</${tag}>`;
  return `${XML_DECL}<RefererConfiguration>${el("AllowEmptyReferer", String(r.allowEmpty))}${el("AllowTruncateQueryString", String(r.truncateQuery))}${el("TruncatePath", String(r.truncatePath))}${list("RefererList", r.allow)}${r.deny.length ? list("RefererBlacklist", r.deny) : ""}</RefererConfiguration>`;
}

export function parseReferer(doc: Document): RefererForm {
  const root = doc.documentElement;
  const patterns = (tag: string): string[] => children(root, tag).flatMap((l) => children(l, "Referer").map((r) => r.textContent ?? ""));
  return {
    allowEmpty: childText(root, "AllowEmptyReferer") !== "false",
    truncateQuery: childText(root, "AllowTruncateQueryString") !== "false",
    truncatePath: childText(root, "TruncatePath") === "true",
    allow: patterns("RefererList"),
    deny: patterns("RefererBlacklist"),
  };
}

export function refererProblems(r: RefererForm): string[] {
  const problems: string[] = [];
  for (const p of [...r.allow, ...r.deny]) {
    if (/\s/.test(p)) problems.push(`“${p}” holds a space; put one pattern on each line.`);
    else if (p.length > MAX_PATTERN) problems.push(`A pattern is longer than ${MAX_PATTERN} characters.`);
  }
  return problems;
}

function patternsArea(name: string, placeholder: string): HTMLTextAreaElement {
  return h("textarea", { name, rows: 3, spellcheck: "false", class: "code", placeholder });
}

export function refererSection(bucket: string): SettingSection {
  const status = statusLine();
  const allowEmpty = h("input", { type: "checkbox", name: "allowEmptyReferer", checked: true });
  const truncateQuery = h("input", { type: "checkbox", name: "allowTruncateQueryString", checked: true });
  const truncatePath = h("input", { type: "checkbox", name: "truncatePath" });
  const allow = patternsArea("refererAllow", "https://www.example.com/*\nhttps://*.example.org");
  const deny = patternsArea("refererDeny", "https://hotlinker.example/*");
  const read = (): RefererForm => ({ allowEmpty: allowEmpty.checked, truncateQuery: truncateQuery.checked, truncatePath: truncatePath.checked, allow: textLines(allow.value), deny: textLines(deny.value) });
  const form = h(
    "form",
    { class: "stack", "aria-label": "Referer (hotlink protection)" },
    h("label", { class: "check" }, allowEmpty, " Allow requests without a Referer (AllowEmptyReferer)"),
    field("Allowed referers (whitelist, one a line, * and ? wildcards; empty: any)", allow),
    field("Refused referers (blacklist, one a line)", deny),
    h("label", { class: "check" }, truncateQuery, " Ignore the Referer's query string when matching (AllowTruncateQueryString)"),
    h("label", { class: "check" }, truncatePath, " Match only scheme://host[:port] of the Referer (TruncatePath)"),
    h("button", { type: "submit" }, "Save referer settings"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const config = read();
    if (refuse(status, refererProblems(config), allow)) return;
    oss("PUT", ossUrl(bucket, "", { referer: "" }), { headers: { "content-type": "application/xml" }, body: refererBody(config) }).then(
      () => showOk(status, `Saved the referer settings (${config.allow.length} allowed, ${config.deny.length} refused pattern${config.deny.length === 1 ? "" : "s"}).`),
      (error: unknown) => showError(status, error),
    );
  });
  const load = async (): Promise<void> => {
    const config = parseReferer(await ossXml("GET", ossUrl(bucket, "", { referer: "" })));
    allowEmpty.checked = config.allowEmpty;
    truncateQuery.checked = config.truncateQuery;
    truncatePath.checked = config.truncatePath;
    allow.value = config.allow.join("\n");
    deny.value = config.deny.join("\n");
  };
  const hint = h("p", { class: "hint" }, "Checked for anonymous and presigned-URL object requests; requests signed in the Authorization header are not.");
  return { element: settingSection("referer", "Referer (hotlink protection)", hint, status, form), load };
}
