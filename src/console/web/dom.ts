/** A tiny element builder and formatting helpers for the console pages (no framework). */
export type Child = Node | string | number | null | undefined | false;
export type Attrs = Record<string, string | number | boolean | undefined | ((event: Event) => void)>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (typeof value === "function") el.addEventListener(name.slice(2).toLowerCase(), value);
    else if (value === true) el.setAttribute(name, "");
    else el.setAttribute(name, String(value));
  }
  append(el, ...children);
  return el;
}

export function append(el: Element, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(typeof child === "number" ? String(child) : child);
  }
}

export function replace(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, ...children);
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

export function formatDate(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().replace("T", " ").slice(0, 19);
}

/** A status line for results and errors, announced to screen readers. */
export function statusLine(): HTMLParagraphElement {
  return h("p", { class: "status", role: "status", "aria-live": "polite" });
}

export function showError(line: HTMLElement, error: unknown): void {
  line.className = "status error";
  line.textContent = error instanceof Error ? error.message : String(error);
}

export function showOk(line: HTMLElement, text: string): void {
  line.className = "status ok";
  line.textContent = text;
}

let fieldIds = 0;

/** A labelled form field: a `<label for>` tied to its control by id (the accessible name is the label alone). */
export function field(label: string, control: HTMLElement): HTMLDivElement {
  if (!control.id) control.id = `field-${++fieldIds}`;
  return h("div", { class: "field" }, h("label", { for: control.id }, label), control);
}

export function select(name: string, options: readonly string[], value?: string): HTMLSelectElement {
  const el = h("select", { name });
  for (const option of options) el.append(h("option", { value: option, selected: option === value }, option));
  return el;
}
