/**
 * Boxes over an image for the codes image/codes found: placed in percentages of the image's natural
 * size (so they follow the image when it scales), the text on hover/focus as a tooltip, click or
 * Enter copies it.
 */
import type { CodeFound } from "./oss.js";
import { h } from "./dom.js";

export function codeBoxes(img: HTMLImageElement, codes: readonly CodeFound[], copied: (text: string) => void): HTMLElement[] {
  const w = img.naturalWidth || 1;
  const ht = img.naturalHeight || 1;
  return codes.map((code, i) => {
    const b = code.Boundary;
    const box = h(
      "button",
      { type: "button", class: "code-box", "data-code": code.Content, "aria-label": `Code ${i + 1}: ${code.Content}. Copy text`, title: code.Content },
      h("span", { class: "code-text" }, code.Content),
    );
    box.style.left = `${(b.Left / w) * 100}%`;
    box.style.top = `${(b.Top / ht) * 100}%`;
    box.style.width = `${(b.Width / w) * 100}%`;
    box.style.height = `${(b.Height / ht) * 100}%`;
    box.addEventListener("click", () => {
      void navigator.clipboard?.writeText(code.Content).catch(() => undefined);
      copied(code.Content);
    });
    return box;
  });
}
