/**
 * Boots the real server (`node dist/src/main.js`, as `npm start` does) on loopback ports chosen by
 * the OS, with a fresh data dir and known root keys, and stops it (SIGTERM, or SIGKILL for crash tests).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = resolve(fileURLToPath(new URL("../../..", import.meta.url)));
export const ROOT_KEY_ID = "LTAITESTROOTKEY0000000001";
export const ROOT_KEY_SECRET = "test-root-secret-0123456789abcd";

export interface TestServer {
  readonly dataDir: string;
  readonly ossPort: number;
  readonly rpcPort: number;
  readonly adminPort: number;
  readonly endpoint: string;
  readonly child: ChildProcess;
  /** Log lines (pino JSON) seen so far. */
  readonly logs: string[];
  /**
   * Signals the server and waits for it to exit. SIGKILL kills every process of it at once (the
   * primary and its workers, BARBUCKET_WORKERS > 1), as a crash or the OOM killer would.
   */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Pids of the server's worker processes (children of the primary; none with one process). */
  workerPids(): number[];
  /** Resolves with the exit code once the process has exited (without signalling it). */
  exited(): Promise<number | null>;
  /** Removes the data dir (after stop). */
  cleanup(): void;
}

export async function startServer(options: { dataDir?: string; env?: Record<string, string> } = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "barbucket-it-"));
  const child = spawn(process.execPath, [join(REPO_ROOT, "dist/src/main.js")], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      BARBUCKET_HOST: "127.0.0.1",
      BARBUCKET_PORT: "0",
      BARBUCKET_RPC_PORT: "0",
      BARBUCKET_ADMIN_PORT: "0",
      BARBUCKET_CONSOLE_PORT: "0",
      BARBUCKET_DATA_DIR: dataDir,
      BARBUCKET_ROOT_ACCESS_KEY_ID: ROOT_KEY_ID,
      BARBUCKET_ROOT_ACCESS_KEY_SECRET: ROOT_KEY_SECRET,
      BARBUCKET_CODES_WORKERS: "1",
      // One process unless a test asks for more (cluster.test.ts, the crash tests), so tests stay light
      // on 2 cores; BARBUCKET_TEST_WORKERS=N runs every integration test against N workers.
      BARBUCKET_WORKERS: process.env.BARBUCKET_TEST_WORKERS ?? "1",
      BARBUCKET_LOG_LEVEL: "info",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: string[] = [];
  const stderr: string[] = [];
  child.stderr!.on("data", (d: Buffer) => stderr.push(d.toString()));
  const exited = new Promise<number | null>((res) => child.once("exit", (code) => res(code)));
  live.add(child);
  void exited.then(() => live.delete(child));
  const ports = await new Promise<{ oss: number; rpc: number; admin: number }>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`server did not start in 30 s: ${stderr.join("")}`)), 30_000);
    const lines = createInterface({ input: child.stdout! });
    lines.on("line", (line) => {
      logs.push(line);
      if (!line.includes('"barbucket listening"')) return;
      clearTimeout(timer);
      res((JSON.parse(line) as { ports: { oss: number; rpc: number; admin: number } }).ports);
    });
    void exited.then((code) => {
      clearTimeout(timer);
      rej(new Error(`server exited with ${code} before listening: ${stderr.join("")}`));
    });
  }).catch((error: unknown) => {
    // A server that did not come up must not outlive the test: its pipes would keep the test process alive.
    killTree(child, "SIGKILL");
    throw error;
  });
  return {
    dataDir,
    ossPort: ports.oss,
    rpcPort: ports.rpc,
    adminPort: ports.admin,
    endpoint: `http://127.0.0.1:${ports.oss}`,
    child,
    logs,
    exited() {
      return exited;
    },
    async stop(signal: NodeJS.Signals = "SIGTERM") {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      const workers = signal === "SIGKILL" ? childPids(child.pid!) : [];
      child.kill(signal);
      for (const pid of workers) killQuietly(pid, "SIGKILL");
      const code = await exited;
      if (workers.length > 0) await waitGone(workers);
      return code;
    },
    workerPids() {
      return child.pid === undefined ? [] : childPids(child.pid);
    },
    cleanup() {
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Every server child still running. Those a failed test left behind die with the test process. */
const live = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of live) killTree(child, "SIGKILL");
});

function killTree(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  for (const pid of childPids(child.pid)) killQuietly(pid, signal);
  killQuietly(child.pid, signal);
}

/** Node processes whose parent is `pid` (Linux /proc): a cluster primary's workers. */
export function childPids(pid: number): number[] {
  const pids: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      // pid (comm) state ppid …: comm may contain spaces, so split after its closing parenthesis.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[1]) === pid && fields[0] !== "Z") pids.push(Number(name));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits (at most 5 s) until none of `pids` exists any more. */
async function waitGone(pids: readonly number[]): Promise<void> {
  for (let i = 0; i < 100 && pids.some(alive); i++) await new Promise((r) => setTimeout(r, 50));
}
