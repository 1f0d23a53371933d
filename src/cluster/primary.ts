/**
 * The primary process (BARBUCKET_WORKERS > 1). Before forking it recovers storage (so no worker
 * can mistake another's in-flight write for debris) and makes sure the account and root key
 * exist; then it forks the workers, which serve the OSS and RPC ports through node:cluster (the
 * primary accepts and hands connections out round-robin; Node 20 has no SO_REUSEPORT option).
 * It serves the admin listener for the whole server — metrics summed over every process, usage
 * after each worker flushed its buffer — runs the lifecycle job (under its lease), restarts a
 * worker that dies, and on stop drains every worker within the shutdown grace.
 */
import cluster, { type Worker } from "node:cluster";
import type { Logger } from "pino";
import { AggregatorRegistry, type MetricObjectWithValues, type MetricValue } from "prom-client";
import type { Config } from "../config.js";
import { startApp, type RunningApp } from "../app.js";
import type { UsageQuery } from "../metering/store.js";
import { ask, handleReply, isListening } from "./ipc.js";
import { CLOCK_OFFSET_ENV } from "./worker.js";

/** How long an ask to a worker may take (metrics, usage flush, clock). */
const ASK_TIMEOUT_MS = 5000;
/** Start-up: every worker must be listening within this. */
const START_TIMEOUT_MS = 60_000;
/** A worker that dies sooner than this after its start is restarted after a growing delay. */
const QUICK_DEATH_MS = 5000;
const MAX_RESTART_DELAY_MS = 30_000;

export interface ClusterApp {
  readonly rootKey: RunningApp["rootKey"];
  readonly ports: RunningApp["ports"];
  /** Pids of the workers now running. */
  workerPids(): number[];
  stop(): Promise<void>;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

export async function runPrimary(config: Config, log: Logger): Promise<ClusterApp> {
  const started = new Map<Worker, number>();
  /** Workers whose listeners are up (they answer asks and are counted in /health). */
  const ready = new Set<Worker>();
  let stopping = false;
  let app: RunningApp | undefined;
  const live = (): Worker[] => [...ready].filter((w) => w.isConnected() && !w.isDead());
  const askAll = (kind: string, data?: unknown): Promise<unknown[]> => Promise.all(live().map((w) => ask(w, kind, data, ASK_TIMEOUT_MS)));
  const running = (): RunningApp => {
    if (!app) throw new Error("starting");
    return app;
  };

  app = await startApp(config, log, {
    role: "primary",
    admin: {
      async metricsText() {
        const own = await running().services.metrics.registry.getMetricsAsJSON();
        const theirs = await Promise.all(live().map((w) => ask(w, "metrics", undefined, ASK_TIMEOUT_MS).catch(() => undefined)));
        const all = [own, ...theirs.filter((m) => m !== undefined)] as MetricObjectWithValues<MetricValue<string>>[][];
        return AggregatorRegistry.aggregate(all).metrics();
      },
      usage: {
        async usage(query: UsageQuery) {
          await askAll("flush-usage"); // so /usage includes every request answered so far
          return await running().meter.usage(query);
        },
      },
      async health() {
        const { meta, accountId } = running().services;
        return { buckets: (await meta.listBuckets(accountId)).length, workers: live().map((w) => w.process.pid) };
      },
      async onClockAdvance(offsetMs: number) {
        await askAll("clock", offsetMs);
      },
    },
  });

  let quickDeaths = 0;
  const fork = (): Worker => {
    const worker = cluster.fork({ [CLOCK_OFFSET_ENV]: String(app?.testClock?.offset ?? 0) });
    started.set(worker, Date.now());
    worker.on("message", handleReply);
    return worker;
  };
  const listening = (worker: Worker): Promise<{ oss: number; rpc: number }> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`worker ${worker.process.pid} did not listen in ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
      timer.unref();
      worker.on("message", (message: unknown) => {
        if (!isListening(message)) return;
        clearTimeout(timer);
        ready.add(worker);
        resolve(message.ports);
      });
      worker.once("exit", (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`worker ${worker.process.pid} exited (${signal ?? code}) before listening`));
      });
    });

  cluster.on("exit", (worker, code, signal) => {
    const since = started.get(worker) ?? 0;
    started.delete(worker);
    ready.delete(worker);
    if (stopping) return;
    const quick = Date.now() - since < QUICK_DEATH_MS;
    quickDeaths = quick ? quickDeaths + 1 : 0;
    const delay = quick ? Math.min(MAX_RESTART_DELAY_MS, 500 * 2 ** Math.min(quickDeaths, 6)) : 0;
    log.warn({ worker: worker.process.pid, code, signal, restartInMs: delay }, "worker died; restarting it");
    setTimeout(() => {
      if (stopping) return; // a failed start sets it before any restart fires (its delay is >= 0.5 s)
      const next = fork();
      listening(next).then(
        () => log.info({ worker: next.process.pid }, "worker restarted"),
        (err: unknown) => log.error({ err }, "restarted worker failed to start"),
      );
    }, delay).unref();
  });

  const first = Array.from({ length: config.workers }, fork);
  let ports: { oss: number; rpc: number };
  try {
    const all = await Promise.all(first.map(listening));
    ports = all[0]!;
  } catch (error) {
    stopping = true;
    for (const w of first) w.process.kill("SIGKILL");
    await app.stop();
    throw error;
  }

  const allPorts = { oss: ports.oss, rpc: ports.rpc, admin: app.ports.admin, console: app.ports.console };
  log.info({ ports: allPorts, dataDir: config.dataDir, region: config.region, workers: live().map((w) => w.process.pid) }, "barbucket listening");

  let stopped: Promise<void> | undefined;
  return {
    rootKey: app.rootKey,
    ports: allPorts,
    workerPids: () => live().map((w) => w.process.pid!),
    stop() {
      stopped ??= (async () => {
        stopping = true;
        const workers = [...started.keys()];
        const exits = Promise.all(workers.map((w) => (w.isDead() ? Promise.resolve() : new Promise<void>((r) => w.once("exit", () => r())))));
        for (const w of workers) if (!w.isDead()) w.process.kill("SIGTERM"); // each drains within the grace
        await Promise.race([exits, sleep(config.shutdownGraceMs + 5000)]);
        for (const w of workers) if (!w.isDead()) w.process.kill("SIGKILL");
        await Promise.race([exits, sleep(2000)]);
        await running().stop();
      })();
      return stopped;
    },
  };
}
