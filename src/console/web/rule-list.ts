/**
 * A list of rule cards (CORS rules, lifecycle rules): each card a fieldset with a legend and a
 * "Remove rule" button; "Add rule" appends an empty one and focuses its first control.
 */
import { h } from "./dom.js";

export interface RuleCard<T> {
  readonly element: HTMLFieldSetElement;
  read(): T;
}

export interface RuleList<T> {
  readonly element: HTMLElement;
  set(rules: readonly (T | undefined)[]): void;
  read(): T[];
}

/** `noun` as in "Add CORS rule" / "Add lifecycle rule"; card legends start with it capitalised. */
export function ruleList<T>(noun: string, card: (initial: T | undefined, legend: string) => RuleCard<T>): RuleList<T> {
  const cards: RuleCard<T>[] = [];
  const list = h("div", { class: "rule-list" });
  const empty = h("p", { class: "empty" }, `No ${noun} rules.`);
  let made = 0;

  function add(initial: T | undefined): RuleCard<T> {
    const c = card(initial, `${noun.charAt(0).toUpperCase()}${noun.slice(1)} rule ${++made}`);
    const remove = h("button", { type: "button", class: "danger", "aria-label": `Remove ${noun} rule ${made}` }, "Remove rule");
    remove.addEventListener("click", () => {
      cards.splice(cards.indexOf(c), 1);
      c.element.remove();
      empty.hidden = cards.length > 0;
    });
    c.element.append(remove);
    cards.push(c);
    list.append(c.element);
    empty.hidden = true;
    return c;
  }

  const addButton = h("button", { type: "button", class: "secondary" }, `Add ${noun} rule`);
  addButton.addEventListener("click", () => add(undefined).element.querySelector<HTMLElement>("input, select, textarea")?.focus());
  return {
    element: h("div", { class: "rules" }, empty, list, addButton),
    set(rules) {
      cards.splice(0).forEach((c) => c.element.remove());
      made = 0;
      empty.hidden = rules.length > 0;
      for (const r of rules) add(r);
    },
    read: () => cards.map((c) => c.read()),
  };
}

/** Lines of a textarea (trimmed, blank ones dropped). */
export function lines(text: string): string[] {
  return text.split(/\r?\n|,/).map((s) => s.trim()).filter((s) => s !== "");
}
