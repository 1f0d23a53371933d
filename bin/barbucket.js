#!/usr/bin/env node
// Entry point of `npx barbucket …`: runs the compiled CLI (built by `npm ci` via the prepare script).
import { main } from "../dist/src/cli/main.js";

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
