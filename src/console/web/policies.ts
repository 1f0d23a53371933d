/**
 * RAM policies: system and custom ones listed; a policy's document opened in the JSON editor (system
 * ones to read); a custom policy saved as a new default version (CreatePolicyVersion, the oldest
 * non-default version rotated out at RAM's limit of 5) or deleted; a new custom policy created. The
 * page checks the JSON first (policy-check.ts); RAM validates fully and its error is shown.
 */
import { currentSession, rpc } from "./api.js";
import { field, formatDate, h, replace, showError, showOk, statusLine } from "./dom.js";
import { policyEditor } from "./policy-editor.js";
import { examplePolicy } from "./policy-check.js";
import { listPolicies, type Policy } from "./ram-common.js";

interface PolicyAnswer { Policy: Policy; DefaultPolicyVersion?: { PolicyDocument?: string; VersionId?: string } }

export async function renderPolicies(main: HTMLElement): Promise<void> {
  const status = statusLine();
  const body = h("tbody");
  const accountId = currentSession()?.identity.accountId ?? "<account>";
  const heading = h("h2", { id: "policy-doc-title" }, "New custom policy");
  const name = h("input", { name: "policyName", required: true, pattern: "[A-Za-z0-9._\\-]{1,128}", spellcheck: "false" });
  const description = h("input", { name: "policyDescription", size: 40 });
  const editor = policyEditor("Policy document", "identity", "policyDocument", { rows: 14 });
  editor.set(examplePolicy("identity", accountId));
  const save = h("button", { type: "submit" }, "Create policy");
  const fresh = h("button", { type: "button", class: "secondary" }, "New policy");
  const form = h("form", { class: "stack", "aria-labelledby": "policy-doc-title" }, h("div", { class: "inline-form" }, field("Policy name", name), field("Description", description)), editor.element, h("div", { class: "editor-bar" }, save, fresh));
  /** The custom policy open in the editor (a new version is saved), or undefined (a new policy). */
  let open: string | undefined;

  function startNew(): void {
    open = undefined;
    heading.textContent = "New custom policy";
    name.readOnly = false;
    name.value = "";
    description.readOnly = false;
    description.value = "";
    editor.textarea.readOnly = false;
    editor.set(examplePolicy("identity", accountId));
    save.textContent = "Create policy";
    save.hidden = false;
  }

  async function view(p: Policy): Promise<void> {
    const answer = await rpc<PolicyAnswer>("GetPolicy", { PolicyName: p.PolicyName, PolicyType: p.PolicyType });
    const doc = answer.DefaultPolicyVersion?.PolicyDocument ?? "";
    let pretty = doc;
    try {
      pretty = JSON.stringify(JSON.parse(doc), null, 2);
    } catch {
      // shown as stored
    }
    const custom = p.PolicyType === "Custom";
    open = custom ? p.PolicyName : undefined;
    heading.textContent = `${p.PolicyName} (${p.PolicyType}, ${answer.DefaultPolicyVersion?.VersionId ?? "?"})`;
    name.value = p.PolicyName;
    name.readOnly = true;
    description.value = p.Description ?? "";
    description.readOnly = true;
    editor.textarea.readOnly = !custom;
    editor.set(pretty);
    save.textContent = "Save as new default version";
    save.hidden = !custom;
    editor.textarea.focus();
  }

  async function remove(p: Policy): Promise<void> {
    if (!confirm(`Delete policy ${p.PolicyName}?`)) return;
    try {
      await rpc("DeletePolicy", { PolicyName: p.PolicyName });
      showOk(status, `Deleted policy ${p.PolicyName}.`);
      if (open === p.PolicyName) startNew();
      await refresh();
    } catch (error) {
      showError(status, error);
    }
  }

  async function refresh(): Promise<void> {
    const policies = await listPolicies();
    policies.sort((a, b) => (a.PolicyType === b.PolicyType ? a.PolicyName.localeCompare(b.PolicyName) : a.PolicyType === "Custom" ? -1 : 1));
    replace(
      body,
      ...policies.map((p) =>
        h(
          "tr",
          { "data-policy": p.PolicyName },
          h("td", {}, p.PolicyName),
          h("td", {}, p.PolicyType),
          h("td", {}, p.Description ?? ""),
          h("td", {}, p.DefaultVersion ?? ""),
          h("td", {}, formatDate(p.CreateDate ?? "")),
          h(
            "td",
            {},
            h(
              "div",
              { class: "actions" },
              h("button", { type: "button", class: "secondary", "aria-label": `Open policy ${p.PolicyName}`, onclick: () => void view(p).catch((e: unknown) => showError(status, e)) }, "Open"),
              p.PolicyType === "Custom" ? h("button", { type: "button", class: "danger", "aria-label": `Delete policy ${p.PolicyName}`, onclick: () => void remove(p) }, "Delete") : null,
            ),
          ),
        ),
      ),
    );
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const problems = editor.problems();
    if (problems.length) {
      showError(status, `Not saved: ${problems.join(" ")}`);
      editor.textarea.focus();
      return;
    }
    const document = editor.textarea.value;
    const saving = open
      ? rpc<{ PolicyVersion?: { VersionId?: string } }>("CreatePolicyVersion", { PolicyName: open, PolicyDocument: document, SetAsDefault: "true", RotateStrategy: "DeleteOldestNonDefaultVersionWhenLimitExceeded" }).then((a) => `Saved ${open} as version ${a.PolicyVersion?.VersionId ?? "?"} (default).`)
      : rpc("CreatePolicy", { PolicyName: name.value.trim(), PolicyDocument: document, ...(description.value.trim() ? { Description: description.value.trim() } : {}) }).then(() => `Created policy ${name.value.trim()}.`);
    saving.then(async (message) => {
      showOk(status, message);
      await refresh();
    }, (error: unknown) => showError(status, error));
  });
  fresh.addEventListener("click", startNew);

  replace(
    main,
    h("h1", {}, "RAM policies"),
    status,
    h("div", { class: "table-wrap" }, h("table", {}, h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Policy"), h("th", { scope: "col" }, "Type"), h("th", { scope: "col" }, "Description"), h("th", { scope: "col" }, "Version"), h("th", { scope: "col" }, "Created"), h("th", { scope: "col" }, h("span", { class: "sr-only" }, "Actions")))), body)),
    heading,
    form,
  );
  await refresh().catch((error: unknown) => showError(status, error));
}
