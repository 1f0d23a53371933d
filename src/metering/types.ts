/**
 * What the OSS and RPC endpoints tell the meter about each finished request. The meter turns it
 * into the billable quantities (requests by class, egress, retrieval, restore, acceleration,
 * ImageQRCodes units), keeps them durably per bucket per hour and exports them to Prometheus.
 */
import type { StorageClass } from "../storage/types.js";

export interface RequestUsage {
  readonly at: Date;
  /** undefined for service-level requests (ListBuckets) and RPC calls without a bucket. */
  readonly bucket: string | undefined;
  /** OSS operation (endpoint kind, e.g. "GetObject") or RPC action (e.g. "DetectImageCodes"). */
  readonly operation: string;
  readonly method: string;
  readonly status: number;
  /** Storage class of the object read or written, when the request touched one. */
  readonly storageClass: StorageClass | undefined;
  /** Request body bytes received. */
  readonly bytesIn: number;
  /** Response body bytes sent (object bytes for GetObject, also when the client cut it short). */
  readonly bytesOut: number;
  readonly remoteAddress: string;
  /** The Host header as sent (acceleration endpoints are recognised by it). */
  readonly host: string;
  /** ImageQRCodes units: 1 for a successful image/codes or DetectImageCodes call, else 0. */
  readonly imageQrCodes: number;
  /** The bytes were read from an Archive-class object through archive direct read. */
  readonly archiveDirectRead: boolean;
  /** Object bytes retrieved, when not the response body (image/codes reads the whole source); default bytesOut. */
  readonly retrievalBytes?: number;
  /** A RestoreObject request. */
  readonly restoreRequest: boolean;
  /**
   * Which listener served it: "oss" (default when absent) or "rpc". RPC calls (IMM, RAM, STS, KMS)
   * are not OSS requests: they never count as OSS GET/PUT requests or OSS traffic.
   */
  readonly endpoint?: "oss" | "rpc";
}

/**
 * An object removed before its class's minimum storage duration (deleted, overwritten or
 * transitioned by lifecycle): OSS bills the remaining days' storage of the billable size.
 */
export interface EarlyDeletionUsage {
  readonly at: Date;
  readonly bucket: string;
  readonly storageClass: StorageClass;
  /** max(size, 64 KB) × whole hours left of the minimum duration. */
  readonly byteHours: number;
}

export interface UsageMeter {
  recordRequest(usage: RequestUsage): void;
  recordEarlyDeletion(usage: EarlyDeletionUsage): void;
  /** Flushes what is buffered and closes the store. */
  close(): Promise<void>;
}

/** A meter that records nothing (tests of unrelated parts, tools). */
export const NULL_METER: UsageMeter = { recordRequest: () => undefined, recordEarlyDeletion: () => undefined, close: async () => undefined };
