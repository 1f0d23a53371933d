/** XML text escaping and element reading for the OSS configuration documents the pages write and read. */
export const XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>';

export function esc(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}

/** `<tag>text</tag>` with the text escaped. */
export function el(tag: string, text: string | number): string {
  return `<${tag}>${esc(String(text))}</${tag}>`;
}

/** The text of the first `tag` under `parent` (direct or deeper), "" when absent. */
export function textOf(parent: Element | Document, tag: string): string {
  return parent.getElementsByTagName(tag)[0]?.textContent ?? "";
}

/** Direct children of `parent` named `tag` (not deeper ones: a Rule's Filter has its own Prefix). */
export function children(parent: Element, tag: string): Element[] {
  return Array.from(parent.children).filter((c) => c.tagName === tag);
}

export function childText(parent: Element, tag: string): string {
  return children(parent, tag)[0]?.textContent ?? "";
}
