import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parsePolicy, PolicyError, POLICY_SIZE_LIMITS, tryParsePolicy, type PolicyKind } from "./document.js";

const stmt = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({ Effect: "Allow", Action: "oss:GetObject", Resource: "*", ...extra });
const doc = (...statements: unknown[]): string => JSON.stringify({ Version: "1", Statement: statements });

/** Expects a PolicyError with the given code whose message matches `pattern`. */
function rejects(text: string, kind: PolicyKind, pattern: RegExp, code = "MalformedPolicyDocument"): PolicyError {
  const r = tryParsePolicy(text, kind);
  assert.equal(r.ok, false, `expected ${text.slice(0, 120)} to be rejected`);
  const error = (r as { error: PolicyError }).error;
  assert.ok(error instanceof PolicyError);
  assert.equal(error.code, code);
  assert.match(error.message, pattern);
  return error;
}

describe("parsePolicy: accepted forms", () => {
  it("parses a minimal identity policy", () => {
    const d = parsePolicy(doc(stmt()), "identity");
    assert.equal(d.kind, "identity");
    assert.equal(d.version, "1");
    assert.equal(d.statements.length, 1);
    assert.equal(d.statements[0]?.effect, "Allow");
    assert.equal(d.statements[0]?.conditions.length, 0);
  });
  it("accepts a single statement object and string-or-array values", () => {
    const d = parsePolicy(JSON.stringify({ Version: "1", Statement: stmt({ Action: ["oss:Get*", "oss:List*"], Resource: ["acs:oss:*:*:b", "acs:oss:*:*:b/*"] }) }), "identity");
    assert.equal(d.statements[0]?.action?.length, 2);
    assert.equal(d.statements[0]?.resource?.length, 2);
  });
  it("accepts NotAction / NotResource, Sid, empty Condition, lower-case Effect", () => {
    const d = parsePolicy(doc({ Sid: "x", Effect: "deny", NotAction: "oss:Get*", NotResource: "acs:oss:*:*:b/*", Condition: {} }), "identity");
    const s = d.statements[0];
    assert.equal(s?.effect, "Deny");
    assert.equal(s?.sid, "x");
    assert.ok(s?.notAction && s.notResource && !s.action && !s.resource);
  });
  it("accepts every Principal form of a bucket policy", () => {
    for (const principal of ["*", ["*"], [], ["1234"], ["1234", "acs:ram::1:role/r"], { RAM: ["acs:ram::1:root"] }, { RAM: "acs:ram::1:root" }, { Service: ["imm.aliyuncs.com"] }]) {
      const d = parsePolicy(doc(stmt({ Principal: principal })), "resource");
      assert.ok(d.statements[0]?.principal, JSON.stringify(principal));
    }
    assert.equal(parsePolicy(doc(stmt({ Principal: [] })), "resource").statements[0]?.principal?.any, true);
    assert.equal(parsePolicy(doc(stmt({ Principal: ["1234"] })), "resource").statements[0]?.principal?.any, false);
  });
  it("accepts every condition operator (case-insensitive names) and JSON number/boolean values", () => {
    const Condition = {
      StringEquals: { a: "x" }, StringNotEquals: { a: "x" }, StringEqualsIgnoreCase: { a: "x" }, StringNotEqualsIgnoreCase: { a: "x" },
      StringLike: { a: "x*" }, StringNotLike: { a: "x?" }, NumericEquals: { n: 1 }, NumericNotEquals: { n: "1" },
      NumericLessThan: { n: "1.5" }, NumericLessThanEquals: { n: "-2" }, NumericGreaterThan: { n: "1e3" }, NumericGreaterThanEquals: { n: 0 },
      DateEquals: { d: "2026-01-01T00:00:00Z" }, DateNotEquals: { d: "1700000000" }, DateLessThan: { d: "2026-01-01" },
      DateLessThanEquals: { d: "2026-01-01T08:00:00+08:00" }, DateGreaterThan: { d: "2026-01-01T00:00:00.5Z" }, DateGreaterThanEquals: { d: "2026-01-01T00:00" },
      bool: { b: true }, IpAddress: { ip: ["1.2.3.4", "10.0.0.0/8", "::1", "2001:db8::/32"] }, NotIpAddress: { ip: "0.0.0.0/0" },
    };
    assert.equal(parsePolicy(doc(stmt({ Condition })), "identity").statements[0]?.conditions.length, 21);
  });
  it("tolerates a leading UTF-8 BOM", () => {
    assert.equal(parsePolicy(`\uFEFF${doc(stmt())}`, "identity").statements.length, 1);
  });
  it("keeps the original text", () => {
    const text = doc(stmt());
    assert.equal(parsePolicy(text, "identity").text, text);
  });
  it("accepts documents right at the size limits", () => {
    const pad = (target: number): string => {
      const base = doc(stmt({ Sid: "" }));
      return doc(stmt({ Sid: "x".repeat(target - base.length) }));
    };
    assert.equal(pad(POLICY_SIZE_LIMITS.identity).length, 6144);
    parsePolicy(pad(6144), "identity");
    parsePolicy(doc(stmt({ Principal: ["*"], Sid: "x".repeat(16384 - doc(stmt({ Principal: ["*"], Sid: "" })).length) })), "resource");
  });
});

describe("parsePolicy: rejected inputs", () => {
  const cases: Array<[string, string, PolicyKind, RegExp, string?]> = [
    ["bad JSON", '{"Version": "1", "Statement": [', "identity", /not valid JSON/],
    ["empty text", "", "identity", /not valid JSON/],
    ["JSON array at top level", "[]", "identity", /must be a JSON object/],
    ["wrong Version", JSON.stringify({ Version: "2", Statement: [stmt()] }), "identity", /^Version: must be "1"/],
    ["numeric Version", JSON.stringify({ Version: 1, Statement: [stmt()] }), "identity", /^Version: must be "1"/],
    ["missing Version", JSON.stringify({ Statement: [stmt()] }), "identity", /^Version/],
    ["missing Statement", JSON.stringify({ Version: "1" }), "identity", /^Statement: is required/],
    ["empty Statement", JSON.stringify({ Version: "1", Statement: [] }), "identity", /at least one statement/],
    ["unknown top-level key", JSON.stringify({ Version: "1", Statement: [stmt()], Id: "x" }), "identity", /^Id: unknown top-level element/],
    ["statement not an object", doc("Allow"), "identity", /^Statement\[0\]: must be an object/],
    ["unknown statement key", doc(stmt(), stmt({ Actions: "oss:*" })), "identity", /^Statement\[1\]\.Actions: unknown statement element/],
    ["missing Effect", doc({ Action: "oss:*", Resource: "*" }), "identity", /^Statement\[0\]\.Effect: is required/],
    ["bad Effect", doc(stmt({ Effect: "Permit" })), "identity", /^Statement\[0\]\.Effect: must be "Allow" or "Deny"/],
    ["Action and NotAction both", doc(stmt({ NotAction: "oss:Delete*" })), "identity", /^Statement\[0\]\.NotAction: cannot be combined with Action/],
    ["neither Action nor NotAction", doc({ Effect: "Allow", Resource: "*" }), "identity", /^Statement\[0\]\.Action: is required \(or NotAction\)/],
    ["Resource and NotResource both", doc(stmt({ NotResource: "*" })), "identity", /^Statement\[0\]\.NotResource: cannot be combined with Resource/],
    ["missing Resource (identity)", doc({ Effect: "Allow", Action: "oss:*" }), "identity", /Resource: is required/],
    ["missing Resource (bucket)", doc({ Effect: "Allow", Action: "oss:*", Principal: ["*"] }), "resource", /Resource: is required/],
    ["action without a colon", doc(stmt({ Action: "GetObject" })), "identity", /^Statement\[0\]\.Action: "GetObject" is not of the form service:ActionName/],
    ["action with an empty name", doc(stmt({ Action: ["oss:GetObject", "oss:"] })), "identity", /"oss:" is not of the form/],
    ["non-string action", doc(stmt({ Action: 5 })), "identity", /^Statement\[0\]\.Action: must be a string or an array of strings/],
    ["non-string in action array", doc(stmt({ Action: ["oss:GetObject", null] })), "identity", /Action: must be a string or an array of strings/],
    ["empty action array", doc(stmt({ Action: [] })), "identity", /Action: must not be empty/],
    ["empty action string", doc(stmt({ Action: "" })), "identity", /Action: must not contain empty strings/],
    ["non-string resource", doc(stmt({ Resource: { arn: "*" } })), "identity", /Resource: must be a string or an array of strings/],
    ["resource that is not an ARN", doc(stmt({ Resource: "mybucket/*" })), "identity", /Resource: "mybucket\/\*" is not "\*" or an ARN/],
    ["Principal in an identity policy", doc(stmt({ Principal: ["*"] })), "identity", /^Statement\[0\]\.Principal: is not allowed in an identity/],
    ["missing Principal in a bucket policy", doc(stmt()), "resource", /^Statement\[0\]\.Principal: is required in a bucket policy/],
    ["non-string Principal", doc(stmt({ Principal: [12345] })), "resource", /Principal: must be a string or an array of strings/],
    ["unknown principal type", doc(stmt({ Principal: { AWS: ["1"] } })), "resource", /Principal: unknown principal type "AWS"/],
    ["empty principal object", doc(stmt({ Principal: {} })), "resource", /Principal: must name at least one principal/],
    ["unknown condition operator", doc(stmt({ Condition: { StringMatches: { a: "x" } } })), "identity", /^Statement\[0\]\.Condition: unknown condition operator "StringMatches"/],
    ["unknown operator with empty block", doc(stmt({ Condition: { ForAnyValue: {} } })), "identity", /unknown condition operator/],
    ["Condition not an object", doc(stmt({ Condition: ["x"] })), "identity", /Condition: must be an object/],
    ["operator block not an object", doc(stmt({ Condition: { StringEquals: "x" } })), "identity", /StringEquals must be an object/],
    ["object condition value", doc(stmt({ Condition: { StringEquals: { a: { b: 1 } } } })), "identity", /StringEquals\.a must be a string, number, boolean/],
    ["null condition value", doc(stmt({ Condition: { StringEquals: { a: [null] } } })), "identity", /must be a string, number, boolean/],
    ["empty condition value list", doc(stmt({ Condition: { StringEquals: { a: [] } } })), "identity", /no values for condition key "a"/],
    ["non-numeric Numeric value", doc(stmt({ Condition: { NumericLessThan: { n: "ten" } } })), "identity", /NumericLessThan\.n: "ten" is not a number/],
    ["bad Date value", doc(stmt({ Condition: { DateLessThan: { "acs:CurrentTime": "next tuesday" } } })), "identity", /is not an ISO 8601 date or epoch seconds/],
    ["bad Bool value", doc(stmt({ Condition: { Bool: { "acs:SecureTransport": "yes" } } })), "identity", /"yes" is not true or false/],
    ["bad IP value", doc(stmt({ Condition: { IpAddress: { "acs:SourceIp": "10.0.0.300" } } })), "identity", /"10\.0\.0\.300" is not an IP address or CIDR/],
    ["bad CIDR prefix", doc(stmt({ Condition: { IpAddress: { "acs:SourceIp": "10.0.0.0/33" } } })), "identity", /invalid prefix length/],
    ["bad v6 CIDR prefix", doc(stmt({ Condition: { NotIpAddress: { "acs:SourceIp": "2001:db8::/129" } } })), "identity", /invalid prefix length/],
    ["non-string Sid", doc(stmt({ Sid: 1 })), "identity", /Sid: must be a string/],
    ["identity policy over 6144 characters", doc(stmt({ Sid: "x".repeat(6144) })), "identity", /limit is 6144/, "PolicyTooLarge"],
    ["bucket policy over 16 KiB", doc(stmt({ Principal: ["*"], Sid: "x".repeat(16384) })), "resource", /limit is 16384/, "PolicyTooLarge"],
    ["bucket policy over 16 KiB in UTF-8 bytes", doc(stmt({ Principal: ["*"], Sid: "é".repeat(8200) })), "resource", /bytes; the limit is 16384/, "PolicyTooLarge"],
  ];
  for (const [name, text, kind, pattern, code] of cases) {
    it(name, () => void rejects(text, kind, pattern, code));
  }

  it("reports the statement index and key on the error object", () => {
    const e = rejects(doc(stmt(), stmt(), stmt({ Action: "nope" })), "identity", /^Statement\[2\]\.Action/);
    assert.equal(e.statementIndex, 2);
    assert.equal(e.key, "Action");
  });
  it("parsePolicy throws the same PolicyError", () => {
    assert.throws(() => parsePolicy("{", "identity"), (e: unknown) => e instanceof PolicyError && e.code === "MalformedPolicyDocument");
  });
  it("an oversize check comes before JSON parsing", () => {
    rejects("x".repeat(7000), "identity", /limit is 6144/, "PolicyTooLarge");
  });
});
