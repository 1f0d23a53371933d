/**
 * An editable list of key/value rows (object metadata, tags): each row a labelled pair of inputs and
 * a remove button, plus "Add"; `read()` gives the trimmed pairs without blank rows.
 */
import { h } from "./dom.js";

export interface KeyValueRows {
  readonly element: HTMLElement;
  read(): [string, string][];
  set(pairs: ReadonlyArray<readonly [string, string]>): void;
}

export function keyValueRows(noun: string, keyPattern?: string): KeyValueRows {
  const list = h("div", { class: "kv-rows", role: "group", "aria-label": `${noun}s` });
  let count = 0;

  function addRow(key = "", value = ""): HTMLInputElement {
    const n = ++count;
    const keyInput = h("input", { name: `${noun}-key-${n}`, value: key, spellcheck: "false", "aria-label": `${noun} ${n} key`, ...(keyPattern ? { pattern: keyPattern } : {}) });
    const valueInput = h("input", { name: `${noun}-value-${n}`, value, spellcheck: "false", "aria-label": `${noun} ${n} value`, class: "wide" });
    const row = h("div", { class: "kv-row" }, keyInput, valueInput);
    row.append(h("button", { type: "button", class: "link", "aria-label": `Remove ${noun.toLowerCase()} ${n}`, onclick: () => row.remove() }, "Remove"));
    list.append(row);
    return keyInput;
  }

  const add = h("button", { type: "button", class: "secondary", onclick: () => addRow().focus() }, `Add ${noun.toLowerCase()}`);
  return {
    element: h("div", { class: "kv" }, list, add),
    read: () =>
      Array.from(list.querySelectorAll<HTMLElement>(".kv-row"))
        .map((row) => {
          const [k, v] = Array.from(row.querySelectorAll("input"));
          return [k?.value.trim() ?? "", v?.value ?? ""] as [string, string];
        })
        .filter(([k, v]) => k !== "" || v !== ""),
    set(pairs) {
      list.replaceChildren();
      for (const [k, v] of pairs) addRow(k, v);
    },
  };
}
