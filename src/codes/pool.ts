/**
 * The CodesEngine used by the HTTP layer: a piscina pool of `workers` threads running worker.ts.
 *
 * - Bounded: at most `workers` images running plus `maxQueue` waiting; one more → CodesError("busy")
 *   immediately (the HTTP layer answers 503 + Retry-After) instead of an unbounded backlog.
 * - Time budget: the worker stops starting new passes after `timeBudgetMs` (soft, returns what it found);
 *   a task still running at 2× the budget + 1 s (one zxing call can overrun) is aborted, which makes
 *   piscina replace that worker thread, and the caller gets CodesError("timeout").
 * - Image bytes are copied once into a fresh ArrayBuffer that is transferred (not cloned) to the worker, so
 *   the caller's buffer stays usable; with `transfer` the caller's own ArrayBuffer moves when the image spans it
 *   (no copy on the event loop's thread: a fresh copy is fresh pages, ~0.4 ms per MB here).
 */
import { availableParallelism } from "node:os";
import { Piscina } from "piscina";
import { CodesError, type CodesEngine, type DetectedCode, type DetectOptions } from "./types.js";
import type { WorkerResult, WorkerTask } from "./worker.js";

export interface EngineOptions {
  workers: number;
  maxQueue: number;
  timeBudgetMs: number;
}

/** The image is all of a (non-shared) ArrayBuffer: it can be moved as it is. */
function ownsWholeBuffer(image: Uint8Array): image is Uint8Array<ArrayBuffer> {
  return image.buffer instanceof ArrayBuffer && image.byteOffset === 0 && image.byteLength === image.buffer.byteLength;
}

function copyOf(image: Uint8Array): ArrayBuffer {
  const bytes = new ArrayBuffer(image.byteLength);
  new Uint8Array(bytes).set(image);
  return bytes;
}

export function createCodesEngine(opts: Partial<EngineOptions> & { workers: number; maxQueue: number }): CodesEngine {
  const workers = Math.max(1, Math.floor(opts.workers || availableParallelism()));
  const maxQueue = Math.max(0, Math.floor(opts.maxQueue));
  const budget = opts.timeBudgetMs ?? 3000;
  const pool = new Piscina<WorkerTask, WorkerResult>({
    filename: new URL("./worker.js", import.meta.url).href,
    minThreads: workers,
    maxThreads: workers,
    maxQueue: maxQueue + workers, // our own counter below is the real bound; piscina's is a backstop
    idleTimeout: 60_000,
    concurrentTasksPerWorker: 1,
  });
  let inFlight = 0;
  let closed = false;

  async function detect(image: Uint8Array, options: DetectOptions): Promise<DetectedCode[]> {
    if (closed) throw new CodesError("busy", "The recognition engine is shut down.");
    if (inFlight >= workers + maxQueue) throw new CodesError("busy", "Too many images are being scanned; retry later.");
    const taskBudget = options.timeBudgetMs ?? budget;
    const bytes = options.transfer && ownsWholeBuffer(image) ? image.buffer : copyOf(image);
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), 2 * taskBudget + 1000);
    inFlight++;
    try {
      const task: WorkerTask = { bytes, maxCodes: options.maxCodes, timeBudgetMs: taskBudget };
      const res = await pool.run(task, { transferList: [bytes], signal: abort.signal });
      if (res.ok) return res.codes;
      if (res.kind === "internal") throw new Error(`codes worker: ${res.message}`);
      throw new CodesError(res.kind, res.message);
    } catch (err) {
      if (err instanceof CodesError) throw err;
      if (abort.signal.aborted) throw new CodesError("timeout", "Scanning the image took too long.");
      if (err instanceof Error && /queue is at limit/i.test(err.message)) {
        throw new CodesError("busy", "Too many images are being scanned; retry later.");
      }
      throw err;
    } finally {
      clearTimeout(timer);
      inFlight--;
    }
  }

  return {
    detect,
    async close() {
      closed = true;
      await pool.destroy();
    },
  };
}
