#!/usr/bin/env node
// Builds the web console's static files into dist/console-web: the browser modules (plain TypeScript,
// compiled by tsc with the DOM library) and the page and stylesheet copied as they are. Run by
// `npm ci` (prepare), `npm start` (prestart), `npm run build` and `npm test`.
import { cpSync, mkdirSync, readdirSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";

const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const compiled = spawnSync(process.execPath, [tsc, "-p", "src/console/web/tsconfig.json"], { stdio: "inherit" });
if (compiled.status !== 0) process.exit(compiled.status ?? 1);
const out = "dist/console-web";
mkdirSync(out, { recursive: true });
for (const name of readdirSync("src/console/web/static")) cpSync(join("src/console/web/static", name), join(out, name));
