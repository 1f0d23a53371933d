/**
 * Admin controls for time-driven features:
 * - `POST /lifecycle/run`: runs the lifecycle job now and answers its report (JSON);
 * - `POST /storage-usage/run`: runs the storage snapshot job now (records the current hour's snapshot
 *   unless it is recorded) and answers its report (JSON);
 * - with BARBUCKET_TEST_CLOCK=1 only: `GET /clock` → `{now, offsetMs}`, `POST /clock?advanceMs=N`
 *   moves the server's clock forward by N ms (restore completion/expiry, lifecycle, minimum durations).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { TestClock } from "../clock.js";
import type { LifecycleReport } from "../lifecycle/runner.js";
import type { StorageSnapshotReport } from "../metering/storage-snapshot.js";

export interface TimeControls {
  /** Present only under BARBUCKET_TEST_CLOCK=1. */
  readonly testClock?: TestClock;
  readonly lifecycle: { runOnce(): Promise<LifecycleReport> };
  readonly storageUsage?: { runOnce(): Promise<StorageSnapshotReport> };
  /** Tells the other processes of the server the new offset; the answer waits for it. */
  readonly onAdvance?: (offsetMs: number) => Promise<void>;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

/** Handles the request and returns true when it is one of these routes. */
export function serveTimeControls(req: IncomingMessage, res: ServerResponse, controls: TimeControls): boolean {
  const url = new URL(req.url ?? "/", "http://admin");
  const job = url.pathname === "/lifecycle/run" ? controls.lifecycle : url.pathname === "/storage-usage/run" ? controls.storageUsage : undefined;
  if (job) {
    if (req.method !== "POST") {
      res.writeHead(405, { allow: "POST" }).end();
      return true;
    }
    (job.runOnce() as Promise<unknown>).then(
      (report) => sendJson(res, 200, report),
      (err: unknown) => sendJson(res, 500, { error: String(err) }),
    );
    return true;
  }
  if (url.pathname !== "/clock" || !controls.testClock) return false;
  const clock = controls.testClock;
  if (req.method === "POST") {
    const advanceMs = Number(url.searchParams.get("advanceMs"));
    if (!Number.isSafeInteger(advanceMs) || advanceMs < 0) {
      sendJson(res, 400, { error: "advanceMs must be a non-negative integer (milliseconds)" });
      return true;
    }
    clock.advance(advanceMs);
    if (controls.onAdvance) {
      controls.onAdvance(clock.offset).then(
        () => sendJson(res, 200, { now: clock.now().toISOString(), offsetMs: clock.offset }),
        (err: unknown) => sendJson(res, 500, { error: String(err) }),
      );
      return true;
    }
  } else if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405, { allow: "GET, POST" }).end();
    return true;
  }
  sendJson(res, 200, { now: clock.now().toISOString(), offsetMs: clock.offset });
  return true;
}
