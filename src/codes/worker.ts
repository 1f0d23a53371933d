/**
 * Piscina worker: one image per task, in-process detectCodes. Errors travel back as data because a thrown
 * CodesError loses its class (and `kind`) when cloned across threads.
 */
import sharp from "sharp";
import { detectCodes } from "./detect.js";
import { CodesError } from "./types.js";
import type { DetectedCode } from "./types.js";
import { loadZXing } from "./zxing.js";

export interface WorkerTask {
  bytes: ArrayBuffer;
  maxCodes: number;
  timeBudgetMs: number;
}

export type WorkerResult =
  | { ok: true; codes: DetectedCode[] }
  | { ok: false; kind: CodesError["kind"] | "internal"; message: string };

sharp.concurrency(1); // one libvips thread per worker: parallelism comes from the pool
await loadZXing(); // compile the wasm when the worker starts, not on its first image

export default async function scan(task: WorkerTask): Promise<WorkerResult> {
  try {
    const codes = await detectCodes(new Uint8Array(task.bytes), { maxCodes: task.maxCodes, timeBudgetMs: task.timeBudgetMs });
    return { ok: true, codes };
  } catch (err) {
    if (err instanceof CodesError) return { ok: false, kind: err.kind, message: err.message };
    return { ok: false, kind: "internal", message: err instanceof Error ? err.message : String(err) };
  }
}
