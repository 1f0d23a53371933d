/**
 * Condition operators of the policy language (oss-api.md §6.1).
 *
 * Semantics (AWS-compatible where the Alibaba docs are silent):
 * - One clause = one operator + one key + its values. The clause holds when ANY request value of the
 *   key matches ANY policy value (values OR-ed). Keys under one operator and operators are AND-ed
 *   (the caller ANDs all clauses of a statement).
 * - Negated operators (String*Not*, NumericNotEquals, DateNotEquals, NotIpAddress) are the exact
 *   negation of their positive twin. Hence a key ABSENT from the request makes a positive operator
 *   false and a negated one true; an unparseable request value (e.g. a non-numeric string for a
 *   Numeric operator) simply never matches, so it too makes the negated operator true.
 * - Condition keys are case-insensitive; operator names are matched case-insensitively too.
 * - Policy values are validated at parse time (numbers, dates, booleans, IPs/CIDRs) so a typo is a
 *   MalformedPolicyDocument, not a silent never-match.
 */
import { BlockList, isIP } from "node:net";
import { compileResourcePattern } from "./match.js";

export const CONDITION_OPERATORS = [
  "StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike",
  "NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals", "NumericGreaterThan", "NumericGreaterThanEquals",
  "DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals", "DateGreaterThan", "DateGreaterThanEquals",
  "Bool", "IpAddress", "NotIpAddress",
] as const;
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];

const BY_LOWER = new Map<string, ConditionOperator>(CONDITION_OPERATORS.map((op) => [op.toLowerCase(), op]));

/** Canonical operator name, or undefined for an unknown operator. */
export function conditionOperator(name: string): ConditionOperator | undefined {
  return BY_LOWER.get(name.toLowerCase());
}

/** Request context: condition key (any case) → value(s). Missing / undefined / [] = absent. */
export type ConditionContext = Readonly<Record<string, string | readonly string[] | undefined>>;
/** Context with lower-cased keys, built once per evaluation. */
export type NormalizedContext = ReadonlyMap<string, readonly string[]>;

export function normalizeContext(context: ConditionContext | undefined): NormalizedContext {
  const out = new Map<string, string[]>();
  for (const [key, value] of Object.entries(context ?? {})) {
    if (value === undefined) continue;
    const values = typeof value === "string" ? [value] : [...value];
    if (values.length === 0) continue;
    const lower = key.toLowerCase();
    out.set(lower, [...(out.get(lower) ?? []), ...values]);
  }
  return out;
}

/** What the server knows about a request, for `requestContext`. */
export interface RequestFacts {
  readonly sourceIp?: string;
  readonly secureTransport?: boolean;
  readonly now?: Date;
  readonly userAgent?: string;
  readonly accessKeyId?: string;
  /** ListObjects `prefix` / `delimiter` query parameters (only when present in the request). */
  readonly prefix?: string;
  readonly delimiter?: string;
  /** Any other keys (`oss:BucketTag/<k>`, `acs:MFAPresent`, …). */
  readonly extra?: ConditionContext;
}

/** The last second formatted: every request of that second asks for the same text. */
let formattedSecond = NaN;
let formattedText = "";

/** `acs:CurrentTime`'s value: ISO 8601 in UTC to the second (`2024-05-01T12:00:00Z`). */
function currentTimeText(now: Date): string {
  const second = Math.floor(now.getTime() / 1000);
  if (second !== formattedSecond) {
    formattedText = new Date(second * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
    formattedSecond = second;
  }
  return formattedText;
}

/** Builds the condition context with the documented key names and value formats. */
export function requestContext(facts: RequestFacts): Record<string, string | readonly string[]> {
  const ctx: Record<string, string | readonly string[]> = {};
  for (const [k, v] of Object.entries(facts.extra ?? {})) if (v !== undefined) ctx[k] = v;
  if (facts.sourceIp !== undefined) ctx["acs:SourceIp"] = facts.sourceIp;
  if (facts.secureTransport !== undefined) ctx["acs:SecureTransport"] = String(facts.secureTransport);
  if (facts.now !== undefined) ctx["acs:CurrentTime"] = currentTimeText(facts.now);
  if (facts.userAgent !== undefined) ctx["acs:UserAgent"] = facts.userAgent;
  if (facts.accessKeyId !== undefined) ctx["acs:AccessId"] = facts.accessKeyId;
  if (facts.prefix !== undefined) ctx["oss:Prefix"] = facts.prefix;
  if (facts.delimiter !== undefined) ctx["oss:Delimiter"] = facts.delimiter;
  return ctx;
}

export interface ConditionClause {
  readonly operator: ConditionOperator;
  /** Key as written in the policy. */
  readonly key: string;
  readonly values: readonly string[];
  /** Evaluates the clause against the request's values for `key` (undefined = absent). */
  test(requestValues: readonly string[] | undefined): boolean;
}

/** Thrown by `compileCondition` for a bad operator or value; the parser adds the statement path. */
export class ConditionSyntaxError extends Error {}

/** Evaluates all clauses of one statement (AND). */
export function conditionsHold(clauses: readonly ConditionClause[], context: NormalizedContext): boolean {
  return clauses.every((c) => c.test(context.get(c.key.toLowerCase())));
}

// ---------------------------------------------------------------------------------------------
// Value parsing

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
function parseNumber(s: string): number | undefined {
  const t = s.trim();
  return NUMBER.test(t) ? Number(t) : undefined;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;
const HAS_ZONE = /(Z|[+-]\d{2}:?\d{2})$/i;
/** ISO 8601 (zone-less date-times read as UTC) or integer epoch seconds → epoch milliseconds. */
export function parseDate(s: string): number | undefined {
  const t = s.trim();
  if (/^\d+$/.test(t)) return Number(t) * 1000;
  if (!ISO_DATE.test(t)) return undefined;
  let iso = t.replace(" ", "T");
  if (iso.includes("T") && !HAS_ZONE.test(iso)) iso += "Z";
  iso = iso.replace(/([+-]\d{2})(\d{2})$/, "$1:$2");
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}

/** A request IP as `[address, family]`; IPv4-mapped IPv6 (`::ffff:1.2.3.4`) is read as IPv4. */
function parseIp(s: string): [string, "ipv4" | "ipv6"] | undefined {
  let t = s.trim().replace(/^\[(.*)\]$/, "$1").replace(/%.*$/, "");
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(t);
  if (mapped?.[1] !== undefined) t = mapped[1];
  const family = isIP(t);
  return family === 4 ? [t, "ipv4"] : family === 6 ? [t, "ipv6"] : undefined;
}

function ipBlockList(values: readonly string[]): BlockList {
  const list = new BlockList();
  for (const value of values) {
    const [addr = "", bits, extra] = value.trim().split("/");
    const ip = parseIp(addr);
    if (ip === undefined || extra !== undefined) throw new ConditionSyntaxError(`"${value}" is not an IP address or CIDR block`);
    const max = ip[1] === "ipv4" ? 32 : 128;
    if (bits === undefined) {
      list.addAddress(ip[0], ip[1]);
      continue;
    }
    const prefix = /^\d{1,3}$/.test(bits) ? Number(bits) : NaN;
    if (!(prefix >= 0 && prefix <= max)) throw new ConditionSyntaxError(`"${value}" has an invalid prefix length`);
    list.addSubnet(ip[0], prefix, ip[1]);
  }
  return list;
}

// ---------------------------------------------------------------------------------------------
// Compilation

type ValueTest = (requestValue: string) => boolean;

function parseAll<T>(values: readonly string[], parse: (s: string) => T | undefined, what: string): T[] {
  return values.map((v) => {
    const parsed = parse(v);
    if (parsed === undefined) throw new ConditionSyntaxError(`"${v}" is not ${what}`);
    return parsed;
  });
}

function compare(op: "Equals" | "LessThan" | "LessThanEquals" | "GreaterThan" | "GreaterThanEquals", a: number, b: number): boolean {
  switch (op) {
    case "Equals": return a === b;
    case "LessThan": return a < b;
    case "LessThanEquals": return a <= b;
    case "GreaterThan": return a > b;
    case "GreaterThanEquals": return a >= b;
  }
}

/** Builds the positive test for one request value; negated operators invert the whole clause. */
function positiveTest(operator: ConditionOperator, values: readonly string[]): { negated: boolean; test: ValueTest } {
  switch (operator) {
    case "StringEquals":
    case "StringNotEquals": {
      const set = new Set(values);
      return { negated: operator === "StringNotEquals", test: (v) => set.has(v) };
    }
    case "StringEqualsIgnoreCase":
    case "StringNotEqualsIgnoreCase": {
      const set = new Set(values.map((v) => v.toLowerCase()));
      return { negated: operator === "StringNotEqualsIgnoreCase", test: (v) => set.has(v.toLowerCase()) };
    }
    case "StringLike":
    case "StringNotLike": {
      const patterns = values.map(compileResourcePattern); // case-sensitive, like AWS StringLike
      return { negated: operator === "StringNotLike", test: (v) => patterns.some((p) => p.test(v)) };
    }
    case "Bool": {
      const wanted = parseAll(values, (s) => (/^(true|false)$/i.test(s.trim()) ? s.trim().toLowerCase() : undefined), "true or false");
      return { negated: false, test: (v) => wanted.includes(v.trim().toLowerCase()) };
    }
    case "IpAddress":
    case "NotIpAddress": {
      const list = ipBlockList(values);
      return {
        negated: operator === "NotIpAddress",
        test: (v) => {
          const ip = parseIp(v);
          return ip !== undefined && list.check(ip[0], ip[1]);
        },
      };
    }
    default: {
      const numeric = operator.startsWith("Numeric");
      const parse = numeric ? parseNumber : parseDate;
      const bounds = parseAll(values, parse, numeric ? "a number" : "an ISO 8601 date or epoch seconds");
      const rel = operator.replace(/^(Numeric|Date)/, "");
      const negated = rel === "NotEquals";
      const cmp = (negated ? "Equals" : rel) as Parameters<typeof compare>[0];
      return {
        negated,
        test: (v) => {
          const x = parse(v);
          return x !== undefined && bounds.some((b) => compare(cmp, x, b));
        },
      };
    }
  }
}

/** Compiles one clause; throws ConditionSyntaxError for an unknown operator or a bad value. */
export function compileCondition(operatorName: string, key: string, values: readonly string[]): ConditionClause {
  const operator = conditionOperator(operatorName);
  if (operator === undefined) throw new ConditionSyntaxError(`unknown condition operator "${operatorName}"`);
  if (key === "") throw new ConditionSyntaxError("empty condition key");
  if (values.length === 0) throw new ConditionSyntaxError(`no values for condition key "${key}"`);
  const { negated, test } = positiveTest(operator, values);
  return {
    operator,
    key,
    values,
    test(requestValues) {
      const hit = requestValues !== undefined && requestValues.some(test);
      return negated ? !hit : hit;
    },
  };
}
