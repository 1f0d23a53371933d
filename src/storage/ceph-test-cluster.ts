/**
 * Test helper: a single-node Ceph cluster from scripts/ceph-single.sh, started once per test file
 * (about 9 s, bounded) and stopped in teardown. `cephSkipReason()` says why tests cannot run here.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const REPO_ROOT = resolve(fileURLToPath(new URL("../../..", import.meta.url)));
const SCRIPT = join(REPO_ROOT, "scripts/ceph-single.sh");
const START_TIMEOUT_MS = 120_000;

export interface CephCluster {
  readonly dir: string;
  /** BARBUCKET_S3_ENDPOINT, _BUCKET, _REGION, _ACCESS_KEY_ID, _SECRET_ACCESS_KEY. */
  readonly env: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

function onPath(bin: string): boolean {
  return (process.env.PATH ?? "").split(delimiter).some((dir) => dir && existsSync(join(dir, bin)));
}

/** A `skip` value for node:test: false when the Ceph binaries are installed. */
export function cephSkipReason(): string | false {
  return onPath("ceph-mon") && onPath("radosgw") && onPath("ceph-osd") && onPath("ceph-mgr")
    ? false
    : "skipped: ceph binaries not installed (apt-get install ceph-mon ceph-osd ceph-mgr radosgw python3-rados; .ci/run installs them)";
}

function run(args: string[], timeoutMs: number): Promise<string> {
  return new Promise((res, rej) => {
    execFile(SCRIPT, args, { timeout: timeoutMs, killSignal: "SIGTERM", maxBuffer: 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) rej(new Error(`ceph-single.sh ${args[0]} failed: ${error.message}\n${stderr}`));
      else res(stdout);
    });
  });
}

/** Stops every daemon listed in the cluster dir, without the script (when it timed out). */
function killListed(dir: string): void {
  try {
    for (const line of readFileSync(join(dir, "pids"), "utf8").split("\n")) {
      const pid = Number(line.split(" ")[0]);
      if (Number.isInteger(pid) && pid > 0) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
    }
  } catch {
    // no pids file: nothing was started
  }
}

export async function startCeph(): Promise<CephCluster> {
  const dir = mkdtempSync(join(tmpdir(), "barbucket-ceph-"));
  try {
    await run(["start", dir], START_TIMEOUT_MS);
  } catch (error) {
    killListed(dir);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const env: Record<string, string> = {};
  for (const line of readFileSync(join(dir, "env"), "utf8").split("\n")) {
    const eq = line.indexOf("=");
    if (eq > 0) env[line.slice(0, eq)] = line.slice(eq + 1);
  }
  let stopped: Promise<void> | undefined;
  return {
    dir,
    env,
    stop() {
      stopped ??= run(["stop", dir], 30_000).then(
        () => undefined,
        () => {
          killListed(dir);
          rmSync(dir, { recursive: true, force: true });
        },
      );
      return stopped;
    },
  };
}
