/**
 * The time measure: `barbucket scan --max 255` over a set's files in batches of 100, each batch one process
 * (its start and its pool included), summed; against plain zxing-wasm in one thread in this process over the same
 * files (file read, sharp decode and read). Per set, on the items given.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { execFile } from "node:child_process";
import { join } from "node:path";
import type { SetItem } from "../test/sets/items.js";
import { readPlainFull } from "../test/sets/readers.js";
import { repoRoot } from "../test/synthetic/suite.js";

const BATCH = 100;

function run(args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    execFile(process.execPath, args, { maxBuffer: 256 << 20 }, (err) => {
      // Exit 1 = some file failed to scan: still timed.
      if (err && (err as { code?: unknown }).code !== 1) reject(err);
      else resolve(performance.now() - t0);
    });
  });
}

export async function cliTime(items: readonly SetItem[], dir: string): Promise<void> {
  const bin = join(repoRoot(), "bin", "barbucket.js");
  console.log(`\ntime: barbucket scan --max 255 in batches of ${BATCH} (process start included) vs plain zxing-wasm in one thread`);
  for (const set of [...new Set(items.map((i) => i.set))]) {
    const files = items.filter((i) => i.set === set).map((item, k) => {
      if (item.path) return item.path;
      const path = join(dir, `cli-${set}-${k}.${item.ext}`);
      writeFileSync(path, item.bytes());
      return path;
    });
    let engineMs = 0;
    for (let i = 0; i < files.length; i += BATCH) engineMs += await run([bin, "scan", "--max", "255", ...files.slice(i, i + BATCH)]);
    let plainMs = 0;
    for (const f of files) {
      const t0 = performance.now();
      await readPlainFull(new Uint8Array(readFileSync(f))).catch(() => []);
      plainMs += performance.now() - t0;
    }
    console.log(`  ${set.padEnd(14)} ${String(files.length).padStart(4)} files  engine ${(engineMs / 1000).toFixed(1)} s  plain ${(plainMs / 1000).toFixed(1)} s  engine/plain ${(engineMs / plainMs).toFixed(2)}`);
  }
}
