/**
 * The versions browser (#/versions/<bucket>?prefix= or ?key=): every version and delete marker of
 * the keys under a prefix (or of one key), newest first per key, 50 a page, with download, delete
 * and restore of a given version (object-versions.ts). Everything as the signed-in identity.
 */
import { ossUrl, ossXml } from "./api.js";
import { field, formatBytes, formatDate, h, replace, showError, showOk, statusLine } from "./dom.js";
import { objectHref } from "./objects.js";
import { deleteVersion, listVersions, restoreVersion, versionDownloadUrl, type VersionMarker, type VersionRow } from "./object-versions.js";
import { textOf } from "./xml.js";

const PAGE_SIZE = 50;

const shortId = (id: string): string => (id.length > 14 ? `${id.slice(0, 6)}…${id.slice(-6)}` : id);

export async function renderVersions(main: HTMLElement, bucket: string, prefix: string, onlyKey: string | undefined): Promise<void> {
  const status = statusLine();
  const notice = h("p", { class: "hint", hidden: true });
  const body = h("tbody");
  const search = h("input", { type: "search", name: "versionsPrefix", spellcheck: "false", placeholder: "key starts with…", value: onlyKey ?? prefix });
  const prev = h("button", { type: "button", disabled: true }, "Previous page");
  const next = h("button", { type: "button", disabled: true }, "Next page");
  const pageLabel = h("span", { class: "page-label", "aria-live": "polite" });
  /** markers[i] starts page i (undefined: the first). */
  let markers: (VersionMarker | undefined)[] = [undefined];
  let page = 0;
  let exact = onlyKey;

  function actions(v: VersionRow): HTMLElement {
    const label = `version ${v.versionId} of ${v.key}`;
    const cell = h("div", { class: "actions" });
    if (!v.deleteMarker) cell.append(h("a", { href: versionDownloadUrl(bucket, v.key, v.versionId), download: v.key.split("/").pop() ?? "download", "aria-label": `Download ${label}` }, "Download"));
    if (!v.deleteMarker && !v.isLatest) cell.append(h("button", { type: "button", class: "secondary", "aria-label": `Restore ${label}`, onclick: () => void restore(v) }, "Restore"));
    cell.append(h("button", { type: "button", class: "danger", "aria-label": `Delete ${v.deleteMarker ? "delete marker" : "version"} ${v.versionId} of ${v.key}`, onclick: () => void remove(v) }, "Delete"));
    return cell;
  }

  function row(v: VersionRow): HTMLTableRowElement {
    const kind = v.deleteMarker ? h("span", { class: "badge marker" }, "delete marker") : v.isLatest ? h("span", { class: "badge current" }, "current") : "older";
    const name = v.isLatest && !v.deleteMarker ? h("a", { href: objectHref(bucket, v.key) }, v.key) : v.key;
    return h(
      "tr",
      { "data-version": v.versionId, "data-key": v.key, class: v.deleteMarker ? "marker-row" : "" },
      h("td", { class: "key" }, name),
      h("td", {}, h("code", { title: v.versionId }, shortId(v.versionId))),
      h("td", {}, v.isLatest && v.deleteMarker ? h("span", {}, kind, " (current)") : kind),
      h("td", { class: "num" }, v.deleteMarker ? "—" : formatBytes(v.size)),
      h("td", {}, formatDate(v.lastModified)),
      h("td", {}, actions(v)),
    );
  }

  async function load(): Promise<void> {
    const listed = await listVersions(bucket, exact ?? search.value, markers[page], PAGE_SIZE);
    let rows = listed.rows;
    let more = listed.next;
    if (exact !== undefined) {
      // The key sorts first under itself as a prefix: its versions end where another key starts.
      const others = rows.some((r) => r.key !== exact);
      rows = rows.filter((r) => r.key === exact);
      if (others) more = undefined;
    }
    if (more) markers[page + 1] = more;
    else markers = markers.slice(0, page + 1);
    prev.disabled = page === 0;
    next.disabled = more === undefined;
    pageLabel.textContent = `Page ${page + 1}`;
    replace(body, ...rows.map(row));
    if (rows.length === 0) body.append(h("tr", {}, h("td", { colspan: 6, class: "empty" }, "No versions here.")));
  }

  function reload(): void {
    load().catch((error: unknown) => showError(status, error));
  }

  async function restore(v: VersionRow): Promise<void> {
    if (!confirm(`Make version ${v.versionId} of ${v.key} current again (copied as a new version)?`)) return;
    try {
      const made = await restoreVersion(bucket, v.key, v.versionId);
      showOk(status, `Restored ${v.key} from version ${v.versionId}${made ? ` (new version ${made})` : ""}.`);
      await load();
    } catch (error) {
      showError(status, error);
    }
  }

  async function remove(v: VersionRow): Promise<void> {
    const what = v.deleteMarker ? `the delete marker ${v.versionId} of ${v.key}` : `version ${v.versionId} of ${v.key} for good`;
    if (!confirm(`Delete ${what}?`)) return;
    try {
      await deleteVersion(bucket, v.key, v.versionId);
      showOk(status, v.deleteMarker ? `Removed the delete marker ${v.versionId} of ${v.key}.` : `Deleted version ${v.versionId} of ${v.key}.`);
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
      exact = undefined;
      markers = [undefined];
      page = 0;
      reload();
    }, 250);
  });

  replace(
    main,
    h("nav", { class: "crumbs", "aria-label": "Folder path" }, h("a", { href: "#/buckets" }, "Buckets"), " / ", h("a", { href: `#/bucket/${encodeURIComponent(bucket)}` }, bucket), " / ", h("a", { href: `#/settings/${encodeURIComponent(bucket)}` }, "settings")),
    h("h1", {}, onlyKey ? `Versions of ${onlyKey}` : `${bucket} versions`),
    notice,
    h("div", { class: "toolbar" }, field("Key or prefix", search), h("div", { class: "pager" }, prev, pageLabel, next)),
    status,
    h(
      "div",
      { class: "table-wrap" },
      h("table", { class: "versions" }, h("thead", {}, h("tr", {}, ...["Key", "Version ID", "State", "Size", "Last modified"].map((t) => h("th", { scope: "col" }, t)), h("th", { scope: "col" }, h("span", { class: "sr-only" }, "Actions")))), body),
    ),
  );
  ossXml("GET", ossUrl(bucket, "", { versioning: "" })).then((doc) => {
    const state = textOf(doc, "Status");
    notice.hidden = state === "Enabled";
    notice.textContent = state === "Suspended" ? "Versioning is suspended: new writes replace the “null” version; older versions stay." : "Versioning is off for this bucket: each key has only its “null” version. Turn it on in the bucket settings.";
  }, () => undefined);
  reload();
}
