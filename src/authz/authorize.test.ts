import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { decide, type AccessRequest } from "./authorize.js";
import type { Principal } from "../auth/types.js";

const root: Principal = { accountId: "1000", kind: "root", arn: "acs:ram::1000:root", accessKeyId: "AK" };
const otherRoot: Principal = { accountId: "2000", kind: "root", arn: "acs:ram::2000:root", accessKeyId: "AK2" };
const base = { resource: "acs:oss:*:1000:b/k", ownerAccountId: "1000" };

function allowed(r: Partial<AccessRequest> & Pick<AccessRequest, "actions">): boolean {
  return decide({ principal: undefined, ...base, ...r }).allowed;
}

describe("decide", () => {
  it("lets the owner's root do anything", () => {
    assert.ok(allowed({ principal: root, actions: ["oss:DeleteBucket"], bucketAcl: "private" }));
  });
  it("judges others by the ACLs, the object's first unless default", () => {
    assert.ok(!allowed({ actions: ["oss:GetObject"], bucketAcl: "private" }));
    assert.ok(allowed({ actions: ["oss:GetObject"], bucketAcl: "public-read" }));
    assert.ok(!allowed({ actions: ["oss:PutObject"], bucketAcl: "public-read" }));
    assert.ok(allowed({ actions: ["oss:PutObject"], bucketAcl: "public-read-write" }));
    assert.ok(allowed({ actions: ["oss:GetObject"], bucketAcl: "private", objectAcl: "public-read" }));
    assert.ok(!allowed({ actions: ["oss:GetObject"], bucketAcl: "public-read", objectAcl: "private" }));
    assert.ok(allowed({ actions: ["oss:GetObject"], bucketAcl: "public-read", objectAcl: "default" }));
    assert.ok(!allowed({ principal: otherRoot, actions: ["oss:GetObject"], bucketAcl: "private" }));
  });
  it("never grants image processing to anonymous callers, whatever the ACL", () => {
    assert.ok(!allowed({ actions: ["oss:GetObject", "oss:ProcessImm"], bucketAcl: "public-read-write", objectAcl: "public-read-write" }));
  });
});
