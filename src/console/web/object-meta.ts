/**
 * The object page's "Metadata and tags": content type and user metadata (x-oss-meta-*), saved as
 * OSS does it — CopyObject onto itself with `x-oss-metadata-directive: REPLACE` (the standard headers,
 * encryption, ACL and storage class carried over) — and the object's tags (Put/Get/DeleteObjectTagging).
 * All through /oss/… as the signed-in identity, so RAM decides (oss:PutObject + oss:GetObject for
 * metadata, oss:PutObjectTagging / oss:GetObjectTagging / oss:DeleteObjectTagging for tags).
 */
import { oss, ossUrl, ossXml } from "./api.js";
import { field, h, showError, showOk, statusLine } from "./dom.js";
import { keyValueRows } from "./kv-rows.js";
import { XML_DECL, childText, el } from "./xml.js";

const META_PREFIX = "x-oss-meta-";
/** Standard headers a metadata REPLACE would otherwise drop. */
const KEPT_HEADERS = ["cache-control", "content-disposition", "content-encoding", "expires", "x-oss-server-side-encryption", "x-oss-server-side-encryption-key-id"];

export function userMetadata(headers: Headers): [string, string][] {
  const out: [string, string][] = [];
  headers.forEach((value, name) => {
    if (name.startsWith(META_PREFIX)) out.push([name.slice(META_PREFIX.length), value]);
  });
  return out.sort((a, b) => a[0].localeCompare(b[0]));
}

/** `/bucket/key` as x-oss-copy-source wants it (key segments percent-encoded). */
function copySource(bucket: string, key: string): string {
  return `/${bucket}/${key.split("/").map(encodeURIComponent).join("/")}`;
}

export async function replaceMetadata(bucket: string, key: string, current: Headers, contentType: string, meta: ReadonlyArray<readonly [string, string]>): Promise<void> {
  const headers: Record<string, string> = { "x-oss-copy-source": copySource(bucket, key), "x-oss-metadata-directive": "REPLACE", "content-type": contentType || "application/octet-stream" };
  for (const name of KEPT_HEADERS) {
    const value = current.get(name);
    if (value) headers[name] = value;
  }
  for (const [k, v] of meta) {
    if (!/^[A-Za-z0-9-]+$/.test(k)) throw new Error(`Metadata name “${k}” may hold only letters, digits and hyphens.`);
    // Header values travel as ISO-8859-1; OSS clients percent-encode anything else themselves.
    if (!/^[\x20-\x7e]*$/.test(v)) throw new Error(`The value of “${k}” must be printable ASCII (encode other characters, e.g. with encodeURIComponent).`);
    headers[META_PREFIX + k.toLowerCase()] = v;
  }
  await oss("PUT", ossUrl(bucket, key), { headers });
}

export async function getTags(bucket: string, key: string): Promise<[string, string][]> {
  const doc = await ossXml("GET", ossUrl(bucket, key, { tagging: "" }));
  return Array.from(doc.getElementsByTagName("Tag")).map((t) => [childText(t, "Key"), childText(t, "Value")]);
}

export function taggingBody(tags: ReadonlyArray<readonly [string, string]>): string {
  return `${XML_DECL}<Tagging><TagSet>${tags.map(([k, v]) => `<Tag>${el("Key", k)}${el("Value", v)}</Tag>`).join("")}</TagSet></Tagging>`;
}

export async function putTags(bucket: string, key: string, tags: ReadonlyArray<readonly [string, string]>): Promise<void> {
  if (tags.length === 0) await oss("DELETE", ossUrl(bucket, key, { tagging: "" }));
  else await oss("PUT", ossUrl(bucket, key, { tagging: "" }), { headers: { "content-type": "application/xml" }, body: taggingBody(tags) });
}

/** The section; `head` is the HEAD answer the page already has, `reload` re-reads the page after a save. */
export function metadataSection(bucket: string, key: string, head: Headers, reload: () => void): HTMLElement {
  const status = statusLine();
  const contentType = h("input", { name: "contentType", value: head.get("content-type") ?? "", spellcheck: "false", class: "wide" });
  const meta = keyValueRows("Metadata", "[A-Za-z0-9\\-]+");
  meta.set(userMetadata(head));
  // A copy follows a symlink: "editing" its metadata would replace the link with a copy of its target.
  const symlink = head.get("x-oss-object-type") === "Symlink";
  const metaForm = h("form", { class: "stack", "aria-label": "Object metadata" }, field("Content type", contentType), h("p", { class: "hint" }, "User metadata (x-oss-meta-*): names of letters, digits and hyphens."), meta.element, h("button", { type: "submit" }, "Save metadata"));
  if (symlink) {
    metaForm.replaceChildren(h("p", { class: "hint" }, "This object is a symlink: its metadata is set when the link is made (PutSymlink), not edited here."));
  }
  metaForm.addEventListener("submit", (event) => {
    event.preventDefault();
    if (symlink) return;
    replaceMetadata(bucket, key, head, contentType.value.trim(), meta.read()).then(() => {
      showOk(status, "Saved the metadata.");
      reload();
    }, (error: unknown) => showError(status, error));
  });

  const tags = keyValueRows("Tag");
  const tagForm = h("form", { class: "stack", "aria-label": "Object tags" }, h("p", { class: "hint" }, "Up to 10 tags: keys up to 128 characters, values up to 256, of letters, digits, spaces and + - = . _ : /."), tags.element, h("button", { type: "submit" }, "Save tags"));
  tagForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const pairs = tags.read();
    putTags(bucket, key, pairs).then(() => showOk(status, pairs.length ? `Saved ${pairs.length} tag${pairs.length === 1 ? "" : "s"}.` : "Removed the tags."), (error: unknown) => showError(status, error));
  });
  getTags(bucket, key).then((pairs) => tags.set(pairs), (error: unknown) => showError(status, error));

  return h(
    "section",
    { "aria-labelledby": "meta-title", class: "panel" },
    h("h2", { id: "meta-title" }, "Metadata and tags"),
    status,
    h("div", { class: "columns" }, h("div", {}, h("h3", {}, "Metadata"), metaForm), h("div", {}, h("h3", {}, "Tags"), tagForm)),
  );
}

