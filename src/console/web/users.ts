/** RAM users: the list with their policies, create (with an AccessKey whose secret is shown once), attach a policy. */
import { rpc } from "./api.js";
import { field, formatDate, h, replace, select, showError, showOk, statusLine } from "./dom.js";

interface User { UserName: string; DisplayName?: string; CreateDate?: string }
interface Policy { PolicyName: string; PolicyType: string; Description?: string }

async function listPolicies(): Promise<Policy[]> {
  const answer = await rpc<{ Policies?: { Policy?: Policy[] } }>("ListPolicies", { MaxItems: "1000" });
  return answer.Policies?.Policy ?? [];
}

export async function renderUsers(main: HTMLElement): Promise<void> {
  const status = statusLine();
  const body = h("tbody");
  const secretBox = h("div", { class: "secret", hidden: true, role: "alert" });
  const userName = h("input", { name: "userName", required: true, pattern: "[A-Za-z0-9._@-]{1,64}", spellcheck: "false" });
  const createForm = h("form", { class: "inline-form", "aria-label": "Create RAM user" }, field("User name", userName), h("button", { type: "submit" }, "Create user and AccessKey"));
  const attachUser = select("attachUser", []);
  const attachPolicy = select("attachPolicy", []);
  const attachForm = h("form", { class: "inline-form", "aria-label": "Attach policy" }, field("User", attachUser), field("Policy", attachPolicy), h("button", { type: "submit" }, "Attach policy"));

  async function refresh(): Promise<void> {
    const answer = await rpc<{ Users?: { User?: User[] } }>("ListUsers", { MaxItems: "1000" });
    const users = answer.Users?.User ?? [];
    const rows = await Promise.all(
      users.map(async (u) => {
        const attached = await rpc<{ Policies?: { Policy?: Policy[] } }>("ListPoliciesForUser", { UserName: u.UserName }).then((a) => a.Policies?.Policy ?? [], () => undefined);
        return h("tr", { "data-user": u.UserName }, h("td", {}, u.UserName), h("td", {}, attached ? attached.map((p) => p.PolicyName).join(", ") || "—" : "(not permitted)"), h("td", {}, formatDate(u.CreateDate ?? "")));
      }),
    );
    replace(body, ...rows);
    if (rows.length === 0) body.append(h("tr", {}, h("td", { colspan: 3, class: "empty" }, "No RAM users yet.")));
    replace(attachUser, ...users.map((u) => h("option", { value: u.UserName }, u.UserName)));
  }

  createForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const name = userName.value.trim();
    (async () => {
      await rpc("CreateUser", { UserName: name });
      const key = await rpc<{ AccessKey: { AccessKeyId: string; AccessKeySecret: string } }>("CreateAccessKey", { UserName: name });
      secretBox.hidden = false;
      replace(
        secretBox,
        h("p", {}, h("strong", {}, `AccessKey for ${name} — copy the secret now: it is not shown again.`)),
        h("dl", { class: "meta" }, h("dt", {}, "AccessKey ID"), h("dd", {}, h("code", { "data-field": "accessKeyId" }, key.AccessKey.AccessKeyId)), h("dt", {}, "AccessKey secret"), h("dd", {}, h("code", { "data-field": "accessKeySecret" }, key.AccessKey.AccessKeySecret))),
        h("button", { type: "button", onclick: () => { secretBox.hidden = true; secretBox.replaceChildren(); } }, "I have saved it"),
      );
      showOk(status, `Created user ${name}.`);
      userName.value = "";
      await refresh();
    })().catch((error: unknown) => showError(status, error));
  });

  attachForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const [policyType, policyName] = attachPolicy.value.split(":");
    rpc("AttachPolicyToUser", { UserName: attachUser.value, PolicyName: policyName ?? "", PolicyType: policyType ?? "System" }).then(
      async () => {
        showOk(status, `Attached ${policyName} to ${attachUser.value}.`);
        await refresh();
      },
      (error: unknown) => showError(status, error),
    );
  });

  replace(
    main,
    h("h1", {}, "RAM users"),
    createForm,
    secretBox,
    attachForm,
    status,
    h("div", { class: "table-wrap" }, h("table", {}, h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "User"), h("th", { scope: "col" }, "Policies"), h("th", { scope: "col" }, "Created"))), body)),
  );
  try {
    const policies = await listPolicies();
    replace(attachPolicy, ...policies.map((p) => h("option", { value: `${p.PolicyType}:${p.PolicyName}` }, `${p.PolicyName} (${p.PolicyType})`)));
    await refresh();
  } catch (error) {
    showError(status, error);
  }
}
