/**
 * `npm run bench:http-codes`: what image/codes over HTTP adds on top of the engine the CLI runs.
 * For each dataset image (a sample across families), interleaved: the CLI's path (read the file,
 * `detectCodes` in this process) and a signed `GET ?x-oss-process=image/codes` to a real server
 * (one recognition worker, fresh objects so the result cache never answers). Prints p50/p95 of
 * both, and of the per-image difference (target: ≤ 15 ms p50).
 *   node dist/bench/http-codes.js [--images N]
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { parseArgs } from "node:util";
import { performance } from "node:perf_hooks";
import { detectCodes } from "../src/codes/detect.js";
import { loadDataset } from "../test/synthetic/dataset.js";
import { startServer, ROOT_KEY_ID, ROOT_KEY_SECRET } from "../test/integration/harness.js";
import { popClient, rpc } from "../test/integration/pop.js";

const require = createRequire(import.meta.url);
const OSS = require("ali-oss") as new (o: Record<string, unknown>) => {
  putBucket(name: string): Promise<unknown>;
  put(key: string, body: Buffer): Promise<unknown>;
  signatureUrl(key: string, options: Record<string, unknown>): string;
};

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { images: { type: "string", default: "60" } } });
  const limit = Number(values.images);
  const all = loadDataset().filter((d) => !d.truth.negative);
  if (all.length === 0) throw new Error("dataset not found (../shared/datasets)");
  const step = Math.max(1, Math.floor(all.length / limit));
  const images = all.filter((_, i) => i % step === 0).slice(0, limit);

  const server = await startServer({ env: { BARBUCKET_CODES_WORKERS: "1" } });
  try {
    const bucket = "bench-codes";
    const ip = new OSS({ region: "oss-cn-hangzhou", endpoint: server.endpoint, accessKeyId: ROOT_KEY_ID, accessKeySecret: ROOT_KEY_SECRET, bucket });
    const named = new OSS({ region: "oss-cn-hangzhou", endpoint: `http://localhost:${server.ossPort}`, sldEnable: true, accessKeyId: ROOT_KEY_ID, accessKeySecret: ROOT_KEY_SECRET, bucket });
    await ip.putBucket(bucket);
    const imm = popClient(server, "2020-09-30");
    await rpc(imm, "CreateProject", { ProjectName: "bench" });
    await rpc(imm, "AttachOSSBucket", { ProjectName: "bench", OSSBucket: bucket });
    const urls: string[] = [];
    for (const [i, image] of images.entries()) {
      await ip.put(`img-${i}.${image.ext}`, readFileSync(image.path));
      urls.push(named.signatureUrl(`img-${i}.${image.ext}`, { expires: 3600, process: "image/codes" }).replace("localhost", "127.0.0.1"));
    }
    // Warm both paths (wasm compile, worker start) on a throwaway object.
    await detectCodes(readFileSync(images[0]!.path), { maxCodes: 5 });
    await ip.put("warm.png", readFileSync(images[0]!.path));
    await fetch(named.signatureUrl("warm.png", { expires: 3600, process: "image/codes" }).replace("localhost", "127.0.0.1"));

    const cli: number[] = [];
    const http: number[] = [];
    const diff: number[] = [];
    for (const [i, image] of images.entries()) {
      const t0 = performance.now();
      const local = await detectCodes(readFileSync(image.path), { maxCodes: 5 });
      const t1 = performance.now();
      const res = await fetch(urls[i]!, { headers: { host: `localhost:${server.ossPort}` } });
      const body = (await res.json()) as { Codes?: unknown[] };
      const t2 = performance.now();
      if (res.status !== 200) throw new Error(`image/codes ${image.id}: HTTP ${res.status}`);
      if ((body.Codes?.length ?? 0) !== local.length) console.warn(`note: ${image.id} CLI found ${local.length}, HTTP ${body.Codes?.length}`);
      cli.push(t1 - t0);
      http.push(t2 - t1);
      diff.push(t2 - t1 - (t1 - t0));
    }
    const row = (name: string, v: number[]): string => `${name.padEnd(26)} ${percentile(v, 50).toFixed(1).padStart(8)} ${percentile(v, 95).toFixed(1).padStart(8)}`;
    console.log(`${images.length} dataset images, interleaved, 1 recognition worker`);
    console.log(`${"".padEnd(26)} ${"p50 ms".padStart(8)} ${"p95 ms".padStart(8)}`);
    console.log(row("CLI engine (in process)", cli));
    console.log(row("image/codes over HTTP", http));
    console.log(row("HTTP − CLI, per image", diff));
    console.log(`HTTP adds ${percentile(diff, 50).toFixed(1)} ms at p50 (target ≤ 15 ms)`);
  } finally {
    await server.stop();
    server.cleanup();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
