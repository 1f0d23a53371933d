/** IAM store conformance, first half: accounts, access keys, STS sessions, settings, users, RPC nonces. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { withShared, type SharedStoreFactory } from "../storage/conformance-fixture.js";
import { MAX_SKEW_MS } from "../rpc/signature.js";
import { MAX_KEYS_PER_USER, type IamStores } from "./stores.js";

/** An RpcError with this code (and status). */
export const rpcCode = (code: string, status?: number) => (error: unknown): boolean => {
  const e = error as { code?: string; httpStatus?: number };
  assert.equal(e.code, code, String(error));
  if (status !== undefined) assert.equal(e.httpStatus, status);
  return true;
};

export function identityCases(make: SharedStoreFactory<IamStores>): void {
  describe("accounts and keys", () => {
    it("one account id for every process; the root key is generated once and resolves as the root", withShared(make, async (a, b) => {
      const account = await a.identities.accountId();
      assert.match(account, /^[1-9]\d{15}$/);
      assert.equal(await b.identities.accountId(), account);
      const root = await a.identities.ensureRootKey();
      assert.equal(root.generated, true);
      assert.deepEqual(await b.identities.ensureRootKey(), { ...root, generated: false });
      const credential = await b.identities.resolve(root.accessKeyId);
      assert.equal(credential?.secret, root.secret);
      assert.equal(credential?.active, true);
      assert.deepEqual(credential?.principal, { accountId: account, kind: "root", arn: `acs:ram::${account}:root`, accessKeyId: root.accessKeyId });
      assert.equal(await b.identities.resolve("LTAInobody"), undefined);
    }));

    it("a root key from the environment resolves in its process only and is never stored", withShared(make, async (a, b) => {
      const fromEnv = { accessKeyId: "LTAIfromenvironment0", secret: "environment-secret" };
      assert.deepEqual(await a.identities.ensureRootKey(fromEnv), { ...fromEnv, generated: false });
      assert.equal((await a.identities.resolve(fromEnv.accessKeyId))?.principal.kind, "root");
      assert.equal(await b.identities.resolve(fromEnv.accessKeyId), undefined);
    }));

    it("user keys: the user must exist, at most two, listed, deactivated and deleted through any process", withShared(make, async (a, b) => {
      await assert.rejects(a.identities.createUserKey("ghost"), rpcCode("EntityNotExist.User", 404));
      const user = await a.users.create({ name: "alice" });
      const k1 = await a.identities.createUserKey("alice");
      const k2 = await b.identities.createUserKey("alice");
      assert.match(k1.accessKeyId, /^LTAI/);
      await assert.rejects(a.identities.createUserKey("alice"), rpcCode("LimitExceeded.User.AccessKey", 409));
      assert.deepEqual((await b.identities.listUserKeys("alice")).map((k) => [k.accessKeyId, k.status]).sort(), [[k1.accessKeyId, "Active"], [k2.accessKeyId, "Active"]].sort());
      const credential = await b.identities.resolve(k1.accessKeyId);
      const account = await a.identities.accountId();
      assert.equal(credential?.secret, k1.secret);
      assert.deepEqual(credential?.principal, { accountId: account, kind: "user", name: "alice", userId: user.UserId, arn: `acs:ram::${account}:user/alice`, accessKeyId: k1.accessKeyId });
      await a.identities.updateUserKey("alice", k1.accessKeyId, "Inactive");
      assert.equal((await b.identities.resolve(k1.accessKeyId))?.active, false);
      await a.users.create({ name: "bob" });
      await assert.rejects(a.identities.updateUserKey("bob", k1.accessKeyId, "Active"), rpcCode("EntityNotExist.User.AccessKey", 404));
      await assert.rejects(a.identities.deleteUserKey("bob", k1.accessKeyId), rpcCode("EntityNotExist.User.AccessKey", 404));
      await b.identities.deleteUserKey("alice", k1.accessKeyId);
      assert.equal(await a.identities.resolve(k1.accessKeyId), undefined);
      assert.equal((await a.identities.listUserKeys("alice")).length, 1);
    }));

    it(`of many concurrent key creations for one user through both processes, exactly ${MAX_KEYS_PER_USER} succeed`, withShared(make, async (a, b) => {
      await a.users.create({ name: "racer" });
      const outcomes = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? a : b).identities.createUserKey("racer")));
      assert.equal(outcomes.filter((o) => o.status === "fulfilled").length, MAX_KEYS_PER_USER);
      for (const o of outcomes) if (o.status === "rejected") rpcCode("LimitExceeded.User.AccessKey")(o.reason);
      assert.equal((await a.identities.listUserKeys("racer")).length, MAX_KEYS_PER_USER);
    }));

    it("STS sessions resolve in every process as the assumed role, their token checked", withShared(make, async (a, b) => {
      const account = await a.identities.accountId();
      const expiresAt = new Date(Date.now() + 3600_000);
      const s = await a.identities.createSession({ roleName: "Reader", sessionName: "job-1", sessionPolicy: "{\"Version\":\"1\"}", callerArn: `acs:ram::${account}:root`, expiresAt });
      assert.match(s.accessKeyId, /^STS\./);
      const credential = await b.identities.resolve(s.accessKeyId);
      assert.equal(credential?.secret, s.secret);
      assert.equal(credential?.principal.kind, "assumed-role");
      assert.equal(credential?.principal.arn, `acs:ram::${account}:assumed-role/reader/job-1`);
      assert.deepEqual(credential?.principal.session, { roleName: "Reader", sessionPolicy: "{\"Version\":\"1\"}", expiresAt });
      const check = credential?.checkSecurityToken;
      assert.ok(check);
      assert.equal(check(s.securityToken, new Date()), undefined);
      assert.equal(check(undefined, new Date()), "InvalidSecurityToken");
      assert.equal(check(`${s.securityToken}x`, new Date()), "AccessKeyIdAndSecurityTokenNotMatch");
      assert.equal(check(s.securityToken, new Date(expiresAt.getTime() + 1)), "SecurityTokenExpired");
      assert.equal(await b.identities.resolve("STS.nosuchsession"), undefined);
    }));

    it("settings are shared and overwritten", withShared(make, async (a, b) => {
      assert.equal(await a.identities.getSetting("marker"), undefined);
      await a.identities.setSetting("marker", "1");
      assert.equal(await b.identities.getSetting("marker"), "1");
      await b.identities.setSetting("marker", "2");
      assert.equal(await a.identities.getSetting("marker"), "2");
    }));
  });

  describe("users", () => {
    it("creates, finds (names case-insensitive), pages by marker and refuses duplicates", withShared(make, async (a, b) => {
      const alice = await a.users.create({ name: "alice", displayName: "Alice", email: "a@example.com", comments: "c" });
      assert.equal(alice.UserName, "alice");
      assert.equal(alice.DisplayName, "Alice");
      assert.match(alice.UserId, /^[1-9]\d{15}$/);
      assert.equal((await a.users.create({ name: "bob" })).DisplayName, "bob", "display name defaults to the name");
      await assert.rejects(b.users.create({ name: "ALICE" }), rpcCode("EntityAlreadyExists.User", 409));
      assert.deepEqual(await b.users.find("Alice"), alice);
      assert.equal(await b.users.find("carol"), undefined);
      await assert.rejects(b.users.get("carol"), rpcCode("EntityNotExist.User", 404));
      await a.users.create({ name: "carol" });
      const first = await b.users.list("", 2);
      assert.deepEqual([first.users.map((u) => u.UserName), first.isTruncated, first.marker], [["alice", "bob"], true, "bob"]);
      const rest = await b.users.list(first.marker!, 2);
      assert.deepEqual([rest.users.map((u) => u.UserName), rest.isTruncated, rest.marker], [["carol"], false, undefined]);
    }));

    it("deletes a user only without keys and policies", withShared(make, async (a, b) => {
      await a.users.create({ name: "dave" });
      const key = await a.identities.createUserKey("dave");
      await assert.rejects(b.users.delete("dave"), rpcCode("DeleteConflict.User.AccessKey", 409));
      await a.identities.deleteUserKey("dave", key.accessKeyId);
      await a.policies.seedSystemPolicies({ ReadAll: { description: "r", document: readAll } });
      await a.policies.attach("ReadAll", "System", { type: "user", name: "dave" });
      await assert.rejects(b.users.delete("dave"), rpcCode("DeleteConflict.User.Policy", 409));
      await a.policies.detach("ReadAll", "System", { type: "user", name: "dave" });
      await b.users.delete("dave");
      assert.equal(await a.users.find("dave"), undefined);
      await assert.rejects(b.users.delete("dave"), rpcCode("EntityNotExist.User", 404));
    }));

    it("a user deleted while a policy is attached to it in another process: exactly one of the two succeeds", withShared(make, async (a, b) => {
      await a.policies.seedSystemPolicies({ ReadAll: { description: "r", document: readAll } });
      for (let round = 0; round < 5; round++) {
        const name = `erin${round}`;
        await a.users.create({ name });
        const [deleted, attached] = await Promise.allSettled([a.users.delete(name), b.policies.attach("ReadAll", "System", { type: "user", name })]);
        assert.equal([deleted, attached].filter((o) => o.status === "fulfilled").length, 1, `round ${round}`);
        const left = await b.policies.listFor({ type: "user", name });
        assert.equal(left.length, attached.status === "fulfilled" ? 1 : 0, "no attachment to a deleted user");
      }
    }));
  });

  describe("RPC nonces", () => {
    it("a nonce used through one process is a replay in another, until it could no longer pass the time check", withShared(make, async (a, b) => {
      const t = new Date("2026-01-01T00:00:00Z");
      assert.equal(await a.nonces.remember("AK", "n1", t, t), true);
      assert.equal(await b.nonces.remember("AK", "n1", t, new Date(t.getTime() + 1000)), false, "replay through the other process");
      assert.equal(await b.nonces.remember("AK2", "n1", t, t), true, "nonces are per access key");
      const later = new Date(t.getTime() + MAX_SKEW_MS + 1);
      assert.equal(await b.nonces.remember("AK", "n1", later, later), true, "remembered only as long as needed");
    }));

    it("of concurrent uses of one nonce through both processes, exactly one is first", withShared(make, async (a, b) => {
      const t = new Date("2026-01-02T00:00:00Z");
      const firsts = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b).nonces.remember("AK", "same", t, t)));
      assert.equal(firsts.filter(Boolean).length, 1);
    }));
  });
}

export const readAll = JSON.stringify({ Version: "1", Statement: [{ Effect: "Allow", Action: "oss:Get*", Resource: "*" }] });
