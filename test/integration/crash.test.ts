/**
 * Crash safety end to end: the real server, real ali-oss clients, SIGKILL in the middle of
 * traffic, restart on the same data dir. Each cycle:
 *
 *   start → 8 uploaders (PutObject incl. overwrites, multipartUpload, AppendObject; 1 KiB–8 MiB)
 *   → SIGKILL after 0.5–2 s → restart (start-up recovery runs) → list + GET every object
 *   → SIGTERM → compare blob files on disk with the blobs the metadata references.
 *
 * Asserted: every write the server acknowledged (ali-oss resolved) is listed and byte-identical;
 * every visible object is a state some client actually tried to write (never torn: MD5, size,
 * ETag and CRC-64 agree with the bytes); nothing appears or disappears in later cycles; no temp
 * files, no orphan blobs, no missing blobs after recovery.
 *
 * SIGKILL keeps the page cache, so this tests the ordering (bytes → rename → metadata commit →
 * ack; recovery), not fsync against power loss.
 */
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { createHash, randomBytes, randomInt } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { startServer, type TestServer } from "./harness.js";
import { ossClient, type AliOssClient } from "./ali-oss.js";
import { blobFiles, checkDisk } from "./crash-disk.js";
import { crc64, crc64ToString } from "../../src/storage/crc64.js";

const CYCLES = 3;
const UPLOADERS = 8;
const KIB = 1024;
const MIB = 1024 * KIB;
const BUCKET = "crash-bucket";
/** Bounds on one traffic phase, whatever the kill delay: ops per uploader and wall time. */
const MAX_OPS_PER_UPLOADER = 200;
const TRAFFIC_HARD_LIMIT_MS = 10_000;
const SETTLE_LIMIT_MS = 30_000;
const ONE_WORKER_TIMEOUT_MS = 20_000;

/** Random bytes are drawn once and sliced: randomBytes for ~100 MB per cycle would steal a core from the server. */
const POOL = randomBytes(9 * MIB);

type Kind = "put" | "multipart" | "append";
/** One byte-exact state of an object a client tried to write. */
interface State {
  readonly size: number;
  readonly md5: string;
  readonly etag: string;
}
/**
 * What may be visible under a key after a crash. `allowed` empty means "must be absent";
 * `required` means some state was acknowledged (or already observed) and must be listed.
 */
interface Expectation {
  readonly kind: Kind;
  required: boolean;
  allowed: State[];
}
type Ledger = Map<string, Expectation>;

interface Traffic {
  killed: boolean;
  readonly deadline: number;
  readonly unexpected: string[];
  acked: number;
}

function md5Hex(data: Buffer): string {
  return createHash("md5").update(data).digest("hex").toUpperCase();
}

/** Log-uniform in [min, max]: as many tiny objects as big ones. */
function randomSize(min: number, max: number): number {
  return Math.round(Math.exp(Math.log(min) + Math.random() * (Math.log(max) - Math.log(min))));
}

/** `size` bytes: a fresh random head (so no two objects are equal) and a random slice of POOL. */
function content(size: number): Buffer {
  const body = Buffer.allocUnsafe(size);
  const head = Math.min(32, size);
  randomBytes(head).copy(body, 0);
  const offset = randomInt(0, POOL.length - size + 1);
  POOL.copy(body, head, offset, offset + size - head);
  return body;
}

/** New key, or an overwrite of an acknowledged one (then the old state stays allowed until the ack). */
async function putOne(client: AliOssClient, key: string, ledger: Ledger, traffic: Traffic): Promise<void> {
  const body = content(randomSize(KIB, 8 * MIB));
  const md5 = md5Hex(body);
  const state: State = { size: body.length, md5, etag: md5 };
  const expectation = ledger.get(key) ?? { kind: "put", required: false, allowed: [] };
  expectation.allowed = [...expectation.allowed, state];
  ledger.set(key, expectation);
  const result = await client.put(key, body);
  assert.equal(result.res.status, 200);
  assert.equal(result.res.headers.etag, `"${md5}"`, `${key}: acknowledged ETag`);
  expectation.allowed = [state];
  expectation.required = true;
  traffic.acked++;
}

/** OSS multipart ETag: MD5 of the parts' raw MD5s, `-N`. */
function multipartEtag(body: Buffer, partSize: number): string {
  const hash = createHash("md5");
  let parts = 0;
  for (let offset = 0; offset < body.length; offset += partSize, parts++) {
    hash.update(createHash("md5").update(body.subarray(offset, offset + partSize)).digest());
  }
  return `${hash.digest("hex").toUpperCase()}-${parts}`;
}

async function multipartOne(client: AliOssClient, key: string, ledger: Ledger, traffic: Traffic): Promise<void> {
  const body = content(randomSize(300 * KIB, 8 * MIB));
  const partSize = [100 * KIB, 256 * KIB, 1 * MIB][randomInt(0, 3)]!;
  const state: State = { size: body.length, md5: md5Hex(body), etag: multipartEtag(body, partSize) };
  const expectation: Expectation = { kind: "multipart", required: false, allowed: [state] };
  ledger.set(key, expectation);
  const result = await client.multipartUpload(key, body, { partSize, parallel: 3 });
  assert.equal(result.res.status, 200);
  expectation.required = true;
  traffic.acked++;
}

/** Appendable ETags chain: MD5(previous ETag text + raw MD5 of the appended bytes). */
function chainEtag(previous: string | undefined, chunk: Buffer): string {
  const hash = createHash("md5");
  if (previous !== undefined) hash.update(previous);
  return hash.update(createHash("md5").update(chunk).digest()).digest("hex").toUpperCase();
}

async function appendOne(client: AliOssClient, key: string, ledger: Ledger, traffic: Traffic): Promise<void> {
  const chunks = Array.from({ length: randomInt(2, 6) }, () => content(randomSize(KIB, MIB)));
  const whole = createHash("md5");
  const states: State[] = [];
  let size = 0;
  for (const chunk of chunks) {
    whole.update(chunk);
    size += chunk.length;
    states.push({ size, md5: whole.copy().digest("hex").toUpperCase(), etag: chainEtag(states.at(-1)?.etag, chunk) });
  }
  const expectation: Expectation = { kind: "append", required: false, allowed: [] };
  ledger.set(key, expectation);
  let position = 0;
  for (const [i, chunk] of chunks.entries()) {
    // While the append is in flight, the object may show the previous state or the new one.
    expectation.allowed = i === 0 ? [states[0]!] : [states[i - 1]!, states[i]!];
    const result = await client.append(key, chunk, { position: String(position) });
    assert.equal(result.res.status, 200);
    assert.equal(result.res.headers.etag, `"${states[i]!.etag}"`, `${key}: acknowledged ETag after append ${i}`);
    position += chunk.length;
    assert.equal(Number(result.nextAppendPosition), position);
    expectation.allowed = [states[i]!];
    expectation.required = true;
    traffic.acked++;
  }
}

const OPS: Record<Kind, (client: AliOssClient, key: string, ledger: Ledger, traffic: Traffic) => Promise<void>> = {
  put: putOne,
  multipart: multipartOne,
  append: appendOne,
};

async function uploader(client: AliOssClient, name: string, ledger: Ledger, traffic: Traffic): Promise<void> {
  const ownPuts: string[] = [];
  for (let seq = 0; seq < MAX_OPS_PER_UPLOADER && !traffic.killed && Date.now() < traffic.deadline; seq++) {
    const r = Math.random();
    const kind: Kind = r < 0.6 ? "put" : r < 0.8 ? "multipart" : "append";
    // Some puts replace an earlier object: that path releases the old blob after the commit.
    const overwrite = kind === "put" && ownPuts.length > 0 && Math.random() < 0.25;
    const key = overwrite ? ownPuts[randomInt(0, ownPuts.length)]! : `${name}/${String(seq).padStart(3, "0")}-${kind}`;
    try {
      await OPS[kind](client, key, ledger, traffic);
      if (kind === "put" && !overwrite) ownPuts.push(key);
    } catch (error) {
      // Failures after the kill are the point; any before it is a server bug.
      if (!traffic.killed) traffic.unexpected.push(`${key}: ${(error as Error).stack ?? String(error)}`);
      return;
    }
  }
}

/**
 * How the server runs and what is killed: the whole server (every process at once, as a crash or
 * the OOM killer would), or, with several workers, one worker (the server goes on; the primary
 * restarts it), then a clean stop.
 */
interface Mode {
  readonly name: string;
  readonly workers: number;
  readonly kill: "server" | "one worker";
  readonly cycles: number;
}

const MODES: readonly Mode[] = [
  { name: "one process", workers: 1, kill: "server", cycles: CYCLES },
  { name: "2 workers, every process killed", workers: 2, kill: "server", cycles: 2 },
  { name: "2 workers, one worker killed", workers: 2, kill: "one worker", cycles: 2 },
];

/** Runs the uploaders, SIGKILLs the server (or one worker) after `killAfterMs`, waits for every uploader to give up. */
async function trafficThenKill(server: TestServer, mode: Mode, cycle: number, ledger: Ledger, killAfterMs: number): Promise<Traffic> {
  const traffic: Traffic = { killed: false, deadline: Date.now() + TRAFFIC_HARD_LIMIT_MS, unexpected: [], acked: 0 };
  const uploaders = Array.from({ length: UPLOADERS }, (_, i) =>
    // With one worker killed, a connection node:cluster hands to it as it dies is lost (README "Processes"): the
    // client gives up on it after ONE_WORKER_TIMEOUT_MS, well inside the settle limit, as a client would retry.
    uploader(ossClient(server, { bucket: BUCKET, ...(mode.kill === "one worker" ? { timeoutMs: ONE_WORKER_TIMEOUT_MS } : {}) }), `c${cycle}/u${i}`, ledger, traffic),
  );
  await sleep(killAfterMs);
  // On a loaded machine the first ack can come later than the delay; a kill before any checks little.
  for (let i = 0; i < 50 && traffic.acked === 0 && !traffic.unexpected.length; i++) await sleep(100);
  traffic.killed = true;
  if (mode.kill === "server") await server.stop("SIGKILL");
  else {
    const workers = server.workerPids();
    assert.equal(workers.length, mode.workers, "the workers are running");
    process.kill(workers[randomInt(0, workers.length)]!, "SIGKILL");
  }
  const settled = Promise.allSettled(uploaders).then(() => true);
  const settledInTime = await Promise.race([settled, sleep(SETTLE_LIMIT_MS, false, { ref: false })]);
  assert.ok(settledInTime, `uploaders still running ${SETTLE_LIMIT_MS} ms after the kill`);
  if (mode.kill === "one worker") assert.equal(await server.stop("SIGTERM"), 0, "the server survived one worker's death and stopped cleanly");
  return traffic;
}

async function listAll(client: AliOssClient): Promise<Map<string, { size: number; etag: string }>> {
  const listed = new Map<string, { size: number; etag: string }>();
  let marker = "";
  for (let page = 0; page < 100; page++) {
    const result = await client.list({ "max-keys": 1000, marker });
    for (const o of result.objects ?? []) listed.set(o.name, { size: o.size, etag: String(o.etag).replace(/"/g, "") });
    if (!result.isTruncated) return listed;
    marker = result.nextMarker;
  }
  throw new Error("listing did not end within 100 pages");
}

/**
 * Checks what the restarted server shows against the ledger, then pins the ledger to what was
 * seen: from now on each key must keep exactly that state (or stay absent).
 */
async function verify(server: TestServer, ledger: Ledger): Promise<{ listed: number; acked: number; unackedVisible: number; unackedAbsent: number }> {
  const client = ossClient(server, { bucket: BUCKET });
  const listed = await listAll(client);
  let acked = 0;
  let unackedVisible = 0;
  let unackedAbsent = 0;
  for (const [key, expectation] of ledger) {
    if (expectation.required) {
      acked++;
      assert.ok(listed.has(key), `acknowledged ${expectation.kind} ${key} is missing after restart`);
    } else if (listed.has(key)) unackedVisible++;
    else unackedAbsent++;
  }
  for (const [key, entry] of listed) {
    const expectation = ledger.get(key);
    assert.ok(expectation && expectation.allowed.length > 0, `${key} is listed but no client wrote it (or it was absent before)`);
    const got = await client.get(key);
    const bytes = Buffer.from(got.content as Uint8Array);
    const md5 = md5Hex(bytes);
    const state = expectation.allowed.find((s) => s.md5 === md5 && s.size === bytes.length);
    assert.ok(state, `${key} (${expectation.kind}) is torn: ${bytes.length} bytes, MD5 ${md5}, not a state any client wrote`);
    assert.equal(entry.size, bytes.length, `${key}: listed size`);
    assert.equal(entry.etag, state.etag, `${key}: listed ETag`);
    assert.equal(got.res.headers.etag, `"${state.etag}"`, `${key}: GET ETag`);
    assert.equal(got.res.headers["x-oss-hash-crc64ecma"], crc64ToString(crc64(bytes)), `${key}: CRC-64`);
    expectation.allowed = [state];
    expectation.required = true;
  }
  for (const [key, expectation] of ledger) if (!listed.has(key)) expectation.allowed = [];
  return { listed: listed.size, acked, unackedVisible, unackedAbsent };
}

function recoveryReport(server: TestServer): unknown {
  const line = server.logs.find((l) => l.includes('"storage recovered"'));
  return line ? (JSON.parse(line) as { recovery?: unknown }).recovery : undefined;
}

async function killCycle(t: TestContext, mode: Mode, dataDir: string, cycle: number, ledger: Ledger): Promise<number> {
  const env = { BARBUCKET_WORKERS: String(mode.workers) };
  const server = await startServer({ dataDir, env });
  const killAfterMs = randomInt(500, 2001);
  const started = Date.now();
  let traffic: Traffic;
  try {
    traffic = await trafficThenKill(server, mode, cycle, ledger, killAfterMs);
  } catch (error) {
    await server.stop("SIGKILL").catch(() => undefined); // a failed cycle leaves no server behind
    throw error;
  }
  assert.deepEqual(traffic.unexpected, [], "requests failed before the kill");
  const debris = blobFiles(dataDir);
  t.diagnostic(
    `cycle ${cycle}: SIGKILL (${mode.kill}) after >= ${killAfterMs} ms (waits for a first ack), ${traffic.acked} writes acknowledged; ` +
      `on disk before restart: ${debris.temp.length} temp files, ${debris.blobs.size} blob files (${Date.now() - started} ms)`,
  );

  const restarted = await startServer({ dataDir, env });
  try {
    const seen = await verify(restarted, ledger);
    t.diagnostic(
      `cycle ${cycle}: recovery ${JSON.stringify(recoveryReport(restarted))}; listed ${seen.listed}, ` +
        `acknowledged keys checked ${seen.acked} (all cycles so far), unacknowledged visible-and-intact ${seen.unackedVisible}, absent ${seen.unackedAbsent}`,
    );
  } finally {
    await restarted.stop("SIGTERM");
  }
  const disk = await checkDisk(dataDir);
  t.diagnostic(`cycle ${cycle}: disk clean, ${disk.blobs} blob files all referenced`);
  return traffic.acked;
}

for (const mode of MODES) {
  test(`acknowledged writes survive SIGKILL mid-traffic; nothing torn or orphaned after restart (${mode.name})`, { timeout: 180_000 }, async (t) => {
    const dataDir = mkdtempSync(join(tmpdir(), "barbucket-crash-"));
    const ledger: Ledger = new Map();
    let acked = 0;
    let passed = false;
    try {
      const first = await startServer({ dataDir });
      try {
        await ossClient(first, { bucket: BUCKET }).putBucket(BUCKET);
      } finally {
        await first.stop("SIGTERM");
      }
      for (let cycle = 1; cycle <= mode.cycles; cycle++) acked += await killCycle(t, mode, dataDir, cycle, ledger);
      assert.ok(acked > 0, "no write was acknowledged before any kill: the test checked nothing");
      passed = true;
    } finally {
      // Keep the data dir of a failed run for inspection.
      if (passed) rmSync(dataDir, { recursive: true, force: true });
      else t.diagnostic(`data dir kept: ${dataDir}`);
    }
  });
}
