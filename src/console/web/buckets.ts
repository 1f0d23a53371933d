/** Buckets: the list, create (name, ACL, storage class) and delete. */
import { createBucket, deleteBucket, listBuckets } from "./oss.js";
import { setEncryption } from "./settings.js";
import { field, formatDate, h, replace, select, showError, showOk, statusLine } from "./dom.js";

const ACLS = ["private", "public-read", "public-read-write"];
const CLASSES = ["Standard", "IA", "Archive", "ColdArchive", "DeepColdArchive"];

export async function renderBuckets(main: HTMLElement): Promise<void> {
  const status = statusLine();
  const body = h("tbody");
  const name = h("input", { name: "bucket", required: true, pattern: "[a-z0-9][a-z0-9\\-]{1,61}[a-z0-9]", title: "3–63 lower-case letters, digits and hyphens", spellcheck: "false" });
  const acl = select("acl", ACLS, "private");
  const storageClass = select("storageClass", CLASSES, "Standard");
  const encryption = select("encryption", ["None", "AES256", "KMS"], "None");
  const form = h("form", { class: "inline-form", "aria-label": "Create bucket" }, field("Bucket name", name), field("ACL", acl), field("Storage class", storageClass), field("Encryption", encryption), h("button", { type: "submit" }, "Create bucket"));

  async function refresh(): Promise<void> {
    const buckets = await listBuckets();
    replace(
      body,
      ...buckets.map((b) =>
        h(
          "tr",
          {},
          h("td", {}, h("a", { href: `#/bucket/${encodeURIComponent(b.name)}` }, b.name)),
          h("td", {}, b.storageClass),
          h("td", {}, b.region),
          h("td", {}, formatDate(b.created)),
          h("td", {}, h("button", { type: "button", class: "danger", "aria-label": `Delete bucket ${b.name}`, onclick: () => void remove(b.name) }, "Delete")),
        ),
      ),
    );
    if (buckets.length === 0) body.append(h("tr", {}, h("td", { colspan: 5, class: "empty" }, "No buckets yet.")));
  }

  async function remove(bucket: string): Promise<void> {
    if (!confirm(`Delete bucket ${bucket}? It must be empty.`)) return;
    try {
      await deleteBucket(bucket);
      showOk(status, `Deleted bucket ${bucket}.`);
      await refresh();
    } catch (error) {
      showError(status, error);
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const bucket = name.value.trim();
    createBucket(bucket, acl.value, storageClass.value)
      .then(() => (encryption.value === "None" ? undefined : setEncryption(bucket, encryption.value)))
      .then(
      async () => {
        showOk(status, `Created bucket ${bucket}.`);
        name.value = "";
        await refresh();
      },
      (error: unknown) => showError(status, error),
    );
  });

  replace(
    main,
    h("h1", {}, "Buckets"),
    form,
    status,
    h("div", { class: "table-wrap" }, h("table", {}, h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Name"), h("th", { scope: "col" }, "Storage class"), h("th", { scope: "col" }, "Region"), h("th", { scope: "col" }, "Created"), h("th", { scope: "col" }, h("span", { class: "sr-only" }, "Actions")))), body)),
  );
  await refresh().catch((error: unknown) => showError(status, error));
}
