/**
 * Issue 21: IMM reads an object only for a caller who may read it. The README's example user
 * (`oss:GetObject` + `oss:ProcessImm` on bucket-a/*, `imm:DetectImageCodes` on project/proj) scans
 * bucket-a and nothing else, through OSS `image/codes` and through IMM `DetectImageCodes`, although
 * the project's service role (AliyunOSSReadOnlyAccess) reads every bucket. Real server, real
 * `@alicloud/pop-core` and `ali-oss` clients.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { startServer, type TestServer } from "./harness.js";
import { ossClient, ossError, type AliOssClient } from "./ali-oss.js";
import { popClient, rpc, rpcError, type PopCoreClient } from "./pop.js";
import { rawRequest } from "./raw-client.js";

const require = createRequire(import.meta.url);
const QRCode = require("qrcode") as { toBuffer(text: string, options: Record<string, unknown>): Promise<Buffer> };

const PROJECT = "proj";
/** bucket-a and bucket-b are attached to `proj`; bucket-c to no project. */
const BUCKETS = ["bucket-a", "bucket-b", "bucket-c"] as const;
const secret = (bucket: string, key = "qr.png"): string => `SECRET-IN-${bucket}/${key}`;

type Keys = { accessKeyId: string; accessKeySecret: string; securityToken?: string };
interface ImmCodes { Codes: Array<{ Content: string }> }

function policy(...statements: Array<Record<string, unknown>>): string {
  return JSON.stringify({ Version: "1", Statement: statements });
}

/** The README's "scan codes in one bucket and nothing else" policy, for bucket-a. */
const README_POLICY = policy(
  { Effect: "Allow", Action: ["oss:GetObject", "oss:ProcessImm"], Resource: "acs:oss:*:*:bucket-a/*" },
  { Effect: "Allow", Action: "imm:DetectImageCodes", Resource: `acs:imm:*:*:project/${PROJECT}` },
);

describe("IMM reads only what the caller may read (issue 21)", () => {
  let server: TestServer;
  let ram: PopCoreClient;
  let accountId: string;
  let scanner: Keys & { userId: string };

  const detect = (keys: Keys | undefined, bucket: string, key = "qr.png", extra: Record<string, unknown> = {}): Promise<ImmCodes> =>
    rpc<ImmCodes>(popClient(server, "2020-09-30", keys ?? {}), "DetectImageCodes", { ProjectName: PROJECT, SourceURI: `oss://${bucket}/${key}`, ...extra });
  const oss = (bucket: string, keys?: Keys): AliOssClient =>
    ossClient(server, { bucket, ...(keys ? { accessKeyId: keys.accessKeyId, accessKeySecret: keys.accessKeySecret, ...(keys.securityToken ? { stsToken: keys.securityToken } : {}) } : {}) });
  async function scanViaGet(bucket: string, keys?: Keys, key = "qr.png"): Promise<ImmCodes> {
    const res = await oss(bucket, keys).get(key, { process: "image/codes" });
    return JSON.parse(Buffer.from(res.content).toString()) as ImmCodes;
  }
  /** A refused DetectImageCodes: 403, naming `permission`, and leaking no code content. */
  async function refused(call: Promise<unknown>, permission: RegExp): Promise<{ code: string; message: string }> {
    const e = await rpcError(call);
    assert.equal(e.status, 403, `${e.code}: ${e.message}`);
    assert.equal(e.code, "Forbidden.RAM", e.message);
    assert.match(e.message, permission);
    assert.doesNotMatch(e.message, /SECRET/);
    return e;
  }
  async function createUser(name: string, document: string): Promise<Keys & { userId: string }> {
    const { User } = await rpc<{ User: { UserId: string } }>(ram, "CreateUser", { UserName: name });
    const { AccessKey } = await rpc<{ AccessKey: { AccessKeyId: string; AccessKeySecret: string } }>(ram, "CreateAccessKey", { UserName: name });
    await grant(name, `${name}-policy`, document);
    return { accessKeyId: AccessKey.AccessKeyId, accessKeySecret: AccessKey.AccessKeySecret, userId: User.UserId };
  }
  async function grant(user: string, name: string, document: string): Promise<void> {
    await rpc(ram, "CreatePolicy", { PolicyName: name, PolicyDocument: document });
    await rpc(ram, "AttachPolicyToUser", { PolicyType: "Custom", PolicyName: name, UserName: user });
  }
  async function putQr(bucket: string, key: string, headers: Record<string, string> = {}): Promise<void> {
    await oss(bucket).put(key, await QRCode.toBuffer(secret(bucket, key), { margin: 4, scale: 5 }), { headers });
  }

  before(async () => {
    server = await startServer();
    ram = popClient(server, "2015-05-01");
    const imm = popClient(server, "2020-09-30");
    accountId = (await rpc<{ AccountId: string }>(popClient(server, "2015-04-01"), "GetCallerIdentity")).AccountId;
    await rpc(imm, "CreateProject", { ProjectName: PROJECT });
    for (const bucket of BUCKETS) {
      await oss(bucket).putBucket(bucket);
      await putQr(bucket, "qr.png");
    }
    await rpc(imm, "AttachOSSBucket", { ProjectName: PROJECT, OSSBucket: "bucket-a" });
    await rpc(imm, "AttachOSSBucket", { ProjectName: PROJECT, OSSBucket: "bucket-b" });
    scanner = await createUser("scanner", README_POLICY);
  });
  after(async () => {
    await server?.stop();
    server?.cleanup();
  });

  it("the README's example user scans bucket-a through both paths", async () => {
    assert.equal((await detect(scanner, "bucket-a")).Codes[0]?.Content, secret("bucket-a"));
    assert.equal((await scanViaGet("bucket-a", scanner)).Codes[0]?.Content, secret("bucket-a"));
  });

  it("DetectImageCodes cannot read a bucket the caller may not read, even one attached to the project or cached", async () => {
    // An allowed caller scans first, so both paths have the result cached.
    assert.equal((await detect(undefined, "bucket-b")).Codes[0]?.Content, secret("bucket-b"));
    assert.equal((await scanViaGet("bucket-b")).Codes[0]?.Content, secret("bucket-b"));
    const e = await refused(detect(scanner, "bucket-b"), /oss:GetObject/);
    assert.match(e.message, new RegExp(`acs:oss:\\*:${accountId}:bucket-b/qr\\.png`));
    const viaGet = await ossError(() => scanViaGet("bucket-b", scanner));
    assert.deepEqual([viaGet.status, viaGet.code], [403, "AccessDenied"]);
    // An unattached bucket: the caller's missing right is what the refusal names.
    await refused(detect(scanner, "bucket-c"), /oss:GetObject/);
    // A missing object in a bucket the caller may not read is a refusal too, not a 404.
    await refused(detect(scanner, "bucket-b", "no-such.png"), /oss:GetObject/);
  });

  it("refuses a bucket not attached to the project, even to a caller who may read it", async () => {
    const reader = await createUser("reader-c", policy(
      { Effect: "Allow", Action: ["oss:GetObject", "oss:ProcessImm"], Resource: "acs:oss:*:*:bucket-c/*" },
      { Effect: "Allow", Action: "imm:DetectImageCodes", Resource: `acs:imm:*:*:project/${PROJECT}` },
    ));
    assert.equal((await oss("bucket-c", reader).get("qr.png")).res.status, 200, "the caller may read the object");
    await refused(detect(reader, "bucket-c"), /not attached to project proj/);
    await refused(detect(undefined, "bucket-c"), /not attached to project proj/); // not even the account's root
    const viaGet = await ossError(() => scanViaGet("bucket-c", reader));
    assert.deepEqual([viaGet.status, viaGet.code], [400, "InvalidArgument"], "image/codes names the missing attachment, as before");
  });

  it("an explicit Deny on oss:GetObject in the caller's identity policy refuses DetectImageCodes", async () => {
    await putQr("bucket-a", "denied-by-user.png");
    assert.equal((await detect(undefined, "bucket-a", "denied-by-user.png")).Codes[0]?.Content, secret("bucket-a", "denied-by-user.png"), "cached by root");
    const denied = await createUser("denied-user", README_POLICY);
    assert.equal((await detect(denied, "bucket-a", "denied-by-user.png")).Codes.length, 1, "allowed before the Deny");
    await grant("denied-user", "deny-one-object", policy({ Effect: "Deny", Action: "oss:GetObject", Resource: "acs:oss:*:*:bucket-a/denied-by-user.png" }));
    const e = await refused(detect(denied, "bucket-a", "denied-by-user.png"), /oss:GetObject/);
    assert.match(e.message, /explicit Deny/);
    assert.equal((await ossError(() => scanViaGet("bucket-a", denied, "denied-by-user.png"))).code, "AccessDenied");
    assert.equal((await detect(denied, "bucket-a")).Codes[0]?.Content, secret("bucket-a"), "other objects still scan");
  });

  it("an explicit Deny on oss:GetObject in the bucket policy refuses DetectImageCodes", async () => {
    await putQr("bucket-a", "denied-by-bucket.png");
    assert.equal((await detect(undefined, "bucket-a", "denied-by-bucket.png")).Codes.length, 1, "cached by root");
    await oss("bucket-a").putBucketPolicy("bucket-a", {
      Version: "1",
      Statement: [{ Effect: "Deny", Action: ["oss:GetObject"], Principal: [scanner.userId], Resource: [`acs:oss:*:${accountId}:bucket-a/denied-by-bucket.png`] }],
    });
    try {
      const e = await refused(detect(scanner, "bucket-a", "denied-by-bucket.png"), /oss:GetObject/);
      assert.match(e.message, /bucket policy/);
      assert.equal((await ossError(() => scanViaGet("bucket-a", scanner, "denied-by-bucket.png"))).code, "AccessDenied");
      assert.equal((await detect(scanner, "bucket-a")).Codes.length, 1, "other objects still scan");
    } finally {
      await oss("bucket-a").deleteBucketPolicy("bucket-a");
    }
  });

  it("ACLs count as for a GET: a public-read object is readable, a private one in a public-read bucket is not", async () => {
    await putQr("bucket-b", "private.png", { "x-oss-object-acl": "private" });
    await oss("bucket-b").putBucketACL("bucket-b", "public-read");
    try {
      assert.equal((await detect(undefined, "bucket-b", "private.png")).Codes.length, 1, "cached by root");
      assert.equal((await ossError(() => oss("bucket-b", scanner).get("private.png"))).code, "AccessDenied", "a GET is refused");
      await refused(detect(scanner, "bucket-b", "private.png"), /oss:GetObject/);
      assert.equal((await oss("bucket-b", scanner).get("qr.png")).res.status, 200, "the bucket's ACL lets the scanner read qr.png");
      assert.equal((await detect(scanner, "bucket-b")).Codes[0]?.Content, secret("bucket-b"), "so it may scan it");
    } finally {
      await oss("bucket-b").putBucketACL("bucket-b", "private");
    }
  });

  it("an STS session policy narrows DetectImageCodes and image/codes to its prefix", async () => {
    await putQr("bucket-a", "shared/qr.png");
    const ramRole = popClient(server, "2015-05-01");
    const trust = JSON.stringify({ Version: "1", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: { RAM: [`acs:ram::${accountId}:root`] } }] });
    const { Role } = await rpc<{ Role: { Arn: string } }>(ramRole, "CreateRole", { RoleName: "broad-scanner", AssumeRolePolicyDocument: trust });
    await rpc(ramRole, "CreatePolicy", { PolicyName: "scan-everything", PolicyDocument: policy(
      { Effect: "Allow", Action: ["oss:GetObject", "oss:ProcessImm"], Resource: "*" },
      { Effect: "Allow", Action: "imm:DetectImageCodes", Resource: "*" },
    ) });
    await rpc(ramRole, "AttachPolicyToRole", { PolicyType: "Custom", PolicyName: "scan-everything", RoleName: "broad-scanner" });
    const { Credentials: c } = await rpc<{ Credentials: { AccessKeyId: string; AccessKeySecret: string; SecurityToken: string } }>(popClient(server, "2015-04-01"), "AssumeRole", {
      RoleArn: Role.Arn, RoleSessionName: "narrow", DurationSeconds: 900,
      Policy: policy(
        { Effect: "Allow", Action: ["oss:GetObject", "oss:ProcessImm"], Resource: "acs:oss:*:*:bucket-a/shared/*" },
        { Effect: "Allow", Action: "imm:DetectImageCodes", Resource: `acs:imm:*:*:project/${PROJECT}` },
      ),
    });
    const session: Keys = { accessKeyId: c.AccessKeyId, accessKeySecret: c.AccessKeySecret, securityToken: c.SecurityToken };
    assert.equal((await detect(session, "bucket-a", "shared/qr.png")).Codes[0]?.Content, secret("bucket-a", "shared/qr.png"));
    assert.equal((await scanViaGet("bucket-a", session, "shared/qr.png")).Codes.length, 1);
    const e = await refused(detect(session, "bucket-a"), /oss:GetObject/);
    assert.match(e.message, /session policy/);
    await refused(detect(session, "bucket-b"), /oss:GetObject/);
    assert.equal((await ossError(() => scanViaGet("bucket-a", session))).code, "AccessDenied");
  });

  it("a CredentialConfig only narrows: its Policy must allow the object too, its role chain widens nothing", async () => {
    const onlyShared = JSON.stringify({ Policy: policy({ Effect: "Allow", Action: "oss:GetObject", Resource: "acs:oss:*:*:bucket-a/shared/*" }) });
    const e = await refused(detect(undefined, "bucket-a", "qr.png", { CredentialConfig: onlyShared }), /oss:GetObject/);
    assert.match(e.message, /CredentialConfig/);
    assert.equal((await detect(undefined, "bucket-a", "shared/qr.png", { CredentialConfig: onlyShared })).Codes.length, 1);
    const everything = JSON.stringify({
      Chain: [{ Role: "AliyunIMMDefaultRole", RoleType: "service" }],
      Policy: policy({ Effect: "Allow", Action: "oss:*", Resource: "*" }),
      ServiceRole: "AliyunIMMDefaultRole",
    });
    await refused(detect(scanner, "bucket-b", "qr.png", { CredentialConfig: everything }), /oss:GetObject/);
    assert.equal((await detect(scanner, "bucket-a", "qr.png", { CredentialConfig: everything })).Codes.length, 1);
    const unparsable = await rpcError(detect(undefined, "bucket-a", "qr.png", { CredentialConfig: JSON.stringify({ Policy: policy({ Effect: "Allow", Action: "oss:GetObjet", Resource: "*" }) }) }));
    assert.deepEqual([unparsable.status, unparsable.code], [400, "InvalidArgument"]);
  });

  it("an SSE-KMS source needs the caller's kms:Decrypt, even when the result is cached", async () => {
    const { KeyMetadata } = await rpc<{ KeyMetadata: { KeyId: string } }>(popClient(server, "2016-01-20"), "CreateKey", { Description: "issue 21" });
    await putQr("bucket-a", "kms.png", { "x-oss-server-side-encryption": "KMS", "x-oss-server-side-encryption-key-id": KeyMetadata.KeyId });
    await rpc(ram, "CreatePolicy", { PolicyName: "imm-role-kms", PolicyDocument: policy({ Effect: "Allow", Action: "kms:Decrypt", Resource: "*" }) });
    await rpc(ram, "AttachPolicyToRole", { PolicyType: "Custom", PolicyName: "imm-role-kms", RoleName: "AliyunIMMDefaultRole" });
    assert.equal((await detect(undefined, "bucket-a", "kms.png")).Codes[0]?.Content, secret("bucket-a", "kms.png"), "cached by root");
    await refused(detect(scanner, "bucket-a", "kms.png"), /The caller is not allowed kms:Decrypt/);
    assert.equal((await ossError(() => scanViaGet("bucket-a", scanner, "kms.png"))).code, "AccessDenied");
  });

  it("the service role stays required: without its oss:GetObject even root is refused", async () => {
    await rpc(ram, "DetachPolicyFromRole", { PolicyType: "System", PolicyName: "AliyunOSSReadOnlyAccess", RoleName: "AliyunIMMDefaultRole" });
    try {
      const e = await refused(detect(undefined, "bucket-a"), /AliyunIMMDefaultRole.*oss:GetObject/);
      assert.doesNotMatch(e.message, /^User not authorized/);
      assert.match((await ossError(() => scanViaGet("bucket-a"))).message, /AliyunIMMDefaultRole/);
    } finally {
      await rpc(ram, "AttachPolicyToRole", { PolicyType: "System", PolicyName: "AliyunOSSReadOnlyAccess", RoleName: "AliyunIMMDefaultRole" });
    }
    assert.equal((await detect(undefined, "bucket-a")).Codes.length, 1);
  });

  it("no other path lets the caller reach bucket-b through a role: sys/saveas and async processing are refused", async () => {
    const b64 = (text: string): string => Buffer.from(text).toString("base64url");
    const saveAs = `image/codes|sys/saveas,o_${b64("copied.json")},b_${b64("bucket-a")}`;
    for (const name of ["x-oss-process", "x-oss-async-process"]) {
      const res = await rawRequest(server.ossPort, {
        method: "POST", bucket: "bucket-b", key: "qr.png", query: [[name, saveAs]],
        accessKeyId: scanner.accessKeyId, secret: scanner.accessKeySecret,
      });
      assert.ok(res.status >= 400, `${name}: ${res.status} ${res.body}`);
      assert.doesNotMatch(res.body, /SECRET/);
    }
    assert.equal((await ossError(() => oss("bucket-a").head("copied.json"))).status, 404, "nothing was written to bucket-a");
  });
});
