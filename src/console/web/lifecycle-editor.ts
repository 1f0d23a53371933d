/**
 * The bucket's lifecycle rules (PutBucketLifecycle / GetBucketLifecycle / DeleteBucketLifecycle) as
 * rule cards for the common parts: ID, prefix, status, expire after N days, one transition (N days
 * to a colder class), abort unfinished multipart uploads and expire noncurrent versions after N days.
 * What a card does not model (tag filters, Not, dates, more transitions…) is kept as it came and
 * sent back unchanged, and named on the card. The server validates the rules; its error is shown.
 */
import { ApiError, oss, ossUrl, ossXml } from "./api.js";
import { field, h, select, showError, showOk, statusLine } from "./dom.js";
import { ruleList, type RuleCard } from "./rule-list.js";
import { XML_DECL, children, childText, el } from "./xml.js";

export interface LifecycleRuleForm {
  id: string;
  prefix: string;
  enabled: boolean;
  expireDays: string;
  transitionDays: string;
  transitionClass: string;
  abortDays: string;
  noncurrentDays: string;
  /** Elements the form does not model, serialized, sent back as they came. */
  kept: string[];
}

const CLASSES = ["IA", "Archive", "ColdArchive", "DeepColdArchive"];

const days = (e: Element | undefined, tag = "Days"): string => (e ? childText(e, tag) : "");

/** One rule element → the form's fields, plus whatever the form cannot show kept verbatim. */
export function ruleFromXml(rule: Element): LifecycleRuleForm {
  const serializer = new XMLSerializer();
  const kept: string[] = [];
  const keep = (e: Element): void => {
    kept.push(serializer.serializeToString(e).replace(/ xmlns="[^"]*"/, ""));
  };
  const modeled = (e: Element | undefined, tag = "Days"): Element | undefined => {
    if (!e) return undefined;
    const names = Array.from(e.children).map((c) => c.tagName);
    if (names.length === 1 && names[0] === tag) return e;
    if (names.length === 2 && tag === "Days" && names.includes("Days") && names.includes("StorageClass")) return e;
    keep(e);
    return undefined;
  };
  const [firstTransition, ...moreTransitions] = children(rule, "Transition");
  const transition = modeled(firstTransition);
  moreTransitions.forEach(keep);
  const form: LifecycleRuleForm = {
    id: childText(rule, "ID"),
    prefix: childText(rule, "Prefix"),
    enabled: childText(rule, "Status") !== "Disabled",
    expireDays: days(modeled(children(rule, "Expiration")[0])),
    transitionDays: days(transition),
    transitionClass: transition ? childText(transition, "StorageClass") : "IA",
    abortDays: days(modeled(children(rule, "AbortMultipartUpload")[0])),
    noncurrentDays: days(modeled(children(rule, "NoncurrentVersionExpiration")[0], "NoncurrentDays"), "NoncurrentDays"),
    kept,
  };
  for (const c of Array.from(rule.children)) {
    if (!["ID", "Prefix", "Status", "Transition", "Expiration", "AbortMultipartUpload", "NoncurrentVersionExpiration"].includes(c.tagName)) keep(c);
  }
  return form;
}

export function lifecycleBody(rules: readonly LifecycleRuleForm[]): string {
  const rule = (r: LifecycleRuleForm): string => {
    // A field the user filled wins over a kept element of the same name.
    const kept = r.kept.filter((x) => {
      const name = /^<([A-Za-z]+)/.exec(x)?.[1];
      return !((name === "Expiration" && r.expireDays) || (name === "AbortMultipartUpload" && r.abortDays) || (name === "NoncurrentVersionExpiration" && r.noncurrentDays));
    });
    return (
      `<Rule>${r.id ? el("ID", r.id) : ""}${el("Prefix", r.prefix)}${el("Status", r.enabled ? "Enabled" : "Disabled")}` +
      (r.transitionDays ? `<Transition>${el("Days", r.transitionDays)}${el("StorageClass", r.transitionClass)}</Transition>` : "") +
      (r.expireDays ? `<Expiration>${el("Days", r.expireDays)}</Expiration>` : "") +
      (r.abortDays ? `<AbortMultipartUpload>${el("Days", r.abortDays)}</AbortMultipartUpload>` : "") +
      (r.noncurrentDays ? `<NoncurrentVersionExpiration>${el("NoncurrentDays", r.noncurrentDays)}</NoncurrentVersionExpiration>` : "") +
      kept.join("") +
      "</Rule>"
    );
  };
  return `${XML_DECL}<LifecycleConfiguration>${rules.map(rule).join("")}</LifecycleConfiguration>`;
}

function daysInput(name: string, value: string): HTMLInputElement {
  return h("input", { type: "number", name, min: 1, value, inputmode: "numeric", placeholder: "—" });
}

function lifecycleCard(initial: LifecycleRuleForm | undefined, legend: string): RuleCard<LifecycleRuleForm> {
  const id = h("input", { name: "ruleId", value: initial?.id ?? "", spellcheck: "false", maxlength: 255 });
  const prefix = h("input", { name: "rulePrefix", value: initial?.prefix ?? "", spellcheck: "false", placeholder: "(whole bucket)" });
  const status = select("ruleStatus", ["Enabled", "Disabled"], initial?.enabled === false ? "Disabled" : "Enabled");
  const expire = daysInput("expireDays", initial?.expireDays ?? "");
  const transition = daysInput("transitionDays", initial?.transitionDays ?? "");
  const transitionClass = select("transitionClass", CLASSES, initial?.transitionClass ?? "IA");
  const abort = daysInput("abortDays", initial?.abortDays ?? "");
  const noncurrent = daysInput("noncurrentDays", initial?.noncurrentDays ?? "");
  const kept = initial?.kept ?? [];
  const element = h(
    "fieldset",
    { class: "rule" },
    h("legend", {}, legend),
    h(
      "div",
      { class: "rule-grid" },
      field("Rule ID", id),
      field("Key prefix", prefix),
      field("Status", status),
      field("Expire objects after (days)", expire),
      field("Move after (days)", transition),
      field("… to storage class", transitionClass),
      field("Abort unfinished uploads after (days)", abort),
      field("Expire old versions after (days)", noncurrent),
    ),
    kept.length ? h("p", { class: "hint" }, `Also keeps, unchanged: ${kept.map((x) => /^<([A-Za-z]+)/.exec(x)?.[1] ?? "?").join(", ")}.`) : null,
  );
  return {
    element,
    read: () => ({
      id: id.value.trim(), prefix: prefix.value, enabled: status.value === "Enabled", expireDays: expire.value.trim(), transitionDays: transition.value.trim(),
      transitionClass: transitionClass.value, abortDays: abort.value.trim(), noncurrentDays: noncurrent.value.trim(), kept,
    }),
  };
}

export function lifecycleSection(bucket: string): { element: HTMLElement; load: () => Promise<void> } {
  const status = statusLine();
  const rules = ruleList<LifecycleRuleForm>("lifecycle", lifecycleCard);
  const form = h("form", { class: "stack", "aria-label": "Lifecycle rules" }, rules.element, h("button", { type: "submit" }, "Save lifecycle rules"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const list = rules.read();
    const saving = list.length === 0 ? oss("DELETE", ossUrl(bucket, "", { lifecycle: "" })) : oss("PUT", ossUrl(bucket, "", { lifecycle: "" }), { headers: { "content-type": "application/xml" }, body: lifecycleBody(list) });
    saving.then(() => showOk(status, list.length ? `Saved ${list.length} lifecycle rule${list.length === 1 ? "" : "s"}.` : "Deleted the lifecycle rules."), (error: unknown) => showError(status, error));
  });
  const load = async (): Promise<void> => {
    try {
      const doc = await ossXml("GET", ossUrl(bucket, "", { lifecycle: "" }));
      rules.set(children(doc.documentElement, "Rule").map(ruleFromXml));
    } catch (error) {
      if (!(error instanceof ApiError && error.code === "NoSuchLifecycle")) throw error;
      rules.set([]);
    }
  };
  return { element: h("section", { "aria-labelledby": "lifecycle-title" }, h("h2", { id: "lifecycle-title" }, "Lifecycle"), h("p", { class: "hint" }, "Applied by the server's lifecycle job (or at once by POST /lifecycle/run on the admin listener)."), status, form), load };
}
