/**
 * Test helper: a throw-away PostgreSQL from scripts/postgres-single.sh, started once per test file
 * (about 2–5 s, bounded) and stopped in teardown. `postgresSkipReason()` says why tests cannot run
 * here; `freshSchema()` gives each test a schema of its own (an empty database, cheaply).
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { randomBytes } from "node:crypto";
import pg from "pg";

const REPO_ROOT = resolve(fileURLToPath(new URL("../../..", import.meta.url)));
const SCRIPT = join(REPO_ROOT, "scripts/postgres-single.sh");
const START_TIMEOUT_MS = 90_000;

export interface PostgresCluster {
  readonly dir: string;
  /** BARBUCKET_DATABASE_URL of the cluster's database. */
  readonly url: string;
  /** A new empty schema; its name goes to `openPool(url, { schema })`. Dropped by `stop()`. */
  freshSchema(): Promise<string>;
  stop(): Promise<void>;
}

function installed(bin: string): boolean {
  if ((process.env.PATH ?? "").split(delimiter).some((dir) => dir && existsSync(join(dir, bin)))) return true;
  try {
    return readdirSync("/usr/lib/postgresql").some((version) => existsSync(join("/usr/lib/postgresql", version, "bin", bin)));
  } catch {
    return false;
  }
}

/** A `skip` value for node:test: false when the PostgreSQL server binaries are installed. */
export function postgresSkipReason(): string | false {
  return installed("initdb") && installed("pg_ctl") && installed("postgres")
    ? false
    : "skipped: PostgreSQL binaries not installed (apt-get install postgresql; .ci/run installs it)";
}

function run(args: string[], timeoutMs: number): Promise<string> {
  return new Promise((res, rej) => {
    execFile(SCRIPT, args, { timeout: timeoutMs, killSignal: "SIGTERM", maxBuffer: 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) rej(new Error(`postgres-single.sh ${args[0]} failed: ${error.message}\n${stderr}`));
      else res(stdout);
    });
  });
}

/** Stops the server without the script (when it timed out): SIGKILL to the postmaster. */
function killPostmaster(dir: string): void {
  try {
    const pid = Number(readFileSync(join(dir, "data", "postmaster.pid"), "utf8").split("\n")[0]);
    if (Number.isInteger(pid) && pid > 0) process.kill(pid, "SIGKILL");
  } catch {
    // not started, or already gone
  }
}

export async function startPostgres(): Promise<PostgresCluster> {
  const dir = mkdtempSync(join(tmpdir(), "barbucket-pg-"));
  try {
    await run(["start", dir], START_TIMEOUT_MS);
  } catch (error) {
    killPostmaster(dir);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const url = /BARBUCKET_DATABASE_URL=(\S+)/.exec(readFileSync(join(dir, "env"), "utf8"))?.[1];
  if (!url) throw new Error(`postgres-single.sh wrote no BARBUCKET_DATABASE_URL in ${dir}/env`);
  const admin = new pg.Pool({ connectionString: url, max: 2 });
  let stopped: Promise<void> | undefined;
  return {
    dir,
    url,
    async freshSchema() {
      const name = `t_${randomBytes(6).toString("hex")}`;
      await admin.query(`CREATE SCHEMA ${name}`);
      return name;
    },
    stop() {
      stopped ??= admin.end().then(() => run(["stop", dir], 30_000)).then(
        () => undefined,
        () => {
          killPostmaster(dir);
          rmSync(dir, { recursive: true, force: true });
        },
      );
      return stopped;
    },
  };
}
