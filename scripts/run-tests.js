#!/usr/bin/env node
// Runs every compiled *.test.js under dist/ with node's test runner.
// `npm test` runs all; `npm test -- unit` or `-- integration` narrows by path fragment.
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { spawn } from "node:child_process";

function findTests(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) findTests(path, out);
    else if (name.endsWith(".test.js")) out.push(path);
  }
  return out;
}

const filters = process.argv.slice(2);
const all = findTests("dist").sort();
const files = filters.length ? all.filter((f) => filters.some((x) => f.includes(x))) : all;
if (files.length === 0) {
  console.error("no test files matched", filters);
  process.exit(1);
}
const concurrency = process.env.TEST_CONCURRENCY ?? "2";
// Backstops so that a hung test fails the run instead of stalling CI until its own limit: a test file whose tests
// are done exits even if it leaked a handle (a child server); (no --test-timeout: Node 20 applies it to each whole
// file, and the never-below-plain file alone takes ~15 min under BARBUCKET_FULL_SETS);
// the whole run is killed, with everything it started, after BARBUCKET_TEST_BUDGET_MIN minutes (default 60: a CI run, with BARBUCKET_FULL_SETS=1 and the generated sets made from scratch, takes about 20–30).
const budgetMin = Number(process.env.BARBUCKET_TEST_BUDGET_MIN ?? "60");
const child = spawn(
  process.execPath,
  ["--test", `--test-concurrency=${concurrency}`, "--test-reporter=spec", "--test-force-exit", ...files],
  { stdio: "inherit", detached: true },
);
const watchdog = setTimeout(() => {
  console.error(`\nrun-tests: the tests ran past ${budgetMin} min (BARBUCKET_TEST_BUDGET_MIN); killing them and everything they started`);
  killGroup("SIGKILL");
  process.exit(1);
}, budgetMin * 60_000);
// Ctrl-C or a CI cancel reaches the test processes too (they run in their own process group).
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => { killGroup(signal); process.exit(1); });
child.on("exit", (code, signal) => {
  clearTimeout(watchdog);
  killGroup("SIGKILL"); // whatever a test file left running
  process.exit(code ?? (signal ? 1 : 0));
});

function killGroup(signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group is gone
  }
}
