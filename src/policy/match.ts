/**
 * Wildcard and principal matching for the policy language (oss-api.md §6.1).
 *
 * Patterns use `*` (any sequence, including empty) and `?` (exactly one character); every other
 * character is literal (RAM has no escape syntax). Matching is a hand-written two-pointer matcher
 * with a single backtrack point: O(pattern × value) worst case, never exponential, no RegExp.
 */

/** A pattern compiled once (at parse time) and tested many times. */
export interface Pattern {
  readonly source: string;
  test(value: string): boolean;
}

/** Matches one pre-split pattern against one pre-split value (arrays of code points). */
function matchChars(pattern: readonly string[], value: readonly string[]): boolean {
  let p = 0;
  let v = 0;
  let star = -1; // index of the last `*` seen in the pattern
  let mark = 0; // value index that `*` currently extends to
  while (v < value.length) {
    const pc = pattern[p];
    if (pc !== undefined && pc !== "*" && (pc === "?" || pc === value[v])) {
      p++;
      v++;
    } else if (pc === "*") {
      star = p++;
      mark = v;
    } else if (star !== -1) {
      // Let the last `*` swallow one more character and retry from there.
      p = star + 1;
      v = ++mark;
    } else {
      return false;
    }
  }
  while (pattern[p] === "*") p++;
  return p === pattern.length;
}

/** Compiles a wildcard pattern. `ignoreCase` lower-cases both sides (used for action names). */
export function compileWildcard(source: string, ignoreCase: boolean): Pattern {
  const norm = (s: string): string => (ignoreCase ? s.toLowerCase() : s);
  const pattern = norm(source);
  if (pattern === "*") return { source, test: () => true };
  if (!pattern.includes("*") && !pattern.includes("?")) {
    return { source, test: (value) => norm(value) === pattern };
  }
  if (!pattern.includes("?") && pattern.indexOf("*") === pattern.length - 1) {
    // Common case: a single trailing star (`oss:Get*`, `acs:oss:*:123:bucket/dir/*` is not one).
    const prefix = pattern.slice(0, -1);
    return { source, test: (value) => norm(value).startsWith(prefix) };
  }
  const chars = Array.from(pattern);
  return { source, test: (value) => matchChars(chars, Array.from(norm(value))) };
}

/** Action names (`oss:GetObject`) are case-insensitive. */
export function compileActionPattern(source: string): Pattern {
  return compileWildcard(source, true);
}

/** Resource ARNs and principal identifiers are case-sensitive (object keys are). */
export function compileResourcePattern(source: string): Pattern {
  return compileWildcard(source, false);
}

/** One-shot helper for callers that do not keep the compiled pattern. */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  return compileWildcard(pattern, ignoreCase).test(value);
}

// ---------------------------------------------------------------------------------------------
// Principals (bucket policies only)

/**
 * The caller as the evaluator sees it. Structurally compatible with `Principal` from
 * src/auth/types.ts; `userId` is the RAM user's (or role session's) own numeric UID, which OSS
 * bucket policies may name in `Principal` — supply it when the identity store has one.
 */
export interface PolicyPrincipal {
  readonly accountId: string;
  readonly kind: "root" | "user" | "assumed-role";
  readonly arn: string;
  readonly name?: string;
  readonly userId?: string;
}

/** Parsed `Principal` element. */
export interface PrincipalSpec {
  /** `"*"`, `["*"]`, `[]`, or an entry `*`: everyone, anonymous included. */
  readonly any: boolean;
  /** UIDs and RAM/STS ARNs (plain list entries and `{"RAM": [...]}` entries), wildcards allowed. */
  readonly entries: readonly Pattern[];
  /** `{"Service": [...]}` / `{"Federated": [...]}`: kept for round-tripping, never match a caller here. */
  readonly others: readonly string[];
}

/** How a statement's `Principal` relates to the caller. */
export type PrincipalMatch = "direct" | "account" | "none";

const ASSUMED_ROLE = /^acs:ram::([^:]*):assumed-role\/([^/]+)\/(.+)$/;

/** Every name under which the caller can be listed in a `Principal`. */
export function principalIdentifiers(principal: PolicyPrincipal): string[] {
  const ids = [principal.arn];
  if (principal.userId !== undefined && principal.userId !== "") ids.push(principal.userId);
  if (principal.kind === "root") {
    ids.push(principal.accountId, `acs:ram::${principal.accountId}:root`);
  } else if (principal.kind === "assumed-role") {
    // OSS docs write role sessions as `arn:sts::{uid}:assumed-role/{role}/{session}`; the role
    // itself (`acs:ram::{uid}:role/{role}`) covers every session of it.
    const m = ASSUMED_ROLE.exec(principal.arn);
    if (m) ids.push(`arn:sts::${m[1]}:assumed-role/${m[2]}/${m[3]}`, `acs:ram::${m[1]}:role/${m[2]}`);
  } else if (principal.name !== undefined) {
    ids.push(`acs:ram::${principal.accountId}:user/${principal.name}`);
  }
  return [...new Set(ids)];
}

/**
 * Matches a `Principal` element against the caller (undefined = anonymous).
 * - "direct": the caller itself is named (or `*`).
 * - "account": a RAM user/role is covered only through its account (`{uid}` or `acs:ram::{uid}:root`):
 *   like AWS, naming an account delegates to it, so the caller's own identity policies must also allow.
 * `ignoreAny` drops the everyone-wildcard (the bucket owner is not "everyone" without a Condition).
 */
export function matchPrincipal(
  spec: PrincipalSpec,
  principal: PolicyPrincipal | undefined,
  options: { readonly ignoreAny?: boolean } = {},
): PrincipalMatch {
  if (spec.any && !options.ignoreAny) return "direct";
  if (principal === undefined) return "none";
  const ids = principalIdentifiers(principal);
  if (spec.entries.some((e) => ids.some((id) => e.test(id)))) return "direct";
  if (principal.kind !== "root") {
    const accountIds = [principal.accountId, `acs:ram::${principal.accountId}:root`];
    if (spec.entries.some((e) => accountIds.some((id) => e.test(id)))) return "account";
  }
  return "none";
}
