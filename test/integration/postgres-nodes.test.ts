/**
 * Two real Barbucket servers on one PostgreSQL (BARBUCKET_DATABASE_URL from scripts/postgres-single.sh),
 * one shared data dir and one BARBUCKET_MASTER_KEY: what one node writes through the real ali-oss
 * SDK the other serves — objects, overwrites (no stale read), listings, multipart uploads whose parts
 * went to both nodes, versions, bucket ACLs (cached per node, checked per request), IMM projects, identities
 * (RAM users and keys, policies, bucket policies, STS tokens, RPC nonces), KMS keys, usage that adds up across
 * nodes and access logs delivered once whichever node answered — and a kill -9 of one node mid-writes loses
 * nothing it acknowledged. No SQLite file is left in the data dir. Skipped, saying so, without
 * the PostgreSQL binaries. Last, with the database stopped, requests answer 503.
 */
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import { after, before, describe, it } from "node:test";
import { postgresSkipReason, startPostgres, type PostgresCluster } from "../../src/db/test-cluster.js";
import { buildPopV2StringToSign, signPopV2 } from "../../src/rpc/signature.js";
import { REPO_ROOT, ROOT_KEY_ID, ROOT_KEY_SECRET, startServer, type TestServer } from "./harness.js";
import { ossClient, ossError, type AliOssClient } from "./ali-oss.js";
import type { UsageReport } from "../../src/metering/report.js";
import { popClient, rpc, rpcError } from "./pop.js";

const skip = postgresSkipReason();
const BUCKET = "pg-nodes";
const MIB = 1024 * 1024;
const md5 = (data: Buffer) => createHash("md5").update(data).digest("hex");

/** Every line of every log object under `prefix`, waiting (bounded) until each of `ids` is in one. */
async function logLines(client: AliOssClient, prefix: string, ids: readonly string[], timeoutMs = 20_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const listed = await client.list({ prefix, "max-keys": 1000 }, { subres: {} });
    const lines: string[] = [];
    for (const object of (listed.objects ?? []) as { name: string }[]) {
      lines.push(...(Buffer.from((await client.get(object.name)).content).toString("utf8")).split("\n").filter((l) => l !== ""));
    }
    if (ids.every((id) => lines.some((l) => l.includes(`"${id}"`))) || Date.now() > deadline) return lines;
    await sleep(200);
  }
}

describe("two nodes on one PostgreSQL and one data dir", { skip, timeout: 300_000 }, () => {
  let cluster: PostgresCluster;
  const dataDir = mkdtempSync(join(tmpdir(), "barbucket-pg-it-"));
  const masterKey = randomBytes(32).toString("base64");
  const servers: TestServer[] = [];
  let a: TestServer;
  let b: TestServer;

  async function start(): Promise<TestServer> {
    const server = await startServer({
      dataDir,
      // Access logs delivered every 300 ms (by whichever node holds the lease) for the access-log case.
      env: { BARBUCKET_DATABASE_URL: cluster.url, BARBUCKET_MASTER_KEY: masterKey, BARBUCKET_ACCESS_LOG_FLUSH_MS: "50", BARBUCKET_ACCESS_LOG_INTERVAL_MS: "300" },
    });
    servers.push(server);
    return server;
  }

  before(async () => {
    cluster = await startPostgres();
    // Both nodes start together: their migrations must not race. allSettled: a node that came up while the
    // other failed is still in `servers` for after() to stop.
    const started = await Promise.allSettled([start(), start()]);
    for (const outcome of started) if (outcome.status === "rejected") throw outcome.reason;
    [a, b] = servers as [TestServer, TestServer];
  }, { timeout: 150_000 });

  after(async () => {
    for (const server of servers) await server.stop("SIGKILL");
    await cluster?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }, { timeout: 60_000 });

  it("serves on one node what the other wrote: objects, overwrites without a stale read, listings", async () => {
    const onA = ossClient(a, { bucket: BUCKET });
    const onB = ossClient(b, { bucket: BUCKET, v4: true });
    await onA.putBucket(BUCKET);
    const body = randomBytes(70_000);
    await onA.put("dir/first.bin", body, { headers: { "x-oss-meta-who": "node-a" } });
    const got = await onB.get("dir/first.bin");
    assert.deepEqual(Buffer.from(got.content), body);
    assert.equal(got.res.headers["x-oss-meta-who"], "node-a");
    // Each overwrite on one node is read back at once on the other (no cache may answer for it).
    for (let i = 0; i < 20; i++) {
      const [writer, reader] = i % 2 === 0 ? [onA, onB] : [onB, onA];
      await writer.put("hot.txt", Buffer.from(`version ${i}`));
      assert.equal(Buffer.from((await reader.get("hot.txt")).content).toString(), `version ${i}`, `read after overwrite ${i}`);
    }
    for (const name of ["dir/a", "dir/b", "dir/sub/c", "top"]) await onB.put(name, Buffer.from(name));
    const listed = await onA.list({ prefix: "dir/", delimiter: "/" });
    assert.deepEqual(listed.objects.map((o: { name: string }) => o.name), ["dir/a", "dir/b", "dir/first.bin"]);
    assert.deepEqual(listed.prefixes, ["dir/sub/"]);
    await onA.delete("top");
    assert.equal((await ossError(() => onB.get("top"))).status, 404);
  });

  it("a bucket ACL set on one node applies on the other at the next request", async () => {
    const onA = ossClient(a, { bucket: BUCKET });
    const anonymousGet = async (server: TestServer) => (await fetch(`${server.endpoint}/${BUCKET}/dir/a`)).status;
    assert.equal(await anonymousGet(b), 403); // b has the bucket cached now
    await onA.putBucketACL(BUCKET, "public-read");
    assert.equal(await anonymousGet(b), 200);
    await onA.putBucketACL(BUCKET, "private");
    assert.equal(await anonymousGet(b), 403);
  });

  it("completes on one node a multipart upload whose parts went to both", async () => {
    const onA = ossClient(a, { bucket: BUCKET });
    const onB = ossClient(b, { bucket: BUCKET });
    const parts = [randomBytes(5 * MIB), randomBytes(5 * MIB), randomBytes(1234)];
    const { uploadId } = await onA.initMultipartUpload("multi.bin");
    const done = [];
    for (const [i, part] of parts.entries()) {
      const file = join(dataDir, `..`, `pg-part-${process.pid}-${i}`);
      writeFileSync(file, part);
      try {
        const res = await (i % 2 === 0 ? onB : onA).uploadPart("multi.bin", uploadId, i + 1, file, 0, part.length);
        done.push({ number: i + 1, etag: res.etag });
      } finally {
        rmSync(file, { force: true });
      }
    }
    const listedParts = await onA.listParts("multi.bin", uploadId);
    assert.equal(listedParts.parts.length, 3);
    await onB.completeMultipartUpload("multi.bin", uploadId, done);
    const whole = Buffer.from((await onA.get("multi.bin")).content);
    assert.equal(md5(whole), md5(Buffer.concat(parts)));
    assert.match((await onA.head("multi.bin")).res.headers.etag, /^"[0-9A-F]{32}-3"$/);
  });

  it("keeps versions written on both nodes", async () => {
    const bucket = `${BUCKET}-versions`;
    const onA = ossClient(a, { bucket });
    const onB = ossClient(b, { bucket });
    await onA.putBucket(bucket);
    await onA.putBucketVersioning(bucket, "Enabled");
    const v1 = (await onB.put("k", Buffer.from("one"))).res.headers["x-oss-version-id"];
    const v2 = (await onA.put("k", Buffer.from("two"))).res.headers["x-oss-version-id"];
    assert.ok(v1 && v2 && v1 !== v2);
    assert.equal(Buffer.from((await onB.get("k")).content).toString(), "two");
    assert.equal(Buffer.from((await onB.get("k", { versionId: v1 })).content).toString(), "one");
    const versions = await onB.getBucketVersions({ prefix: "k" });
    assert.deepEqual(versions.objects.map((o: { versionId: string }) => o.versionId), [v2, v1]);
    await onB.delete("k");
    assert.equal((await ossError(() => onA.get("k"))).status, 404);
    assert.equal(Buffer.from((await onA.get("k", { versionId: v2 })).content).toString(), "two");
  });

  it("shares IMM projects and bucket attachments; no SQLite file and no master.key in the data dir", async () => {
    const immA = popClient(a, "2020-09-30");
    const immB = popClient(b, "2020-09-30");
    await rpc(immA, "CreateProject", { ProjectName: "pg-shared" });
    const got = await rpc<{ Project: { ProjectName: string } }>(immB, "GetProject", { ProjectName: "pg-shared" });
    assert.equal(got.Project.ProjectName, "pg-shared");
    await rpc(immB, "AttachOSSBucket", { ProjectName: "pg-shared", OSSBucket: BUCKET });
    const attached = await rpc<{ ProjectName: string }>(immA, "GetOSSBucketAttachment", { OSSBucket: BUCKET });
    assert.equal(attached.ProjectName, "pg-shared");
    const local = ["meta.sqlite", "imm.sqlite", "iam.sqlite", "kms.sqlite", "usage.sqlite", "leases.sqlite", "access-log.sqlite", "master.key"];
    for (const file of local) assert.ok(!existsSync(join(dataDir, file)), `${file} in the shared data dir`);
    // Nor any other SQLite file, anywhere under the data dir.
    assert.deepEqual(readdirSync(dataDir, { recursive: true }).map(String).filter((f) => /\.sqlite(-wal|-shm)?$/.test(f)), []);
  });

  it("a KMS key created on node A encrypts and decrypts on node B, also as an SSE-KMS object's key", async () => {
    const kmsA = popClient(a, "2016-01-20");
    const kmsB = popClient(b, "2016-01-20");
    const { KeyMetadata } = await rpc<{ KeyMetadata: { KeyId: string } }>(kmsA, "CreateKey", { Description: "shared by the nodes" });
    const keyId = KeyMetadata.KeyId;
    const plaintext = Buffer.from("sealed on one node, opened on the other");
    const sealed = await rpc<{ CiphertextBlob: string }>(kmsA, "Encrypt", { KeyId: keyId, Plaintext: plaintext.toString("base64") });
    const opened = await rpc<{ Plaintext: string; KeyId: string }>(kmsB, "Decrypt", { CiphertextBlob: sealed.CiphertextBlob });
    assert.equal(Buffer.from(opened.Plaintext, "base64").toString(), plaintext.toString());
    assert.equal(opened.KeyId, keyId);
    const dataKey = await rpc<{ CiphertextBlob: string; Plaintext: string }>(kmsB, "GenerateDataKey", { KeyId: keyId });
    assert.equal((await rpc<{ Plaintext: string }>(kmsA, "Decrypt", { CiphertextBlob: dataKey.CiphertextBlob })).Plaintext, dataKey.Plaintext);
    const body = randomBytes(10_000);
    const headers = { "x-oss-server-side-encryption": "KMS", "x-oss-server-side-encryption-key-id": keyId };
    await ossClient(a, { bucket: BUCKET }).put("kms/object.bin", body, { headers });
    const got = await ossClient(b, { bucket: BUCKET }).get("kms/object.bin");
    assert.deepEqual(Buffer.from(got.content), body);
    assert.equal(got.res.headers["x-oss-server-side-encryption-key-id"], keyId);
  });

  it("usage from requests on both nodes adds up in either node's /usage and in `barbucket usage`", async () => {
    const bucket = `${BUCKET}-usage`;
    const onA = ossClient(a, { bucket });
    const onB = ossClient(b, { bucket });
    await onA.putBucket(bucket);
    await onA.put("u.txt", Buffer.from("usage"));
    const from = Date.now() - 3_600_000;
    for (let i = 0; i < 3; i++) await onA.get("u.txt");
    for (let i = 0; i < 4; i++) await onB.get("u.txt");
    const query = `bucket=${bucket}&from=${from}&to=${Date.now() + 3_600_000}`;
    const usageOf = async (server: TestServer): Promise<UsageReport> => (await (await fetch(`http://127.0.0.1:${server.adminPort}/usage?${query}`)).json()) as UsageReport;
    const gets = (report: UsageReport) => report.totals.find((t) => t.item === "GetRequest")?.quantity ?? 0;
    // Each /usage flushes its own node's meter first: asking B then A leaves nothing unflushed.
    await usageOf(b);
    assert.equal(gets(await usageOf(a)), 7, "A's /usage counts B's requests");
    assert.equal(gets(await usageOf(b)), 7, "and B's counts A's");
    const run = promisify(execFile);
    const cli = await run(process.execPath, [join(REPO_ROOT, "bin/barbucket.js"), "usage", "--json", "--bucket", bucket, "--from", String(from), "--to", String(Date.now() + 3_600_000)], {
      env: { ...process.env, BARBUCKET_DATABASE_URL: cluster.url },
    });
    assert.equal(gets(JSON.parse(cli.stdout) as UsageReport), 7, "the CLI reads PostgreSQL under BARBUCKET_DATABASE_URL");
  });

  it("access logs of requests answered by both nodes are delivered once each", async () => {
    const bucket = `${BUCKET}-logged`;
    const onA = ossClient(a, { bucket });
    const onB = ossClient(b, { bucket });
    await onA.putBucket(bucket);
    await onA.putBucketLogging(bucket, "access/");
    await onA.put("l.txt", Buffer.from("logged"));
    const ids: string[] = [];
    for (const client of [onA, onB, onB, onA]) ids.push((await client.get("l.txt")).res.headers["x-oss-request-id"]);
    const lines = await logLines(onA, "access/", ids);
    for (const id of ids) assert.equal(lines.filter((l) => l.includes(`"${id}"`)).length, 1, `request ${id} logged once`);
  });

  it("shares identities: a RAM user's key, its policies and bucket policies, an STS token and RPC nonces made on one node hold on the other", async () => {
    const ramA = popClient(a, "2015-05-01");
    const stsA = popClient(a, "2015-04-01");
    const accountId = (await rpc<{ AccountId: string }>(popClient(b, "2015-04-01"), "GetCallerIdentity")).AccountId;
    assert.equal((await rpc<{ AccountId: string }>(stsA, "GetCallerIdentity")).AccountId, accountId, "one account on both nodes");
    const { User } = await rpc<{ User: { UserId: string } }>(ramA, "CreateUser", { UserName: "pg-user" });
    const { AccessKey } = await rpc<{ AccessKey: { AccessKeyId: string; AccessKeySecret: string } }>(ramA, "CreateAccessKey", { UserName: "pg-user" });
    const keys = { accessKeyId: AccessKey.AccessKeyId, accessKeySecret: AccessKey.AccessKeySecret };
    const userOnB = ossClient(b, { bucket: BUCKET, ...keys });
    const whoOnB = await rpc<{ Arn: string }>(popClient(b, "2015-04-01", keys), "GetCallerIdentity");
    assert.equal(whoOnB.Arn, `acs:ram::${accountId}:user/pg-user`);
    assert.equal((await ossError(() => userOnB.get("dir/a"))).code, "AccessDenied", "no policy yet");

    // A bucket policy put on A grants the user on B; deleted on A, it no longer does.
    const onA = ossClient(a, { bucket: BUCKET });
    await onA.putBucketPolicy(BUCKET, {
      Version: "1",
      Statement: [{ Effect: "Allow", Action: ["oss:GetObject"], Principal: [User.UserId], Resource: [`acs:oss:*:${accountId}:${BUCKET}/*`] }],
    });
    assert.equal((await userOnB.get("dir/a")).res.status, 200);
    await onA.deleteBucketPolicy(BUCKET);
    assert.equal((await ossError(() => userOnB.get("dir/a"))).code, "AccessDenied");

    // A RAM policy attached on A applies on B; the key deactivated on A is refused on B.
    await rpc(ramA, "AttachPolicyToUser", { PolicyType: "System", PolicyName: "AliyunOSSReadOnlyAccess", UserName: "pg-user" });
    assert.equal((await userOnB.get("dir/a")).res.status, 200);
    await rpc(ramA, "UpdateAccessKey", { UserName: "pg-user", UserAccessKeyId: keys.accessKeyId, Status: "Inactive" });
    assert.equal((await ossError(() => userOnB.get("dir/a"))).code, "InvalidAccessKeyId");

    // An STS token issued by A works on B.
    const trust = JSON.stringify({ Version: "1", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: { RAM: [`acs:ram::${accountId}:root`] } }] });
    const { Role } = await rpc<{ Role: { Arn: string } }>(ramA, "CreateRole", { RoleName: "pg-role", AssumeRolePolicyDocument: trust });
    await rpc(popClient(b, "2015-05-01"), "AttachPolicyToRole", { PolicyType: "System", PolicyName: "AliyunOSSReadOnlyAccess", RoleName: "pg-role" });
    const { Credentials: c } = await rpc<{ Credentials: { AccessKeyId: string; AccessKeySecret: string; SecurityToken: string } }>(stsA, "AssumeRole", {
      RoleArn: Role.Arn, RoleSessionName: "pg-session",
    });
    const sessionOnB = ossClient(b, { bucket: BUCKET, accessKeyId: c.AccessKeyId, accessKeySecret: c.AccessKeySecret, stsToken: c.SecurityToken });
    assert.equal((await sessionOnB.get("dir/a")).res.status, 200);
    assert.equal((await ossError(() => sessionOnB.put("sts-write", Buffer.from("x")))).code, "AccessDenied");
    const assumed = await rpc<{ Arn: string }>(popClient(b, "2015-04-01", { accessKeyId: c.AccessKeyId, accessKeySecret: c.AccessKeySecret, securityToken: c.SecurityToken }), "GetCallerIdentity");
    assert.equal(assumed.Arn, `acs:ram::${accountId}:assumed-role/pg-role/pg-session`);

    // One signed RPC request, replayed to the other node: its SignatureNonce is remembered by both.
    const params: Record<string, string> = {
      Action: "GetCallerIdentity", Format: "JSON", Version: "2015-04-01", AccessKeyId: ROOT_KEY_ID, SignatureMethod: "HMAC-SHA1",
      SignatureVersion: "1.0", SignatureNonce: randomBytes(16).toString("hex"), Timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
    };
    params["Signature"] = signPopV2(ROOT_KEY_SECRET, buildPopV2StringToSign("GET", params));
    const query = new URLSearchParams(params).toString();
    assert.equal((await fetch(`http://127.0.0.1:${a.rpcPort}/?${query}`)).status, 200);
    const replay = await fetch(`http://127.0.0.1:${b.rpcPort}/?${query}`);
    assert.equal(replay.status, 400);
    assert.equal(((await replay.json()) as { Code: string }).Code, "SignatureNonceUsed");
  });

  it("kill -9 of one node mid-writes: the other serves every acknowledged write", async () => {
    const victim = await start();
    const acked = new Map<string, Buffer>();
    let running = true;
    const writers = [0, 1, 2].map(async (w) => {
      const client = ossClient(victim, { bucket: BUCKET, timeoutMs: 20_000 });
      for (let i = 0; running && i < 300; i++) {
        const body = randomBytes(i % 4 === 0 ? 2 * MIB : 16 * 1024 + i);
        try {
          await client.put(`crash/${w}-${i}`, body);
          acked.set(`crash/${w}-${i}`, body);
        } catch {
          return; // the node died under us
        }
      }
    });
    // Kill once some writes were acknowledged (bounded wait: a loaded machine may take a while).
    for (let waited = 0; acked.size < 6 && waited < 30_000; waited += 100) await sleep(100);
    await victim.stop("SIGKILL");
    running = false;
    await Promise.all(writers);
    assert.ok(acked.size > 0, "no write was acknowledged before the kill");
    const survivor = ossClient(b, { bucket: BUCKET });
    for (const [name, body] of acked) assert.equal(md5(Buffer.from((await survivor.get(name)).content)), md5(body), name);
  });

  it("answers 503 ServiceUnavailable (not a 500) to OSS and RPC requests while PostgreSQL is down", async () => {
    const onB = ossClient(b, { bucket: BUCKET });
    await cluster.stop(); // the last case: the database is gone for good
    const got = await ossError(() => onB.get("dir/a"));
    assert.equal(got.status, 503);
    assert.equal(got.code, "ServiceUnavailable");
    const put = await ossError(() => onB.put("while-down", Buffer.from("x")));
    assert.equal(put.status, 503);
    // RPC too: every call checks its SignatureNonce in the database.
    const call = await rpcError(rpc(popClient(b, "2015-04-01"), "GetCallerIdentity"));
    assert.equal(call.status, 503);
    assert.equal(call.code, "ServiceUnavailable");
  });
});
