/**
 * Storage benchmark: Barbucket GET/PUT next to nginx serving the same bytes as plain files.
 *
 *   npm run bench:store                                     # builds, starts its own server on a temp dir
 *   node dist/bench/store.js --concurrency 16 --json out.json
 *   node dist/bench/store.js --sizes 1k,1m --time-scale 0.5 # shorter runs (budgets × 0.5)
 *   node dist/bench/store.js --endpoint http://127.0.0.1:9000 --access-key-id ID --access-key-secret SECRET
 *   node dist/bench/store.js --sizes 1k --ops get --server-node-args="--cpu-prof --cpu-prof-dir=/tmp/prof"
 *   node dist/bench/store.js --log-level warn               # own server without per-request log lines
 *   node dist/bench/store.js --wrk-only --wrk-rounds 3      # only the wrk phase (below)
 *   node dist/bench/store.js --put                          # only PUTs of 1 MiB (8 clients): PUT/s, CPU per PUT
 *
 * wrk phase (after the node-client table; skipped with --no-wrk, or when `wrk` is not installed,
 * Debian: `apt-get install wrk`): `wrk -t2 -c32` GETs of one presigned V4 URL per size (ali-oss
 * signatureUrlV4, so the server checks a V4 signature on every request) for 1 KiB, 1 MiB and
 * 16 MiB (`--wrk-sizes`), alternating Barbucket / nginx for `--wrk-rounds` rounds of
 * `--wrk-seconds` each. It prints req/s and server CPU-ms per request, the CPU time read from
 * /proc/<pid>/stat (utime+stime of the server and its children) before and after each wrk run;
 * the median over rounds is reported.
 *
 * Needs nginx (Debian: `apt-get install nginx-light`). It runs from a generated config in a temp
 * dir: no daemon, `worker_processes auto` (every core, as Barbucket's default BARBUCKET_WORKERS;
 * `--nginx-workers N`), `sendfile on`, `access_log off`, on a free 127.0.0.1 port. `--workers N`
 * sets the Barbucket server's BARBUCKET_WORKERS (default: its own default, the number of cores).
 *
 * Method: each size is uploaded once (ali-oss) and written as a file for nginx; both are checked
 * to serve the same bytes. N clients (`--concurrency`, default 8) loop request → read the whole
 * body over node:http keep-alive agents until the size's time or request budget is spent (after
 * one uncounted warm-up request each). GET budgets are split into `--rounds` (default 3)
 * alternating Barbucket / nginx, so a neighbour's load burst hits both alike. GETs and PUTs use
 * V1 presigned URLs made once per key by ali-oss `signatureUrl`: no signing in the measured
 * loop (the cost of header signing per request is measured apart and printed). PUTs overwrite
 * one key per client. MB/s is 10^6 bytes/s. "srv CPU ms/req" is the server's own CPU time (all
 * threads and child processes, from /proc) per request: the column least sensitive to other
 * load. Client, servers and any neighbours share the cores: compare ratios, not absolutes.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash, randomBytes, type Hash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { setTimeout as sleep } from "node:timers/promises";
import { buildV1StringToSign, signV1 } from "../src/auth/v1.js";

const REPO_ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const BUCKET = "bench-store";
const KIB = 1024;
const MIB = 1024 * KIB;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const OSS = createRequire(import.meta.url)("ali-oss") as new (options: Record<string, unknown>) => any; // ships no types

/** Per size, a budget per measurement (whichever of time and count ends first). */
interface SizeSpec { readonly label: string; readonly bytes: number; readonly seconds: number; readonly maxGets: number; readonly maxPuts: number }
const SIZES: readonly SizeSpec[] = [
  { label: "1KiB", bytes: KIB, seconds: 4, maxGets: 50_000, maxPuts: 5_000 },
  { label: "1MiB", bytes: MIB, seconds: 4, maxGets: 5_000, maxPuts: 1_000 },
  { label: "64MiB", bytes: 64 * MIB, seconds: 6, maxGets: 200, maxPuts: 32 },
];

interface Target { readonly port: number; readonly path: string; readonly host: string }
interface Row {
  size: string; op: "GET" | "PUT"; server: "barbucket" | "nginx";
  requests: number; seconds: number; reqPerSec: number; mbPerSec: number; p50Ms: number; p99Ms: number;
  /** CPU time of the server's processes (and children) per request: independent of machine load. */
  serverCpuMsPerReq: number | null;
}

const { values: args } = parseArgs({
  options: {
    concurrency: { type: "string", default: "8" }, rounds: { type: "string", default: "3" }, "time-scale": { type: "string", default: "1" },
    sizes: { type: "string", default: "1k,1m,64m" }, ops: { type: "string", default: "get,put" }, json: { type: "string" },
    endpoint: { type: "string" }, "access-key-id": { type: "string" }, "access-key-secret": { type: "string" },
    "server-node-args": { type: "string", default: "" },
    "no-wrk": { type: "boolean", default: false }, "wrk-only": { type: "boolean", default: false },
    "wrk-sizes": { type: "string", default: "1k,1m,16m" }, "wrk-rounds": { type: "string", default: "3" },
    "wrk-seconds": { type: "string", default: "5" }, "wrk-connections": { type: "string", default: "32" }, "log-level": { type: "string" }, "nginx-workers": { type: "string", default: "auto" },
    workers: { type: "string" }, put: { type: "boolean", default: false },
  },
});
// `--put`: only the PUT phase of 1 MiB (issue #18 part 3's measurement): PUT/s and CPU per PUT.
if (args.put) Object.assign(args, { sizes: "1m", ops: "put", "no-wrk": true });
const CONCURRENCY = positive(args.concurrency, "--concurrency");
const TIME_SCALE = Number(args["time-scale"]);
const ROUNDS = positive(args.rounds, "--rounds");

function positive(text: string | undefined, name: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer`);
  return n;
}

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const probe = http.createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => res(port));
    });
    probe.on("error", rej);
  });
}

async function waitExit(child: ChildProcess, signal: NodeJS.Signals, limitMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((res) => child.once("exit", () => res()));
  child.kill(signal);
  await Promise.race([exited, sleep(limitMs, undefined, { ref: false })]);
  if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
}

/** A server process the bench started. */
interface Spawned {
  readonly pid: number | undefined;
  readonly port: number;
  stop(): Promise<void>;
}
interface Barbucket extends Spawned {
  readonly keyId: string;
  readonly secret: string;
}
interface Nginx extends Spawned {
  readonly version: string;
}

/**
 * Spawns `node dist/src/main.js` on a free loopback port with a temp data dir. Readiness is
 * polled on the port, not read from the log, so any `--log-level` works.
 */
async function startBarbucket(): Promise<Barbucket> {
  const dataDir = mkdtempSync(join(tmpdir(), "barbucket-bench-"));
  const keyId = "LTAIBENCHROOTKEY00000001";
  const secret = randomBytes(16).toString("hex");
  const port = await freePort();
  const nodeArgs = args["server-node-args"]!.split(" ").filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, join(REPO_ROOT, "dist/src/main.js")], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      BARBUCKET_HOST: "127.0.0.1", BARBUCKET_PORT: String(port), BARBUCKET_RPC_PORT: "0", BARBUCKET_ADMIN_PORT: "0", BARBUCKET_CONSOLE_PORT: "0",
      BARBUCKET_DATA_DIR: dataDir, BARBUCKET_ROOT_ACCESS_KEY_ID: keyId, BARBUCKET_ROOT_ACCESS_KEY_SECRET: secret,
      ...(args["log-level"] ? { BARBUCKET_LOG_LEVEL: args["log-level"] } : {}),
      ...(args.workers ? { BARBUCKET_WORKERS: String(positive(args.workers, "--workers")) } : {}),
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  child.stdout!.resume(); // logs through a drained pipe, as under a supervisor (a full pipe would stall it)
  const stop = async (): Promise<void> => {
    await waitExit(child, "SIGTERM", 15_000);
    rmSync(dataDir, { recursive: true, force: true });
  };
  if (!(await answers(port, 30_000, child))) {
    await stop();
    throw new Error("Barbucket did not answer within 30 s");
  }
  return { pid: child.pid, port, keyId, secret, stop };
}

/** Polls until the port answers HTTP at all; false on timeout or if `child` exits. */
async function answers(port: number, limitMs: number, child: ChildProcess): Promise<boolean> {
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline && child.exitCode === null && child.signalCode === null) {
    const up = await new Promise<boolean>((res) => {
      http.get({ host: "127.0.0.1", port, path: "/", agent: false }, (r) => { r.resume(); res(true); }).on("error", () => res(false));
    });
    if (up) return true;
    await sleep(100);
  }
  return false;
}

function nginxBinary(): string {
  const which = spawnSync("sh", ["-c", "command -v nginx || ls /usr/sbin/nginx /usr/local/sbin/nginx 2>/dev/null"], { encoding: "utf8" });
  const found = which.stdout.split("\n")[0]?.trim();
  if (!found) throw new Error("nginx not found: install it (Debian: apt-get install nginx-light)");
  return found;
}

/** nginx in the foreground from a generated config; `root` holds the files it serves. */
async function startNginx(dir: string, root: string): Promise<Nginx> {
  const binary = nginxBinary();
  const port = await freePort();
  const conf = join(dir, "nginx.conf");
  writeFileSync(conf, [
    "daemon off;",
    `worker_processes ${args["nginx-workers"] === "auto" ? "auto" : positive(args["nginx-workers"], "--nginx-workers")};`,
    `pid ${join(dir, "nginx.pid")};`,
    `error_log ${join(dir, "error.log")} warn;`,
    "events { worker_connections 1024; }",
    "http {",
    "  access_log off; sendfile on; tcp_nopush on; keepalive_requests 1000000; keepalive_timeout 60s;",
    "  types { } default_type application/octet-stream;",
    ...["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map((t) => `  ${t}_temp_path ${join(dir, `${t}_temp`)};`),
    `  server { listen 127.0.0.1:${port}; root ${root}; location / { } }`,
    "}",
  ].join("\n"));
  const child = spawn(binary, ["-p", dir, "-c", conf, "-e", join(dir, "error.log")], { stdio: ["ignore", "ignore", "inherit"] });
  const version = spawnSync(binary, ["-v"], { encoding: "utf8" }).stderr.trim();
  const stop = (): Promise<void> => waitExit(child, "SIGTERM", 10_000);
  if (await answers(port, 10_000, child)) return { pid: child.pid, port, version, stop };
  await stop();
  throw new Error("nginx did not answer within 10 s");
}

/** One request; resolves to the body bytes received (fed to `hash` if given), rejects on a non-200 or short body. */
function request(agent: http.Agent | false, target: Target, method: "GET" | "PUT", body?: Buffer, expected?: number, hash?: Hash): Promise<number> {
  return new Promise((res, rej) => {
    const req = http.request(
      { host: "127.0.0.1", port: target.port, path: target.path, method, agent, headers: { host: target.host, ...(body ? { "content-length": body.length } : {}) } },
      (response) => {
        let received = 0;
        response.on("data", (chunk: Buffer) => {
          received += chunk.length;
          hash?.update(chunk);
        });
        response.on("error", rej);
        response.on("end", () => {
          if (response.statusCode !== 200) rej(new Error(`${method} ${target.path}: HTTP ${response.statusCode}`));
          else if (expected !== undefined && received !== expected) rej(new Error(`${method} ${target.path}: ${received} of ${expected} bytes`));
          else res(received);
        });
      },
    );
    req.setTimeout(120_000, () => req.destroy(new Error(`${method} ${target.path}: timed out`)));
    req.on("error", (error) => rej(new Error(`${method} ${target.host}${target.path.split("?")[0]}: ${error.message}`)));
    req.end(body);
  });
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Raw result of one timed run: latencies (ms), wall time, server CPU used (null when unknown). */
interface Sample { readonly latencies: number[]; readonly seconds: number; readonly cpuMs: number | null }

/**
 * N clients loop `op(agent, client)` for `budgetMs` or `maxRequests`, after one uncounted warm-up
 * request each. A fresh keep-alive agent per run: sockets left idle through another phase could
 * be closed by the server just as they are reused.
 */
async function sample(budgetMs: number, maxRequests: number, serverPid: number | undefined, op: (agent: http.Agent, client: number) => Promise<unknown>): Promise<Sample> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  try {
    await Promise.all(Array.from({ length: CONCURRENCY }, (_, c) => op(agent, c)));
    const cpuBefore = processTreeCpuMs(serverPid);
    const latencies: number[] = [];
    let started = 0;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, async (_, c) => {
      while (started < maxRequests && performance.now() < t0 + budgetMs) {
        started++;
        const s = performance.now();
        await op(agent, c);
        latencies.push(performance.now() - s);
      }
    }));
    const seconds = (performance.now() - t0) / 1000;
    const cpuAfter = processTreeCpuMs(serverPid);
    return { latencies, seconds, cpuMs: cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore };
  } finally {
    agent.destroy();
  }
}

function summarize(spec: SizeSpec, samples: readonly Sample[]): Omit<Row, "size" | "op" | "server"> {
  const latencies = samples.flatMap((s) => s.latencies).sort((a, b) => a - b);
  const seconds = samples.reduce((sum, s) => sum + s.seconds, 0);
  const cpu = samples.every((s) => s.cpuMs !== null) ? samples.reduce((sum, s) => sum + s.cpuMs!, 0) : null;
  return {
    requests: latencies.length,
    seconds: round(seconds, 2),
    reqPerSec: round(latencies.length / seconds, 1),
    mbPerSec: round((latencies.length * spec.bytes) / seconds / 1e6, 1),
    p50Ms: round(percentile(latencies, 50), 2),
    p99Ms: round(percentile(latencies, 99), 2),
    serverCpuMsPerReq: cpu === null ? null : round(cpu / latencies.length, 3),
  };
}

const round = (n: number, digits: number): number => Math.round(n * 10 ** digits) / 10 ** digits;

/** utime+stime (ms) of `pid` and its direct children from /proc (Linux); null elsewhere or without a pid. */
function processTreeCpuMs(pid: number | undefined): number | null {
  if (pid === undefined || !existsSync("/proc/self/stat")) return null;
  const ticksPerMs = 100 / 1000; // USER_HZ is 100 on Linux
  let total = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // exited meanwhile
    }
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // fields from 3 (state) on
    if (Number(entry) !== pid && Number(fields[1]) !== pid) continue;
    total += (Number(fields[11]) + Number(fields[12])) / ticksPerMs;
  }
  return total;
}

/** Cost of signing one request with a V1 Authorization header (src/auth/v1.ts), as an SDK does per call. */
function headerSigningMicros(secret: string): number {
  const n = 20_000;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const input = { method: "GET", bucket: BUCKET, key: "bench/1KiB.bin", query: [], headers: {}, dateLine: new Date().toUTCString() };
    signV1(secret, buildV1StringToSign(input));
  }
  return round(((performance.now() - t0) * 1000) / n, 2);
}

function printTable(rows: readonly Row[], ratios: Record<string, number>): void {
  const header = ["size", "op", "server", "requests", "req/s", "MB/s", "p50 ms", "p99 ms", "srv CPU ms/req"];
  const cells = rows.map((r) => [
    r.size, r.op, r.server, String(r.requests), r.reqPerSec.toFixed(1), r.mbPerSec.toFixed(1), r.p50Ms.toFixed(2), r.p99Ms.toFixed(2),
    r.serverCpuMsPerReq === null ? "-" : r.serverCpuMsPerReq.toFixed(3),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]): string => c.map((v, i) => (i < 3 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join("  ");
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const c of cells) console.log(line(c));
  console.log("");
  for (const [size, ratio] of Object.entries(ratios)) {
    console.log(`GET ${size.padEnd(6)} barbucket/nginx = ${ratio.toFixed(2)}x ${ratio >= 0.7 ? "(goal >= 0.7x met)" : "(below the 0.7x goal)"}`);
  }
}

const WRK_SIZES: Readonly<Record<string, number>> = { "1k": KIB, "1m": MIB, "16m": 16 * MIB, "64m": 64 * MIB };

interface WrkRow { size: string; server: "barbucket" | "nginx"; rounds: number; reqPerSec: number; cpuMsPerReq: number | null; allReqPerSec: number[]; allCpuMsPerReq: (number | null)[] }

function wrkAvailable(): boolean {
  return spawnSync("sh", ["-c", "command -v wrk"], { encoding: "utf8" }).status === 0;
}

/** One `wrk` run; returns requests completed, req/s and the server's CPU ms over the run. */
async function runWrk(url: string, host: string, seconds: number, pid: number | undefined, warmUp = false): Promise<{ requests: number; reqPerSec: number; cpuMs: number | null }> {
  const cpuBefore = processTreeCpuMs(pid);
  const child = spawn("wrk", ["-t2", `-c${positive(args["wrk-connections"], "--wrk-connections")}`, `-d${seconds}s`, "-H", `Host: ${host}`, url], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => { out += d.toString(); });
  const code = await new Promise<number | null>((res) => child.once("exit", (c) => res(c)));
  const cpuAfter = processTreeCpuMs(pid);
  if (code !== 0) throw new Error(`wrk exited with ${code}: ${out}`);
  const requests = Number(/(\d+) requests in/.exec(out)?.[1]);
  const reqPerSec = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(out);
  if (non2xx) throw new Error(`wrk ${url}: ${non2xx[1]} non-2xx responses`);
  if (!(requests > 0) && !warmUp) throw new Error(`wrk ${url}: no requests completed\n${out}`);
  return { requests, reqPerSec, cpuMs: cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * GETs of one presigned V4 URL per size with wrk, Barbucket and nginx alternating per round.
 * Objects are uploaded (and written for nginx) here, checked byte-identical first.
 */
async function wrkPhase(client: { put(key: string, data: Buffer): Promise<unknown> }, signer: { signatureUrlV4(method: string, expires: number, request?: unknown, objectName?: string): Promise<string> },
  bbPort: number, bbPid: number | undefined, nginx: Nginx, www: string): Promise<WrkRow[]> {
  const labels = args["wrk-sizes"]!.toLowerCase().split(",").map((s) => s.trim()).filter(Boolean);
  const rounds = positive(args["wrk-rounds"], "--wrk-rounds");
  const seconds = positive(args["wrk-seconds"], "--wrk-seconds");
  const rows: WrkRow[] = [];
  console.log(`wrk phase: wrk -t2 -c${args["wrk-connections"]} -d${seconds}s, ${rounds} rounds alternating after 1 s warm-up each; GETs of one presigned V4 URL (signature checked per request); CPU from /proc/<pid>/stat, median of rounds\n`);
  for (const label of labels) {
    const bytes = WRK_SIZES[label];
    if (bytes === undefined) throw new Error(`--wrk-sizes: pick from ${Object.keys(WRK_SIZES).join(",")}`);
    const name = `wrk-${label}.bin`;
    const data = randomBytes(bytes);
    await client.put(`bench/${name}`, data);
    writeFileSync(join(www, name), data, { mode: 0o644 });
    const signed = new URL(await signer.signatureUrlV4("GET", 3600, undefined, `bench/${name}`));
    const bb: Target = { port: bbPort, path: signed.pathname + signed.search, host: signed.host };
    const ng: Target = { port: nginx.port, path: `/${name}`, host: `127.0.0.1:${nginx.port}` };
    const md5 = createHash("md5").update(data).digest("hex");
    for (const [who, target] of [["barbucket", bb], ["nginx", ng]] as const) {
      const hash = createHash("md5");
      await request(false, target, "GET", undefined, bytes, hash);
      if (hash.digest("hex") !== md5) throw new Error(`${who} serves different bytes for ${name}`);
    }
    const results: Record<"barbucket" | "nginx", { rps: number[]; cpu: (number | null)[] }> = { barbucket: { rps: [], cpu: [] }, nginx: { rps: [], cpu: [] } };
    // One uncounted second each first: JIT warm-up and connection set-up stay out of the rounds.
    for (const target of [bb, ng]) await runWrk(`http://127.0.0.1:${target.port}${target.path}`, target.host, 1, undefined, true);
    for (let r = 0; r < rounds; r++) {
      for (const [who, target, pid] of [["barbucket", bb, bbPid], ["nginx", ng, nginx.pid]] as const) {
        const run = await runWrk(`http://127.0.0.1:${target.port}${target.path}`, target.host, seconds, pid);
        results[who].rps.push(round(run.reqPerSec, 1));
        results[who].cpu.push(run.cpuMs === null ? null : round(run.cpuMs / run.requests, 4));
      }
    }
    for (const who of ["barbucket", "nginx"] as const) {
      const { rps, cpu } = results[who];
      const cpus = cpu.filter((c): c is number => c !== null);
      rows.push({ size: label, server: who, rounds, reqPerSec: round(median(rps), 1), cpuMsPerReq: cpus.length === cpu.length ? round(median(cpus), 4) : null, allReqPerSec: rps, allCpuMsPerReq: cpu });
    }
  }
  const header = ["size", "server", "req/s", "CPU ms/req", "rounds (req/s | CPU ms/req)"];
  const cells = rows.map((r) => [r.size, r.server, r.reqPerSec.toFixed(1), r.cpuMsPerReq === null ? "-" : r.cpuMsPerReq.toFixed(3),
    `${r.allReqPerSec.join(" ")} | ${r.allCpuMsPerReq.map((c) => (c === null ? "-" : c.toFixed(3))).join(" ")}`]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]): string => c.map((v, i) => (i < 2 || i === 4 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join("  ");
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const c of cells) console.log(line(c));
  console.log("");
  for (const label of labels) {
    const b = rows.find((r) => r.size === label && r.server === "barbucket")!;
    const n = rows.find((r) => r.size === label && r.server === "nginx")!;
    if (b.cpuMsPerReq !== null && n.cpuMsPerReq !== null && n.cpuMsPerReq > 0) {
      console.log(`GET ${label.padEnd(4)} CPU per request barbucket/nginx = ${(b.cpuMsPerReq / n.cpuMsPerReq).toFixed(1)}x (target <= 5x)`);
    }
  }
  return rows;
}

async function main(): Promise<void> {
  const wanted = new Set(args.sizes!.toLowerCase().split(",").map((s) => s.trim()));
  const sizes = SIZES.filter((s) => wanted.has(s.label.toLowerCase().replace("ib", "")));
  if (sizes.length === 0) throw new Error("--sizes: pick from 1k,1m,64m");
  const ops = new Set(args.ops!.toLowerCase().split(",").map((s) => s.trim()));
  const own = args.endpoint ? undefined : await startBarbucket();
  const endpoint = new URL(args.endpoint ?? `http://127.0.0.1:${own!.port}`);
  const keyId = own?.keyId ?? args["access-key-id"];
  const secret = own?.secret ?? args["access-key-secret"];
  if (!keyId || !secret) throw new Error("--endpoint needs --access-key-id and --access-key-secret");
  const bbPort = Number(endpoint.port || 80);
  const dir = mkdtempSync(join(tmpdir(), "barbucket-bench-nginx-"));
  const www = join(dir, "www");
  mkdirSync(www, { mode: 0o755 });
  chmodSync(dir, 0o755); // nginx workers run as an unprivileged user when started by root
  let nginx: Nginx | undefined;
  try {
    const client = new OSS({ region: "oss-cn-hangzhou", endpoint: endpoint.origin, accessKeyId: keyId, accessKeySecret: secret, bucket: BUCKET, timeout: 300_000 });
    await client.putBucket(BUCKET).catch((e: { code?: string }) => { if (e.code !== "BucketAlreadyExists") throw e; });
    // ali-oss refuses to presign for an IP endpoint; the V1 signature does not cover the host, so sign via localhost.
    const signer = new OSS({ region: "oss-cn-hangzhou", endpoint: `http://localhost:${bbPort}`, accessKeyId: keyId, accessKeySecret: secret, bucket: BUCKET });
    const presigned = (key: string, method: "GET" | "PUT"): Target => {
      const url = new URL(signer.signatureUrl(key, { method, expires: 3600 }) as string);
      return { port: bbPort, path: url.pathname + url.search, host: url.host };
    };
    const wrkOnly = args["wrk-only"]!;
    const runWrkPhase = !args["no-wrk"] && wrkAvailable();
    if (wrkOnly && !runWrkPhase) throw new Error("--wrk-only: wrk is not installed (Debian: apt-get install wrk)");
    const activeSizes = wrkOnly ? [] : sizes;
    const payloads = activeSizes.map((spec) => randomBytes(spec.bytes));
    for (const [i, spec] of activeSizes.entries()) {
      const data = payloads[i]!;
      await client.put(`bench/${spec.label}.bin`, data);
      writeFileSync(join(www, `${spec.label}.bin`), data, { mode: 0o644 });
    }
    nginx = await startNginx(dir, www);
    console.log(`${new Date().toISOString()}  node ${process.version}  ${cpus().length} cores (${cpus()[0]?.model ?? "?"})  load avg ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
    console.log(`${nginx.version}, ${args["nginx-workers"]} worker(s); concurrency ${CONCURRENCY}; Barbucket ${own ? `started by the bench, BARBUCKET_WORKERS=${args.workers ?? process.env.BARBUCKET_WORKERS ?? `default (${cpus().length})`}` : endpoint.origin}`);
    const signMicros = headerSigningMicros(secret);
    if (!wrkOnly) console.log(`GETs use presigned V1 URLs (signed once per object); header signing would add ~${signMicros} us per request in the client.\n`);

    const rows: Row[] = [];
    const ratios: Record<string, number> = {};
    for (const [i, spec] of activeSizes.entries()) {
      const data = payloads[i]!;
      const bbGet = presigned(`bench/${spec.label}.bin`, "GET");
      const ngGet: Target = { port: nginx.port, path: `/${spec.label}.bin`, host: `127.0.0.1:${nginx.port}` };
      // Same bytes on both sides, checked once before measuring.
      for (const [name, target] of [["barbucket", bbGet], ["nginx", ngGet]] as const) {
        const hash = createHash("md5");
        await request(false, target, "GET", undefined, spec.bytes, hash);
        if (hash.digest("hex") !== createHash("md5").update(data).digest("hex")) throw new Error(`${name} serves different bytes for ${spec.label}`);
      }
      const budgetMs = (spec.seconds * TIME_SCALE * 1000) / ROUNDS;
      if (ops.has("get")) {
        // Rounds alternate between the servers, so a neighbour's load burst hits both alike.
        const [bb, ng]: [Sample[], Sample[]] = [[], []];
        for (let r = 0; r < ROUNDS; r++) {
          bb.push(await sample(budgetMs, Math.ceil(spec.maxGets / ROUNDS), own?.pid, (agent) => request(agent, bbGet, "GET", undefined, spec.bytes)));
          ng.push(await sample(budgetMs, Math.ceil(spec.maxGets / ROUNDS), nginx.pid, (agent) => request(agent, ngGet, "GET", undefined, spec.bytes)));
        }
        const [get, ngx] = [summarize(spec, bb), summarize(spec, ng)];
        rows.push({ size: spec.label, op: "GET", server: "barbucket", ...get }, { size: spec.label, op: "GET", server: "nginx", ...ngx });
        ratios[spec.label] = round(get.reqPerSec / ngx.reqPerSec, 3);
      }
      if (!ops.has("put")) continue;
      const putTargets = Array.from({ length: CONCURRENCY }, (_, c) => presigned(`bench/put-${spec.label}-${c}.bin`, "PUT"));
      const put = await sample(budgetMs * ROUNDS, spec.maxPuts, own?.pid, (agent, c) => request(agent, putTargets[c]!, "PUT", data));
      rows.push({ size: spec.label, op: "PUT", server: "barbucket", ...summarize(spec, [put]) });
    }
    if (!wrkOnly) printTable(rows, ratios);
    let wrkRows: WrkRow[] = [];
    if (runWrkPhase) {
      if (!wrkOnly) console.log("");
      wrkRows = await wrkPhase(client, signer, bbPort, own?.pid, nginx, www);
    } else if (!args["no-wrk"]) console.log("\nwrk not installed (Debian: apt-get install wrk): wrk phase skipped");
    if (args.json) {
      const meta = { date: new Date().toISOString(), node: process.version, cores: cpus().length, loadavg: loadavg(), concurrency: CONCURRENCY, nginx: nginx.version, nginxWorkers: args["nginx-workers"] === "auto" ? cpus().length : Number(args["nginx-workers"]), barbucketWorkers: args.workers ?? process.env.BARBUCKET_WORKERS ?? String(cpus().length), rounds: ROUNDS, timeScale: TIME_SCALE, signing: "presigned V1 URL per object (ali-oss signatureUrl)", headerSigningMicros: signMicros };
      writeFileSync(args.json, JSON.stringify({ meta, rows, getRatioBarbucketOverNginx: ratios, wrk: wrkRows }, null, 2));
      console.log(`\nwrote ${args.json}`);
    }
  } finally {
    await nginx?.stop();
    await own?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exitCode = 1;
});
