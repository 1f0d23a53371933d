/**
 * The image styles' preview: an image object of the bucket fetched through the relay with
 * `x-oss-process=style/<name>` (as the signed-in identity, so OSS's own error is shown), drawn with
 * its size, and a link that opens the same URL in a new tab. The key field suggests the bucket's
 * first image keys.
 */
import { oss, ossUrl, ossXml } from "./api.js";
import { field, formatBytes, h, showError, statusLine } from "./dom.js";

const IMAGE_KEY = /\.(png|jpe?g|gif|webp|bmp|tiff?|avif|heic)$/i;
const SUGGESTED = 100;

export interface StylePreview {
  readonly keyField: HTMLElement;
  readonly element: HTMLElement;
  show(style: string): Promise<void>;
  /** Fills the key suggestions (and the field, when empty) from the bucket's first keys; a refused listing leaves them empty. */
  suggestKeys(): Promise<void>;
}

export function styleUrl(bucket: string, key: string, style: string): string {
  return ossUrl(bucket, key, { "x-oss-process": `style/${style}` });
}

export function stylePreview(bucket: string): StylePreview {
  const status = statusLine();
  const keys = h("datalist", { id: "style-preview-keys" });
  const key = h("input", { name: "stylePreviewKey", spellcheck: "false", class: "wide", list: keys.id, placeholder: "photos/example.jpg" });
  const img = h("img", { class: "preview", alt: "" });
  const caption = h("figcaption", { class: "hint" });
  const figure = h("figure", { class: "style-preview", hidden: true }, img, caption);
  let blobUrl = "";
  // Only the latest request draws: an earlier, slower answer is dropped.
  let latest = 0;

  async function show(style: string): Promise<void> {
    const objectKey = key.value.trim().replace(/^\//, "");
    if (!objectKey) {
      showError(status, "Choose an image object of the bucket to preview the style on.");
      key.focus();
      return;
    }
    status.className = "status";
    status.textContent = `Loading ${objectKey} with style ${style}…`;
    const url = styleUrl(bucket, objectKey, style);
    const ticket = ++latest;
    try {
      const blob = await (await oss("GET", url)).blob();
      if (ticket !== latest) return;
      if (blobUrl) URL.revokeObjectURL(blobUrl);
      blobUrl = URL.createObjectURL(blob);
      const loaded = new Promise((resolve, reject) => {
        img.onload = resolve;
        img.onerror = () => reject(new Error(`The answer (${blob.type || "no content type"}) is not an image the browser can show.`));
      });
      img.src = blobUrl;
      img.alt = `${objectKey} with style ${style}`;
      await loaded;
      const open = h("a", { href: url, target: "_blank", rel: "noopener" }, "Open in a new tab");
      caption.replaceChildren(`Style ${style} on ${objectKey}: ${img.naturalWidth} × ${img.naturalHeight} px, ${blob.type}, ${formatBytes(blob.size)} · `, open);
      figure.hidden = false;
      status.textContent = "";
    } catch (error) {
      if (ticket !== latest) return;
      figure.hidden = true;
      showError(status, error);
    }
  }

  async function suggestKeys(): Promise<void> {
    try {
      const doc = await ossXml("GET", ossUrl(bucket, "", { "max-keys": String(SUGGESTED) }));
      const found = Array.from(doc.getElementsByTagName("Key"), (k) => k.textContent ?? "").filter((k) => IMAGE_KEY.test(k));
      keys.replaceChildren(...found.map((k) => h("option", { value: k })));
      if (!key.value && found[0]) key.value = found[0];
    } catch {
      // Suggestions only: the key can still be typed.
    }
  }

  return { keyField: h("div", { class: "inline-form" }, field("Image to preview on (object key)", key), keys), element: h("div", {}, status, figure), show, suggestKeys };
}
