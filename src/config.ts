/**
 * Server configuration from the environment (the run contract in README). Every field has a
 * default; a bad value fails start-up with a message naming the variable.
 */
import { resolve } from "node:path";
import { availableParallelism } from "node:os";
import { parseRestoreDelays } from "./objects/restore-delays.js";
import { validateDatabaseUrl } from "./db/pool.js";
import { parseMasterKey, type ConfiguredKey } from "./crypto/master-key.js";
import { parseNetworks } from "./metering/networks.js";

export interface Config {
  readonly host: string;
  readonly port: number;
  readonly rpcPort: number;
  readonly adminHost: string;
  readonly adminPort: number;
  /** The web console's port (on `host`). */
  readonly consolePort: number;
  readonly dataDir: string;
  readonly region: string;
  /** Domain suffixes under which `<bucket>.<suffix>` is virtual-host addressing. */
  readonly endpointSuffixes: readonly string[];
  readonly rootAccessKeyId: string | undefined;
  readonly rootAccessKeySecret: string | undefined;
  readonly logLevel: string;
  /** Most codes image/codes returns (OSS caps it at 5). */
  readonly maxCodes: number;
  readonly codesWorkers: number;
  readonly codesQueue: number;
  readonly codesTimeBudgetMs: number;
  /** BARBUCKET_TRUSTED_PROXIES: CIDR blocks or addresses of load balancers whose X-Forwarded-For is believed. */
  readonly trustedProxies: readonly string[];
  /** Largest single PutObject / UploadPart body (OSS: 5 GiB). */
  readonly maxObjectSize: number;
  /** Grace period for in-flight requests on SIGTERM. */
  readonly shutdownGraceMs: number;
  /** A request body that sends nothing for this long is cut off with RequestTimeout. */
  readonly bodyIdleTimeoutMs: number;
  /** CIDR blocks whose traffic is internal (free); undefined = loopback, RFC 1918, link-local. */
  readonly internalNetworks: readonly string[] | undefined;
  /** Host suffixes of transfer acceleration endpoints (metered as acceleration traffic). */
  readonly accelerateDomains: readonly string[];
  /** Metering buffers usage this long before writing it to usage.sqlite (the kill -9 loss bound). */
  readonly usageFlushMs: number;
  /** JSON price table overriding the built-in list prices. */
  readonly pricesFile: string | undefined;
  /** BARBUCKET_RESTORE_DELAY_MS: every restore takes this long (tests); else the per-class table. */
  readonly restoreDelayMs: number | undefined;
  /** BARBUCKET_RESTORE_DELAYS overrides of the per-class/tier restore delays (restore-delays.ts). */
  readonly restoreDelays: Readonly<Record<string, number>>;
  /** How often the lifecycle job runs (it also runs once at start-up to catch up). */
  readonly lifecycleIntervalMs: number;
  /** Each process writes the access-log lines it buffered to the spool this often (the kill -9 loss bound). */
  readonly accessLogFlushMs: number;
  /** How often buffered access-log lines are delivered as log objects (OSS: hourly). */
  readonly accessLogIntervalMs: number;
  /** How often the inventory job looks for due inventory configurations. */
  readonly inventoryIntervalMs: number;
  /** How often the storage snapshot job checks whether the current hour's snapshot is recorded (it records each hour once). */
  readonly storageUsageIntervalMs: number;
  /** BARBUCKET_TEST_CLOCK=1: a movable clock (admin POST /clock?advanceMs=) for tests. */
  readonly testClock: boolean;
  /** BARBUCKET_WORKERS: processes serving the OSS and RPC ports (1 = one process does everything). */
  readonly workers: number;
  /** BARBUCKET_DEBUG_PID_HEADER=1: every OSS response names the serving process (`x-barbucket-pid`; tests). */
  readonly pidHeader: boolean;
  /** BARBUCKET_S3_*: object bytes in an S3-compatible bucket (Ceph RGW, …) instead of `<dataDir>/blobs`. */
  readonly s3?: S3Config | undefined;
  /** BARBUCKET_DATABASE_URL: object metadata, IMM projects, KMS keys, usage and job leases in PostgreSQL (shared by every node) instead of SQLite files. */
  readonly databaseUrl?: string | undefined;
  /** BARBUCKET_MASTER_KEY: the master key from configuration (same on every node) instead of `<dataDir>/master.key`. */
  readonly masterKey?: ConfiguredKey | undefined;
}

/** Where object bytes go when BARBUCKET_S3_ENDPOINT is set (README "Object bytes in Ceph / S3"). */
export interface S3Config {
  readonly endpoint: string;
  readonly bucket: string;
  readonly region: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** BARBUCKET_S3_ORPHAN_GRACE_MS: startup orphan collection leaves blobs younger than this (other nodes' writes). */
  readonly orphanGraceMs: number;
}

const S3_VARS = ["BARBUCKET_S3_ENDPOINT", "BARBUCKET_S3_BUCKET", "BARBUCKET_S3_REGION", "BARBUCKET_S3_ACCESS_KEY_ID", "BARBUCKET_S3_SECRET_ACCESS_KEY"] as const;

function s3Config(env: Env): S3Config | undefined {
  const set = S3_VARS.filter((name) => env[name]);
  if (set.length === 0) return undefined;
  const missing = S3_VARS.filter((name) => !env[name]);
  if (missing.length > 0) throw new Error(`${missing.join(", ")} must be set with ${set.join(", ")} (object bytes in S3)`);
  const endpoint = env.BARBUCKET_S3_ENDPOINT!;
  if (!/^https?:\/\/[^/]+\/?$/.test(endpoint)) throw new Error(`BARBUCKET_S3_ENDPOINT must be http(s)://host[:port], got ${JSON.stringify(endpoint)}`);
  const bucket = env.BARBUCKET_S3_BUCKET!;
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) throw new Error(`BARBUCKET_S3_BUCKET must be an S3 bucket name, got ${JSON.stringify(bucket)}`);
  return {
    endpoint: endpoint.replace(/\/$/, ""),
    bucket,
    region: env.BARBUCKET_S3_REGION!,
    accessKeyId: env.BARBUCKET_S3_ACCESS_KEY_ID!,
    secretAccessKey: env.BARBUCKET_S3_SECRET_ACCESS_KEY!,
    orphanGraceMs: intVar(env, "BARBUCKET_S3_ORPHAN_GRACE_MS", 60_000, 0, 30 * 86_400_000),
  };
}

type Env = Readonly<Record<string, string | undefined>>;

function databaseUrl(env: Env): string | undefined {
  const url = env.BARBUCKET_DATABASE_URL;
  if (!url) return undefined;
  validateDatabaseUrl(url);
  return url;
}

function intVar(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer in ${min}..${max}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

/** CIDR blocks or addresses, checked now so that a typo stops start-up naming the variable. */
function networksVar(cidrs: string[], name: string): string[] {
  try {
    parseNetworks(cidrs);
  } catch (error) {
    throw new Error(`${name}: ${(error as Error).message}`, { cause: error });
  }
  return cidrs;
}

function strVar(env: Env, name: string, fallback: string): string {
  const raw = env[name];
  return raw === undefined || raw === "" ? fallback : raw;
}

export function loadConfig(env: Env = process.env): Config {
  const region = strVar(env, "BARBUCKET_REGION", "cn-hangzhou");
  if (!/^[a-z0-9-]+$/.test(region)) throw new Error(`BARBUCKET_REGION must be a region id like cn-hangzhou, got ${region}`);
  const host = strVar(env, "BARBUCKET_HOST", "127.0.0.1");
  const extraSuffixes = strVar(env, "BARBUCKET_DOMAINS", "")
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const listVar = (name: string, fallback: string): string[] => strVar(env, name, fallback).split(",").map((s) => s.trim().toLowerCase()).filter(Boolean);
  const accelerateDomains = listVar("BARBUCKET_ACCELERATE_DOMAINS", "oss-accelerate.aliyuncs.com,oss-accelerate-overseas.aliyuncs.com");
  const rootId = env.BARBUCKET_ROOT_ACCESS_KEY_ID || undefined;
  const rootSecret = env.BARBUCKET_ROOT_ACCESS_KEY_SECRET || undefined;
  if ((rootId === undefined) !== (rootSecret === undefined)) {
    throw new Error("BARBUCKET_ROOT_ACCESS_KEY_ID and BARBUCKET_ROOT_ACCESS_KEY_SECRET must be set together");
  }
  return {
    host,
    port: intVar(env, "BARBUCKET_PORT", 9000, 0, 65535),
    rpcPort: intVar(env, "BARBUCKET_RPC_PORT", 9001, 0, 65535),
    adminHost: strVar(env, "BARBUCKET_ADMIN_HOST", "127.0.0.1"),
    adminPort: intVar(env, "BARBUCKET_ADMIN_PORT", 9002, 0, 65535),
    consolePort: intVar(env, "BARBUCKET_CONSOLE_PORT", 9003, 0, 65535),
    dataDir: resolve(strVar(env, "BARBUCKET_DATA_DIR", "./data")),
    region,
    // ali-oss with an IP endpoint sends Host `<bucket>.oss-<region>.aliyuncs.com`, so that suffix is
    // always recognised, next to localhost-style names and any configured domain.
    endpointSuffixes: [
      `oss-${region}.aliyuncs.com`,
      `oss-${region}-internal.aliyuncs.com`,
      "localhost",
      ...extraSuffixes,
      ...accelerateDomains,
    ],
    rootAccessKeyId: rootId,
    rootAccessKeySecret: rootSecret,
    logLevel: strVar(env, "BARBUCKET_LOG_LEVEL", "info"),
    maxCodes: intVar(env, "BARBUCKET_MAX_CODES", 5, 1, 100),
    codesWorkers: intVar(env, "BARBUCKET_CODES_WORKERS", Math.max(1, availableParallelism()), 1, 256),
    codesQueue: intVar(env, "BARBUCKET_CODES_QUEUE", 64, 0, 100000),
    codesTimeBudgetMs: intVar(env, "BARBUCKET_CODES_TIME_BUDGET_MS", 10000, 100, 600000),
    maxObjectSize: intVar(env, "BARBUCKET_MAX_OBJECT_SIZE", 5 * 1024 ** 3, 1, Number.MAX_SAFE_INTEGER),
    shutdownGraceMs: intVar(env, "BARBUCKET_SHUTDOWN_GRACE_MS", 10000, 0, 600000),
    bodyIdleTimeoutMs: intVar(env, "BARBUCKET_BODY_IDLE_TIMEOUT_MS", 30000, 100, 3600000),
    // Unset → the defaults; "none" → no network is internal (all traffic billed as internet).
    // Load balancers whose X-Forwarded-For names the client (client-address.ts); none unless listed.
    trustedProxies: networksVar(listVar("BARBUCKET_TRUSTED_PROXIES", ""), "BARBUCKET_TRUSTED_PROXIES"),
    internalNetworks: env.BARBUCKET_INTERNAL_NETWORKS ? listVar("BARBUCKET_INTERNAL_NETWORKS", "").filter((n) => n !== "none") : undefined,
    accelerateDomains,
    usageFlushMs: intVar(env, "BARBUCKET_USAGE_FLUSH_MS", 1000, 10, 3600000),
    pricesFile: env.BARBUCKET_PRICES ? resolve(env.BARBUCKET_PRICES) : undefined,
    restoreDelayMs: env.BARBUCKET_RESTORE_DELAY_MS ? intVar(env, "BARBUCKET_RESTORE_DELAY_MS", 0, 0, 30 * 86_400_000) : undefined,
    restoreDelays: parseRestoreDelays(strVar(env, "BARBUCKET_RESTORE_DELAYS", "")),
    lifecycleIntervalMs: intVar(env, "BARBUCKET_LIFECYCLE_INTERVAL_MS", 3_600_000, 1000, 7 * 86_400_000),
    accessLogFlushMs: intVar(env, "BARBUCKET_ACCESS_LOG_FLUSH_MS", 1000, 10, 3600000),
    accessLogIntervalMs: intVar(env, "BARBUCKET_ACCESS_LOG_INTERVAL_MS", 3_600_000, 100, 7 * 86_400_000),
    inventoryIntervalMs: intVar(env, "BARBUCKET_INVENTORY_INTERVAL_MS", 3_600_000, 100, 7 * 86_400_000),
    storageUsageIntervalMs: intVar(env, "BARBUCKET_STORAGE_USAGE_INTERVAL_MS", 300_000, 100, 3_600_000),
    testClock: env.BARBUCKET_TEST_CLOCK === "1" || env.BARBUCKET_TEST_CLOCK === "true",
    workers: intVar(env, "BARBUCKET_WORKERS", Math.max(1, availableParallelism()), 1, 256),
    pidHeader: env.BARBUCKET_DEBUG_PID_HEADER === "1",
    s3: s3Config(env),
    databaseUrl: databaseUrl(env),
    masterKey: env.BARBUCKET_MASTER_KEY ? parseMasterKey(env.BARBUCKET_MASTER_KEY) : undefined,
  };
}
