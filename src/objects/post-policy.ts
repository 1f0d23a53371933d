/**
 * The PostObject policy (base64 JSON `{expiration, conditions}`) and its conditions, as OSS
 * documents them: `{"field": "value"}` and `["eq", "$field", "value"]` (exact), `["starts-with",
 * "$field", "prefix"]`, `["in", "$field", [..]]`, `["not-in", "$field", [..]]`,
 * `["content-length-range", min, max]`. Field names compare case-insensitively (`$Content-Type`);
 * `bucket` is the bucket posted to. A failed condition is AccessDenied naming the condition.
 */
import { OssError } from "../errors/oss-error.js";

export interface PostPolicy {
  readonly expiration: Date;
  readonly conditions: readonly unknown[];
}

export interface SizeRange {
  readonly min: number;
  readonly max: number;
}

function invalidPolicy(message: string): OssError {
  return new OssError("InvalidPolicyDocument", message);
}

export function decodePolicy(base64: string): PostPolicy {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(base64, "base64").toString("utf8"));
  } catch {
    throw invalidPolicy("The policy is not base64-encoded JSON.");
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw invalidPolicy("The policy must be a JSON object.");
  const { expiration, conditions } = parsed as { expiration?: unknown; conditions?: unknown };
  if (typeof expiration !== "string" || Number.isNaN(Date.parse(expiration))) throw invalidPolicy("The policy needs an ISO 8601 expiration.");
  if (!Array.isArray(conditions)) throw invalidPolicy("The policy needs a conditions array.");
  return { expiration: new Date(expiration), conditions };
}

function failed(condition: unknown): OssError {
  return new OssError("AccessDenied", `Invalid according to Policy: Policy Condition failed: ${JSON.stringify(condition)}`);
}

function fieldName(ref: unknown, condition: unknown): string {
  if (typeof ref !== "string" || !ref.startsWith("$") || ref.length < 2) throw invalidPolicy(`Condition ${JSON.stringify(condition)} must name a form field as "$name".`);
  return ref.slice(1).toLowerCase();
}

/**
 * Checks expiration and every condition against the form fields (lower-case names) plus the
 * bucket; returns the content-length-range, if any, for the upload to enforce.
 */
export function checkPolicy(policy: PostPolicy, fields: ReadonlyMap<string, string>, bucket: string, now: Date): SizeRange | undefined {
  if (now.getTime() > policy.expiration.getTime()) throw new OssError("AccessDenied", "Invalid according to Policy: Policy expired.");
  const value = (name: string): string | undefined => (name === "bucket" ? bucket : fields.get(name));
  let range: SizeRange | undefined;
  for (const condition of policy.conditions) {
    if (condition !== null && typeof condition === "object" && !Array.isArray(condition)) {
      for (const [name, expected] of Object.entries(condition as Record<string, unknown>)) {
        if (typeof expected !== "string") throw invalidPolicy(`Condition ${JSON.stringify(condition)} must map a field to a string.`);
        if (value(name.toLowerCase()) !== expected) throw failed(condition);
      }
      continue;
    }
    if (!Array.isArray(condition) || typeof condition[0] !== "string") throw invalidPolicy(`Condition ${JSON.stringify(condition)} is not valid.`);
    const [op, a, b] = condition as [string, unknown, unknown];
    switch (op.toLowerCase()) {
      case "content-length-range": {
        const [min, max] = [Number(a), Number(b)];
        if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || min < 0 || max < min) throw invalidPolicy(`Condition ${JSON.stringify(condition)} needs 0 ≤ min ≤ max.`);
        range = { min, max };
        break;
      }
      case "eq":
        if (typeof b !== "string") throw invalidPolicy(`Condition ${JSON.stringify(condition)} needs a string value.`);
        if (value(fieldName(a, condition)) !== b) throw failed(condition);
        break;
      case "starts-with":
        if (typeof b !== "string") throw invalidPolicy(`Condition ${JSON.stringify(condition)} needs a string prefix.`);
        if (!(value(fieldName(a, condition)) ?? "").startsWith(b)) throw failed(condition);
        break;
      case "in":
      case "not-in": {
        if (!Array.isArray(b) || !b.every((v) => typeof v === "string")) throw invalidPolicy(`Condition ${JSON.stringify(condition)} needs an array of strings.`);
        const present = (b as string[]).includes(value(fieldName(a, condition)) ?? "");
        if (present !== (op.toLowerCase() === "in")) throw failed(condition);
        break;
      }
      default:
        throw invalidPolicy(`Unknown policy condition "${op}".`);
    }
  }
  return range;
}
