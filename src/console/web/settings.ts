/**
 * A bucket's settings, each read and written through the OSS API as the signed-in identity: facts
 * (GetBucketInfo, GetBucketStat), ACL, default encryption, versioning, the bucket policy as JSON
 * (checked in the page first, policy-check.ts; the server validates it fully and its error is
 * shown), CORS rules and lifecycle rules (cors-editor.ts, lifecycle-editor.ts), referer, static
 * website, access logging, inventory, bucket tags, request payment and image styles (one *-editor.ts each).
 */
import { ApiError, currentSession, oss, ossUrl, ossXml } from "./api.js";
import { field, formatBytes, h, replace, select, showError, showOk, statusLine } from "./dom.js";
import { policyEditor } from "./policy-editor.js";
import { examplePolicy } from "./policy-check.js";
import { corsSection } from "./cors-editor.js";
import { lifecycleSection } from "./lifecycle-editor.js";
import { refererSection } from "./referer-editor.js";
import { websiteSection } from "./website-editor.js";
import { loggingSection } from "./logging-editor.js";
import { inventorySection } from "./inventory-editor.js";
import { bucketTagsSection } from "./bucket-tags-editor.js";
import { paymentSection } from "./payment-editor.js";
import { stylesSection } from "./styles-editor.js";
import type { SettingSection } from "./setting-section.js";

const ACLS = ["private", "public-read", "public-read-write"];
const ENCRYPTION = ["None", "AES256", "KMS"];
const XML = '<?xml version="1.0" encoding="UTF-8"?>';

const pick = (doc: Document, tag: string): string => doc.getElementsByTagName(tag)[0]?.textContent ?? "";

export function encryptionBody(algorithm: string): string {
  return `${XML}<ServerSideEncryptionRule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>${algorithm}</SSEAlgorithm></ApplyServerSideEncryptionByDefault></ServerSideEncryptionRule>`;
}

export async function setEncryption(bucket: string, algorithm: string): Promise<void> {
  if (algorithm === "None") await oss("DELETE", ossUrl(bucket, "", { encryption: "" }));
  else await oss("PUT", ossUrl(bucket, "", { encryption: "" }), { headers: { "content-type": "application/xml" }, body: encryptionBody(algorithm) });
}

function saveForm(label: string, controls: HTMLElement[], status: HTMLElement, save: () => Promise<void>, done: string): HTMLFormElement {
  const form = h("form", { class: "inline-form", "aria-label": `Bucket ${label === "ACL" ? label : label.toLowerCase()}` }, ...controls, h("button", { type: "submit" }, `Save ${label === "ACL" ? label : label.toLowerCase()}`));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    save().then(() => showOk(status, done), (error: unknown) => showError(status, error));
  });
  return form;
}

/** Links to the page's sections (and the versions browser); the hash is the router's, so they scroll and focus instead. */
function fillContents(nav: HTMLElement, main: HTMLElement, bucket: string): void {
  const headings = Array.from(main.querySelectorAll("h2"));
  nav.append(
    ...headings.map((heading, i) => {
      if (!heading.id) heading.id = `settings-part-${i}`;
      heading.tabIndex = -1;
      return h("a", { href: `#/settings/${encodeURIComponent(bucket)}`, onclick: (event: Event) => {
        event.preventDefault();
        heading.scrollIntoView({ block: "start" });
        heading.focus({ preventScroll: true });
      } }, heading.textContent ?? "");
    }),
    h("a", { href: `#/versions/${encodeURIComponent(bucket)}` }, "Object versions →"),
  );
}

export async function renderSettings(main: HTMLElement, bucket: string): Promise<void> {
  const status = statusLine();
  const facts = h("dl", { class: "meta" });
  const acl = select("acl", ACLS);
  const encryption = select("encryption", ENCRYPTION);
  const versioning = select("versioning", ["Off", "Enabled", "Suspended"]);
  const policy = policyEditor("Bucket policy (JSON; empty to delete)", "bucket", "policy", { allowEmpty: true });
  const policyStatus = statusLine();
  const example = h("button", { type: "button", class: "secondary" }, "Start from an example");
  example.addEventListener("click", () => policy.set(examplePolicy("bucket", currentSession()?.identity.accountId ?? "<account>", bucket)));
  const policyForm = h("form", { class: "stack", "aria-label": "Bucket policy editor" }, policy.element, h("div", { class: "editor-bar" }, h("button", { type: "submit" }, "Save bucket policy"), example));
  policyForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = policy.textarea.value.trim();
    const problems = policy.problems();
    if (problems.length) {
      showError(policyStatus, `Not saved: ${problems.join(" ")}`);
      policy.textarea.focus();
      return;
    }
    const saving = text ? oss("PUT", ossUrl(bucket, "", { policy: "" }), { headers: { "content-type": "application/json" }, body: text }) : oss("DELETE", ossUrl(bucket, "", { policy: "" }));
    saving.then(() => showOk(policyStatus, text ? "Saved the bucket policy." : "Deleted the bucket policy."), (error: unknown) => showError(policyStatus, error));
  });
  const cors = corsSection(bucket);
  const lifecycle = lifecycleSection(bucket);
  const contents = h("nav", { class: "contents", "aria-label": "On this page" });
  const more: SettingSection[] = [refererSection(bucket), websiteSection(bucket), loggingSection(bucket), inventorySection(bucket), bucketTagsSection(bucket), paymentSection(bucket), stylesSection(bucket)];

  replace(
    main,
    h("nav", { class: "crumbs", "aria-label": "Folder path" }, h("a", { href: "#/buckets" }, "Buckets"), " / ", h("a", { href: `#/bucket/${encodeURIComponent(bucket)}` }, bucket)),
    h("h1", {}, `${bucket} settings`),
    contents,
    status,
    facts,
    h("h2", {}, "Access"),
    saveForm("ACL", [field("ACL", acl)], status, () => oss("PUT", ossUrl(bucket, "", { acl: "" }), { headers: { "x-oss-acl": acl.value } }).then(() => undefined), "Saved the ACL."),
    h("h2", {}, "Default encryption"),
    saveForm("Encryption", [field("Server-side encryption", encryption)], status, () => setEncryption(bucket, encryption.value), "Saved the default encryption."),
    h("h2", {}, "Versioning"),
    saveForm(
      "Versioning",
      [field("Versioning", versioning)],
      status,
      async () => {
        if (versioning.value === "Off") throw new ApiError("InvalidArgument", "Versioning cannot be turned off once enabled; choose Suspended.", 400);
        await oss("PUT", ossUrl(bucket, "", { versioning: "" }), { headers: { "content-type": "application/xml" }, body: `${XML}<VersioningConfiguration><Status>${versioning.value}</Status></VersioningConfiguration>` });
      },
      "Saved versioning.",
    ),
    h("h2", {}, "Bucket policy"),
    policyStatus,
    policyForm,
    cors.element,
    lifecycle.element,
    ...more.map((m) => m.element),
  );

  fillContents(contents, main, bucket);

  const loads: Promise<void>[] = [
    ossXml("GET", ossUrl(bucket, "", { bucketInfo: "" })).then((doc) => {
      acl.value = pick(doc, "Grant") || "private";
      const algorithm = pick(doc, "SSEAlgorithm");
      encryption.value = algorithm === "AES256" || algorithm === "KMS" ? algorithm : "None";
      const rows: [string, string][] = [["Name", bucket], ["Region", pick(doc, "Location") || pick(doc, "Region")], ["Storage class", pick(doc, "StorageClass")], ["Created", pick(doc, "CreationDate")]];
      facts.append(...rows.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
    }),
    ossXml("GET", ossUrl(bucket, "", { stat: "" })).then((doc) => {
      facts.append(h("dt", {}, "Objects"), h("dd", {}, pick(doc, "ObjectCount")), h("dt", {}, "Storage"), h("dd", {}, formatBytes(Number(pick(doc, "Storage")))));
    }),
    ossXml("GET", ossUrl(bucket, "", { versioning: "" })).then((doc) => {
      versioning.value = pick(doc, "Status") || "Off";
    }),
    oss("GET", ossUrl(bucket, "", { policy: "" })).then(
      async (res) => {
        policy.set(JSON.stringify(JSON.parse(await res.text()), null, 2));
      },
      (error: unknown) => {
        if (!(error instanceof ApiError && error.code === "NoSuchBucketPolicy")) throw error;
      },
    ),
    cors.load(),
    lifecycle.load(),
    ...more.map((m) => m.load()),
  ];
  const failures = (await Promise.allSettled(loads)).filter((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failures.length) showError(status, failures.map((f) => (f.reason instanceof Error ? f.reason.message : String(f.reason))).join(" · "));
}
