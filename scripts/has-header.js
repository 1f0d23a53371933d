#!/usr/bin/env node
// binding.gyp helper: `has-header.js <header> [library]` prints 1 when the C compiler finds the header and, if
// named, links against the library (-l<library>), else 0: an optional library's fast path is then compiled out
// instead of failing the whole addon's build.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [header = "", library] = process.argv.slice(2);
const cc = process.env.CC || "cc";
let ok = /^[\w./-]+\.h$/.test(header) && (library === undefined || /^[\w.+-]+$/.test(library));
if (ok) {
  const dir = mkdtempSync(join(tmpdir(), "barbucket-probe-"));
  try {
    const args = ["-x", "c", "-", "-o", join(dir, "probe"), ...(library ? [`-l${library}`] : [])];
    const probe = spawnSync(cc, args, { input: `#include <${header}>\nint main(void) { return 0; }\n`, stdio: ["pipe", "ignore", "ignore"] });
    ok = probe.status === 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
process.stdout.write(ok ? "1" : "0");
