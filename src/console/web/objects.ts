/**
 * A bucket's objects as folders: one level under a prefix (delimiter "/"), a page at a time from a
 * marker (never all keys), a prefix search inside the folder, upload, download and delete.
 */
import { downloadUrl } from "./api.js";
import { deleteObject, listObjects } from "./oss.js";
import { field, formatBytes, formatDate, h, replace, showError, showOk, statusLine } from "./dom.js";
import { uploadArea } from "./upload.js";

export const PAGE_SIZE = 50;

function bucketHref(bucket: string, prefix: string): string {
  return `#/bucket/${encodeURIComponent(bucket)}${prefix ? `?prefix=${encodeURIComponent(prefix)}` : ""}`;
}

export function objectHref(bucket: string, key: string): string {
  return `#/object/${encodeURIComponent(bucket)}/${key.split("/").map(encodeURIComponent).join("/")}`;
}

function breadcrumbs(bucket: string, prefix: string): HTMLElement {
  const nav = h("nav", { class: "crumbs", "aria-label": "Folder path" });
  nav.append(h("a", { href: "#/buckets" }, "Buckets"), " / ", h("a", { href: bucketHref(bucket, "") }, bucket));
  let acc = "";
  for (const part of prefix.split("/").filter(Boolean)) {
    acc += `${part}/`;
    nav.append(" / ", h("a", { href: bucketHref(bucket, acc) }, part));
  }
  return nav;
}

export async function renderObjects(main: HTMLElement, bucket: string, prefix: string): Promise<void> {
  const status = statusLine();
  const body = h("tbody");
  const search = h("input", { type: "search", name: "search", placeholder: "name starts with…", spellcheck: "false" });
  const prev = h("button", { type: "button", disabled: true }, "Previous page");
  const next = h("button", { type: "button", disabled: true }, "Next page");
  const pageLabel = h("span", { class: "page-label", "aria-live": "polite" });
  /** Markers of the pages seen so far: markers[i] starts page i. */
  let markers: string[] = [""];
  let page = 0;

  async function load(): Promise<void> {
    const listed = await listObjects(bucket, prefix + search.value, markers[page] ?? "", PAGE_SIZE);
    if (listed.nextMarker !== undefined) markers[page + 1] = listed.nextMarker;
    else markers = markers.slice(0, page + 1);
    prev.disabled = page === 0;
    next.disabled = listed.nextMarker === undefined;
    pageLabel.textContent = `Page ${page + 1}`;
    const rows: HTMLTableRowElement[] = [];
    for (const folder of listed.folders) {
      rows.push(h("tr", { class: "folder" }, h("td", {}, h("a", { href: bucketHref(bucket, folder), class: "folder-link" }, folder.slice(prefix.length))), h("td", {}, "—"), h("td", {}, ""), h("td", {}, "")));
    }
    for (const o of listed.objects) {
      const name = o.key.slice(prefix.length) || o.key;
      rows.push(
        h(
          "tr",
          { "data-key": o.key },
          h("td", {}, h("a", { href: objectHref(bucket, o.key) }, name)),
          h("td", { class: "num" }, formatBytes(o.size)),
          h("td", {}, formatDate(o.lastModified)),
          h(
            "td",
            {},
            h(
              "div",
              { class: "actions" },
              h("a", { href: downloadUrl(bucket, o.key), download: name.split("/").pop() ?? "download", "aria-label": `Download ${o.key}` }, "Download"),
              h("button", { type: "button", class: "danger", "aria-label": `Delete ${o.key}`, onclick: () => void remove(o.key) }, "Delete"),
            ),
          ),
        ),
      );
    }
    replace(body, ...rows);
    if (rows.length === 0) body.append(h("tr", {}, h("td", { colspan: 4, class: "empty" }, search.value ? "Nothing starts with that." : "This folder is empty.")));
  }

  function reload(): void {
    load().catch((error: unknown) => showError(status, error));
  }

  async function remove(key: string): Promise<void> {
    if (!confirm(`Delete ${key}?`)) return;
    try {
      await deleteObject(bucket, key);
      showOk(status, `Deleted ${key}.`);
      await load();
    } catch (error) {
      showError(status, error);
    }
  }

  prev.addEventListener("click", () => {
    page = Math.max(0, page - 1);
    reload();
  });
  next.addEventListener("click", () => {
    page++;
    reload();
  });
  let typing: ReturnType<typeof setTimeout> | undefined;
  search.addEventListener("input", () => {
    clearTimeout(typing);
    typing = setTimeout(() => {
      markers = [""];
      page = 0;
      reload();
    }, 250);
  });

  replace(
    main,
    h("h1", {}, bucket),
    h("div", { class: "toolbar" }, breadcrumbs(bucket, prefix), h("div", { class: "links" }, h("a", { href: `#/versions/${encodeURIComponent(bucket)}${prefix ? `?prefix=${encodeURIComponent(prefix)}` : ""}` }, "Versions"), h("a", { href: `#/settings/${encodeURIComponent(bucket)}` }, "Bucket settings"))),
    uploadArea(bucket, prefix, (key) => {
      showOk(status, `Uploaded ${key}.`);
      reload();
    }),
    h("div", { class: "toolbar" }, field(`Search in ${prefix || "/"}`, search), h("div", { class: "pager" }, prev, pageLabel, next)),
    status,
    h("div", { class: "table-wrap" }, h("table", {}, h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Name"), h("th", { scope: "col" }, "Size"), h("th", { scope: "col" }, "Last modified"), h("th", { scope: "col" }, h("span", { class: "sr-only" }, "Actions")))), body)),
  );
  reload();
}
