/**
 * The bucket's CORS rules (PutBucketCors / GetBucketCors / DeleteBucketCors) as rule cards: allowed
 * origins, methods, allowed and exposed headers, max age; and ResponseVary. The server validates
 * the document (one `*` per origin or header, known methods…) and its error is shown as it is.
 */
import { ApiError, oss, ossUrl, ossXml } from "./api.js";
import { field, h, showError, showOk, statusLine } from "./dom.js";
import { lines, ruleList, type RuleCard } from "./rule-list.js";
import { XML_DECL, children, childText, el } from "./xml.js";

export interface CorsRule {
  origins: string[];
  methods: string[];
  headers: string[];
  expose: string[];
  maxAge: string;
}

const METHODS = ["GET", "PUT", "POST", "DELETE", "HEAD"];

export function corsBody(rules: readonly CorsRule[], responseVary: boolean): string {
  const rule = (r: CorsRule): string =>
    `<CORSRule>${r.origins.map((o) => el("AllowedOrigin", o)).join("")}${r.methods.map((m) => el("AllowedMethod", m)).join("")}${r.headers.map((x) => el("AllowedHeader", x)).join("")}${r.expose.map((x) => el("ExposeHeader", x)).join("")}${r.maxAge ? el("MaxAgeSeconds", r.maxAge) : ""}</CORSRule>`;
  return `${XML_DECL}<CORSConfiguration>${rules.map(rule).join("")}${el("ResponseVary", String(responseVary))}</CORSConfiguration>`;
}

export function parseCors(doc: Document): { rules: CorsRule[]; responseVary: boolean } {
  const root = doc.documentElement;
  const all = (r: Element, tag: string): string[] => children(r, tag).map((e) => e.textContent ?? "");
  const rules = children(root, "CORSRule").map((r) => ({ origins: all(r, "AllowedOrigin"), methods: all(r, "AllowedMethod"), headers: all(r, "AllowedHeader"), expose: all(r, "ExposeHeader"), maxAge: childText(r, "MaxAgeSeconds") }));
  return { rules, responseVary: childText(root, "ResponseVary") === "true" };
}

function corsCard(initial: CorsRule | undefined, legend: string): RuleCard<CorsRule> {
  const origins = h("textarea", { name: "origins", rows: 2, spellcheck: "false", class: "code" });
  origins.value = (initial?.origins ?? []).join("\n");
  const headers = h("textarea", { name: "allowedHeaders", rows: 2, spellcheck: "false", class: "code" });
  headers.value = (initial?.headers ?? []).join("\n");
  const expose = h("textarea", { name: "exposeHeaders", rows: 2, spellcheck: "false", class: "code" });
  expose.value = (initial?.expose ?? []).join("\n");
  const maxAge = h("input", { type: "number", name: "maxAge", min: 0, value: initial?.maxAge ?? "", inputmode: "numeric" });
  const boxes = METHODS.map((m) => h("input", { type: "checkbox", name: "method", value: m, checked: initial ? initial.methods.includes(m) : m === "GET" }));
  const methods = h("fieldset", { class: "checks" }, h("legend", {}, "Allowed methods"), ...boxes.map((b) => h("label", {}, b, ` ${b.value}`)));
  const element = h("fieldset", { class: "rule" }, h("legend", {}, legend), h("div", { class: "rule-grid" }, field("Allowed origins (one a line, one * each)", origins), methods, field("Allowed headers", headers), field("Expose headers", expose), field("Max age (seconds)", maxAge)));
  return {
    element,
    read: () => ({ origins: lines(origins.value), methods: boxes.filter((b) => b.checked).map((b) => b.value), headers: lines(headers.value), expose: lines(expose.value), maxAge: maxAge.value.trim() }),
  };
}

export function corsSection(bucket: string): { element: HTMLElement; load: () => Promise<void> } {
  const status = statusLine();
  const rules = ruleList<CorsRule>("CORS", corsCard);
  const vary = h("input", { type: "checkbox", name: "responseVary" });
  const form = h("form", { class: "stack", "aria-label": "CORS rules" }, rules.element, h("label", { class: "check" }, vary, " Vary: Origin on responses (ResponseVary)"), h("button", { type: "submit" }, "Save CORS rules"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const list = rules.read();
    const saving = list.length === 0 ? oss("DELETE", ossUrl(bucket, "", { cors: "" })) : oss("PUT", ossUrl(bucket, "", { cors: "" }), { headers: { "content-type": "application/xml" }, body: corsBody(list, vary.checked) });
    saving.then(() => showOk(status, list.length ? `Saved ${list.length} CORS rule${list.length === 1 ? "" : "s"}.` : "Deleted the CORS rules."), (error: unknown) => showError(status, error));
  });
  const load = async (): Promise<void> => {
    try {
      const parsed = parseCors(await ossXml("GET", ossUrl(bucket, "", { cors: "" })));
      rules.set(parsed.rules);
      vary.checked = parsed.responseVary;
    } catch (error) {
      if (!(error instanceof ApiError && error.code === "NoSuchCORSConfiguration")) throw error;
      rules.set([]);
    }
  };
  return { element: h("section", { "aria-labelledby": "cors-title" }, h("h2", { id: "cors-title" }, "CORS"), status, form), load };
}
