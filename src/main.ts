/** `npm start`: the server per the run contract (README "Configuration"). */
import { loadConfig } from "./config.js";
import { startApp } from "./app.js";
import { pino } from "pino";

async function main(): Promise<void> {
  const config = loadConfig();
  const log = pino({ level: config.logLevel });
  const app = await startApp(config, log);
  if (app.rootKey.generated) {
    // Shown once, on the console only (not through the logger): it is stored in the data dir.
    process.stdout.write(
      `\nBarbucket generated the root access key (shown only this once):\n` +
        `  AccessKeyId:     ${app.rootKey.accessKeyId}\n  AccessKeySecret: ${app.rootKey.secret}\n` +
        `  Endpoint:        http://${config.host}:${app.ports.oss}  (region ${config.region})\n` +
        `  Web console:     http://${config.host}:${app.ports.console}  (sign in with the key above)\n\n`,
    );
  }
  let signals = 0;
  const shutdown = (signal: string): void => {
    if (++signals > 1) process.exit(1);
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
