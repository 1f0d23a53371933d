import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { unknownActionReason } from "./known-actions.js";
import { parsePolicy, PolicyError } from "./document.js";

describe("known actions", () => {
  it("accepts known OSS/STS actions in any case, wildcards, and other services by shape", () => {
    for (const a of ["oss:GetObject", "OSS:getobject", "oss:ProcessImm", "oss:Get*", "oss:*", "*", "sts:AssumeRole", "imm:DetectImageCodes", "kms:Decrypt", "ecs:DescribeInstances"]) {
      assert.equal(unknownActionReason(a), undefined, a);
    }
  });
  it("rejects typos in strict services and malformed names anywhere", () => {
    for (const a of ["oss:GetObjet", "sts:AssumeRoles", "imm:Detect-Codes", "kms:9Decrypt"]) {
      assert.ok(unknownActionReason(a), a);
    }
    assert.throws(
      () => parsePolicy(JSON.stringify({ Version: "1", Statement: [{ Effect: "Allow", Action: "oss:GetObjet", Resource: "*" }] }), "identity"),
      (e: unknown) => e instanceof PolicyError && e.code === "MalformedPolicyDocument" && /not a known oss action/.test(e.message),
    );
  });
});
