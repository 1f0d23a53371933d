/**
 * A policy document editor: a monospace textarea checked as you type (policy-check.ts; the verdict
 * announced politely, the textarea marked aria-invalid) and a "Format" button that pretty-prints it.
 */
import { field, h } from "./dom.js";
import { checkPolicy, type PolicyKind } from "./policy-check.js";

export interface PolicyEditor {
  readonly element: HTMLElement;
  readonly textarea: HTMLTextAreaElement;
  /** The problems of the current text ([] when it looks right); `allowEmpty` accepts "". */
  problems(): string[];
  set(text: string): void;
}

export function policyEditor(label: string, kind: PolicyKind, name: string, options: { allowEmpty?: boolean; rows?: number } = {}): PolicyEditor {
  const textarea = h("textarea", { name, rows: options.rows ?? 12, class: "code", spellcheck: "false", autocomplete: "off" });
  const verdict = h("p", { class: "hint check", "aria-live": "polite", id: `${name}-check` });
  textarea.setAttribute("aria-describedby", verdict.id);
  const problems = (): string[] => (options.allowEmpty && textarea.value.trim() === "" ? [] : checkPolicy(textarea.value, kind));
  const update = (): void => {
    const found = problems();
    textarea.setAttribute("aria-invalid", String(found.length > 0));
    verdict.className = `hint check ${found.length ? "bad" : "good"}`;
    verdict.textContent = textarea.value.trim() === "" ? (options.allowEmpty ? "Empty: saving deletes it." : "") : found.length ? found.join(" ") : "Looks like a valid policy; the server checks the actions and resources.";
  };
  let typing: ReturnType<typeof setTimeout> | undefined;
  textarea.addEventListener("input", () => {
    clearTimeout(typing);
    typing = setTimeout(update, 200);
  });
  const format = h("button", { type: "button", class: "secondary" }, "Format JSON");
  format.addEventListener("click", () => {
    if (textarea.readOnly) return;
    try {
      textarea.value = JSON.stringify(JSON.parse(textarea.value), null, 2);
    } catch {
      // leave it as typed; the verdict says why
    }
    update();
  });
  update();
  return {
    element: h("div", { class: "policy-editor" }, field(label, textarea), h("div", { class: "editor-bar" }, verdict, format)),
    textarea,
    problems,
    set(text) {
      textarea.value = text;
      update();
    },
  };
}
