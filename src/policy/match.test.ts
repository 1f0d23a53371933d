import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { compileActionPattern, compileResourcePattern, compileWildcard, matchPrincipal, principalIdentifiers, wildcardMatch, type PolicyPrincipal, type PrincipalSpec } from "./match.js";

describe("wildcard matching", () => {
  const cases: Array<[string, string, boolean]> = [
    ["*", "", true],
    ["*", "anything/at:all", true],
    ["abc", "abc", true],
    ["abc", "abcd", false],
    ["a*", "a", true],
    ["a*", "ba", false],
    ["*c", "abc", true],
    ["*c", "abcd", false],
    ["a*c", "ac", true],
    ["a*c", "abbbc", true],
    ["a*c", "abbbcd", false],
    ["a?c", "abc", true],
    ["a?c", "ac", false],
    ["a?c", "abbc", false],
    ["??", "ab", true],
    ["??", "a", false],
    ["*?", "", false],
    ["*?", "x", true],
    ["a**b", "ab", true],
    ["*a*b*", "xxaxxbxx", true],
    ["*a*b*", "xxbxxaxx", false],
    ["acs:oss:*:*:b/dir/*", "acs:oss:*:1000:b/dir/x/y", true],
    ["acs:oss:*:*:b/dir/*", "acs:oss:*:1000:b/dir", false],
    ["acs:oss:*:*:b/*.png", "acs:oss:*:1:b/a/b.png", true],
    ["acs:oss:*:*:b/*.png", "acs:oss:*:1:b/a/b.jpg", false],
    ["a.c", "abc", false], // regex metacharacters are literal
    ["a+b(c)[d]$^|\\", "a+b(c)[d]$^|\\", true],
    ["k?y", "k😀y", true], // ? is one character, not one UTF-16 unit
  ];
  for (const [pattern, value, expected] of cases) {
    it(`${JSON.stringify(pattern)} ~ ${JSON.stringify(value)} → ${expected}`, () => {
      assert.equal(compileResourcePattern(pattern).test(value), expected);
      assert.equal(wildcardMatch(pattern, value), expected);
    });
  }

  it("actions are case-insensitive, resources are not", () => {
    assert.ok(compileActionPattern("oss:Get*").test("OSS:GETOBJECT"));
    assert.ok(compileActionPattern("OSS:GETOBJECT").test("oss:getobject"));
    assert.ok(compileActionPattern("oss:*Object?").test("oss:listobjects"));
    assert.ok(!compileResourcePattern("acs:oss:*:*:B/*").test("acs:oss:*:1:b/k"));
    assert.ok(compileWildcard("A?C", true).test("abc"));
  });

  it("keeps the source", () => {
    assert.equal(compileActionPattern("oss:Get*").source, "oss:Get*");
  });

  it("does not backtrack catastrophically", () => {
    const pattern = compileResourcePattern(`${"a*".repeat(40)}b`);
    const value = "a".repeat(5000);
    const started = process.hrtime.bigint();
    assert.equal(pattern.test(value), false);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    assert.ok(ms < 500, `took ${ms} ms`);
  });
});

describe("principal matching", () => {
  const spec = (entries: string[], any = false): PrincipalSpec => ({ any, entries: entries.map(compileResourcePattern), others: [] });
  const root: PolicyPrincipal = { accountId: "1", kind: "root", arn: "acs:ram::1:root" };
  const user: PolicyPrincipal = { accountId: "1", kind: "user", name: "u", arn: "acs:ram::1:user/u", userId: "11" };
  const session: PolicyPrincipal = { accountId: "1", kind: "assumed-role", name: "s", arn: "acs:ram::1:assumed-role/r/s" };

  it("lists every identifier of a principal", () => {
    assert.deepEqual(principalIdentifiers(root).sort(), ["1", "acs:ram::1:root"]);
    assert.deepEqual(principalIdentifiers(user).sort(), ["11", "acs:ram::1:user/u"]);
    assert.deepEqual(principalIdentifiers(session).sort(), ["acs:ram::1:assumed-role/r/s", "acs:ram::1:role/r", "arn:sts::1:assumed-role/r/s"].sort());
  });
  it("matches * for everyone including anonymous, unless told to ignore it", () => {
    assert.equal(matchPrincipal(spec([], true), undefined), "direct");
    assert.equal(matchPrincipal(spec([], true), root), "direct");
    assert.equal(matchPrincipal(spec([], true), root, { ignoreAny: true }), "none");
    assert.equal(matchPrincipal(spec(["1"], true), root, { ignoreAny: true }), "direct");
  });
  it("anonymous matches nothing but *", () => {
    assert.equal(matchPrincipal(spec(["1", "acs:ram::*"]), undefined), "none");
  });
  it("distinguishes direct from account-level matches", () => {
    assert.equal(matchPrincipal(spec(["1"]), root), "direct");
    assert.equal(matchPrincipal(spec(["1"]), user), "account");
    assert.equal(matchPrincipal(spec(["acs:ram::1:root"]), session), "account");
    assert.equal(matchPrincipal(spec(["11"]), user), "direct");
    assert.equal(matchPrincipal(spec(["acs:ram::1:user/*"]), user), "direct");
    assert.equal(matchPrincipal(spec(["arn:sts::1:assumed-role/r/*"]), session), "direct");
    assert.equal(matchPrincipal(spec(["acs:ram::1:role/r"]), session), "direct");
    assert.equal(matchPrincipal(spec(["2"]), user), "none");
    assert.equal(matchPrincipal(spec(["12"]), user), "none");
  });
});
