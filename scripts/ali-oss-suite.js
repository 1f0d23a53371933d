#!/usr/bin/env node
// Runs ali-oss's own node test suites (test/node/<suite>.test.js of the ali-oss source, kept OUT of
// this repository) with mocha against a Barbucket server built from this tree, once with V1 and once
// with V4 signatures, and prints the counts and every failure.
//
//   node scripts/ali-oss-suite.js --lab /work/alilab [--suites object,multipart,bucket,multiversion] [--sigs v1,v4]
//
// The lab directory holds (see README, "ali-oss's own test suites"):
//   package.json + node_modules   mocha, should, mm, sinon, humanize-ms@1, platform, ali-oss@<ours> and the
//                                 suites' other requires (bucket.test.js: @alicloud/resourcemanager20200331,
//                                 @alicloud/openapi-client, @alicloud/tea-util; npm install them there)
//   ali-oss/                      the ali-oss package (lib/, package.json) with the source's test/node/*.test.js,
//                                 test/node/utils.js and fixtures; `require('../..')` in the tests loads it
// This script writes ali-oss/test/config.js (endpoint, keys, the `conditions` newer suites iterate) and a
// `--require` hook that resolves `<bucket>.localhost` to 127.0.0.1, then starts `node dist/src/main.js`
// on a free loopback port with a fresh data dir, and stops it at the end (always).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createRequire } from "node:module";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const REPO = resolve(fileURLToPath(new URL("..", import.meta.url)));
const KEY_ID = "LTAIALIOSSSUITE000000001";
const KEY_SECRET = "ali-oss-suite-secret-0123456789";

function option(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 && process.argv[at + 1] ? process.argv[at + 1] : fallback;
}

const lab = resolve(option("lab", process.env.ALI_OSS_LAB ?? "/work/alilab"));
const suites = option("suites", "object,multipart,bucket,multiversion").split(",");
const sigs = option("sigs", "v1,v4").split(",");
const suiteTimeoutMs = Number(option("suite-timeout-ms", "1200000"));
const testsDir = join(lab, "ali-oss/test/node");
if (!existsSync(join(lab, "node_modules/.bin/mocha")) || !existsSync(testsDir)) {
  console.error(`no lab at ${lab}: needs node_modules/.bin/mocha and ali-oss/test/node (see README)`);
  process.exit(2);
}
if (!existsSync(join(REPO, "dist/src/main.js"))) {
  console.error("build first: npx tsc -p .");
  process.exit(2);
}

// Any `*.localhost` name (virtual-host addressing: `<bucket>.localhost`) resolves to loopback.
const hookPath = join(lab, "localhost-dns.cjs");
writeFileSync(
  hookPath,
  `const dns = require("dns");
const original = dns.lookup;
dns.lookup = function (host, options, callback) {
  if (typeof host === "string" && (host === "localhost" || host.endsWith(".localhost"))) {
    const cb = typeof options === "function" ? options : callback;
    const opts = typeof options === "object" && options !== null ? options : {};
    if (opts.all) return process.nextTick(cb, null, [{ address: "127.0.0.1", family: 4 }]);
    return process.nextTick(cb, null, "127.0.0.1", 4);
  }
  return original.apply(this, arguments);
};
`,
);

/** The root key's account id (bucket.test.js puts inventories naming it), from ListBuckets' Owner. */
async function accountIdOf(port) {
  const OSS = createRequire(join(lab, "package.json"))("ali-oss");
  const client = new OSS({ region: "oss-cn-hangzhou", endpoint: `http://127.0.0.1:${port}`, accessKeyId: KEY_ID, accessKeySecret: KEY_SECRET });
  return (await client.listBuckets()).owner.id;
}

function writeConfig(port, sig, accountId) {
  const v4 = sig === "v4";
  writeFileSync(
    join(lab, "ali-oss/test/config.js"),
    `// written by barbucket scripts/ali-oss-suite.js
const oss = {
  accessKeyId: ${JSON.stringify(KEY_ID)},
  accessKeySecret: ${JSON.stringify(KEY_SECRET)},
  endpoint: "http://localhost:${port}",
  region: "oss-cn-hangzhou",
  authorizationV4: ${v4},
  accountId: ${JSON.stringify(accountId)},
};
module.exports = {
  oss,
  conditions: [{ authorizationV4: ${v4} }],
  metaSyncTime: "10ms",
  timeout: "120s",
  sts: { accessKeyId: "", accessKeySecret: "", roleArn: "", bucket: "" },
};
`,
  );
}

async function startServer() {
  const dataDir = mkdtempSync(join(tmpdir(), "barbucket-alioss-"));
  const child = spawn(process.execPath, [join(REPO, "dist/src/main.js")], {
    cwd: REPO,
    env: {
      ...process.env,
      BARBUCKET_HOST: "127.0.0.1",
      BARBUCKET_PORT: "0",
      BARBUCKET_RPC_PORT: "0",
      BARBUCKET_ADMIN_PORT: "0",
      BARBUCKET_CONSOLE_PORT: "0",
      BARBUCKET_DATA_DIR: dataDir,
      BARBUCKET_ROOT_ACCESS_KEY_ID: KEY_ID,
      BARBUCKET_ROOT_ACCESS_KEY_SECRET: KEY_SECRET,
      BARBUCKET_WORKERS: "1",
      BARBUCKET_CODES_WORKERS: "1",
      BARBUCKET_LOG_LEVEL: "info", // "barbucket listening" (the port) is an info line
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error("server did not start in 30 s")), 30_000);
    createInterface({ input: child.stdout }).on("line", (line) => {
      if (!line.includes('"barbucket listening"')) return;
      clearTimeout(timer);
      res(JSON.parse(line).ports.oss);
    });
    child.once("exit", (code) => rej(new Error(`server exited with ${code}`)));
  });
  return {
    port,
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await new Promise((res) => child.once("exit", res));
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function runSuite(suite, sig) {
  const file = join(testsDir, `${suite}.test.js`);
  if (!existsSync(file)) return { suite, sig, missing: true };
  const report = join(lab, `report-${suite}-${sig}.json`);
  rmSync(report, { force: true });
  const run = spawnSync(
    join(lab, "node_modules/.bin/mocha"),
    ["-t", "120000", "-r", "should", "-r", hookPath, "--exit", "--reporter", "json", "--reporter-option", `output=${report}`, file],
    { cwd: join(lab, "ali-oss"), stdio: ["ignore", "ignore", "inherit"], timeout: suiteTimeoutMs },
  );
  if (!existsSync(report)) return { suite, sig, crashed: `mocha exited ${run.status ?? run.signal}` };
  const { stats, failures } = JSON.parse(readFileSync(report, "utf8"));
  return { suite, sig, passed: stats.passes, failed: stats.failures, pending: stats.pending, failures };
}

const results = [];
for (const sig of sigs) {
  const server = await startServer();
  try {
    writeConfig(server.port, sig, await accountIdOf(server.port));
    for (const suite of suites) {
      const r = runSuite(suite, sig);
      results.push(r);
      if (r.missing) console.log(`${suite} ${sig}: no ${suite}.test.js in the lab`);
      else if (r.crashed) console.log(`${suite} ${sig}: ${r.crashed}`);
      else console.log(`${suite} ${sig}: ${r.passed} passed, ${r.failed} failed, ${r.pending} pending`);
    }
  } finally {
    await server.stop();
  }
}

console.log("\nfailures:");
for (const r of results) {
  for (const f of r.failures ?? []) {
    const message = String(f.err?.message ?? "").split("\n")[0].slice(0, 300);
    console.log(`- [${r.suite} ${r.sig}] ${f.fullTitle}\n    ${message}`);
  }
}
const passed = results.reduce((n, r) => n + (r.passed ?? 0), 0);
const failed = results.reduce((n, r) => n + (r.failed ?? 0), 0);
console.log(`\nali-oss suites: ${passed} passed, ${failed} failed`);
