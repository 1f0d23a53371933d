/**
 * Throughput of the engine's pool (createCodesEngine, at most 5 codes an image as image/codes) at 1 and 2 workers,
 * against plain zxing-wasm in a bare piscina pool (bench/plain-worker.ts): its 1-vs-2 ratio is what this machine
 * gives any zxing workload. Runs alternate (1, 2, 1, 2 …) and each configuration keeps its best; each run starts
 * after WARMUP_PER_WORKER images a worker (the steady state of long-lived workers, not their JIT compilation).
 */
import { cpus, loadavg } from "node:os";
import { Piscina } from "piscina";
import { createCodesEngine } from "../src/codes/pool.js";
import type { SetItem } from "../test/sets/items.js";

const WARMUP_PER_WORKER = 30;
const REPS = 5;
const SAMPLE = 150;

async function rate(items: readonly SetItem[], workers: number, run: (item: SetItem) => Promise<unknown>): Promise<{ rate: number; failed: number }> {
  const lanes = async (list: readonly SetItem[], onError: () => void): Promise<void> => {
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < list.length) await run(list[next++]!).catch(onError);
    };
    await Promise.all(Array.from({ length: workers * 2 }, lane));
  };
  await lanes(items.slice(0, WARMUP_PER_WORKER * workers), () => undefined);
  let failed = 0;
  const t0 = performance.now();
  await lanes(items, () => { failed++; });
  return { rate: items.length / ((performance.now() - t0) / 1000), failed };
}

async function engineRate(items: readonly SetItem[], workers: number) {
  const engine = createCodesEngine({ workers, maxQueue: 64 });
  try {
    return await rate(items, workers, (item) => engine.detect(item.bytes(), { maxCodes: 5 }));
  } finally {
    await engine.close();
  }
}

async function plainRate(items: readonly SetItem[], workers: number) {
  const pool = new Piscina({ filename: new URL("./plain-worker.js", import.meta.url).href, minThreads: workers, maxThreads: workers });
  try {
    return await rate(items, workers, (item) => {
      const src = item.bytes();
      const bytes = new ArrayBuffer(src.byteLength);
      new Uint8Array(bytes).set(src);
      return pool.run({ bytes }, { transferList: [bytes] });
    });
  } finally {
    await pool.destroy();
  }
}

export async function throughput(all: readonly SetItem[]): Promise<void> {
  const step = all.length > SAMPLE ? all.length / SAMPLE : 1;
  const items = step === 1 ? all : Array.from({ length: SAMPLE }, (_, i) => all[Math.floor(i * step)]!);
  const runs: Record<string, number[]> = {};
  for (let rep = 0; rep < REPS; rep++) {
    for (const w of [1, 2]) {
      (runs[`engine ${w}`] ??= []).push((await engineRate(items, w)).rate);
      (runs[`zxing-wasm ${w}`] ??= []).push((await plainRate(items, w)).rate);
    }
  }
  console.log(`\nthroughput over ${items.length} images (images/s, best of ${REPS}; load ${loadavg().map((l) => l.toFixed(1)).join(",")} on ${cpus().length} cpus)`);
  const best = (k: string) => Math.max(...runs[k]!);
  for (const k of Object.keys(runs)) console.log(`  ${k.padEnd(14)} ${best(k).toFixed(1).padStart(7)}   runs ${runs[k]!.map((r) => r.toFixed(1)).join(", ")}`);
  console.log(`  2 vs 1: engine ${(best("engine 2") / best("engine 1")).toFixed(2)}x, zxing-wasm ${(best("zxing-wasm 2") / best("zxing-wasm 1")).toFixed(2)}x; engine vs zxing-wasm at 2 workers ${(best("engine 2") / best("zxing-wasm 2")).toFixed(2)}x`);
}
