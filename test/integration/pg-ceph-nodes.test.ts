/**
 * Two real Barbucket nodes on one PostgreSQL (BARBUCKET_DATABASE_URL) with their object bytes in one
 * Ceph RADOS Gateway (BARBUCKET_S3_*), each on a fresh data dir of its own: no shared filesystem.
 * What A writes B serves through the real ali-oss SDK — objects, overwrites read back at once (no stale
 * read), a multipart upload whose parts went to both nodes, SSE-KMS objects (refused on B once A disabled
 * the key); identities (a RAM user's key, an STS token) and IMM projects (image/codes of a QR code, again
 * after A overwrote it, refused once A detached the bucket) made on A hold on B. A third node started on a
 * fresh data dir while A uploads (a long streamed PUT among them) collects none of A's blobs and aborts none
 * of its writes; a node without the cluster's master key refuses to start; a kill -9 of a node mid-writes
 * loses nothing it acknowledged. Last: no SQLite file, no master.key and no blob bytes in any node's data
 * dir, every referenced blob in RGW. Skipped, saying so, without the PostgreSQL or the Ceph binaries.
 */
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, describe, it } from "node:test";
import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { postgresSkipReason, startPostgres, type PostgresCluster } from "../../src/db/test-cluster.js";
import { cephSkipReason, startCeph, type CephCluster } from "../../src/storage/ceph-test-cluster.js";
import { PgMetadataStore } from "../../src/storage/pg-metadata.js";
import { qrPng } from "../../src/codes/test-images.js";
import { startServer, type TestServer } from "./harness.js";
import { ossClient, ossError, type AliOssClient } from "./ali-oss.js";
import { popClient, rpc } from "./pop.js";

const skip = postgresSkipReason() || cephSkipReason();
const BUCKET = "pg-ceph";
const MIB = 1024 * 1024;
const md5 = (data: Buffer) => createHash("md5").update(data).digest("hex");

/**
 * Concurrent PUTs of 16 KiB..2 MiB bodies until `running()` says stop or a write fails (its node died).
 * Resolves to the errors that stopped writers.
 */
async function writeBurst(client: AliOssClient, prefix: string, running: () => boolean, acked: Map<string, Buffer>, writers = 3, max = 200): Promise<unknown[]> {
  const stopped = await Promise.all(Array.from({ length: writers }, async (_, w) => {
    for (let i = 0; running() && i < max; i++) {
      const name = `${prefix}${w}-${i}`;
      const body = randomBytes(i % 4 === 0 ? 2 * MIB : 16 * 1024 + i);
      try {
        await client.put(name, body);
        acked.set(name, body);
      } catch (error) {
        return error;
      }
    }
    return undefined;
  }));
  return stopped.filter((error) => error !== undefined);
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  for (let waited = 0; !condition() && waited < timeoutMs; waited += 100) await sleep(100);
}

describe("two nodes on one PostgreSQL and one Ceph, each on a data dir of its own", { skip, timeout: 300_000 }, () => {
  let pg: PostgresCluster | undefined;
  let ceph: CephCluster | undefined;
  let s3: S3Client;
  const masterKey = randomBytes(32).toString("base64");
  const servers: TestServer[] = [];
  let a: TestServer;
  let b: TestServer;

  async function start(extra: Record<string, string> = {}): Promise<TestServer> {
    const dataDir = mkdtempSync(join(tmpdir(), "barbucket-pgceph-it-"));
    const server = await startServer({
      dataDir,
      env: { ...ceph!.env, BARBUCKET_DATABASE_URL: pg!.url, BARBUCKET_MASTER_KEY: masterKey, ...extra },
    }).catch((error: unknown) => {
      rmSync(dataDir, { recursive: true, force: true });
      throw error;
    });
    servers.push(server);
    return server;
  }

  /** Blob ids stored in the RGW bucket (the S3 store's `blobs/<id>` keys). */
  async function storedBlobs(): Promise<Set<string>> {
    const ids = new Set<string>();
    let token: string | undefined;
    for (let page = 0; page < 1000; page++) {
      const out = await s3.send(new ListObjectsV2Command({ Bucket: ceph!.env.BARBUCKET_S3_BUCKET, Prefix: "blobs/", ...(token && { ContinuationToken: token }) }));
      for (const entry of out.Contents ?? []) ids.add(entry.Key!.slice("blobs/".length));
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
      if (!token) break;
    }
    return ids;
  }

  before(async () => {
    // Both clusters start together; allSettled: one that came up while the other failed is still stopped in after().
    const [p, c] = await Promise.allSettled([startPostgres(), startCeph()]);
    if (p.status === "fulfilled") pg = p.value;
    if (c.status === "fulfilled") ceph = c.value;
    if (p.status === "rejected") throw p.reason;
    if (c.status === "rejected") throw c.reason;
    const e = ceph!.env;
    s3 = new S3Client({
      endpoint: e.BARBUCKET_S3_ENDPOINT, region: e.BARBUCKET_S3_REGION!, forcePathStyle: true,
      credentials: { accessKeyId: e.BARBUCKET_S3_ACCESS_KEY_ID!, secretAccessKey: e.BARBUCKET_S3_SECRET_ACCESS_KEY! },
      requestChecksumCalculation: "WHEN_REQUIRED", responseChecksumValidation: "WHEN_REQUIRED",
    });
    const started = await Promise.allSettled([start(), start()]);
    for (const outcome of started) if (outcome.status === "rejected") throw outcome.reason;
    [a, b] = servers as [TestServer, TestServer];
  }, { timeout: 200_000 });

  after(async () => {
    for (const server of servers) await server.stop("SIGKILL");
    for (const server of servers) server.cleanup();
    s3?.destroy();
    await Promise.allSettled([pg?.stop(), ceph?.stop()]);
  }, { timeout: 60_000 });

  it("serves on one node what the other wrote: objects, overwrites without a stale read, listings", async () => {
    const onA = ossClient(a, { bucket: BUCKET });
    const onB = ossClient(b, { bucket: BUCKET, v4: true });
    await onA.putBucket(BUCKET);
    const body = randomBytes(300_000);
    await onA.put("dir/first.bin", body, { headers: { "x-oss-meta-who": "node-a" } });
    const got = await onB.get("dir/first.bin");
    assert.deepEqual(Buffer.from(got.content), body);
    assert.equal(got.res.headers["x-oss-meta-who"], "node-a");
    // Small bodies: the blob read cache holds them; each overwrite must still be read back at once on the other node.
    for (let i = 0; i < 12; i++) {
      const [writer, reader] = i % 2 === 0 ? [onA, onB] : [onB, onA];
      await writer.put("hot.txt", Buffer.from(`version ${i}`));
      assert.equal(Buffer.from((await reader.get("hot.txt")).content).toString(), `version ${i}`, `read after overwrite ${i}`);
      const range = await reader.get("hot.txt", { headers: { Range: "bytes=8-" } });
      assert.equal(Buffer.from(range.content).toString(), String(i), `range after overwrite ${i}`);
    }
    for (const name of ["dir/a", "dir/b", "top"]) await onB.put(name, Buffer.from(name));
    const listed = await onA.list({ prefix: "dir/", delimiter: "/" });
    assert.deepEqual(listed.objects.map((o: { name: string }) => o.name), ["dir/a", "dir/b", "dir/first.bin"]);
    await onA.delete("top");
    assert.equal((await ossError(() => onB.get("top"))).status, 404);
  });

  it("completes on one node a multipart upload whose parts went to both", async () => {
    const onA = ossClient(a, { bucket: BUCKET });
    const onB = ossClient(b, { bucket: BUCKET });
    const parts = [randomBytes(5 * MIB), randomBytes(5 * MIB), randomBytes(1234)];
    const { uploadId } = await onA.initMultipartUpload("multi.bin");
    const done = [];
    for (const [i, part] of parts.entries()) {
      const file = join(tmpdir(), `pgceph-part-${process.pid}-${i}`);
      writeFileSync(file, part);
      try {
        const res = await (i % 2 === 0 ? onB : onA).uploadPart("multi.bin", uploadId, i + 1, file, 0, part.length);
        done.push({ number: i + 1, etag: res.etag });
      } finally {
        rmSync(file, { force: true });
      }
    }
    assert.equal((await onA.listParts("multi.bin", uploadId)).parts.length, 3);
    await onB.completeMultipartUpload("multi.bin", uploadId, done);
    assert.equal(md5(Buffer.from((await onA.get("multi.bin")).content)), md5(Buffer.concat(parts)));
    const range = await onB.get("multi.bin", { headers: { Range: `bytes=${5 * MIB - 2}-${5 * MIB + 1}` } });
    assert.deepEqual(Buffer.from(range.content), Buffer.concat(parts).subarray(5 * MIB - 2, 5 * MIB + 2));
  });

  it("a RAM user's key made on A signs on B; an STS token issued by A works on B", async () => {
    const ramA = popClient(a, "2015-05-01");
    const stsA = popClient(a, "2015-04-01");
    const accountId = (await rpc<{ AccountId: string }>(popClient(b, "2015-04-01"), "GetCallerIdentity")).AccountId;
    await rpc(ramA, "CreateUser", { UserName: "pgceph-user" });
    const { AccessKey } = await rpc<{ AccessKey: { AccessKeyId: string; AccessKeySecret: string } }>(ramA, "CreateAccessKey", { UserName: "pgceph-user" });
    await rpc(ramA, "AttachPolicyToUser", { PolicyType: "System", PolicyName: "AliyunOSSReadOnlyAccess", UserName: "pgceph-user" });
    const userOnB = ossClient(b, { bucket: BUCKET, accessKeyId: AccessKey.AccessKeyId, accessKeySecret: AccessKey.AccessKeySecret });
    assert.equal(Buffer.from((await userOnB.get("dir/a")).content).toString(), "dir/a");
    assert.equal((await ossError(() => userOnB.put("ram-write", Buffer.from("x")))).code, "AccessDenied");

    const trust = JSON.stringify({ Version: "1", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: { RAM: [`acs:ram::${accountId}:root`] } }] });
    const { Role } = await rpc<{ Role: { Arn: string } }>(ramA, "CreateRole", { RoleName: "pgceph-role", AssumeRolePolicyDocument: trust });
    await rpc(ramA, "AttachPolicyToRole", { PolicyType: "System", PolicyName: "AliyunOSSReadOnlyAccess", RoleName: "pgceph-role" });
    const { Credentials: c } = await rpc<{ Credentials: { AccessKeyId: string; AccessKeySecret: string; SecurityToken: string } }>(stsA, "AssumeRole", {
      RoleArn: Role.Arn, RoleSessionName: "pgceph-session",
    });
    const sessionOnB = ossClient(b, { bucket: BUCKET, accessKeyId: c.AccessKeyId, accessKeySecret: c.AccessKeySecret, stsToken: c.SecurityToken });
    assert.equal(Buffer.from((await sessionOnB.get("dir/b")).content).toString(), "dir/b");
    const who = await rpc<{ Arn: string }>(popClient(b, "2015-04-01", { accessKeyId: c.AccessKeyId, accessKeySecret: c.AccessKeySecret, securityToken: c.SecurityToken }), "GetCallerIdentity");
    assert.equal(who.Arn, `acs:ram::${accountId}:assumed-role/pgceph-role/pgceph-session`);
  });

  it("an IMM project and bucket attachment made on A: image/codes on B reads the QR code", async () => {
    const bucket = `${BUCKET}-codes`;
    const onA = ossClient(a, { bucket });
    await onA.putBucket(bucket);
    const text = "https://barbucket.test/pg-ceph?node=a";
    await onA.put("qr.png", await qrPng(text));
    const immA = popClient(a, "2020-09-30");
    await rpc(immA, "CreateProject", { ProjectName: "pgceph-codes" });
    await rpc(immA, "AttachOSSBucket", { ProjectName: "pgceph-codes", OSSBucket: bucket });
    const onB = ossClient(b, { bucket });
    const codesOnB = async () => (JSON.parse(Buffer.from((await onB.get("qr.png", { process: "image/codes" })).content).toString("utf8")) as { Codes: { Content: string }[] })
      .Codes.map((code) => code.Content);
    assert.deepEqual(await codesOnB(), [text]);
    // B's result cache must not answer for the object A overwrote, nor B keep an attachment A removed.
    await onA.put("qr.png", await qrPng(`${text}&v=2`));
    assert.deepEqual(await codesOnB(), [`${text}&v=2`]);
    await rpc(immA, "DetachOSSBucket", { OSSBucket: bucket });
    const refused = await ossError(() => onB.get("qr.png", { process: "image/codes" }));
    assert.match(refused.message, /not attached to an IMM project/);
  });

  it("an SSE-KMS object put on A under a key made on A is read on B", async () => {
    const { KeyMetadata } = await rpc<{ KeyMetadata: { KeyId: string } }>(popClient(a, "2016-01-20"), "CreateKey", { Description: "pg-ceph" });
    const body = Buffer.alloc(150_000, "sealed on node A, opened on node B. ");
    const headers = { "x-oss-server-side-encryption": "KMS", "x-oss-server-side-encryption-key-id": KeyMetadata.KeyId };
    await ossClient(a, { bucket: BUCKET }).put("kms/object.bin", body, { headers });
    const got = await ossClient(b, { bucket: BUCKET }).get("kms/object.bin");
    assert.deepEqual(Buffer.from(got.content), body);
    assert.equal(got.res.headers["x-oss-server-side-encryption-key-id"], KeyMetadata.KeyId);
    // The key disabled on A: B no longer opens objects sealed under it.
    await rpc(popClient(a, "2016-01-20"), "DisableKey", { KeyId: KeyMetadata.KeyId });
    assert.equal((await ossError(() => ossClient(b, { bucket: BUCKET }).get("kms/object.bin"))).code, "KmsKeyDisabled");
  });

  it("a third node started on a fresh data dir while A uploads collects none of A's blobs and aborts none of its writes", async () => {
    const onA = ossClient(a, { bucket: BUCKET });
    const acked = new Map<string, Buffer>();
    let running = true;
    const burst = writeBurst(onA, "during-start/", () => running, acked, 3, 60);
    // A long PUT, 8 MiB (one S3 part) a second for 8 s: its S3 upload began before C's grace (3 s), its newest
    // part is always younger (1 s apart leaves a margin for the second-resolution dates of RGW and its Date header).
    const chunks = Array.from({ length: 8 }, () => randomBytes(8 * MIB));
    const trickle = Readable.from((async function* () {
      for (const [i, chunk] of chunks.entries()) {
        if (i > 0) await sleep(1_000);
        yield chunk;
      }
    })());
    const longPut = onA.putStream("during-start.long", trickle);
    // An OSS multipart upload in flight on A too: a part before C starts, the rest after.
    const { uploadId } = await onA.initMultipartUpload("during-start.multi");
    const part1 = randomBytes(5 * MIB);
    const file = join(tmpdir(), `pgceph-start-${process.pid}`);
    writeFileSync(file, part1);
    const first = await onA.uploadPart("during-start.multi", uploadId, 1, file, 0, part1.length).finally(() => rmSync(file, { force: true }));
    await sleep(3_500);
    const c = await start({ BARBUCKET_S3_ORPHAN_GRACE_MS: "3000" });
    running = false;
    assert.deepEqual(await burst, [], "A's writes while C started");
    assert.equal((await longPut).res.status, 200, "the long PUT in flight while C started");
    const part2 = Buffer.from("the last part");
    writeFileSync(file, part2);
    const second = await onA.uploadPart("during-start.multi", uploadId, 2, file, 0, part2.length).finally(() => rmSync(file, { force: true }));
    await onA.completeMultipartUpload("during-start.multi", uploadId, [{ number: 1, etag: first.etag }, { number: 2, etag: second.etag }]);
    assert.ok(acked.size >= 3, `only ${acked.size} writes acknowledged`);
    const onC = ossClient(c, { bucket: BUCKET });
    for (const [name, body] of acked) assert.equal(md5(Buffer.from((await onC.get(name)).content)), md5(body), name);
    assert.equal(md5(Buffer.from((await onC.get("during-start.multi")).content)), md5(Buffer.concat([part1, part2])));
    assert.equal(md5(Buffer.from((await onC.get("during-start.long")).content)), md5(Buffer.concat(chunks)));
  });

  it("a node on a data dir of its own without the cluster's BARBUCKET_MASTER_KEY refuses to start", async () => {
    // It would make a master.key of its own and could open none of the secrets the others sealed.
    await assert.rejects(start({ BARBUCKET_MASTER_KEY: "" }), /same BARBUCKET_MASTER_KEY/);
  });

  it("kill -9 of a node mid-writes: the other serves every acknowledged write", async () => {
    const victim = servers[2] ?? (await start());
    const acked = new Map<string, Buffer>();
    let running = true;
    const burst = writeBurst(ossClient(victim, { bucket: BUCKET, timeoutMs: 20_000 }), "crash/", () => running, acked);
    await waitFor(() => acked.size >= 6, 30_000);
    await victim.stop("SIGKILL");
    running = false;
    await burst;
    assert.ok(acked.size > 0, "no write was acknowledged before the kill");
    const onB = ossClient(b, { bucket: BUCKET });
    for (const [name, body] of acked) assert.equal(md5(Buffer.from((await onB.get(name)).content)), md5(body), name);
  });

  it("leaves no SQLite file, no master.key, no file at all in any node's data dir; every referenced blob is in RGW", async () => {
    for (const server of servers) {
      const files = readdirSync(server.dataDir, { recursive: true }).map(String);
      assert.deepEqual(files.filter((f) => /\.sqlite(-wal|-shm|-journal)?$/.test(f) || f.endsWith("master.key")), [], server.dataDir);
      // Nor any other file (blob bytes, a spool, a journal): directories at most.
      assert.deepEqual(files.filter((f) => !statSync(join(server.dataDir, f)).isDirectory()), [], server.dataDir);
    }
    const meta = await PgMetadataStore.open(pg!.url);
    try {
      const referenced = await meta.referencedBlobIds();
      const stored = await storedBlobs();
      assert.ok(referenced.size > 10, `only ${referenced.size} blobs referenced`);
      assert.deepEqual([...referenced].filter((id) => !stored.has(id)), [], "referenced blobs missing from RGW");
    } finally {
      await meta.close();
    }
  });
});
