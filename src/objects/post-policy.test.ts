import { test } from "node:test";
import assert from "node:assert/strict";
import { checkPolicy, decodePolicy } from "./post-policy.js";
import { OssError } from "../errors/oss-error.js";

const NOW = new Date("2026-01-01T00:00:00Z");
const encode = (p: unknown) => Buffer.from(JSON.stringify(p)).toString("base64");
const policy = (conditions: unknown[], expiration = "2026-01-02T00:00:00.000Z") => decodePolicy(encode({ expiration, conditions }));
const fields = new Map([["key", "uploads/a.txt"], ["content-type", "text/plain"], ["success_action_status", "200"], ["cache-control", "max-age=30"]]);
const denied = (fn: () => unknown, pattern: RegExp) => assert.throws(fn, (e: unknown) => e instanceof OssError && e.code === "AccessDenied" && pattern.test(e.message));

test("every condition type passes on a matching form and yields the size range", () => {
  const range = checkPolicy(policy([
    { bucket: "b1" },
    { "Content-Type": "text/plain" },
    ["content-length-range", 1, 10],
    ["eq", "$success_action_status", "200"],
    ["starts-with", "$key", "uploads/"],
    ["in", "$content-type", ["image/jpg", "text/plain"]],
    ["not-in", "$cache-control", ["no-cache"]],
    ["starts-with", "$Key", ""],
  ]), fields, "b1", NOW);
  assert.deepEqual(range, { min: 1, max: 10 });
});

test("each failing condition is AccessDenied naming it; expiry is checked", () => {
  denied(() => checkPolicy(policy([{ bucket: "other" }]), fields, "b1", NOW), /Policy Condition failed: \{"bucket":"other"\}/);
  denied(() => checkPolicy(policy([["eq", "$key", "x"]]), fields, "b1", NOW), /\["eq","\$key","x"\]/);
  denied(() => checkPolicy(policy([["starts-with", "$key", "other/"]]), fields, "b1", NOW), /starts-with/);
  denied(() => checkPolicy(policy([["in", "$content-type", ["image/png"]]]), fields, "b1", NOW), /"in"/);
  denied(() => checkPolicy(policy([["not-in", "$cache-control", ["max-age=30"]]]), fields, "b1", NOW), /not-in/);
  denied(() => checkPolicy(policy([], "2025-12-31T23:59:59.000Z"), fields, "b1", NOW), /Policy expired/);
});

test("a malformed policy is InvalidPolicyDocument", () => {
  for (const bad of ["not base64 json", encode({ conditions: [] }), encode({ expiration: "2026-01-02T00:00:00Z" }), encode([1])]) {
    assert.throws(() => decodePolicy(bad), (e: unknown) => e instanceof OssError && e.code === "InvalidPolicyDocument");
  }
  assert.throws(() => checkPolicy(policy([["bogus", "$key", "x"]]), fields, "b1", NOW), (e: unknown) => e instanceof OssError && e.code === "InvalidPolicyDocument");
  assert.throws(() => checkPolicy(policy([["content-length-range", 10, 1]]), fields, "b1", NOW), (e: unknown) => e instanceof OssError && e.code === "InvalidPolicyDocument");
});
