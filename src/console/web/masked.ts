/**
 * The object page's masked preview: `x-oss-process=image/mask-codes` (every code image/codes finds
 * covered by a mosaic, a blur or a fill), fetched as the signed-in identity (the same RAM actions and
 * IMM project binding as image/codes), shown, and offered as a download.
 */
import { oss, ossUrl } from "./api.js";
import { field, h, select, showError, showOk, statusLine } from "./dom.js";

const TYPES = ["mosaic", "blur", "fill"];

/** The process string: `image/mask-codes,t_<type>[,p_<padding>][,color_<hex>]`. */
export function maskProcess(type: string, padding: number, color: string): string {
  let process = `image/mask-codes,t_${type}`;
  if (padding > 0) process += `,p_${padding}`;
  if (type === "fill") process += `,color_${color.replace(/^#/, "").toUpperCase()}`;
  return process;
}

export function maskedSection(bucket: string, key: string, name: string): HTMLElement {
  const status = statusLine();
  const type = select("maskType", TYPES, "mosaic");
  const padding = h("input", { type: "number", name: "maskPadding", min: 0, max: 100, value: 4, inputmode: "numeric" });
  const color = h("input", { type: "color", name: "maskColor", value: "#000000" });
  const output = h("div", { class: "masked-output" });
  const colourFor = (): void => {
    color.disabled = type.value !== "fill";
  };
  type.addEventListener("change", colourFor);
  colourFor();
  let url: string | undefined;
  const form = h("form", { class: "inline-form", "aria-label": "Masked preview" }, field("Mask", type), field("Padding (px)", padding), field("Fill colour", color), h("button", { type: "submit" }, "Make masked preview"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const process = maskProcess(type.value, Number(padding.value) || 0, color.value);
    status.className = "status";
    status.textContent = "Masking with image/mask-codes…";
    oss("GET", ossUrl(bucket, key, { "x-oss-process": process }))
      .then(async (res) => {
        const blob = await res.blob();
        if (url) URL.revokeObjectURL(url);
        url = URL.createObjectURL(blob);
        const file = name.replace(/(\.[^.]*)?$/, "-masked$1");
        output.replaceChildren(
          h("img", { src: url, alt: `${name} with its codes masked (${type.value})`, class: "preview masked" }),
          h("a", { class: "button", href: url, download: file }, `Download ${file}`),
        );
        showOk(status, `Masked with ${process}.`);
      })
      .catch((error: unknown) => showError(status, error));
  });
  return h("section", { "aria-labelledby": "masked-title", class: "panel" }, h("h2", { id: "masked-title" }, "Masked preview"), h("p", { class: "hint" }, "Hides every code found, for sharing the picture without them."), form, status, output);
}
