/** Policy documents checked before they are stored, turned into RAM's error codes. */
import { parsePolicy, PolicyError, type PolicyKind } from "../policy/document.js";
import { RpcError } from "../rpc/errors.js";

/** STS AssumeRole's inline policy is at most 1024 characters. */
export const MAX_SESSION_POLICY_LENGTH = 1024;
const MAX_TRUST_POLICY_LENGTH = 2048;

function check(document: string, kind: PolicyKind): void {
  try {
    parsePolicy(document, kind);
  } catch (error) {
    if (!(error instanceof PolicyError)) throw error;
    if (error.code === "PolicyTooLarge") throw new RpcError(400, "LimitExceeded.Policy.Document", error.message);
    throw new RpcError(400, "MalformedPolicyDocument", error.message);
  }
}

export function validateIdentityPolicy(document: string): void {
  check(document, "identity");
}

export function validateBucketPolicy(document: string): void {
  check(document, "resource");
}

export function validateSessionPolicy(document: string): void {
  if (document.length > MAX_SESSION_POLICY_LENGTH) {
    throw new RpcError(400, "InvalidParameter.PolicyLength", `The session policy is longer than ${MAX_SESSION_POLICY_LENGTH} characters.`);
  }
  check(document, "identity");
}

/** Trust policies name principals (RAM ARNs, services) and no resources. */
export function validateTrustPolicy(document: string): void {
  const fail = (why: string): never => {
    throw new RpcError(400, "MalformedPolicyDocument", `The trust policy is not valid: ${why}.`);
  };
  if (document.length > MAX_TRUST_POLICY_LENGTH) fail(`longer than ${MAX_TRUST_POLICY_LENGTH} characters`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(document);
  } catch {
    return fail("not JSON");
  }
  const doc = parsed as { Version?: unknown; Statement?: unknown };
  if (typeof parsed !== "object" || parsed === null || doc.Version !== "1") fail('Version must be "1"');
  const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  if (statements.length === 0) fail("no Statement");
  statements.forEach((s: unknown, i) => {
    const st = s as { Effect?: unknown; Action?: unknown; Principal?: unknown };
    if (typeof s !== "object" || s === null) fail(`Statement ${i} is not an object`);
    if (st.Effect !== "Allow" && st.Effect !== "Deny") fail(`Statement ${i} Effect must be Allow or Deny`);
    if (st.Action === undefined) fail(`Statement ${i} has no Action`);
    if (typeof st.Principal !== "object" || st.Principal === null) fail(`Statement ${i} Principal must name RAM or Service principals`);
    for (const key of Object.keys(st.Principal as object)) {
      if (!["RAM", "Service", "Federated"].includes(key)) fail(`Statement ${i} Principal has unknown key ${key}`);
    }
  });
}
