/**
 * One object: its metadata, download, delete, a presigned link with an expiry, and for images a
 * preview with the codes image/codes finds drawn as boxes. image/codes needs the bucket attached
 * to an IMM project: the page offers to create one and attach it (both as the signed-in identity).
 */
import { ApiError, downloadUrl, oss, ossUrl, presign, rpc } from "./api.js";
import { deleteObject, detectCodes } from "./oss.js";
import { field, formatBytes, h, replace, select, showError, showOk, statusLine } from "./dom.js";
import { codeBoxes } from "./codes-overlay.js";
import { metadataSection, userMetadata } from "./object-meta.js";
import { maskedSection } from "./masked.js";

const EXPIRIES: Readonly<Record<string, number>> = { "15 minutes": 900, "1 hour": 3600, "1 day": 86400, "7 days": 604800 };

async function attachToImm(bucket: string): Promise<void> {
  const project = `console-${bucket}`.slice(0, 128);
  try {
    await rpc("CreateProject", { ProjectName: project });
  } catch (error) {
    if (!(error instanceof ApiError && error.code === "ResourceAlreadyExist")) throw error;
  }
  await rpc("AttachOSSBucket", { ProjectName: project, OSSBucket: bucket });
}

function scanSection(bucket: string, key: string, img: HTMLImageElement, stage: HTMLElement): HTMLElement {
  const status = statusLine();
  const list = h("ol", { class: "codes" });
  const section = h("section", { "aria-labelledby": "codes-title" }, h("h2", { id: "codes-title" }, "Codes found"), status, list);
  const scan = async (): Promise<void> => {
    status.className = "status";
    status.textContent = "Scanning with image/codes…";
    try {
      const codes = await detectCodes(bucket, key);
      if (!img.complete) await new Promise((r) => img.addEventListener("load", r, { once: true }));
      stage.querySelectorAll(".code-box").forEach((b) => b.remove());
      stage.append(...codeBoxes(img, codes, (text) => showOk(status, `Copied “${text}”.`)));
      replace(list, ...codes.map((c) => h("li", {}, h("code", {}, c.Content), ` at ${c.Boundary.Left},${c.Boundary.Top} (${c.Boundary.Width}×${c.Boundary.Height})`)));
      showOk(status, codes.length === 0 ? "No codes found." : `${codes.length} code${codes.length === 1 ? "" : "s"} found. Hover a box to read it, click to copy.`);
    } catch (error) {
      showError(status, error);
      if (error instanceof ApiError && error.code === "InvalidArgument" && /not attached to an IMM project/.test(error.message)) {
        const attach = h("button", { type: "button" }, "Create an IMM project and attach this bucket");
        attach.addEventListener("click", () => {
          attachToImm(bucket).then(scan, (e: unknown) => showError(status, e));
        });
        status.append(" ", attach);
      }
    }
  };
  void scan();
  return section;
}

export async function renderPreview(main: HTMLElement, bucket: string, key: string): Promise<void> {
  const status = statusLine();
  const meta = h("dl", { class: "meta" });
  const name = key.split("/").pop() ?? key;
  const folder = key.slice(0, key.length - name.length);
  const expiry = select("expires", Object.keys(EXPIRIES), "1 hour");
  const link = h("input", { readonly: true, name: "presigned", class: "wide", "aria-label": "Presigned link" });
  const linkForm = h("form", { class: "inline-form", "aria-label": "Share a presigned link" }, field("Link valid for", expiry), h("button", { type: "submit" }, "Create link"), link);
  linkForm.addEventListener("submit", (event) => {
    event.preventDefault();
    presign(bucket, key, EXPIRIES[expiry.value] ?? 3600).then(
      (answer) => {
        link.value = answer.url;
        link.select();
        void navigator.clipboard?.writeText(answer.url).catch(() => undefined);
        showOk(status, `Link valid until ${answer.expiresAt}.`);
      },
      (error: unknown) => showError(status, error),
    );
  });
  const remove = h("button", { type: "button", class: "danger" }, "Delete");
  remove.addEventListener("click", () => {
    if (!confirm(`Delete ${key}?`)) return;
    deleteObject(bucket, key).then(
      () => {
        location.hash = `#/bucket/${encodeURIComponent(bucket)}${folder ? `?prefix=${encodeURIComponent(folder)}` : ""}`;
      },
      (error: unknown) => showError(status, error),
    );
  });
  const download = h("a", { class: "button", href: downloadUrl(bucket, key), download: name }, "Download");
  const versions = h("a", { class: "button secondary", href: `#/versions/${encodeURIComponent(bucket)}?key=${encodeURIComponent(key)}` }, "Versions");
  replace(
    main,
    h("nav", { class: "crumbs", "aria-label": "Folder path" }, h("a", { href: "#/buckets" }, "Buckets"), " / ", h("a", { href: `#/bucket/${encodeURIComponent(bucket)}${folder ? `?prefix=${encodeURIComponent(folder)}` : ""}` }, `${bucket}/${folder}`)),
    h("h1", {}, name),
    h("div", { class: "toolbar" }, h("div", { class: "links" }, download, versions), remove),
    status,
    meta,
    linkForm,
  );
  function showFacts(headers: Headers): void {
    const rows: [string, string][] = [
      ["Key", key],
      ["Size", formatBytes(Number(headers.get("content-length") ?? 0))],
      ["Type", headers.get("content-type") ?? ""],
      ["Last modified", headers.get("last-modified") ?? ""],
      ["ETag", headers.get("etag") ?? ""],
      ["Storage class", headers.get("x-oss-storage-class") ?? ""],
      ...userMetadata(headers).map(([k, v]): [string, string] => [`x-oss-meta-${k}`, v]),
    ];
    replace(meta, ...rows.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
  }
  let head: Response;
  try {
    head = await oss("HEAD", ossUrl(bucket, key));
    showFacts(head.headers);
  } catch (error) {
    showError(status, error);
    return;
  }
  const contentType = head.headers.get("content-type") ?? "";
  const metadata = metadataSection(bucket, key, head.headers, () => {
    oss("HEAD", ossUrl(bucket, key)).then((res) => showFacts(res.headers), (error: unknown) => showError(status, error));
  });
  if (!contentType.startsWith("image/")) {
    main.append(metadata);
    return;
  }
  const img = h("img", { src: ossUrl(bucket, key), alt: `Preview of ${name}`, class: "preview" });
  const stage = h("div", { class: "stage" }, img);
  main.append(h("section", { "aria-label": "Image preview" }, stage), scanSection(bucket, key, img, stage), maskedSection(bucket, key, name), metadata);
}
