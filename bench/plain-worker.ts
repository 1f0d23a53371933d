/**
 * Piscina worker for the throughput benchmark's peer: plain zxing-wasm (test/synthetic/zxing.ts readPlain) on
 * one image per task. Its 1-vs-2-worker ratio is what this machine gives a zxing workload with no engine of
 * ours in the way (memory and caches are shared between the cores), printed beside the engine's ratio.
 */
import sharp from "sharp";
import { loadZxing, readPlain } from "../test/synthetic/zxing.js";

sharp.concurrency(1); // as in the engine's worker: parallelism comes from the pool
await loadZxing();

export default async function read(task: { bytes: ArrayBuffer }): Promise<number> {
  return (await readPlain(new Uint8Array(task.bytes))).length;
}
