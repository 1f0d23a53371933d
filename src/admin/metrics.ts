/** Prometheus metrics of the OSS endpoint: request counts and latency histograms by operation. */
import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export class Metrics {
  readonly registry = new Registry();
  readonly requests: Counter<"operation" | "method" | "status">;
  readonly duration: Histogram<"operation">;
  readonly bytesIn: Counter<"operation">;
  readonly bytesOut: Counter<"operation">;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: "barbucket_process_" });
    this.requests = new Counter({
      name: "barbucket_http_requests_total",
      help: "OSS API requests by operation, method and HTTP status",
      labelNames: ["operation", "method", "status"],
      registers: [this.registry],
    });
    this.duration = new Histogram({
      name: "barbucket_http_request_duration_seconds",
      help: "OSS API request latency by operation (until the response is fully sent)",
      labelNames: ["operation"],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [this.registry],
    });
    this.bytesIn = new Counter({
      name: "barbucket_http_request_body_bytes_total",
      help: "Request body bytes received, by operation",
      labelNames: ["operation"],
      registers: [this.registry],
    });
    this.bytesOut = new Counter({
      name: "barbucket_http_response_body_bytes_total",
      help: "Response body bytes sent, by operation",
      labelNames: ["operation"],
      registers: [this.registry],
    });
  }

  observe(operation: string, method: string, status: number, seconds: number): void {
    this.requests.inc({ operation, method, status: String(status) });
    this.duration.observe({ operation }, seconds);
  }
}
