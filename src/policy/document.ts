/**
 * Parses and validates RAM identity policies and OSS bucket policies (oss-api.md §6.1) into a typed,
 * pre-compiled `PolicyDocument`. Pure: no I/O. Errors carry the statement index and key at fault.
 */
import { unknownActionReason } from "./known-actions.js";
import { compileActionPattern, compileResourcePattern, type Pattern, type PrincipalSpec } from "./match.js";
import { compileCondition, conditionOperator, ConditionSyntaxError, type ConditionClause } from "./conditions.js";

/** "identity": attached to a RAM user/role, or an STS session policy. "resource": a bucket policy. */
export type PolicyKind = "identity" | "resource";

/** RAM: a policy document ≤ 6144 characters. OSS: a bucket policy ≤ 16 KiB (UTF-8 bytes). */
export const POLICY_SIZE_LIMITS: Readonly<Record<PolicyKind, number>> = { identity: 6144, resource: 16 * 1024 };

export type PolicyErrorCode = "MalformedPolicyDocument" | "PolicyTooLarge";

export class PolicyError extends Error {
  override readonly name = "PolicyError";
  constructor(
    readonly code: PolicyErrorCode,
    message: string,
    /** 0-based index into Statement, when the error is inside one. */
    readonly statementIndex?: number,
    /** The statement key at fault (`Action`, `Condition`, …). */
    readonly key?: string,
  ) {
    super(message);
  }
}

export type Effect = "Allow" | "Deny";

export interface PolicyStatement {
  readonly index: number;
  readonly sid?: string;
  readonly effect: Effect;
  /** Exactly one of action / notAction is set. */
  readonly action?: readonly Pattern[];
  readonly notAction?: readonly Pattern[];
  /** Exactly one of resource / notResource is set. */
  readonly resource?: readonly Pattern[];
  readonly notResource?: readonly Pattern[];
  /** Only in resource (bucket) policies, where it is required. */
  readonly principal?: PrincipalSpec;
  /** Empty when the statement has no (or an empty) Condition. */
  readonly conditions: readonly ConditionClause[];
}

export interface PolicyDocument {
  readonly kind: PolicyKind;
  readonly version: "1";
  readonly statements: readonly PolicyStatement[];
  /** The JSON text as given, for GetBucketPolicy / GetPolicyVersion to echo back. */
  readonly text: string;
}

const TOP_KEYS = new Set(["Version", "Statement"]);
// `Sid` is not in the RAM docs but is common in AWS-style documents; accepted and ignored.
const STATEMENT_KEYS = new Set(["Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Principal", "Condition"]);
const PRINCIPAL_KEYS = new Set(["RAM", "Service", "Federated"]);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(v: unknown): v is Record<string, Json> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Builds errors that point at `Statement[i].Key`. */
function at(index: number | undefined, key?: string): (message: string) => PolicyError {
  const path = index === undefined ? key ?? "" : `Statement[${index}]${key ? `.${key}` : ""}`;
  return (message) => new PolicyError("MalformedPolicyDocument", path ? `${path}: ${message}` : message, index, key);
}

/** A string or a non-empty array of non-empty strings. */
function stringList(value: Json | undefined, fail: (m: string) => PolicyError, allowEmpty = false): string[] {
  const list = typeof value === "string" ? [value] : value;
  if (!Array.isArray(list) || list.some((v) => typeof v !== "string")) throw fail("must be a string or an array of strings");
  if (list.length === 0 && !allowEmpty) throw fail("must not be empty");
  const strings = list as string[];
  if (strings.some((s) => s === "")) throw fail("must not contain empty strings");
  return strings;
}

function parseActions(value: Json | undefined, fail: (m: string) => PolicyError): Pattern[] {
  return stringList(value, fail).map((a) => {
    const colon = a.indexOf(":");
    if (a !== "*" && (colon <= 0 || colon === a.length - 1)) throw fail(`"${a}" is not of the form service:ActionName`);
    const unknown = unknownActionReason(a);
    if (unknown) throw fail(unknown);
    return compileActionPattern(a);
  });
}

function parseResources(value: Json | undefined, fail: (m: string) => PolicyError): Pattern[] {
  return stringList(value, fail).map((r) => {
    if (r !== "*" && !/^acs:[^:]+:[^:]*:[^:]*:.+$/.test(r)) throw fail(`"${r}" is not "*" or an ARN acs:service:region:account:resource`);
    return compileResourcePattern(r);
  });
}

function parsePrincipal(value: Json | undefined, fail: (m: string) => PolicyError): PrincipalSpec {
  const ids: string[] = [];
  const others: string[] = [];
  if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (!PRINCIPAL_KEYS.has(k)) throw fail(`unknown principal type "${k}" (expected RAM, Service or Federated)`);
      (k === "RAM" ? ids : others).push(...stringList(v, fail));
    }
    if (ids.length === 0 && others.length === 0) throw fail("must name at least one principal");
  } else {
    ids.push(...stringList(value, fail, true)); // [] ≡ ["*"] (OSS docs)
    if (ids.length === 0) return { any: true, entries: [], others };
  }
  return { any: ids.includes("*"), entries: ids.filter((id) => id !== "*").map(compileResourcePattern), others };
}

function parseConditions(value: Json | undefined, fail: (m: string) => PolicyError): ConditionClause[] {
  if (value === undefined) return [];
  if (!isObject(value)) throw fail("must be an object of operator → { key → value(s) }");
  const clauses: ConditionClause[] = [];
  for (const [operator, block] of Object.entries(value)) {
    if (conditionOperator(operator) === undefined) throw fail(`unknown condition operator "${operator}"`);
    if (!isObject(block)) throw fail(`${operator} must be an object of key → value(s)`);
    for (const [key, raw] of Object.entries(block)) {
      // Numbers and booleans are accepted as their JSON text (`"acs:SecureTransport": true`).
      const list = Array.isArray(raw) ? raw : [raw];
      if (list.some((v) => typeof v !== "string" && typeof v !== "number" && typeof v !== "boolean")) {
        throw fail(`${operator}.${key} must be a string, number, boolean or an array of them`);
      }
      try {
        clauses.push(compileCondition(operator, key, list.map(String)));
      } catch (err) {
        if (err instanceof ConditionSyntaxError) throw fail(`${operator}.${key}: ${err.message}`);
        throw err;
      }
    }
  }
  return clauses;
}

function parseStatement(raw: Json, index: number, kind: PolicyKind): PolicyStatement {
  const fail = (key?: string): ((m: string) => PolicyError) => at(index, key);
  if (!isObject(raw)) throw fail()("must be an object");
  for (const key of Object.keys(raw)) if (!STATEMENT_KEYS.has(key)) throw fail(key)("unknown statement element");

  const effectRaw = raw["Effect"];
  if (effectRaw === undefined) throw fail("Effect")("is required");
  const effect = typeof effectRaw === "string" ? ({ allow: "Allow", deny: "Deny" } as const)[effectRaw.toLowerCase() as "allow" | "deny"] : undefined;
  if (effect === undefined) throw fail("Effect")('must be "Allow" or "Deny"');

  const hasAction = "Action" in raw;
  if (hasAction && "NotAction" in raw) throw fail("NotAction")("cannot be combined with Action (exactly one is required)");
  if (!hasAction && !("NotAction" in raw)) throw fail("Action")("is required (or NotAction)");
  const hasResource = "Resource" in raw;
  if (hasResource && "NotResource" in raw) throw fail("NotResource")("cannot be combined with Resource (exactly one is required)");
  if (!hasResource && !("NotResource" in raw)) throw fail("Resource")("is required (or NotResource)");

  let principal: PrincipalSpec | undefined;
  if (kind === "identity" && "Principal" in raw) throw fail("Principal")("is not allowed in an identity (RAM) policy");
  if (kind === "resource") {
    if (!("Principal" in raw)) throw fail("Principal")("is required in a bucket policy");
    principal = parsePrincipal(raw["Principal"], fail("Principal"));
  }
  const sid = raw["Sid"];
  if (sid !== undefined && typeof sid !== "string") throw fail("Sid")("must be a string");

  return {
    index,
    ...(sid !== undefined ? { sid } : {}),
    effect,
    ...(hasAction ? { action: parseActions(raw["Action"], fail("Action")) } : { notAction: parseActions(raw["NotAction"], fail("NotAction")) }),
    ...(hasResource
      ? { resource: parseResources(raw["Resource"], fail("Resource")) }
      : { notResource: parseResources(raw["NotResource"], fail("NotResource")) }),
    ...(principal ? { principal } : {}),
    conditions: parseConditions(raw["Condition"], fail("Condition")),
  };
}

/** Parses a policy; throws PolicyError (MalformedPolicyDocument or PolicyTooLarge). */
export function parsePolicy(text: string, kind: PolicyKind): PolicyDocument {
  const limit = POLICY_SIZE_LIMITS[kind];
  const size = kind === "identity" ? text.length : new TextEncoder().encode(text).length;
  if (size > limit) {
    const unit = kind === "identity" ? "characters" : "bytes";
    throw new PolicyError("PolicyTooLarge", `policy document is ${size} ${unit}; the limit is ${limit}`);
  }
  let json: Json;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, "")) as Json; // tolerate a UTF-8 BOM from editors
  } catch (err) {
    throw new PolicyError("MalformedPolicyDocument", `policy document is not valid JSON: ${(err as Error).message}`);
  }
  if (!isObject(json)) throw at(undefined)("policy document must be a JSON object");
  for (const key of Object.keys(json)) if (!TOP_KEYS.has(key)) throw at(undefined, key)("unknown top-level element");
  if (json["Version"] !== "1") throw at(undefined, "Version")('must be "1"');
  const rawStatements = json["Statement"];
  if (rawStatements === undefined) throw at(undefined, "Statement")("is required");
  const list = Array.isArray(rawStatements) ? rawStatements : [rawStatements];
  if (list.length === 0) throw at(undefined, "Statement")("must contain at least one statement");
  return { kind, version: "1", statements: list.map((s, i) => parseStatement(s, i, kind)), text };
}

/** Non-throwing variant for validation endpoints. */
export function tryParsePolicy(text: string, kind: PolicyKind): { ok: true; document: PolicyDocument } | { ok: false; error: PolicyError } {
  try {
    return { ok: true, document: parsePolicy(text, kind) };
  } catch (err) {
    if (err instanceof PolicyError) return { ok: false, error: err };
    throw err;
  }
}
