/**
 * Image styles (ListStyle / PutStyle / DeleteStyle): the bucket's named image processes as a table
 * (name, content, created, modified) with Edit, Preview and Delete each, and a form that creates a
 * style or replaces the one of that name. The page checks the name as the server does and only the
 * shape of the content; the server parses the process and its InvalidArgument reason is shown.
 */
import { oss, ossUrl, ossXml } from "./api.js";
import { field, formatDate, h, replace, showError, showOk, statusLine } from "./dom.js";
import { refuse, settingSection, type SettingSection } from "./setting-section.js";
import { stylePreview } from "./style-preview.js";
import { XML_DECL, children, childText, el } from "./xml.js";

export interface StyleInfo {
  name: string;
  content: string;
  created: string;
  modified: string;
}

/** The server's rule for style names (src/image/styles.ts). */
export const STYLE_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

export function styleBody(content: string): string {
  return `${XML_DECL}<Style>${el("Content", content)}</Style>`;
}

export function parseStyles(doc: Document): StyleInfo[] {
  return children(doc.documentElement, "Style").map((s) => ({ name: childText(s, "Name"), content: childText(s, "Content"), created: childText(s, "CreateTime"), modified: childText(s, "LastModifyTime") }));
}

export function styleProblems(name: string, content: string): string[] {
  const problems: string[] = [];
  if (!STYLE_NAME.test(name)) problems.push("The name is 1–64 letters, digits, _, - or . (no spaces or “/”).");
  if (!content) problems.push("The content is an image process, e.g. image/resize,w_200.");
  else if (/\s/.test(content)) problems.push("The content has no spaces.");
  else if (!/^image\/[^/]/.test(content)) problems.push("The content starts with image/ and an action (e.g. image/resize,w_200); a style cannot name another style.");
  return problems;
}

export function stylesSection(bucket: string): SettingSection {
  const status = statusLine();
  // The form's answer goes under its button, the list's above the list (as the inventory's).
  const saveStatus = statusLine();
  const body = h("tbody");
  const preview = stylePreview(bucket);
  const name = h("input", { name: "styleName", spellcheck: "false", maxlength: 64, placeholder: "thumb" });
  const content = h("input", { name: "styleContent", spellcheck: "false", class: "wide code", placeholder: "image/resize,w_200/format,webp" });
  let known: StyleInfo[] = [];

  function row(s: StyleInfo): HTMLTableRowElement {
    const edit = h("button", { type: "button", class: "secondary", "aria-label": `Edit style ${s.name}` }, "Edit");
    edit.addEventListener("click", () => {
      name.value = s.name;
      content.value = s.content;
      content.focus();
    });
    const show = h("button", { type: "button", class: "secondary", "aria-label": `Preview style ${s.name}` }, "Preview");
    show.addEventListener("click", () => void preview.show(s.name));
    const remove = h("button", { type: "button", class: "danger", "aria-label": `Delete style ${s.name}` }, "Delete");
    remove.addEventListener("click", () => {
      if (!confirm(`Delete the image style ${s.name}? URLs naming style/${s.name} will answer NoSuchStyle.`)) return;
      oss("DELETE", ossUrl(bucket, "", { style: "", styleName: s.name }))
        .then(() => refresh())
        .then(() => showOk(status, `Deleted style ${s.name}.`), (error: unknown) => showError(status, error));
    });
    return h(
      "tr",
      { "data-style": s.name },
      h("td", {}, s.name),
      h("td", { class: "style-content" }, h("code", {}, s.content)),
      h("td", { class: "date" }, formatDate(s.created)),
      h("td", { class: "date" }, formatDate(s.modified)),
      h("td", {}, h("div", { class: "actions" }, edit, show, remove)),
    );
  }

  async function refresh(): Promise<void> {
    known = parseStyles(await ossXml("GET", ossUrl(bucket, "", { style: "" })));
    replace(body, ...known.map(row));
    if (known.length === 0) body.append(h("tr", {}, h("td", { colspan: 5, class: "empty" }, "No image styles.")));
  }

  const form = h(
    "form",
    { class: "stack new-style", "aria-label": "Create or replace an image style" },
    h("fieldset", { class: "rule" }, h("legend", {}, "Create or replace a style"), h("div", { class: "style-grid" }, field("Style name", name), field("Content (image process)", content))),
    h("button", { type: "submit" }, "Save style"),
    saveStatus,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const style = { name: name.value.trim(), content: content.value.trim() };
    if (refuse(saveStatus, styleProblems(style.name, style.content), STYLE_NAME.test(style.name) ? content : name)) return;
    const replacing = known.some((s) => s.name === style.name);
    oss("PUT", ossUrl(bucket, "", { style: "", styleName: style.name }), { headers: { "content-type": "application/xml" }, body: styleBody(style.content) })
      .then(() => refresh())
      .then(() => showOk(saveStatus, `${replacing ? "Replaced" : "Saved"} style ${style.name}: ?x-oss-process=style/${style.name} applies it.`), (error: unknown) => showError(saveStatus, error));
  });

  const table = h(
    "div",
    { class: "table-wrap" },
    h("table", { class: "styles" }, h("thead", {}, h("tr", {}, ...["Name", "Content", "Created", "Modified"].map((t) => h("th", { scope: "col" }, t)), h("th", { scope: "col" }, h("span", { class: "sr-only" }, "Actions")))), body),
  );
  const hint = h("p", { class: "hint" }, "Named image processes: ", h("code", {}, "?x-oss-process=style/<name>"), " applies one to an image object. At most 50 a bucket.");
  const load = async (): Promise<void> => {
    await Promise.all([refresh(), preview.suggestKeys()]);
  };
  return { element: settingSection("styles", "Image styles", hint, status, preview.keyField, table, preview.element, form), load };
}
