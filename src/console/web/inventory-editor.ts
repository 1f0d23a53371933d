/**
 * Inventory configurations (ListBucketInventory / PutBucketInventory / DeleteBucketInventory): the
 * bucket's configurations as a table with a delete button each, and a form for a new one. OSS has
 * no update: a configuration is replaced by deleting it and creating it again.
 */
import { currentSession, oss, ossUrl, ossXml } from "./api.js";
import { field, h, replace, select, showError, showOk, statusLine } from "./dom.js";
import { BUCKET_NAME, refuse, settingSection, type SettingSection } from "./setting-section.js";
import { XML_DECL, children, childText, el, textOf } from "./xml.js";

export interface InventoryForm {
  id: string;
  enabled: boolean;
  prefix: string;
  destBucket: string;
  destPrefix: string;
  roleArn: string;
  frequency: string;
  versions: string;
  fields: string[];
  encryption: string;
  kmsKeyId: string;
}

const OPTIONAL_FIELDS = ["Size", "LastModifiedDate", "ETag", "StorageClass", "IsMultipartUploaded", "EncryptionStatus", "ObjectAcl", "TaggingCount", "ObjectType", "Crc64"];
const MAX_PAGES = 10; // 100 a page: the limit of 1000 configurations a bucket

export function inventoryBody(f: InventoryForm, accountId: string): string {
  const encryption = f.encryption === "SSE-OSS" ? "<Encryption><SSE-OSS/></Encryption>" : f.encryption === "SSE-KMS" ? `<Encryption><SSE-KMS>${el("KeyId", f.kmsKeyId)}</SSE-KMS></Encryption>` : "";
  return (
    `${XML_DECL}<InventoryConfiguration>${el("Id", f.id)}${el("IsEnabled", String(f.enabled))}<Filter>${el("Prefix", f.prefix)}</Filter>` +
    `<Destination><OSSBucketDestination>${el("Format", "CSV")}${el("AccountId", accountId)}${el("RoleArn", f.roleArn)}${el("Bucket", `acs:oss:::${f.destBucket}`)}${el("Prefix", f.destPrefix)}${encryption}</OSSBucketDestination></Destination>` +
    `<Schedule>${el("Frequency", f.frequency)}</Schedule>${el("IncludedObjectVersions", f.versions)}<OptionalFields>${f.fields.map((x) => el("Field", x)).join("")}</OptionalFields></InventoryConfiguration>`
  );
}

export function inventoryProblems(f: InventoryForm): string[] {
  const problems: string[] = [];
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(f.id)) problems.push("The ID is 1–64 letters, digits, -, _ or .");
  if (!BUCKET_NAME.test(f.destBucket)) problems.push("The destination needs a bucket name (3–63 of a–z, 0–9 and -).");
  if (!/^acs:ram::\d+:role\/[A-Za-z0-9._-]{1,64}$/.test(f.roleArn)) problems.push("The role is acs:ram::<account id>:role/<role name>.");
  if (f.encryption === "SSE-KMS" && !f.kmsKeyId) problems.push("SSE-KMS needs a key ID.");
  return problems;
}

interface Listed {
  id: string;
  enabled: string;
  prefix: string;
  destination: string;
  frequency: string;
  versions: string;
  fields: string;
}

function listedFrom(c: Element): Listed {
  const dest = c.getElementsByTagName("OSSBucketDestination")[0];
  const destBucket = (dest ? childText(dest, "Bucket") : "").replace(/^acs:oss:::/, "");
  return {
    id: childText(c, "Id"),
    enabled: childText(c, "IsEnabled") === "true" ? "yes" : "no",
    prefix: textOf(children(c, "Filter")[0] ?? c, "Prefix"),
    destination: `${destBucket}/${dest ? childText(dest, "Prefix") : ""}`,
    frequency: textOf(c, "Frequency"),
    versions: childText(c, "IncludedObjectVersions"),
    fields: Array.from(c.getElementsByTagName("Field")).map((x) => x.textContent ?? "").join(", "),
  };
}

async function listAll(bucket: string): Promise<Listed[]> {
  const out: Listed[] = [];
  let token = "";
  for (let page = 0; page < MAX_PAGES; page++) {
    const doc = await ossXml("GET", ossUrl(bucket, "", { inventory: "", ...(token ? { "continuation-token": token } : {}) }));
    out.push(...children(doc.documentElement, "InventoryConfiguration").map(listedFrom));
    token = childText(doc.documentElement, "NextContinuationToken");
    if (childText(doc.documentElement, "IsTruncated") !== "true" || !token) break;
  }
  return out;
}

export function inventorySection(bucket: string): SettingSection {
  const status = statusLine();
  // The create form is tall: its answer goes under its button, the list's above the list.
  const createStatus = statusLine();
  const body = h("tbody");
  const accountId = currentSession()?.identity.accountId ?? "";
  const id = h("input", { name: "inventoryId", spellcheck: "false", maxlength: 64 });
  const enabled = h("input", { type: "checkbox", name: "inventoryEnabled", checked: true });
  const prefix = h("input", { name: "inventoryPrefix", spellcheck: "false", placeholder: "(whole bucket)" });
  const destBucket = h("input", { name: "inventoryBucket", spellcheck: "false", value: bucket });
  const destPrefix = h("input", { name: "inventoryDestPrefix", spellcheck: "false", value: "inventory" });
  const roleArn = h("input", { name: "inventoryRole", spellcheck: "false", class: "wide", value: `acs:ram::${accountId}:role/AliyunOSSRole` });
  const frequency = select("inventoryFrequency", ["Daily", "Weekly"]);
  const versions = select("inventoryVersions", ["Current", "All"]);
  const encryption = select("inventoryEncryption", ["None", "SSE-OSS", "SSE-KMS"]);
  const kmsKeyId = h("input", { name: "inventoryKmsKey", spellcheck: "false", placeholder: "(SSE-KMS only)" });
  const boxes = OPTIONAL_FIELDS.map((f) => h("input", { type: "checkbox", name: "inventoryField", value: f, checked: f === "Size" || f === "LastModifiedDate" }));
  const read = (): InventoryForm => ({
    id: id.value.trim(), enabled: enabled.checked, prefix: prefix.value, destBucket: destBucket.value.trim(), destPrefix: destPrefix.value.trim(), roleArn: roleArn.value.trim(),
    frequency: frequency.value, versions: versions.value, fields: boxes.filter((b) => b.checked).map((b) => b.value), encryption: encryption.value, kmsKeyId: kmsKeyId.value.trim(),
  });
  const form = h(
    "form",
    { class: "stack new-inventory", "aria-label": "New inventory configuration" },
    h(
      "fieldset",
      { class: "rule" },
      h("legend", {}, "New inventory configuration"),
      h(
        "div",
        { class: "rule-grid" },
        field("Inventory ID", id),
        field("Objects with prefix", prefix),
        field("Report to bucket", destBucket),
        field("Report prefix", destPrefix),
        field("Frequency", frequency),
        field("Versions", versions),
        field("Report encryption", encryption),
        field("KMS key ID", kmsKeyId),
      ),
      field("Role the reports are written as (RoleArn)", roleArn),
      h("fieldset", { class: "checks" }, h("legend", {}, "Fields in the report"), ...boxes.map((b) => h("label", {}, b, ` ${b.value}`))),
      h("label", { class: "check" }, enabled, " Enabled"),
    ),
    h("button", { type: "submit" }, "Create inventory"),
    createStatus,
  );

  async function refresh(): Promise<void> {
    const all = await listAll(bucket);
    replace(
      body,
      ...all.map((c) => {
        const remove = h("button", { type: "button", class: "danger", "aria-label": `Delete inventory ${c.id}` }, "Delete");
        remove.addEventListener("click", () => {
          if (!confirm(`Delete the inventory configuration ${c.id}?`)) return;
          oss("DELETE", ossUrl(bucket, "", { inventory: "", inventoryId: c.id }))
            .then(() => refresh())
            .then(() => showOk(status, `Deleted inventory ${c.id}.`), (error: unknown) => showError(status, error));
        });
        return h("tr", { "data-inventory": c.id }, h("td", {}, c.id), h("td", {}, c.enabled), h("td", {}, c.prefix || "(all)"), h("td", {}, c.destination), h("td", {}, `${c.frequency}, ${c.versions}`), h("td", {}, c.fields || "—"), h("td", {}, h("div", { class: "actions" }, remove)));
      }),
    );
    if (all.length === 0) body.append(h("tr", {}, h("td", { colspan: 7, class: "empty" }, "No inventory configurations.")));
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const config = read();
    if (refuse(createStatus, inventoryProblems(config), id)) return;
    oss("PUT", ossUrl(bucket, "", { inventory: "", inventoryId: config.id }), { headers: { "content-type": "application/xml" }, body: inventoryBody(config, accountId) })
      .then(() => refresh())
      .then(() => {
        showOk(createStatus, `Created inventory ${config.id}.`);
        id.value = "";
      }, (error: unknown) => showError(createStatus, error));
  });
  const table = h(
    "div",
    { class: "table-wrap" },
    h("table", {}, h("thead", {}, h("tr", {}, ...["ID", "Enabled", "Objects", "Report to", "Schedule", "Fields"].map((t) => h("th", { scope: "col" }, t)), h("th", { scope: "col" }, h("span", { class: "sr-only" }, "Actions")))), body),
  );
  const hint = h("p", { class: "hint" }, "Reports (gzip CSV and a manifest) are written by the server's inventory job: the first at its next run, then one a day or a week.");
  return { element: settingSection("inventory", "Inventory", hint, status, table, form), load: refresh };
}
