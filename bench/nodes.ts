/**
 * Throughput of one Barbucket node against two on one PostgreSQL (issue 19): the real servers
 * (one process each, BARBUCKET_DATABASE_URL on a throw-away cluster from scripts/postgres-single.sh,
 * one shared data dir and master key) driven by keep-alive clients on loopback, CONCURRENCY requests
 * in flight, spread round-robin over the nodes of the configuration under test — what a load
 * balancer in front of them does. Per operation (PUT 1 KiB over 200 keys, GET 1 KiB, LIST 100 keys)
 * it prints requests a second for 1 and for 2 nodes and their ratio. Configurations alternate
 * (1, 2, 1, 2 …) and each keeps its best round, so machine load hits both alike. The load client
 * and PostgreSQL share the machine's cores with the nodes: on a 2-core machine the ratio says what
 * a second node buys when the cores, not one process, are the limit. A benchmark, not a test.
 *
 *   node dist/bench/nodes.js [--rounds 3] [--seconds 4] [--concurrency 16]
 */
import http from "node:http";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startPostgres } from "../src/db/test-cluster.js";
import { startServer, ROOT_KEY_ID, ROOT_KEY_SECRET, type TestServer } from "../test/integration/harness.js";
import { send, type Credentials, type Request } from "./load-client.js";

const { values } = parseArgs({
  options: { rounds: { type: "string", default: "3" }, seconds: { type: "string", default: "4" }, concurrency: { type: "string", default: "16" } },
});
const ROUNDS = Math.max(1, Math.min(10, Number(values.rounds)));
const SECONDS = Math.max(1, Math.min(60, Number(values.seconds)));
const CONCURRENCY = Math.max(1, Math.min(256, Number(values.concurrency)));
const BUCKET = "bench-nodes";
const creds: Credentials = { keyId: ROOT_KEY_ID, secret: ROOT_KEY_SECRET, region: "cn-hangzhou" };
const body = randomBytes(1024);

type Op = "PUT" | "GET" | "LIST";
const OPS: Op[] = ["PUT", "GET", "LIST"];

function request(op: Op, i: number): Request {
  if (op === "PUT") return { method: "PUT", bucket: BUCKET, key: `put/${i % 200}`, body };
  if (op === "GET") return { method: "GET", bucket: BUCKET, key: `seed/${i % 200}` };
  return { method: "GET", bucket: BUCKET, key: "", query: [["max-keys", "100"], ["prefix", "seed/"]] };
}

/** Requests a second over SECONDS with CONCURRENCY lanes, request i going to node i mod nodes. */
async function rate(nodes: readonly TestServer[], agents: readonly http.Agent[], op: Op): Promise<number> {
  let next = 0, done = 0;
  const until = performance.now() + SECONDS * 1000;
  const lane = async (): Promise<void> => {
    while (performance.now() < until) {
      const i = next++;
      const k = i % nodes.length;
      const res = await send(agents[k]!, nodes[k]!.ossPort, creds, request(op, i), 30_000);
      if (res.status !== 200) throw new Error(`${op} on node ${k}: HTTP ${res.status}`);
      done++;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  return done / ((performance.now() - t0) / 1000);
}

async function main(): Promise<void> {
  console.log(`bench:nodes ${new Date().toISOString()}  cpus=${cpus().length}  load=${loadavg().map((l) => l.toFixed(1)).join(",")}  concurrency=${CONCURRENCY}  ${SECONDS}s x ${ROUNDS} rounds`);
  const cluster = await startPostgres();
  const dataDir = mkdtempSync(join(tmpdir(), "barbucket-bench-nodes-"));
  const env = { BARBUCKET_DATABASE_URL: cluster.url, BARBUCKET_MASTER_KEY: randomBytes(32).toString("base64") };
  const servers: TestServer[] = [];
  try {
    servers.push(await startServer({ dataDir, env }));
    servers.push(await startServer({ dataDir, env }));
    const agents = servers.map(() => new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY }));
    const seed = (i: number): Request => ({ method: "PUT", bucket: BUCKET, key: `seed/${i}`, body });
    if ((await send(agents[0]!, servers[0]!.ossPort, creds, { method: "PUT", bucket: BUCKET, key: "" }, 30_000)).status !== 200) throw new Error("PutBucket failed");
    for (let i = 0; i < 200; i++) await send(agents[0]!, servers[0]!.ossPort, creds, seed(i), 30_000);
    const best: Record<Op, [number, number]> = { PUT: [0, 0], GET: [0, 0], LIST: [0, 0] };
    for (const op of OPS) await rate(servers, agents, op); // warm both nodes (JIT, pools, caches)
    for (let r = 0; r < ROUNDS; r++) {
      for (const op of OPS) {
        for (const n of [1, 2] as const) {
          const v = await rate(servers.slice(0, n), agents.slice(0, n), op);
          best[op][n - 1] = Math.max(best[op][n - 1]!, v);
        }
      }
    }
    console.log("\nop     1 node req/s   2 nodes req/s   2/1");
    for (const op of OPS) {
      const [one, two] = best[op];
      console.log(`${op.padEnd(5)}  ${one.toFixed(0).padStart(12)}   ${two.toFixed(0).padStart(13)}   ${(two / one).toFixed(2)}`);
    }
    for (const agent of agents) agent.destroy();
  } finally {
    for (const server of servers) await server.stop("SIGKILL");
    await cluster.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
