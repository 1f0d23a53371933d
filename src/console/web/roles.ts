/**
 * RAM roles: the list with their policies, create (name, description, session length, trust policy),
 * edit a role's trust policy (UpdateRole), attach or detach a policy, delete (RAM refuses while
 * policies are attached: DeleteConflict.Role.Policy, shown as it comes).
 */
import { currentSession, rpc } from "./api.js";
import { field, formatDate, h, replace, select, showError, showOk, statusLine } from "./dom.js";
import { policyEditor } from "./policy-editor.js";
import { examplePolicy } from "./policy-check.js";
import { fillPolicyOptions, listPolicies, splitPolicyOption, type Policy } from "./ram-common.js";

interface Role { RoleName: string; Arn: string; Description?: string; MaxSessionDuration?: number; CreateDate?: string; AssumeRolePolicyDocument?: string }

export async function renderRoles(main: HTMLElement): Promise<void> {
  const status = statusLine();
  const body = h("tbody");
  const accountId = currentSession()?.identity.accountId ?? "<account>";

  const roleName = h("input", { name: "roleName", required: true, pattern: "[A-Za-z0-9._\\-]{1,64}", spellcheck: "false" });
  const description = h("input", { name: "roleDescription", spellcheck: "true", size: 40 });
  const duration = h("input", { type: "number", name: "maxSessionDuration", min: 3600, max: 43200, value: 3600, inputmode: "numeric" });
  const trust = policyEditor("Trust policy (who may assume the role)", "trust", "trustPolicy", { rows: 9 });
  trust.set(examplePolicy("trust", accountId));
  const createForm = h("form", { class: "stack", "aria-label": "Create RAM role" }, h("div", { class: "inline-form" }, field("Role name", roleName), field("Description", description), field("Max session (seconds)", duration)), trust.element, h("button", { type: "submit" }, "Create role"));

  const editRole = select("editRole", []);
  const editTrust = policyEditor("Trust policy of the chosen role", "trust", "editTrustPolicy", { rows: 9 });
  const editForm = h("form", { class: "stack", "aria-label": "Edit trust policy" }, field("Role to edit", editRole), editTrust.element, h("button", { type: "submit" }, "Save trust policy"));

  const attachRole = select("attachRole", []);
  const attachPolicy = select("attachRolePolicy", []);
  const attachForm = h("form", { class: "inline-form", "aria-label": "Attach policy to role" }, field("Role", attachRole), field("Policy", attachPolicy), h("button", { type: "submit" }, "Attach to role"), h("button", { type: "button", class: "secondary", onclick: () => void change("DetachPolicyFromRole") }, "Detach from role"));

  /** Reloads the list; `choose` (a role just created) becomes the chosen one in both forms. */
  async function refresh(choose?: string): Promise<void> {
    const answer = await rpc<{ Roles?: { Role?: Role[] } }>("ListRoles", { MaxItems: "1000" });
    const roles = answer.Roles?.Role ?? [];
    const rows = await Promise.all(
      roles.map(async (r) => {
        const attached = await rpc<{ Policies?: { Policy?: Policy[] } }>("ListPoliciesForRole", { RoleName: r.RoleName }).then((a) => a.Policies?.Policy ?? [], () => undefined);
        return h(
          "tr",
          { "data-role": r.RoleName },
          h("td", {}, r.RoleName, r.Description ? h("div", { class: "hint" }, r.Description) : null),
          h("td", { class: "arn" }, h("code", {}, r.Arn)),
          h("td", {}, attached ? attached.map((p) => p.PolicyName).join(", ") || "—" : "(not permitted)"),
          h("td", {}, formatDate(r.CreateDate ?? "")),
          h("td", {}, h("button", { type: "button", class: "danger", "aria-label": `Delete role ${r.RoleName}`, onclick: () => void remove(r.RoleName) }, "Delete")),
        );
      }),
    );
    replace(body, ...rows);
    if (rows.length === 0) body.append(h("tr", {}, h("td", { colspan: 5, class: "empty" }, "No RAM roles yet.")));
    for (const sel of [editRole, attachRole]) {
      const chosen = choose ?? sel.value;
      replace(sel, ...roles.map((r) => h("option", { value: r.RoleName, selected: r.RoleName === chosen }, r.RoleName)));
    }
    await loadTrust();
  }

  async function loadTrust(): Promise<void> {
    if (!editRole.value) return editTrust.set("");
    const answer = await rpc<{ Role: Role }>("GetRole", { RoleName: editRole.value });
    const doc = answer.Role.AssumeRolePolicyDocument ?? "";
    try {
      editTrust.set(JSON.stringify(JSON.parse(doc), null, 2));
    } catch {
      editTrust.set(doc);
    }
  }

  async function remove(name: string): Promise<void> {
    if (!confirm(`Delete role ${name}?`)) return;
    try {
      await rpc("DeleteRole", { RoleName: name });
      showOk(status, `Deleted role ${name}.`);
      await refresh();
    } catch (error) {
      showError(status, error);
    }
  }

  async function change(action: "AttachPolicyToRole" | "DetachPolicyFromRole"): Promise<void> {
    try {
      const policy = splitPolicyOption(attachPolicy.value);
      await rpc(action, { RoleName: attachRole.value, ...policy });
      showOk(status, `${action === "AttachPolicyToRole" ? "Attached" : "Detached"} ${policy.PolicyName} ${action === "AttachPolicyToRole" ? "to" : "from"} ${attachRole.value}.`);
      await refresh();
    } catch (error) {
      showError(status, error);
    }
  }

  createForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const problems = trust.problems();
    if (problems.length) return showError(status, `Not created: ${problems.join(" ")}`);
    const name = roleName.value.trim();
    rpc("CreateRole", { RoleName: name, AssumeRolePolicyDocument: trust.textarea.value, MaxSessionDuration: duration.value || "3600", ...(description.value.trim() ? { Description: description.value.trim() } : {}) }).then(async () => {
      showOk(status, `Created role ${name}.`);
      roleName.value = "";
      description.value = "";
      await refresh(name);
    }, (error: unknown) => showError(status, error));
  });
  editForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const problems = editTrust.problems();
    if (problems.length) return showError(status, `Not saved: ${problems.join(" ")}`);
    rpc("UpdateRole", { RoleName: editRole.value, NewAssumeRolePolicyDocument: editTrust.textarea.value }).then(() => showOk(status, `Saved the trust policy of ${editRole.value}.`), (error: unknown) => showError(status, error));
  });
  editRole.addEventListener("change", () => void loadTrust().catch((error: unknown) => showError(status, error)));
  attachForm.addEventListener("submit", (event) => {
    event.preventDefault();
    void change("AttachPolicyToRole");
  });

  replace(
    main,
    h("h1", {}, "RAM roles"),
    status,
    h("div", { class: "table-wrap" }, h("table", {}, h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Role"), h("th", { scope: "col" }, "ARN"), h("th", { scope: "col" }, "Policies"), h("th", { scope: "col" }, "Created"), h("th", { scope: "col" }, h("span", { class: "sr-only" }, "Actions")))), body)),
    h("h2", {}, "Attach a policy"),
    attachForm,
    h("h2", {}, "Trust policy"),
    editForm,
    h("h2", {}, "Create a role"),
    createForm,
  );
  try {
    fillPolicyOptions(attachPolicy, await listPolicies());
    await refresh();
  } catch (error) {
    showError(status, error);
  }
}
