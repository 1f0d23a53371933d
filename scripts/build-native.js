#!/usr/bin/env node
// `npm ci` / `npm install` hook: builds native/luma.c, the optional fast luminance decoder (libjpeg, libpng,
// libwebp; libdeflate when its headers are there, see scripts/has-header.js), with node-gyp. It never fails the
// install: without a C toolchain or those libraries' headers Barbucket decodes every image with sharp alone, which
// is correct but slower.
// BARBUCKET_REQUIRE_NATIVE=1 (CI) makes a failed build an error.
import { spawnSync } from "node:child_process";

if (process.env.BARBUCKET_NATIVE_DECODE === "0") {
  console.log("barbucket: native luminance decoder skipped (BARBUCKET_NATIVE_DECODE=0)");
  process.exit(0);
}
// npm sets npm_config_node_gyp to its own node-gyp for lifecycle scripts.
const gyp = process.env.npm_config_node_gyp;
const [cmd, args] = gyp ? [process.execPath, [gyp, "rebuild"]] : ["node-gyp", ["rebuild"]];
const result = spawnSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
if (result.status === 0) {
  console.log("barbucket: native luminance decoder built (build/Release/barbucket_luma.node)");
} else {
  const why = `${result.error?.message ?? ""}\n${result.stderr ?? ""}`.trim().split("\n").slice(-8).join("\n");
  console.warn("barbucket: the native luminance decoder was not built; images will be decoded with sharp alone (slower).");
  console.warn("  To build it: apt-get install build-essential libjpeg-dev libpng-dev libwebp-dev libdeflate-dev, then npm rebuild.");
  console.warn(why.replace(/^/gm, "  | "));
  if (process.env.BARBUCKET_REQUIRE_NATIVE === "1") process.exit(1);
}
