import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { compileCondition, conditionOperator, conditionsHold, ConditionSyntaxError, normalizeContext, parseDate } from "./conditions.js";

/** Evaluates one clause against request values (undefined = key absent). */
function holds(operator: string, values: string[], request: string[] | undefined): boolean {
  return compileCondition(operator, "k", values).test(request);
}

describe("condition operators", () => {
  const rows: Array<[string, string[], string[] | undefined, boolean]> = [
    ["StringEquals", ["a", "b"], ["b"], true],
    ["StringEquals", ["a"], ["A"], false],
    ["StringEquals", ["a"], undefined, false],
    ["StringNotEquals", ["a", "b"], ["c"], true],
    ["StringNotEquals", ["a", "b"], ["b"], false],
    ["StringNotEquals", ["a"], undefined, true],
    ["StringEqualsIgnoreCase", ["Hello"], ["hELLO"], true],
    ["StringNotEqualsIgnoreCase", ["Hello"], ["hELLO"], false],
    ["StringNotEqualsIgnoreCase", ["Hello"], undefined, true],
    ["StringLike", ["photos/*"], ["photos/2026/a.jpg"], true],
    ["StringLike", ["photos/*"], ["Photos/a.jpg"], false],
    ["StringLike", ["*"], [""], true],
    ["StringNotLike", ["photos/*"], ["docs/a"], true],
    ["StringNotLike", ["photos/*"], undefined, true],
    ["NumericEquals", ["10"], ["10.0"], true],
    ["NumericEquals", ["10"], ["1e1"], true],
    ["NumericNotEquals", ["10"], ["11"], true],
    ["NumericNotEquals", ["10"], ["x"], true],
    ["NumericLessThan", ["10"], ["-3"], true],
    ["NumericLessThanEquals", ["10"], ["10"], true],
    ["NumericGreaterThan", ["10"], ["10"], false],
    ["NumericGreaterThanEquals", ["10"], ["10"], true],
    ["NumericGreaterThanEquals", ["10"], [""], false],
    ["DateEquals", ["2026-01-01T00:00:00Z"], ["1767225600"], true],
    ["DateNotEquals", ["2026-01-01T00:00:00Z"], ["2026-01-01T00:00:01Z"], true],
    ["DateLessThan", ["2026-01-01T00:00:00Z"], ["2025-12-31T23:59:59Z"], true],
    ["DateLessThanEquals", ["2026-01-01"], ["2026-01-01T00:00:00Z"], true],
    ["DateGreaterThan", ["2026-01-01T08:00:00+08:00"], ["2026-01-01T00:00:01Z"], true],
    ["DateGreaterThanEquals", ["2026-01-01T00:00:00Z"], ["garbage"], false],
    ["Bool", ["true"], ["TRUE"], true],
    ["Bool", ["false"], ["true"], false],
    ["Bool", ["true"], undefined, false],
    ["IpAddress", ["192.168.1.0/24"], ["192.168.1.200"], true],
    ["IpAddress", ["192.168.1.0/24"], ["192.168.2.1"], false],
    ["IpAddress", ["0.0.0.0/0"], ["8.8.8.8"], true],
    ["IpAddress", ["1.2.3.4"], ["1.2.3.4"], true],
    ["IpAddress", ["1.2.3.4/32"], ["1.2.3.5"], false],
    ["IpAddress", ["::/0"], ["2001:db8::1"], true],
    ["IpAddress", ["2001:db8::/48"], ["2001:db8:0:1::1"], true],
    ["IpAddress", ["2001:db8::/48"], ["2001:db8:1::1"], false],
    ["IpAddress", ["10.0.0.0/8"], ["::ffff:10.9.9.9"], true],
    ["IpAddress", ["10.0.0.0/8"], ["[2001:db8::1]"], false],
    ["IpAddress", ["10.0.0.0/8"], undefined, false],
    ["NotIpAddress", ["10.0.0.0/8"], ["11.0.0.1"], true],
    ["NotIpAddress", ["10.0.0.0/8"], ["10.0.0.1"], false],
    ["NotIpAddress", ["10.0.0.0/8"], undefined, true],
    ["stringequals", ["a"], ["a"], true],
  ];
  for (const [operator, values, request, expected] of rows) {
    it(`${operator} ${JSON.stringify(values)} vs ${JSON.stringify(request)} → ${expected}`, () => {
      assert.equal(holds(operator, values, request), expected);
    });
  }

  it("rejects unknown operators and bad values with ConditionSyntaxError", () => {
    assert.throws(() => compileCondition("ForAnyValue:StringEquals", "k", ["a"]), ConditionSyntaxError);
    assert.throws(() => compileCondition("NumericEquals", "k", ["0x10"]), ConditionSyntaxError);
    assert.throws(() => compileCondition("IpAddress", "k", ["10.0.0.0/8/1"]), ConditionSyntaxError);
    assert.throws(() => compileCondition("StringEquals", "", ["a"]), ConditionSyntaxError);
    assert.equal(conditionOperator("DATELESSTHAN"), "DateLessThan");
    assert.equal(conditionOperator("Nope"), undefined);
  });

  it("normalizes context keys and ANDs clauses", () => {
    const ctx = normalizeContext({ "ACS:SourceIp": "10.0.0.1", "oss:Prefix": ["a", "b"], "acs:Empty": [], "acs:Undef": undefined });
    assert.deepEqual([...ctx.keys()].sort(), ["acs:sourceip", "oss:prefix"]);
    const clauses = [compileCondition("IpAddress", "acs:sourceIP", ["10.0.0.0/8"]), compileCondition("StringEquals", "OSS:PREFIX", ["b"])];
    assert.equal(conditionsHold(clauses, ctx), true);
    assert.equal(conditionsHold([...clauses, compileCondition("Bool", "acs:SecureTransport", ["true"])], ctx), false);
    assert.equal(conditionsHold([], ctx), true);
  });

  it("parses dates: ISO 8601 with or without zone (UTC), epoch seconds", () => {
    assert.equal(parseDate("2026-01-01T00:00:00Z"), Date.UTC(2026, 0, 1));
    assert.equal(parseDate("2026-01-01T00:00:00"), Date.UTC(2026, 0, 1));
    assert.equal(parseDate("2026-01-01"), Date.UTC(2026, 0, 1));
    assert.equal(parseDate("2026-01-01T08:00:00+0800"), Date.UTC(2026, 0, 1));
    assert.equal(parseDate("1767225600"), Date.UTC(2026, 0, 1));
    assert.equal(parseDate("Thu, 01 Jan 2026 00:00:00 GMT"), undefined);
    assert.equal(parseDate("2026-13-45"), undefined);
  });
});
