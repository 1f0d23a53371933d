/**
 * A first check of a policy document in the page, before it is sent: JSON syntax and the shape every
 * RAM policy has (Version "1", Statement with Effect Allow/Deny and Action; Resource for identity and
 * bucket policies, Principal for bucket and trust policies). The server validates fully (known
 * actions, resources, conditions) and its error (OSS InvalidPolicyDocument, RAM MalformedPolicyDocument) is shown.
 */
export type PolicyKind = "identity" | "bucket" | "trust";

/** The problems found, [] when the document looks right. */
export function checkPolicy(text: string, kind: PolicyKind): string[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    return [`Not JSON: ${(error as Error).message}`];
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) return ["The policy must be a JSON object."];
  const problems: string[] = [];
  const d = doc as Record<string, unknown>;
  if (d.Version !== "1") problems.push('Version must be "1".');
  const statements = Array.isArray(d.Statement) ? d.Statement : d.Statement === undefined ? [] : [d.Statement];
  if (statements.length === 0) problems.push("Statement must hold at least one statement.");
  statements.forEach((s: unknown, i) => {
    const at = `Statement ${i + 1}`;
    if (typeof s !== "object" || s === null || Array.isArray(s)) {
      problems.push(`${at} is not an object.`);
      return;
    }
    const st = s as Record<string, unknown>;
    if (st.Effect !== "Allow" && st.Effect !== "Deny") problems.push(`${at}: Effect must be "Allow" or "Deny".`);
    if (st.Action === undefined && st.NotAction === undefined) problems.push(`${at}: Action is missing.`);
    if (kind !== "trust" && st.Resource === undefined && st.NotResource === undefined) problems.push(`${at}: Resource is missing.`);
    if (kind !== "identity" && st.Principal === undefined) problems.push(`${at}: Principal is missing.`);
    for (const key of ["Action", "Resource"]) {
      const v = st[key];
      if (v !== undefined && typeof v !== "string" && !(Array.isArray(v) && v.every((x) => typeof x === "string"))) problems.push(`${at}: ${key} must be a string or a list of strings.`);
    }
  });
  return problems;
}

/** A starting document for each kind. */
export function examplePolicy(kind: PolicyKind, accountId: string, bucket = "example-bucket"): string {
  const statement =
    kind === "trust"
      ? { Effect: "Allow", Action: "sts:AssumeRole", Principal: { RAM: [`acs:ram::${accountId}:root`] } }
      : kind === "bucket"
        ? { Effect: "Allow", Action: ["oss:GetObject"], Principal: ["*"], Resource: [`acs:oss:*:${accountId}:${bucket}/*`] }
        : { Effect: "Allow", Action: ["oss:GetObject", "oss:ListObjects"], Resource: [`acs:oss:*:${accountId}:${bucket}`, `acs:oss:*:${accountId}:${bucket}/*`] };
  return JSON.stringify({ Version: "1", Statement: [statement] }, null, 2);
}
