/**
 * Per-request overhead of object metadata on PostgreSQL against SQLite (issue 19): the real server
 * twice, one on SQLite files and one on a throw-away PostgreSQL (scripts/postgres-single.sh), both
 * one process on loopback, driven by one keep-alive client, one request at a time (latency, not
 * throughput): PUT 1 KiB (overwrites over 50 keys), GET 1 KiB, LIST (max-keys 100 of 200 keys).
 * Rounds alternate between the two servers so machine load hits both alike. Prints per operation
 * the median latency, the server's CPU per request and, for PostgreSQL, the database's CPU per
 * request (postmaster and its backends from /proc). A benchmark, not a test.
 *
 *   node dist/bench/metadata-db.js [--rounds 3] [--requests 200]
 */
import http from "node:http";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { startPostgres } from "../src/db/test-cluster.js";
import { startServer, ROOT_KEY_ID, ROOT_KEY_SECRET, type TestServer } from "../test/integration/harness.js";
import { cpuMs, percentile, processTree, send, type Credentials, type Request } from "./load-client.js";

const { values } = parseArgs({ options: { rounds: { type: "string", default: "3" }, requests: { type: "string", default: "200" } } });
const ROUNDS = Math.max(1, Math.min(20, Number(values.rounds)));
const REQUESTS = Math.max(10, Math.min(5000, Number(values.requests)));
const BUCKET = "bench-meta";
const creds: Credentials = { keyId: ROOT_KEY_ID, secret: ROOT_KEY_SECRET, region: "cn-hangzhou" };
const body = randomBytes(1024);

type Op = "PUT" | "GET" | "LIST";
const OPS: Op[] = ["PUT", "GET", "LIST"];

interface Backend {
  readonly name: "sqlite" | "postgresql";
  readonly server: TestServer;
  readonly agent: http.Agent;
  /** Processes whose CPU counts as the database's (the PostgreSQL cluster), none for SQLite (in-process). */
  readonly dbPids: () => number[];
  readonly latencies: Record<Op, number[]>;
  readonly serverCpu: Record<Op, number>;
  readonly dbCpu: Record<Op, number>;
  readonly count: Record<Op, number>;
}

function request(op: Op, i: number): Request {
  if (op === "PUT") return { method: "PUT", bucket: BUCKET, key: `k${i % 50}`, body };
  if (op === "GET") return { method: "GET", bucket: BUCKET, key: `seed/${i % 200}` };
  return { method: "GET", bucket: BUCKET, key: "", query: [["max-keys", "100"], ["prefix", "seed/"]] };
}

async function call(backend: Backend, req: Request): Promise<void> {
  const res = await send(backend.agent, backend.server.ossPort, creds, req, 30_000);
  if (res.status !== 200) throw new Error(`${backend.name} ${req.method} ${req.key}: HTTP ${res.status}`);
}

const sum = (pids: number[]) => pids.reduce((total, pid) => total + cpuMs(pid), 0);

async function round(backend: Backend, op: Op): Promise<void> {
  const serverPids = processTree(backend.server.child.pid!);
  const dbPids = backend.dbPids();
  const cpu0 = sum(serverPids);
  const db0 = sum(dbPids);
  for (let i = 0; i < REQUESTS; i++) {
    const started = performance.now();
    await call(backend, request(op, i));
    backend.latencies[op].push(performance.now() - started);
  }
  backend.serverCpu[op] += sum(serverPids) - cpu0;
  backend.dbCpu[op] += sum(dbPids) - db0;
  backend.count[op] += REQUESTS;
}

async function main(): Promise<void> {
  const pg = await startPostgres();
  const servers: TestServer[] = [];
  try {
    const env = { BARBUCKET_LOG_LEVEL: "info", BARBUCKET_WORKERS: "1" }; // the harness waits for the info line "barbucket listening"
    const sqliteServer = await startServer({ env });
    servers.push(sqliteServer);
    const pgServer = await startServer({ env: { ...env, BARBUCKET_DATABASE_URL: pg.url } });
    servers.push(pgServer);
    const postmaster = Number(readFileSync(join(pg.dir, "data", "postmaster.pid"), "utf8").split("\n")[0]);
    const make = (name: Backend["name"], server: TestServer, dbPids: () => number[]): Backend => ({
      name, server, dbPids, agent: new http.Agent({ keepAlive: true, maxSockets: 1 }),
      latencies: { PUT: [], GET: [], LIST: [] }, serverCpu: { PUT: 0, GET: 0, LIST: 0 }, dbCpu: { PUT: 0, GET: 0, LIST: 0 }, count: { PUT: 0, GET: 0, LIST: 0 },
    });
    const backends = [make("sqlite", sqliteServer, () => []), make("postgresql", pgServer, () => processTree(postmaster))];
    for (const backend of backends) {
      await call(backend, { method: "PUT", bucket: BUCKET, key: "" });
      for (let i = 0; i < 200; i++) await call(backend, { method: "PUT", bucket: BUCKET, key: `seed/${i}`, body });
      for (const op of OPS) for (let i = 0; i < 20; i++) await call(backend, request(op, i)); // warm-up
    }
    console.log(`rounds ${ROUNDS} × ${REQUESTS} requests per operation and backend; load average at start ${loadavg()[0]!.toFixed(1)}`);
    for (let r = 0; r < ROUNDS; r++) {
      for (const op of OPS) for (const backend of r % 2 === 0 ? backends : [...backends].reverse()) await round(backend, op);
    }
    console.log(`load average at end ${loadavg()[0]!.toFixed(1)}`);
    console.log("| operation | SQLite p50 ms | PostgreSQL p50 ms | added p50 ms | SQLite server CPU ms/req | PostgreSQL server CPU ms/req | PostgreSQL database CPU ms/req |");
    console.log("|---|--:|--:|--:|--:|--:|--:|");
    const [lite, post] = backends as [Backend, Backend];
    for (const op of OPS) {
      const p50 = (b: Backend) => percentile([...b.latencies[op]].sort((x, y) => x - y), 50);
      const per = (total: number, b: Backend) => (total / b.count[op]).toFixed(3);
      console.log(`| ${op} | ${p50(lite).toFixed(2)} | ${p50(post).toFixed(2)} | ${(p50(post) - p50(lite)).toFixed(2)} | ${per(lite.serverCpu[op], lite)} | ${per(post.serverCpu[op], post)} | ${per(post.dbCpu[op], post)} |`);
    }
    for (const backend of backends) backend.agent.destroy();
  } finally {
    for (const server of servers) {
      await server.stop();
      server.cleanup();
    }
    await pg.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
