/** The admin listener (loopback by default): `/health`, Prometheus `/metrics`, `/usage` and `/explain`. */
import { createServer, type Server, type ServerResponse } from "node:http";
import type { Metrics } from "./metrics.js";
import { serveUsage, type UsageSource } from "./usage-route.js";
import { serveTimeControls, type TimeControls } from "./clock-route.js";
import { newReadEpoch } from "../storage/change-seq.js";

export interface AdminDeps {
  readonly metrics: Metrics;
  /** The `/metrics` text when not this process's registry alone (the primary: summed over workers). */
  readonly metricsText?: () => Promise<string>;
  /** Serves `/usage` (billable usage and bill) when given. */
  readonly usage?: UsageSource;
  /** Serves `/explain` (authorization decisions) when given. */
  readonly explain?: (url: string, res: ServerResponse) => void | Promise<void>;
  /** Extra health facts (e.g. storage reachable); throwing marks the service unhealthy. */
  readonly health: () => Record<string, unknown> | Promise<Record<string, unknown>>;
  /** Serves `POST /lifecycle/run` and, with a test clock, `/clock` when given. */
  readonly time?: TimeControls;
}

export function createAdminServer(deps: AdminDeps): Server {
  return createServer((req, res) => {
    newReadEpoch();
    const path = (req.url ?? "/").split("?")[0];
    if (deps.time && serveTimeControls(req, res, deps.time)) return;
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    if (path === "/health") {
      new Promise<Record<string, unknown>>((resolve) => resolve(deps.health())).then(
        (facts) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ status: "ok", ...facts })),
        (err: unknown) => res.writeHead(503, { "content-type": "application/json" }).end(JSON.stringify({ status: "unhealthy", error: String(err) })),
      );
      return;
    }
    if (path === "/metrics") {
      (deps.metricsText ?? (() => deps.metrics.registry.metrics()))().then(
        (text) => res.writeHead(200, { "content-type": deps.metrics.registry.contentType }).end(text),
        (err: unknown) => res.writeHead(500).end(String(err)),
      );
      return;
    }
    if (path === "/usage" && deps.usage) return serveUsage(req.url ?? "/", deps.usage, res);
    if (path === "/explain" && deps.explain) {
      Promise.resolve(deps.explain(req.url ?? "/", res)).catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ error: String(err) }));
      });
      return;
    }
    res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: "not found" }));
  });
}
