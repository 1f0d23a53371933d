import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Authorizer, type AccessRequest } from "./authorize.js";
import type { Principal } from "../auth/types.js";

const root: Principal = { accountId: "1000", kind: "root", arn: "acs:ram::1000:root", accessKeyId: "AK" };
const otherRoot: Principal = { accountId: "2000", kind: "root", arn: "acs:ram::2000:root", accessKeyId: "AK2" };
const alice: Principal = { accountId: "1000", kind: "user", name: "alice", arn: "acs:ram::1000:user/alice", accessKeyId: "AK3" };
const base = { resource: "acs:oss:*:1000:b/k", ownerAccountId: "1000" };

const ALICE_POLICIES: Record<string, string> = {
  readOnly: JSON.stringify({ Version: "1", Statement: [{ Effect: "Allow", Action: "oss:GetObject", Resource: "acs:oss:*:*:b/*" }] }),
};
const authorizer = new Authorizer({
  identityPolicies: async (p) => (p.name === "alice" ? Object.entries(ALICE_POLICIES).map(([name, document]) => ({ name, document })) : []),
});

async function allowed(r: Partial<AccessRequest> & Pick<AccessRequest, "actions">): Promise<boolean> {
  return (await authorizer.decide({ principal: undefined, ...base, ...r })).allowed;
}

describe("Authorizer", () => {
  it("lets the owner's root do anything", async () => {
    assert.ok(await allowed({ principal: root, actions: ["oss:DeleteBucket"], bucketAcl: "private" }));
  });
  it("judges others by the ACLs, the object's first unless default", async () => {
    assert.ok(!(await allowed({ actions: ["oss:GetObject"], bucketAcl: "private" })));
    assert.ok(await allowed({ actions: ["oss:GetObject"], bucketAcl: "public-read" }));
    assert.ok(!(await allowed({ actions: ["oss:PutObject"], bucketAcl: "public-read" })));
    assert.ok(await allowed({ actions: ["oss:PutObject"], bucketAcl: "public-read-write" }));
    assert.ok(await allowed({ actions: ["oss:GetObject"], bucketAcl: "private", objectAcl: "public-read" }));
    assert.ok(!(await allowed({ actions: ["oss:GetObject"], bucketAcl: "public-read", objectAcl: "private" })));
    assert.ok(await allowed({ actions: ["oss:GetObject"], bucketAcl: "public-read", objectAcl: "default" }));
    assert.ok(!(await allowed({ principal: otherRoot, actions: ["oss:GetObject"], bucketAcl: "private" })));
  });
  it("never grants image processing to anonymous callers, whatever the ACL or bucket policy", async () => {
    const everyone = JSON.stringify({ Version: "1", Statement: [{ Effect: "Allow", Action: "oss:*", Principal: ["*"], Resource: "acs:oss:*:1000:b/*" }] });
    assert.ok(!(await allowed({ actions: ["oss:GetObject", "oss:ProcessImm"], bucketAcl: "public-read-write", objectAcl: "public-read-write", bucketPolicy: everyone })));
    assert.ok(await allowed({ actions: ["oss:GetObject"], bucketAcl: "private", bucketPolicy: everyone }));
  });
  it("uses a user's attached policies and names the deciding statement", async () => {
    const ok = await authorizer.decide({ principal: alice, actions: ["oss:GetObject"], ...base, bucketAcl: "private" });
    assert.equal(ok.allowed, true);
    assert.deepEqual(ok.by, { source: "identity", policyName: "readOnly", statementIndex: 0 });
    const denied = await authorizer.decide({ principal: alice, actions: ["oss:GetObject", "oss:ProcessImm"], ...base, bucketAcl: "private" });
    assert.equal(denied.allowed, false);
    assert.equal(denied.action, "oss:ProcessImm");
  });
  it("throws AccessDenied with the action and resource", async () => {
    await assert.rejects(
      () => authorizer.authorize({ principal: alice, actions: ["oss:PutObject"], ...base, bucketAcl: "private" }),
      (e: unknown) => (e as { code?: string }).code === "AccessDenied" && /oss:PutObject/.test((e as Error).message),
    );
  });
});
