/**
 * `npm start`: the server per the run contract (README "Configuration"). With BARBUCKET_WORKERS > 1
 * this file runs as the primary (cluster/primary.ts) and again in every worker (cluster/worker.ts).
 */
import cluster from "node:cluster";
import { loadConfig } from "./config.js";
import { startApp } from "./app.js";
import { runPrimary } from "./cluster/primary.js";
import { runWorker } from "./cluster/worker.js";
import { pino } from "pino";

interface Stoppable {
  readonly rootKey?: { readonly accessKeyId: string; readonly secret: string; readonly generated: boolean };
  readonly ports: { readonly oss: number; readonly console?: number };
  stop(): Promise<void>;
}

async function main(): Promise<void> {
  const config = loadConfig();
  const log = pino({ level: config.logLevel });
  const multi = config.workers > 1;
  const app: Stoppable = !multi ? await startApp(config, log) : cluster.isPrimary ? await runPrimary(config, log) : await runWorker(config, log);
  if (app.rootKey?.generated && cluster.isPrimary) {
    // Shown once, on the console only (not through the logger): it is stored in the data dir.
    process.stdout.write(
      `\nBarbucket generated the root access key (shown only this once):\n` +
        `  AccessKeyId:     ${app.rootKey.accessKeyId}\n  AccessKeySecret: ${app.rootKey.secret}\n` +
        `  Endpoint:        http://${config.host}:${app.ports.oss}  (region ${config.region})\n` +
        `  Web console:     http://${config.host}:${app.ports.console}  (sign in with the key above)\n\n`,
    );
  }
  const worker = multi && cluster.isWorker;
  let signals = 0;
  const shutdown = (signal: string): void => {
    // A second signal ends the process at once; not in a worker, which the primary drives (Ctrl-C
    // signals the whole process group, then the primary's SIGTERM follows).
    if (++signals > 1) {
      if (worker) return;
      process.exit(1);
    }
    log.info({ signal }, "shutting down: finishing in-flight requests");
    app.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
