/**
 * The real server with its object bytes in Ceph (BARBUCKET_S3_* pointing at a single-node RADOS
 * Gateway from scripts/ceph-single.sh; metadata stays in each server's SQLite): ali-oss round
 * trips (put, SSE put, range, multipart, delete), a second Barbucket on a fresh data dir of its own
 * that must leave the first one's blobs alone, and kill -9 mid-writes followed by a restart on the
 * same data dir (nothing acknowledged lost, orphans collected), and 503 while RGW is down.
 * Skipped without the Ceph binaries.
 */
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, describe, it } from "node:test";
import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { cephSkipReason, startCeph, type CephCluster } from "../../src/storage/ceph-test-cluster.js";
import { SqliteMetadataStore } from "../../src/storage/sqlite-metadata.js";
import { startServer, type TestServer } from "./harness.js";
import { ossClient, ossError } from "./ali-oss.js";

const skip = cephSkipReason();
const BUCKET = "ceph-bucket";
const MIB = 1024 * 1024;

describe("object bytes in Ceph (RADOS Gateway) behind the real server", { skip, timeout: 300_000 }, () => {
  let cluster: CephCluster;
  let s3: S3Client;
  const dataDir = mkdtempSync(join(tmpdir(), "barbucket-ceph-it-"));
  const servers: TestServer[] = [];
  const env = (extra: Record<string, string> = {}) => ({ ...cluster.env, ...extra });

  async function start(dir: string, extra: Record<string, string> = {}): Promise<TestServer> {
    const server = await startServer({ dataDir: dir, env: env(extra) });
    servers.push(server);
    return server;
  }

  /** Blob ids stored in the RGW bucket (the S3 store's `blobs/<id>` keys). */
  async function storedBlobs(): Promise<Set<string>> {
    const ids = new Set<string>();
    let token: string | undefined;
    for (let page = 0; page < 1000; page++) {
      const out = await s3.send(new ListObjectsV2Command({ Bucket: cluster.env.BARBUCKET_S3_BUCKET, Prefix: "blobs/", ...(token && { ContinuationToken: token }) }));
      for (const entry of out.Contents ?? []) ids.add(entry.Key!.slice("blobs/".length));
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
      if (!token) break;
    }
    return ids;
  }

  async function referenced(dir: string): Promise<Set<string>> {
    const meta = new SqliteMetadataStore(join(dir, "meta.sqlite"));
    try {
      return await meta.referencedBlobIds();
    } finally {
      await meta.close();
    }
  }

  before(async () => {
    cluster = await startCeph();
    const e = cluster.env;
    s3 = new S3Client({
      endpoint: e.BARBUCKET_S3_ENDPOINT, region: e.BARBUCKET_S3_REGION!, forcePathStyle: true,
      credentials: { accessKeyId: e.BARBUCKET_S3_ACCESS_KEY_ID!, secretAccessKey: e.BARBUCKET_S3_SECRET_ACCESS_KEY! },
      requestChecksumCalculation: "WHEN_REQUIRED", responseChecksumValidation: "WHEN_REQUIRED",
    });
  }, { timeout: 150_000 });

  after(async () => {
    for (const server of servers) await server.stop("SIGKILL");
    s3?.destroy();
    await cluster?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }, { timeout: 60_000 });

  const small = randomBytes(3000);
  const secret = Buffer.alloc(200_000, "plaintext that must not reach RGW as is. ");
  const big = randomBytes(12 * MIB + 7);

  it("puts, gets, ranges, multipart-uploads and deletes through ali-oss, bytes in RGW only", async () => {
    const server = await start(dataDir);
    const client = ossClient(server);
    await client.putBucket(BUCKET);
    client.useBucket(BUCKET);
    await client.put("small.bin", small);
    await client.put("secret.txt", secret, { headers: { "x-oss-server-side-encryption": "AES256" } });
    await client.put("gone.bin", randomBytes(100));
    const file = join(dataDir, "..", `${BUCKET}-${process.pid}-big.bin`);
    writeFileSync(file, big);
    try {
      const result = await client.multipartUpload("big.bin", file, { partSize: 5 * MIB });
      assert.equal(result.res.status, 200);
    } finally {
      rmSync(file, { force: true });
    }
    assert.deepEqual(Buffer.from((await client.get("small.bin")).content), small);
    assert.deepEqual(Buffer.from((await client.get("secret.txt")).content), secret);
    const range = await client.get("big.bin", { headers: { Range: `bytes=${5 * MIB - 3}-${5 * MIB + 4}` } });
    assert.equal(range.res.status, 206);
    assert.deepEqual(Buffer.from(range.content), big.subarray(5 * MIB - 3, 5 * MIB + 5));
    const whole = Buffer.from((await client.get("big.bin")).content);
    assert.equal(createHash("md5").update(whole).digest("hex"), createHash("md5").update(big).digest("hex"));
    const head = await client.head("big.bin");
    assert.match(head.res.headers.etag, /^"[0-9A-F]{32}-3"$/);
    await client.delete("gone.bin");
    // Object bytes live in RGW, nothing under the data dir; the SSE object is ciphertext there.
    assert.ok(!existsSync(join(dataDir, "blobs")) || readdirSync(join(dataDir, "blobs")).every((d) => d === "tmp"));
    const blobs = await storedBlobs();
    assert.deepEqual([...blobs].sort(), [...(await waitReleased(blobs, dataDir))].sort());
    for (const id of blobs) {
      const raw = await s3.send(new GetObjectCommand({ Bucket: cluster.env.BARBUCKET_S3_BUCKET, Key: `blobs/${id}` }));
      const bytes = Buffer.from(await raw.Body!.transformToByteArray());
      assert.ok(!bytes.includes(Buffer.from("plaintext that must not reach RGW")), "SSE bytes stored in the clear");
    }
    await server.stop();
  });

  /** The blobs the server's metadata references, once its deletes reached RGW. */
  async function waitReleased(stored: Set<string>, dir: string): Promise<Set<string>> {
    let refs = await referenced(dir);
    // Released blobs are deleted after the response: up to 20 s for those deletes to reach RGW on a loaded machine.
    for (let i = 0; i < 200 && [...stored].some((id) => !refs.has(id)); i++) {
      await sleep(100);
      stored.clear();
      for (const id of await storedBlobs()) stored.add(id);
      refs = await referenced(dir);
    }
    return refs;
  }

  it("a second Barbucket on a fresh data dir of its own leaves the first one's blobs alone; a restart serves them", async () => {
    const before = await storedBlobs();
    const otherDir = mkdtempSync(join(tmpdir(), "barbucket-ceph-it2-"));
    try {
      const other = await start(otherDir); // its start-up recovery sees the bucket's blobs, all younger than the grace
      await other.stop();
    } finally {
      rmSync(otherDir, { recursive: true, force: true });
    }
    assert.deepEqual([...(await storedBlobs())].sort(), [...before].sort());
    const server = await start(dataDir);
    const client = ossClient(server, { bucket: BUCKET });
    assert.deepEqual(Buffer.from((await client.get("small.bin")).content), small);
    assert.deepEqual(Buffer.from((await client.get("secret.txt")).content), secret);
    assert.equal(createHash("md5").update(Buffer.from((await client.get("big.bin")).content)).digest("hex"), createHash("md5").update(big).digest("hex"));
    await server.stop();
  });

  it("kill -9 mid-writes, restart on the same data dir: every acknowledged write served, orphans collected", async () => {
    const server = await start(dataDir);
    const acked = new Map<string, Buffer>();
    let running = true;
    const writers = [0, 1, 2].map(async (w) => {
      const client = ossClient(server, { bucket: BUCKET });
      for (let i = 0; running && i < 200; i++) {
        const body = randomBytes(i % 3 === 0 ? 6 * MIB : 64 * 1024 + i);
        const name = `crash/${w}-${i}`;
        try {
          await client.put(name, body);
          acked.set(name, body);
        } catch {
          return; // the server died under us
        }
      }
    });
    // Kill once a few writes were acknowledged (bounded: on a loaded machine 1.5 s saw none), with others in flight.
    for (let waited = 0; acked.size < 3 && waited < 30_000; waited += 100) await sleep(100);
    await server.stop("SIGKILL");
    running = false;
    await Promise.all(writers);
    assert.ok(acked.size > 0, "no write was acknowledged before the kill");
    // Grace 0: this restart collects every blob its metadata does not reference (the killed writes').
    const again = await start(dataDir, { BARBUCKET_S3_ORPHAN_GRACE_MS: "0" });
    const client = ossClient(again, { bucket: BUCKET });
    for (const [name, body] of acked) {
      assert.deepEqual(Buffer.from((await client.get(name)).content), body, name);
    }
    await again.stop();
    assert.deepEqual([...(await storedBlobs())].sort(), [...(await referenced(dataDir))].sort());
  });

  it("answers 503 ServiceUnavailable (not a cut 200, not a loss) while RGW is down", async () => {
    const server = await start(dataDir);
    const client = ossClient(server, { bucket: BUCKET });
    const rgw = readFileSync(join(cluster.dir, "pids"), "utf8").split("\n").find((line) => line.endsWith(" rgw"));
    process.kill(Number(rgw!.split(" ")[0]), "SIGKILL");
    const got = await ossError(() => client.get("small.bin"));
    assert.equal(got.status, 503);
    assert.equal(got.code, "ServiceUnavailable");
    const put = await ossError(() => client.put("while-down.bin", randomBytes(1000)));
    assert.equal(put.status, 503);
    // The object record is untouched: its bytes come back with RGW (not restarted here).
    assert.equal((await client.head("small.bin")).res.status, 200);
    await server.stop();
  });
});

