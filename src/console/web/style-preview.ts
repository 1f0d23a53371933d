/**
 * The image styles' preview: an image object of the bucket fetched through the relay with
 * `x-oss-process=style/<name>` (as the signed-in identity, so OSS's own error is shown), drawn with
 * its size, and a link that opens the same URL in a new tab. A style whose answer is JSON (image/codes,
 * which runs alone on the source image) is shown as formatted JSON, and its codes' boxes drawn on the
 * original image. The key field suggests the bucket's first image keys.
 */
import { oss, ossUrl, ossXml } from "./api.js";
import { codeBoxes } from "./codes-overlay.js";
import { field, formatBytes, h, showError, showOk, statusLine } from "./dom.js";
import type { CodeFound } from "./oss.js";

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

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Error("The style answered JSON that does not parse.");
  }
}

/** The `Codes` of an image/codes answer, when it is one. */
function codesOf(answer: unknown): CodeFound[] | undefined {
  const codes = (answer as { Codes?: unknown } | null)?.Codes;
  return Array.isArray(codes) && codes.every((c: { Content?: unknown; Boundary?: unknown }) => typeof c.Content === "string" && typeof c.Boundary === "object") ? (codes as CodeFound[]) : undefined;
}

export function stylePreview(bucket: string): StylePreview {
  const status = statusLine();
  const keys = h("datalist", { id: "style-preview-keys" });
  const key = h("input", { name: "stylePreviewKey", spellcheck: "false", class: "wide", list: keys.id, placeholder: "photos/example.jpg" });
  const img = h("img", { class: "preview", alt: "" });
  const stage = h("div", { class: "stage" }, img);
  const json = h("pre", { class: "json", tabindex: 0, "aria-label": "The style's JSON answer" });
  const caption = h("figcaption", { class: "hint" });
  const figure = h("figure", { class: "style-preview", hidden: true }, stage, json, caption);
  let blobUrl = "";
  // Only the latest request draws: an earlier, slower answer is dropped.
  let latest = 0;

  /** Shows `blob` in the image (rejects when the browser cannot draw it). */
  async function draw(blob: Blob, alt: string): Promise<void> {
    if (blobUrl) URL.revokeObjectURL(blobUrl);
    blobUrl = URL.createObjectURL(blob);
    const loaded = new Promise((resolve, reject) => {
      img.onload = resolve;
      img.onerror = () => reject(new Error(`The answer (${blob.type || "no content type"}) is not an image the browser can show.`));
    });
    img.src = blobUrl;
    img.alt = alt;
    await loaded;
  }

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
      stage.querySelectorAll(".code-box").forEach((b) => b.remove());
      const open = h("a", { href: url, target: "_blank", rel: "noopener" }, "Open in a new tab");
      if (/[/+]json\b/.test(blob.type)) {
        const answer = parseJson(await blob.text());
        json.textContent = JSON.stringify(answer, null, 2);
        json.hidden = false;
        const codes = codesOf(answer);
        // image/codes ran on the source image: its boxes are drawn on the original object.
        if (codes) await draw(await (await oss("GET", ossUrl(bucket, objectKey))).blob(), `${objectKey} with the codes style ${style} found`);
        if (ticket !== latest) return;
        stage.hidden = !codes;
        if (codes) stage.append(...codeBoxes(img, codes, (text) => showOk(status, `Copied “${text}”.`)));
        const found = codes ? ` · ${codes.length} code${codes.length === 1 ? "" : "s"}${codes.length ? ", boxed on the original image" : ""}` : "";
        caption.replaceChildren(`Style ${style} on ${objectKey}: JSON (${blob.type}, ${formatBytes(blob.size)})${found} · `, open);
      } else {
        json.hidden = true;
        stage.hidden = false;
        await draw(blob, `${objectKey} with style ${style}`);
        caption.replaceChildren(`Style ${style} on ${objectKey}: ${img.naturalWidth} × ${img.naturalHeight} px, ${blob.type}, ${formatBytes(blob.size)} · `, open);
      }
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
