/** IAM store conformance, second half: roles, RAM policies and attachments, bucket policies. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { withShared, type SharedStoreFactory } from "../storage/conformance-fixture.js";
import { newReadEpoch } from "../storage/change-seq.js";
import { MAX_POLICY_VERSIONS, type IamStores } from "./stores.js";
import { readAll, rpcCode } from "./conformance-iam-identities.js";

const trust = JSON.stringify({ Version: "1", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: ["imm.aliyuncs.com"] } }] });
/** Real OSS actions (documents are validated), one per policy version. */
const ACTIONS = ["oss:GetObject", "oss:PutObject", "oss:DeleteObject", "oss:ListObjects", "oss:GetObjectAcl", "oss:PutObjectAcl", "oss:GetBucketAcl"];
const doc = (action: string): string => JSON.stringify({ Version: "1", Statement: [{ Effect: "Allow", Action: action, Resource: "*" }] });

export function policyCases(make: SharedStoreFactory<IamStores>): void {
  describe("roles", () => {
    it("creates (trust policy validated), finds by name and by ARN, pages, refuses duplicates", withShared(make, async (a, b) => {
      const account = await a.identities.accountId();
      await assert.rejects(a.roles.create({ name: "bad", trustPolicy: "{}" }), rpcCode("MalformedPolicyDocument", 400));
      const role = await a.roles.create({ name: "Reader", trustPolicy: trust, description: "d", maxSessionDuration: 7200 });
      assert.deepEqual([role.RoleName, role.Arn, role.Description, role.MaxSessionDuration, role.AssumeRolePolicyDocument], ["Reader", `acs:ram::${account}:role/reader`, "d", 7200, trust]);
      assert.match(role.RoleId, /^[1-9]\d{18}$/);
      await assert.rejects(b.roles.create({ name: "reader", trustPolicy: trust }), rpcCode("EntityAlreadyExists.Role", 409));
      assert.deepEqual(await b.roles.find("READER"), role);
      assert.deepEqual(await b.roles.findByArn(`acs:ram::${account}:role/reader`), role);
      assert.equal(await b.roles.findByArn("acs:ram::1111111111111111:role/reader"), undefined, "another account's role");
      assert.equal(await b.roles.findByArn("reader"), undefined);
      await assert.rejects(b.roles.get("writer"), rpcCode("EntityNotExist.Role", 404));
      await a.roles.create({ name: "Writer", trustPolicy: trust });
      const page = await b.roles.list("", 1);
      assert.deepEqual([page.roles.map((r) => r.RoleName), page.isTruncated, page.marker], [["Reader"], true, "Reader"]);
      assert.deepEqual((await b.roles.list("Reader", 10)).roles.map((r) => r.RoleName), ["Writer"]);
    }));

    it("ensure creates a role once, also when every process ensures it at the same time", withShared(make, async (a, b) => {
      const input = { name: "ServiceRole", trustPolicy: trust, description: "built in" };
      const roles = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 === 0 ? a : b).roles.ensure(input)));
      assert.equal(new Set(roles.map((r) => r.RoleId)).size, 1);
      assert.equal((await a.roles.list("", 100)).roles.length, 1);
    }));
  });

  describe("RAM policies", () => {
    it("system policies are seeded and refreshed; custom ones are validated, created once, typed", withShared(make, async (a, b) => {
      await a.policies.seedSystemPolicies({ ReadAll: { description: "old", document: readAll } });
      await b.policies.seedSystemPolicies({ ReadAll: { description: "new", document: doc("oss:GetObject") } });
      const system = await a.policies.get("ReadAll", "System");
      assert.deepEqual([system.policy.PolicyType, system.policy.Description, system.defaultVersion.PolicyDocument], ["System", "new", doc("oss:GetObject")]);
      await assert.rejects(a.policies.create("broken", "{", ""), rpcCode("MalformedPolicyDocument", 400));
      const custom = await a.policies.create("Mine", doc("oss:PutObject"), "mine");
      assert.deepEqual([custom.PolicyType, custom.DefaultVersion, custom.AttachmentCount], ["Custom", "v1", 0]);
      await assert.rejects(b.policies.create("mine", doc("oss:PutObject"), ""), rpcCode("EntityAlreadyExists.Policy", 409));
      await assert.rejects(b.policies.get("Mine", "System"), rpcCode("EntityNotExist.Policy", 404));
      assert.equal((await b.policies.get("mine")).defaultVersion.PolicyDocument, doc("oss:PutObject"));
      assert.deepEqual((await b.policies.list("Custom", "", 10)).policies.map((p) => p.PolicyName), ["Mine"]);
      const all = await b.policies.list(undefined, "", 1);
      assert.deepEqual([all.policies.map((p) => p.PolicyName), all.isTruncated], [["Mine"], true]);
      assert.deepEqual((await b.policies.list(undefined, all.marker!, 10)).policies.map((p) => p.PolicyName), ["ReadAll"]);
    }));

    it(`versions: at most ${MAX_POLICY_VERSIONS}, rotation drops the oldest non-default, the default one is what authorization reads`, withShared(make, async (a, b) => {
      await a.users.create({ name: "alice" });
      await a.policies.create("P", doc(ACTIONS[0]!), "");
      await a.policies.attach("P", "Custom", { type: "user", name: "alice" });
      for (let n = 2; n <= MAX_POLICY_VERSIONS; n++) assert.equal((await (n % 2 === 0 ? a : b).policies.createVersion("P", doc(ACTIONS[n - 1]!), false, false)).VersionId, `v${n}`);
      await assert.rejects(b.policies.createVersion("P", doc(ACTIONS[5]!), true, false), rpcCode("LimitExceeded.Policy.Version", 409));
      assert.deepEqual(await b.policies.documentsFor({ type: "user", name: "alice" }), [{ name: "P", document: doc(ACTIONS[0]!) }]);
      const v6 = await b.policies.createVersion("P", doc(ACTIONS[5]!), true, true);
      assert.deepEqual([v6.VersionId, v6.IsDefaultVersion], ["v6", true]);
      assert.deepEqual(await a.policies.documentsFor({ type: "user", name: "alice" }), [{ name: "P", document: doc(ACTIONS[5]!) }]);
      const v7 = await a.policies.createVersion("P", doc(ACTIONS[6]!), false, true);
      assert.equal(v7.IsDefaultVersion, false);
      assert.equal((await b.policies.get("P")).policy.DefaultVersion, "v6", "a non-default version leaves the default alone");
      await a.policies.seedSystemPolicies({ ReadAll: { description: "r", document: readAll } });
      await assert.rejects(a.policies.createVersion("ReadAll", doc("oss:GetObject"), true, true), rpcCode("EntityNotExist.Policy", 404), "system policies have no versions of ours");
    }));

    it("attachments: target and policy must exist, once each; listed, counted, detached; attached policies are not deleted", withShared(make, async (a, b) => {
      await a.policies.seedSystemPolicies({ ReadAll: { description: "r", document: readAll } });
      await a.policies.create("Mine", doc("oss:PutObject"), "");
      await a.users.create({ name: "bob" });
      await a.roles.create({ name: "Worker", trustPolicy: trust });
      await assert.rejects(a.policies.attach("ReadAll", "System", { type: "user", name: "nobody" }), rpcCode("EntityNotExist.User", 404));
      await assert.rejects(a.policies.attach("ReadAll", "System", { type: "role", name: "nobody" }), rpcCode("EntityNotExist.Role", 404));
      await assert.rejects(a.policies.attach("Nope", undefined, { type: "user", name: "bob" }), rpcCode("EntityNotExist.Policy", 404));
      await assert.rejects(a.policies.attach("Mine", "System", { type: "user", name: "bob" }), rpcCode("EntityNotExist.Policy", 404), "the wrong type");
      await a.policies.attach("ReadAll", "System", { type: "user", name: "bob" });
      await b.policies.attach("Mine", "Custom", { type: "user", name: "BOB" });
      await b.policies.attach("Mine", "Custom", { type: "role", name: "worker" });
      await assert.rejects(b.policies.attach("readall", "System", { type: "user", name: "bob" }), rpcCode("EntityAlreadyExists.User.Policy", 409));
      await assert.rejects(b.policies.attach("Mine", "Custom", { type: "role", name: "Worker" }), rpcCode("EntityAlreadyExists.Role.Policy", 409));
      const listed = await b.policies.listFor({ type: "user", name: "bob" });
      assert.deepEqual(listed.map((p) => p.PolicyName), ["Mine", "ReadAll"]);
      assert.ok(listed.every((p) => typeof p.AttachDate === "string" && p.AttachDate.length > 0));
      assert.equal((await a.policies.get("Mine")).policy.AttachmentCount, 2);
      assert.deepEqual((await a.policies.documentsFor({ type: "role", name: "Worker" })).map((d) => d.name), ["Mine"]);
      await assert.rejects(a.policies.delete("Mine"), rpcCode("DeleteConflict.Policy.User", 409));
      await assert.rejects(a.policies.delete("ReadAll"), rpcCode("InvalidParameter.PolicyType", 400));
      await a.policies.detach("Mine", "Custom", { type: "role", name: "Worker" });
      await assert.rejects(b.policies.detach("Mine", "Custom", { type: "role", name: "Worker" }), rpcCode("EntityNotExist.Role.Policy", 404));
      await b.policies.detach("Mine", undefined, { type: "user", name: "bob" });
      assert.deepEqual(await a.policies.documentsFor({ type: "role", name: "Worker" }), []);
      await b.policies.delete("Mine");
      await assert.rejects(a.policies.get("Mine"), rpcCode("EntityNotExist.Policy", 404));
      await assert.rejects(a.policies.delete("Mine"), rpcCode("EntityNotExist.Policy", 404));
    }));

    it("one policy attached to one user by both processes at once: attached once, the other told so", withShared(make, async (a, b) => {
      await a.policies.seedSystemPolicies({ ReadAll: { description: "r", document: readAll } });
      await a.users.create({ name: "frank" });
      const outcomes = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => (i % 2 === 0 ? a : b).policies.attach("ReadAll", "System", { type: "user", name: "frank" })));
      assert.equal(outcomes.filter((o) => o.status === "fulfilled").length, 1);
      for (const o of outcomes) if (o.status === "rejected") rpcCode("EntityAlreadyExists.User.Policy")(o.reason);
      assert.equal((await b.policies.listFor({ type: "user", name: "frank" })).length, 1);
    }));
  });

  describe("bucket policies", () => {
    // Each lookup after a change is a new request (a new read epoch): every process sees the change.
    it("a bucket policy put or deleted through one process is seen by the next request to another", withShared(make, async (a, b) => {
      newReadEpoch();
      assert.equal(await b.bucketPolicies.get("bkt"), undefined);
      await a.bucketPolicies.put("bkt", "{\"Version\":\"1\"}");
      newReadEpoch();
      assert.equal(await b.bucketPolicies.get("bkt"), "{\"Version\":\"1\"}");
      await a.bucketPolicies.put("bkt", "{\"Version\":\"2\"}");
      newReadEpoch();
      assert.equal(await b.bucketPolicies.get("bkt"), "{\"Version\":\"2\"}");
      assert.equal(await a.bucketPolicies.get("bkt"), "{\"Version\":\"2\"}", "the writer's own cache");
      assert.equal(await b.bucketPolicies.get("other"), undefined);
      assert.equal(await a.bucketPolicies.delete("bkt"), true);
      assert.equal(await a.bucketPolicies.delete("bkt"), false);
      newReadEpoch();
      assert.equal(await b.bucketPolicies.get("bkt"), undefined);
    }));
  });
}
