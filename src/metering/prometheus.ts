/**
 * Prometheus series of the billable quantities (counts since process start; /usage is the durable view).
 * `method` on barbucket_requests_total is the OSS billing class, GET or PUT — not the HTTP verb.
 */
import { Counter, Gauge, type Registry } from "prom-client";
import type { Quantity } from "./classify.js";
import type { StorageTotal } from "../storage/storage-totals.js";

export class UsageCounters {
  private readonly requests: Counter<"bucket" | "method" | "storage_class">;
  private readonly egress: Counter<"bucket" | "network">;
  private readonly retrieval: Counter<"bucket" | "kind">;
  private readonly qrcodes: Counter<"bucket">;
  private readonly acceleration: Counter<"bucket" | "domain">;
  private readonly restores: Counter<"bucket" | "storage_class">;
  private readonly earlyDeletion: Counter<"bucket" | "storage_class">;
  private readonly stored: Gauge<"bucket" | "storage_class">;

  constructor(registry: Registry) {
    const registers = [registry];
    this.requests = new Counter({
      name: "barbucket_requests_total",
      help: "Billable (2xx/3xx) OSS requests by bucket, billing class (method GET|PUT) and storage class",
      labelNames: ["bucket", "method", "storage_class"], registers,
    });
    this.egress = new Counter({
      name: "barbucket_egress_bytes_total",
      help: "Outbound OSS traffic (response body bytes) by bucket and network (internet|internal)",
      labelNames: ["bucket", "network"], registers,
    });
    this.retrieval = new Counter({
      name: "barbucket_retrieval_bytes_total",
      help: "Data retrieval bytes by bucket and kind (ia|archive_direct_read)",
      labelNames: ["bucket", "kind"], registers,
    });
    this.qrcodes = new Counter({
      name: "barbucket_image_qrcodes_total",
      help: "IMM ImageQRCodes units: successful image/codes and DetectImageCodes calls",
      labelNames: ["bucket"], registers,
    });
    this.acceleration = new Counter({
      name: "barbucket_acceleration_bytes_total",
      help: "Transfer acceleration traffic (request + response bytes) by bucket and acceleration domain",
      labelNames: ["bucket", "domain"], registers,
    });
    this.restores = new Counter({
      name: "barbucket_restore_requests_total",
      help: "Billable RestoreObject requests by bucket and storage class",
      labelNames: ["bucket", "storage_class"], registers,
    });
    this.earlyDeletion = new Counter({
      name: "barbucket_early_deletion_byte_hours_total",
      help: "Objects removed before their class's minimum storage duration: billable bytes x hours left, by bucket and storage class",
      labelNames: ["bucket", "storage_class"], registers,
    });
    this.stored = new Gauge({
      name: "barbucket_storage_bytes",
      help: "Bytes stored at the last hourly storage snapshot (objects, noncurrent versions, parts in progress) by bucket and storage class",
      labelNames: ["bucket", "storage_class"], registers,
    });
  }

  /** The latest storage snapshot replaces the previous one (a bucket emptied since drops out). */
  setStored(totals: readonly StorageTotal[]): void {
    this.stored.reset();
    for (const t of totals) this.stored.set({ bucket: t.bucket, storage_class: t.storageClass }, t.bytes);
  }

  add(bucket: string, q: Quantity): void {
    switch (q.item) {
      case "GetRequest":
      case "PutRequest":
        this.requests.inc({ bucket, method: q.item === "GetRequest" ? "GET" : "PUT", storage_class: q.dimension }, q.quantity);
        return;
      case "EgressBytes":
        this.egress.inc({ bucket, network: q.dimension }, q.quantity);
        return;
      case "RetrievalBytes":
        this.retrieval.inc({ bucket, kind: q.dimension }, q.quantity);
        return;
      case "ImageQRCodes":
        this.qrcodes.inc({ bucket }, q.quantity);
        return;
      case "AccelerationBytes":
        this.acceleration.inc({ bucket, domain: q.dimension }, q.quantity);
        return;
      case "RestoreRequest":
        this.restores.inc({ bucket, storage_class: q.dimension }, q.quantity);
        return;
      case "EarlyDeletion":
        this.earlyDeletion.inc({ bucket, storage_class: q.dimension }, q.quantity);
        return;
      case "Storage": // a gauge, set by setStored
        return;
    }
  }
}
