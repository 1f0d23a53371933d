/**
 * "Why can this user not read that key?": who (a RAM user's AccessKey, any AccessKey ID, or an
 * anonymous caller), an action, a bucket and a key → the decision a request would get and the
 * policy statement, bucket policy or ACL that made it, from the RPC action ExplainAccess (the admin
 * listener's /explain for signed callers; RAM action ram:DecodeDiagnosticMessage). Conditions see
 * only the current time: the request's address and transport are not known here.
 */
import { rpc } from "./api.js";
import { listBuckets } from "./oss.js";
import { field, h, replace, select, showError, statusLine } from "./dom.js";

interface Explanation {
  principal: string;
  keyActive?: boolean;
  allowed: boolean;
  decision: string;
  by: { source: string; policyName?: string; statementIndex?: number };
  reason: string;
  action: string;
  resource: string;
}

const ACTIONS = ["oss:GetObject", "oss:PutObject", "oss:DeleteObject", "oss:ListObjects", "oss:GetBucketInfo", "oss:PutBucketAcl", "oss:GetBucketPolicy", "oss:PutBucketPolicy", "oss:ProcessImm", "oss:GetObjectTagging", "oss:PutObjectTagging", "imm:DetectImageCodes", "kms:Decrypt"];
const SOURCES: Readonly<Record<string, string>> = {
  identity: "a policy attached to the identity",
  session: "the STS session policy",
  bucket: "the bucket policy",
  owner: "ownership (the account owns the resource)",
  acl: "the bucket or object ACL",
  none: "nothing: no policy, ACL or ownership grants it",
};

export function describeExplanation(e: Explanation): string {
  const by = SOURCES[e.by.source] ?? e.by.source;
  const statement = e.by.statementIndex !== undefined ? `, Statement[${e.by.statementIndex}]` : "";
  const policy = e.by.policyName ? ` “${e.by.policyName}”${statement}` : statement;
  return `${e.allowed ? "Allowed" : "Denied"} (${e.decision}) by ${by}${policy}.`;
}

export async function renderExplain(main: HTMLElement): Promise<void> {
  const status = statusLine();
  const user = select("explainUser", []);
  const keyId = h("input", { name: "explainKey", spellcheck: "false", placeholder: "empty: an anonymous caller", class: "wide" });
  const action = h("input", { name: "explainAction", required: true, value: "oss:GetObject", list: "explain-actions", spellcheck: "false", pattern: "[a-z]+:[A-Za-z*]+" });
  const actions = h("datalist", { id: "explain-actions" }, ...ACTIONS.map((a) => h("option", { value: a })));
  const bucket = h("input", { name: "explainBucket", list: "explain-buckets", spellcheck: "false" });
  const buckets = h("datalist", { id: "explain-buckets" });
  const key = h("input", { name: "explainObjectKey", spellcheck: "false", class: "wide" });
  const verdict = h("div", { class: "verdict", "aria-live": "polite" });
  const form = h(
    "form",
    { class: "stack", "aria-label": "Explain access" },
    h("div", { class: "inline-form" }, field("RAM user (fills the AccessKey ID)", user), field("AccessKey ID", keyId)),
    h("div", { class: "inline-form" }, field("Action", action), actions, field("Bucket", bucket), buckets, field("Object key", key)),
    h("button", { type: "submit" }, "Explain"),
  );

  user.addEventListener("change", () => {
    if (!user.value) return;
    rpc<{ AccessKeys?: { AccessKey?: { AccessKeyId: string; Status: string }[] } }>("ListAccessKeys", { UserName: user.value }).then((a) => {
      const keys = a.AccessKeys?.AccessKey ?? [];
      keyId.value = (keys.find((k) => k.Status === "Active") ?? keys[0])?.AccessKeyId ?? "";
      if (!keyId.value) showError(status, `${user.value} has no AccessKey.`);
    }, (error: unknown) => showError(status, error));
  });

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    status.textContent = "";
    const params: Record<string, string> = { AuthAction: action.value.trim() };
    if (keyId.value.trim()) params.AuthAccessKeyId = keyId.value.trim();
    if (bucket.value.trim()) params.Bucket = bucket.value.trim();
    if (key.value) params.Key = key.value;
    rpc<{ Explanation: Explanation }>("ExplainAccess", params).then(({ Explanation: e }) => {
      replace(
        verdict,
        h("p", { class: `decision ${e.allowed ? "allowed" : "denied"}`, "data-decision": e.decision }, describeExplanation(e)),
        h("dl", { class: "meta" }, h("dt", {}, "Who"), h("dd", {}, e.principal, e.keyActive === false ? " (key disabled)" : ""), h("dt", {}, "Action"), h("dd", {}, e.action), h("dt", {}, "Resource"), h("dd", {}, e.resource), h("dt", {}, "Reason"), h("dd", {}, e.reason)),
      );
    }, (error: unknown) => {
      verdict.replaceChildren();
      showError(status, error);
    });
  });

  replace(
    main,
    h("h1", {}, "Explain access"),
    h("p", { class: "hint" }, "Why would this identity be allowed or denied this action? The same decision a request gets (RAM policies, session policy, bucket policy, ACL, ownership), without sending the request. Conditions see only the current time."),
    form,
    status,
    verdict,
  );
  const [users, bucketList] = await Promise.allSettled([rpc<{ Users?: { User?: { UserName: string }[] } }>("ListUsers", { MaxItems: "1000" }), listBuckets()]);
  if (users.status === "fulfilled") replace(user, h("option", { value: "" }, "— choose —"), ...(users.value.Users?.User ?? []).map((u) => h("option", { value: u.UserName }, u.UserName)));
  else replace(user, h("option", { value: "" }, "(cannot list users)"));
  if (bucketList.status === "fulfilled") replace(buckets, ...bucketList.value.map((b) => h("option", { value: b.name })));
}
