/**
 * A worker process (BARBUCKET_WORKERS > 1): serves the OSS and RPC ports, which node:cluster
 * shares (the primary accepts and hands connections round-robin), and answers the primary's asks
 * for its metrics, its buffered usage and the test clock.
 */
import type { Logger } from "pino";
import type { Config } from "../config.js";
import { startApp, type RunningApp } from "../app.js";
import { answerAsks, listeningMessage } from "./ipc.js";

/** The environment variable a worker reads the test clock's offset from when it is forked. */
export const CLOCK_OFFSET_ENV = "BARBUCKET_TEST_CLOCK_OFFSET_MS";

/**
 * This process's share of the machine-wide recognition threads and queue: the total divided over
 * the workers, at least one thread each (so with more workers than BARBUCKET_CODES_WORKERS the
 * machine runs one recognition thread per worker).
 */
export function workerShare(config: Config): Config {
  return {
    ...config,
    codesWorkers: Math.max(1, Math.round(config.codesWorkers / config.workers)),
    codesQueue: Math.ceil(config.codesQueue / config.workers),
  };
}

export async function runWorker(config: Config, log: Logger): Promise<RunningApp> {
  const offset = Number(process.env[CLOCK_OFFSET_ENV] ?? 0);
  const app = await startApp(workerShare(config), log, { role: "worker", testClockOffsetMs: Number.isFinite(offset) ? offset : 0 });
  answerAsks({
    metrics: () => app.services.metrics.registry.getMetricsAsJSON(),
    "flush-usage": () => app.meter.flush(),
    clock: (data) => {
      const target = Number(data);
      const clock = app.testClock;
      if (clock && target > clock.offset) clock.advance(target - clock.offset);
      return clock?.offset;
    },
  });
  process.send?.(listeningMessage({ oss: app.ports.oss, rpc: app.ports.rpc }));
  return app;
}
