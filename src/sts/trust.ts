/**
 * Role trust policies: who may assume a role. A statement with Effect Allow, an Action matching
 * `sts:AssumeRole` and a Principal `{"RAM": [...]}` naming the caller's account root
 * (`acs:ram::<uid>:root`, trusting every identity of that account that its own policies allow),
 * the caller's own ARN, or "*". `{"Service": [...]}` principals trust cloud services (IMM), not callers.
 * A matching Deny statement wins.
 */
import type { Principal } from "../auth/types.js";

interface TrustStatement {
  Effect?: unknown;
  Action?: unknown;
  Principal?: unknown;
}

function list(value: unknown): string[] {
  if (typeof value === "string") return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

function matchesAssumeRole(action: unknown): boolean {
  return list(action).some((a) => ["sts:assumerole", "sts:*", "*"].includes(a.toLowerCase()));
}

function principalMatches(principal: unknown, caller: Principal): boolean {
  if (principal === "*") return true;
  if (typeof principal !== "object" || principal === null) return false;
  const ram = list((principal as Record<string, unknown>).RAM);
  const callerArns = new Set([caller.arn, `acs:ram::${caller.accountId}:root`]);
  // An assumed-role caller is named by its role ARN in trust policies.
  if (caller.session) callerArns.add(`acs:ram::${caller.accountId}:role/${caller.session.roleName.toLowerCase()}`);
  return ram.some((arn) => arn === "*" || callerArns.has(arn) || arn === caller.accountId);
}

export function trustAllows(trustPolicy: string, caller: Principal): boolean {
  let parsed: { Statement?: unknown };
  try {
    parsed = JSON.parse(trustPolicy) as { Statement?: unknown };
  } catch {
    return false;
  }
  const statements = (Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement]) as TrustStatement[];
  let allowed = false;
  for (const s of statements) {
    if (!s || !matchesAssumeRole(s.Action) || !principalMatches(s.Principal, caller)) continue;
    if (s.Effect === "Deny") return false;
    if (s.Effect === "Allow") allowed = true;
  }
  return allowed;
}
