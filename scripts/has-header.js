#!/usr/bin/env node
// binding.gyp helper: prints 1 when the C compiler finds the header named in argv[2], else 0 (an optional
// library's fast path is then compiled out instead of failing the whole addon's build).
import { spawnSync } from "node:child_process";

const header = process.argv[2] ?? "";
const cc = process.env.CC || "cc";
const probe = spawnSync(cc, ["-E", "-x", "c", "-"], { input: `#include <${header}>\n`, stdio: ["pipe", "ignore", "ignore"] });
process.stdout.write(/^[\w./-]+\.h$/.test(header) && probe.status === 0 ? "1" : "0");
