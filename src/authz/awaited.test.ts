/**
 * A guard for code merged from branches written before authorization became asynchronous: an
 * authorization call used as a bare statement would no longer stop the request (its denial becomes
 * an unhandled rejection while the handler carries on). Every such call must be awaited or returned.
 */
import assert from "node:assert/strict";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { it } from "node:test";

const SRC = join(fileURLToPath(new URL(".", import.meta.url)), "..", "..", "..", "src");
/** The calls that throw to deny (or that deny through a check they run). */
const DENYING_CALLS = /^\s*(?:[\w.]+\.)?(authorize|authorizeRpc|authorizeImm|authorizeBucketAccess|authorizeEndpoint|authorizeImmSource|authorizeImmObject|requireKmsDecrypt|checkObject|checkBucketGuards)\(/;

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sources(path, out);
    else if (name.endsWith(".ts") && !name.endsWith(".test.ts") && !name.endsWith(".d.ts")) out.push(path);
  }
  return out;
}

it("every authorization call in src/ is awaited (none is a bare statement)", () => {
  const files = sources(SRC);
  assert.ok(files.length > 100, `found the sources (${files.length} files under ${SRC})`);
  const bare: string[] = [];
  for (const file of files) {
    readFileSync(file, "utf8").split("\n").forEach((line, i) => {
      if (DENYING_CALLS.test(line)) bare.push(`${relative(SRC, file)}:${i + 1}: ${line.trim()}`);
    });
  }
  assert.deepEqual(bare, [], "authorization calls used as statements without await");
});
