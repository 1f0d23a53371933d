/**
 * Access logging (PutBucketLogging / GetBucketLogging / DeleteBucketLogging): the bucket the log
 * objects go to (the same owner's, same region — the server checks) and their key prefix (≤ 32
 * bytes). An empty target turns logging off.
 */
import { oss, ossUrl, ossXml } from "./api.js";
import { listBuckets } from "./oss.js";
import { field, h, showError, showOk, statusLine } from "./dom.js";
import { BUCKET_NAME, refuse, settingSection, utf8Length, type SettingSection } from "./setting-section.js";
import { XML_DECL, el, textOf } from "./xml.js";

export function loggingBody(target: string, prefix: string): string {
  return `${XML_DECL}<BucketLoggingStatus><LoggingEnabled>${el("TargetBucket", target)}${el("TargetPrefix", prefix)}</LoggingEnabled></BucketLoggingStatus>`;
}

export function loggingProblems(target: string, prefix: string): string[] {
  const problems: string[] = [];
  if (target && !BUCKET_NAME.test(target)) problems.push(`“${target}” is not a bucket name (3–63 of a–z, 0–9 and -).`);
  if (!target && prefix) problems.push("A prefix needs a target bucket.");
  if (utf8Length(prefix) > 32) problems.push("The prefix is at most 32 bytes.");
  return problems;
}

export function loggingSection(bucket: string): SettingSection {
  const status = statusLine();
  const choices = h("datalist", { id: "logging-buckets" });
  const target = h("input", { name: "logTarget", spellcheck: "false", list: "logging-buckets", placeholder: "(off)" });
  const prefix = h("input", { name: "logPrefix", spellcheck: "false", maxlength: 32, placeholder: "log/" });
  const form = h(
    "form",
    { class: "inline-form", "aria-label": "Access logging" },
    field("Log to bucket (empty: off)", target),
    field("Log object prefix", prefix),
    choices,
    h("button", { type: "submit" }, "Save logging"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const t = target.value.trim();
    const p = prefix.value.trim();
    if (refuse(status, loggingProblems(t, p), target)) return;
    const saving = t ? oss("PUT", ossUrl(bucket, "", { logging: "" }), { headers: { "content-type": "application/xml" }, body: loggingBody(t, p) }) : oss("DELETE", ossUrl(bucket, "", { logging: "" }));
    saving.then(() => showOk(status, t ? `Access logs go to ${t}/${p}.` : "Turned access logging off."), (error: unknown) => showError(status, error));
  });
  const load = async (): Promise<void> => {
    // The suggestions are a convenience: a user without ListBuckets still types a name.
    listBuckets().then((all) => choices.replaceChildren(...all.map((b) => h("option", { value: b.name }))), () => undefined);
    const doc = await ossXml("GET", ossUrl(bucket, "", { logging: "" }));
    target.value = textOf(doc, "TargetBucket");
    prefix.value = textOf(doc, "TargetPrefix");
  };
  const hint = h("p", { class: "hint" }, "Every request to this bucket becomes a line in an hourly log object in the target bucket (same owner and region).");
  return { element: settingSection("logging", "Access logging", hint, status, form), load };
}
