/**
 * Access control as OSS does it, end to end with the official SDKs: RAM users and policies
 * (pop-core), bucket policies, STS AssumeRole tokens (ali-oss `stsToken`), and the four
 * permissions image/codes needs, incl. the IMM service role.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { join } from "node:path";
import { startServer, type TestServer } from "./harness.js";
import { ossClient, ossError, type AliOssClient } from "./ali-oss.js";
import { popClient, rpc, rpcError, type PopCoreClient } from "./pop.js";

const require = createRequire(import.meta.url);
const QRCode = require("qrcode") as { toBuffer(text: string, options: Record<string, unknown>): Promise<Buffer> };

const BUCKET = "ac-bucket";
const PROJECT = "ac-project";
const QR_TEXT = "https://barbucket.example/ac";

function policy(...statements: Array<Record<string, unknown>>): string {
  return JSON.stringify({ Version: "1", Statement: statements });
}

describe("access control", () => {
  let server: TestServer;
  let ram: PopCoreClient;
  let sts: PopCoreClient;
  let root: AliOssClient;
  let accountId: string;
  let scanner: { accessKeyId: string; accessKeySecret: string };

  async function createUserWithKey(name: string): Promise<{ accessKeyId: string; accessKeySecret: string; userId: string }> {
    const { User } = await rpc<{ User: { UserId: string } }>(ram, "CreateUser", { UserName: name });
    const { AccessKey } = await rpc<{ AccessKey: { AccessKeyId: string; AccessKeySecret: string } }>(ram, "CreateAccessKey", { UserName: name });
    return { accessKeyId: AccessKey.AccessKeyId, accessKeySecret: AccessKey.AccessKeySecret, userId: User.UserId };
  }

  async function grant(user: string, name: string, document: string): Promise<void> {
    await rpc(ram, "CreatePolicy", { PolicyName: name, PolicyDocument: document });
    await rpc(ram, "AttachPolicyToUser", { PolicyType: "Custom", PolicyName: name, UserName: user });
  }

  async function scan(client: AliOssClient): Promise<{ Codes: Array<{ Content: string }> }> {
    const res = await client.get("qr.png", { process: "image/codes" });
    return JSON.parse(Buffer.from(res.content).toString()) as { Codes: Array<{ Content: string }> };
  }

  before(async () => {
    server = await startServer();
    ram = popClient(server, "2015-05-01");
    sts = popClient(server, "2015-04-01");
    root = ossClient(server, { bucket: BUCKET });
    await root.putBucket(BUCKET);
    await root.put("qr.png", await QRCode.toBuffer(QR_TEXT, { margin: 4, scale: 6 }));
    const imm = popClient(server, "2020-09-30");
    await rpc(imm, "CreateProject", { ProjectName: PROJECT });
    await rpc(imm, "AttachOSSBucket", { ProjectName: PROJECT, OSSBucket: BUCKET });
    accountId = (await rpc<{ AccountId: string }>(sts, "GetCallerIdentity")).AccountId;
    scanner = await createUserWithKey("scanner");
  });
  after(async () => {
    await server.stop();
    server.cleanup();
  });

  it("root scans codes", async () => {
    assert.equal((await scan(root)).Codes[0]?.Content, QR_TEXT);
  });

  it("image/codes needs oss:GetObject, oss:ProcessImm and imm:DetectImageCodes; an explicit Deny wins", async () => {
    const client = ossClient(server, { bucket: BUCKET, ...scanner });
    assert.equal((await ossError(() => client.get("qr.png"))).code, "AccessDenied", "no policy yet");

    await grant("scanner", "scan-get", policy({ Effect: "Allow", Action: "oss:GetObject", Resource: `acs:oss:*:*:${BUCKET}/*` }));
    assert.equal((await client.get("qr.png")).res.status, 200);
    assert.equal((await ossError(() => scan(client))).code, "AccessDenied", "GetObject alone");

    await grant("scanner", "scan-process", policy({ Effect: "Allow", Action: "oss:ProcessImm", Resource: `acs:oss:*:*:${BUCKET}/*` }));
    const noImm = await ossError(() => scan(client));
    assert.equal(noImm.code, "AccessDenied", "GetObject + ProcessImm, no imm:DetectImageCodes");
    assert.match(noImm.message, /imm:DetectImageCodes/);

    await grant("scanner", "scan-imm", policy({ Effect: "Allow", Action: "imm:DetectImageCodes", Resource: `acs:imm:*:*:project/${PROJECT}` }));
    assert.equal((await scan(client)).Codes[0]?.Content, QR_TEXT);
    assert.equal((await ossError(() => client.put("other.txt", Buffer.from("x")))).code, "AccessDenied", "nothing else");
    assert.equal((await ossError(() => client.listBuckets())).code, "AccessDenied");

    await grant("scanner", "scan-deny", policy({ Effect: "Deny", Action: "oss:ProcessImm", Resource: "*" }));
    assert.equal((await ossError(() => scan(client))).code, "AccessDenied", "explicit Deny");
    const explained = (await (await fetch(`http://127.0.0.1:${server.adminPort}/explain?accessKeyId=${scanner.accessKeyId}&action=oss:ProcessImm&bucket=${BUCKET}&key=qr.png`)).json()) as { allowed: boolean; decision: string; by: { policyName?: string } };
    assert.deepEqual([explained.allowed, explained.decision, explained.by.policyName], [false, "ExplicitDeny", "scan-deny"]);
    const audit = server.logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.audit === "denied" && l.principal === "acs:ram::" + accountId + ":user/scanner");
    const last = audit[audit.length - 1] as { action: string; resource: string; decidedBy: { policyName?: string } } | undefined;
    assert.equal(last?.action, "oss:ProcessImm", "the denial is in the audit log");
    assert.equal(last?.resource, `acs:oss:*:${accountId}:${BUCKET}/qr.png`);
    assert.equal(last?.decidedBy.policyName, "scan-deny");
    await rpc(ram, "DetachPolicyFromUser", { PolicyType: "Custom", PolicyName: "scan-deny", UserName: "scanner" });
    assert.equal((await scan(client)).Codes.length, 1);
  });

  it("a bucket policy grants a second user; a public-read object is anonymous-readable but not scannable", async () => {
    const reader = await createUserWithKey("reader");
    const client = ossClient(server, { bucket: BUCKET, accessKeyId: reader.accessKeyId, accessKeySecret: reader.accessKeySecret });
    assert.equal((await ossError(() => client.get("qr.png"))).code, "AccessDenied");
    await root.putBucketPolicy(BUCKET, {
      Version: "1",
      Statement: [{ Effect: "Allow", Action: ["oss:GetObject"], Principal: [reader.userId], Resource: [`acs:oss:*:${accountId}:${BUCKET}/*`] }],
    });
    assert.equal((await client.get("qr.png")).res.status, 200);
    assert.equal((await ossError(() => client.delete("qr.png"))).code, "AccessDenied");
    const stored = await root.getBucketPolicy(BUCKET);
    assert.equal(stored.policy.Statement[0].Principal[0], reader.userId);
    await root.deleteBucketPolicy(BUCKET);
    assert.equal((await ossError(() => client.get("qr.png"))).code, "AccessDenied");

    await root.putACL("qr.png", "public-read");
    const anonymous = await fetch(`${server.endpoint}/${BUCKET}/qr.png`);
    assert.equal(anonymous.status, 200);
    const anonymousScan = await fetch(`${server.endpoint}/${BUCKET}/qr.png?x-oss-process=image/codes`);
    assert.equal(anonymousScan.status, 403);
    await root.putACL("qr.png", "default");
  });

  it("refuses malformed policies, duplicate names and deleting a user that still has keys or policies", async () => {
    assert.equal((await rpcError(rpc(ram, "CreatePolicy", { PolicyName: "bad", PolicyDocument: "{not json" }))).code, "MalformedPolicyDocument");
    assert.equal((await rpcError(rpc(ram, "CreatePolicy", { PolicyName: "bad", PolicyDocument: policy({ Effect: "Allow", Action: "oss:GetObject" }) }))).code, "MalformedPolicyDocument");
    assert.equal((await rpcError(rpc(ram, "CreatePolicy", { PolicyName: "bad", PolicyDocument: policy({ Effect: "Allow", Action: "oss:GetObjet", Resource: "*" }) }))).code, "MalformedPolicyDocument");
    assert.equal((await rpcError(rpc(ram, "CreatePolicy", { PolicyName: "big", PolicyDocument: policy(...Array.from({ length: 80 }, (_, i) => ({ Effect: "Allow", Action: `oss:GetObject`, Resource: `acs:oss:*:*:bucket-${i}/*` }))) }))).code, "LimitExceeded.Policy.Document");
    assert.equal((await rpcError(rpc(ram, "CreateUser", { UserName: "scanner" }))).code, "EntityAlreadyExists.User");
    assert.equal((await rpcError(rpc(ram, "DeleteUser", { UserName: "scanner" }))).code, "DeleteConflict.User.AccessKey");
    assert.equal((await rpcError(rpc(ram, "DeletePolicy", { PolicyName: "scan-get" }))).code, "DeleteConflict.Policy.User");
    assert.equal((await rpcError(rpc(ram, "GetUser", { UserName: "nobody" }))).code, "EntityNotExist.User");
    const bad = await ossError(() => root.putBucketPolicy(BUCKET, { Version: "2", Statement: [] }));
    assert.equal(bad.code, "InvalidPolicyDocument");
    assert.equal((await rpcError(rpc(popClient(server, "2015-05-01", scanner), "ListUsers"))).code, "NoPermission");
  });

  it("manages policy versions and access keys", async () => {
    await rpc(ram, "CreatePolicy", { PolicyName: "versioned", PolicyDocument: policy({ Effect: "Allow", Action: "oss:ListObjects", Resource: "*" }) });
    const v2 = await rpc<{ PolicyVersion: { VersionId: string; IsDefaultVersion: boolean } }>(ram, "CreatePolicyVersion", {
      PolicyName: "versioned", PolicyDocument: policy({ Effect: "Allow", Action: "oss:ListObjects", Resource: "acs:oss:*:*:ac-bucket" }), SetAsDefault: "true",
    });
    assert.equal(v2.PolicyVersion.VersionId, "v2");
    assert.equal(v2.PolicyVersion.IsDefaultVersion, true);
    const got = await rpc<{ DefaultPolicyVersion: { VersionId: string } }>(ram, "GetPolicy", { PolicyName: "versioned", PolicyType: "Custom" });
    assert.equal(got.DefaultPolicyVersion.VersionId, "v2");
    const listed = await rpc<{ Policies: { Policy: Array<{ PolicyName: string }> } }>(ram, "ListPolicies", { PolicyType: "System" });
    assert.ok(listed.Policies.Policy.some((p) => p.PolicyName === "AliyunOSSFullAccess"));

    const temp = await createUserWithKey("temp");
    const client = ossClient(server, { bucket: BUCKET, accessKeyId: temp.accessKeyId, accessKeySecret: temp.accessKeySecret });
    await rpc(ram, "AttachPolicyToUser", { PolicyType: "System", PolicyName: "AliyunOSSReadOnlyAccess", UserName: "temp" });
    assert.equal((await client.get("qr.png")).res.status, 200);
    await rpc(ram, "UpdateAccessKey", { UserName: "temp", UserAccessKeyId: temp.accessKeyId, Status: "Inactive" });
    assert.equal((await ossError(() => client.get("qr.png"))).code, "InvalidAccessKeyId");
    const keys = await rpc<{ AccessKeys: { AccessKey: Array<{ Status: string }> } }>(ram, "ListAccessKeys", { UserName: "temp" });
    assert.equal(keys.AccessKeys.AccessKey[0]?.Status, "Inactive");
    await rpc(ram, "DeleteAccessKey", { UserName: "temp", UserAccessKeyId: temp.accessKeyId });
    await rpc(ram, "DetachPolicyFromUser", { PolicyType: "System", PolicyName: "AliyunOSSReadOnlyAccess", UserName: "temp" });
    await rpc(ram, "DeleteUser", { UserName: "temp" });
    assert.equal((await rpcError(rpc(ram, "GetUser", { UserName: "temp" }))).code, "EntityNotExist.User");
  });

  it("STS: AssumeRole tokens work, narrow by session policy, and expire; untrusted callers are refused", async () => {
    const trustAccount = JSON.stringify({ Version: "1", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: { RAM: [`acs:ram::${accountId}:root`] } }] });
    const { Role } = await rpc<{ Role: { Arn: string } }>(ram, "CreateRole", { RoleName: "scan-role", AssumeRolePolicyDocument: trustAccount });
    await rpc(ram, "AttachPolicyToRole", { PolicyType: "System", PolicyName: "AliyunOSSFullAccess", RoleName: "scan-role" });
    const assumed = await rpc<{ Credentials: { AccessKeyId: string; AccessKeySecret: string; SecurityToken: string; Expiration: string } }>(sts, "AssumeRole", {
      RoleArn: Role.Arn, RoleSessionName: "session-1", DurationSeconds: 900,
      Policy: policy({ Effect: "Allow", Action: "oss:GetObject", Resource: "*" }),
    });
    const c = assumed.Credentials;
    assert.match(c.Expiration, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    for (const v4 of [false, true]) {
      const client = ossClient(server, { bucket: BUCKET, v4, accessKeyId: c.AccessKeyId, accessKeySecret: c.AccessKeySecret, stsToken: c.SecurityToken });
      assert.equal((await client.get("qr.png")).res.status, 200);
      assert.equal((await ossError(() => client.put("sts.txt", Buffer.from("x")))).code, "AccessDenied", "the session policy narrows the role");
    }
    const identity = await rpc<{ IdentityType: string; Arn: string }>(popClient(server, "2015-04-01", { accessKeyId: c.AccessKeyId, accessKeySecret: c.AccessKeySecret, securityToken: c.SecurityToken }), "GetCallerIdentity");
    assert.equal(identity.IdentityType, "AssumedRoleUser");
    assert.equal(identity.Arn, `acs:ram::${accountId}:assumed-role/scan-role/session-1`);

    const tampered = ossClient(server, { bucket: BUCKET, accessKeyId: c.AccessKeyId, accessKeySecret: c.AccessKeySecret, stsToken: `${c.SecurityToken}x` });
    assert.equal((await ossError(() => tampered.get("qr.png"))).code, "AccessKeyIdAndSecurityTokenNotMatch");

    // Expire the session in the store (the shortest real duration is 15 minutes).
    const Database = require("better-sqlite3") as new (file: string) => { prepare(sql: string): { run(...a: unknown[]): unknown }; close(): void };
    const db = new Database(join(server.dataDir, "iam.sqlite"));
    db.prepare("UPDATE sts_sessions SET expires_at = ? WHERE access_key_id = ?").run(Date.now() - 1000, c.AccessKeyId);
    db.close();
    const expired = ossClient(server, { bucket: BUCKET, accessKeyId: c.AccessKeyId, accessKeySecret: c.AccessKeySecret, stsToken: c.SecurityToken });
    assert.equal((await ossError(() => expired.get("qr.png"))).code, "SecurityTokenExpired");

    const trustOther = JSON.stringify({ Version: "1", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: { RAM: [`acs:ram::${accountId}:user/somebody-else`] } }] });
    const other = await rpc<{ Role: { Arn: string } }>(ram, "CreateRole", { RoleName: "other-role", AssumeRolePolicyDocument: trustOther });
    assert.equal((await rpcError(rpc(sts, "AssumeRole", { RoleArn: other.Role.Arn, RoleSessionName: "nope" }))).code, "NoPermission");
    assert.equal((await rpcError(rpc(sts, "AssumeRole", { RoleArn: `acs:ram::${accountId}:role/missing`, RoleSessionName: "nope" }))).code, "EntityNotExist.Role");
  });

  it("image/codes reads the object as the IMM service role: without its oss:GetObject the scan fails", async () => {
    await rpc(ram, "DetachPolicyFromRole", { PolicyType: "System", PolicyName: "AliyunOSSReadOnlyAccess", RoleName: "AliyunIMMDefaultRole" });
    try {
      await root.put("qr-role.png", await QRCode.toBuffer(QR_TEXT, { margin: 4, scale: 5 }));
      const denied = await ossError(() => root.get("qr-role.png", { process: "image/codes" }));
      assert.equal(denied.code, "AccessDenied");
      assert.match(denied.message, /AliyunIMMDefaultRole/);
      assert.equal((await root.get("qr-role.png")).res.status, 200, "the caller itself can still read it");
    } finally {
      await rpc(ram, "AttachPolicyToRole", { PolicyType: "System", PolicyName: "AliyunOSSReadOnlyAccess", RoleName: "AliyunIMMDefaultRole" });
    }
    assert.equal((await root.get("qr-role.png", { process: "image/codes" })).res.status, 200);
  });
});
