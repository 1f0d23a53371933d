/**
 * The composition root: opens storage, identities and the recognition engine from a Config and
 * starts the four listeners (OSS, RPC, admin, web console). `main.ts` calls it for `npm start`; integration tests call it too.
 */
import { trustProxies } from "./http/client-address.js";
import { AccessLogSpool } from "./access-log/spool.js";
import { openSpoolStore } from "./access-log/open-spool-store.js";
import { AccessLogWriter } from "./access-log/writer.js";
import { loadLogging } from "./handlers/bucket-logging.js";
import { InventoryRunner } from "./inventory/runner.js";
import { storageSnapshotJob } from "./metering/storage-snapshot.js";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { pino, type Logger } from "pino";
import type { Config } from "./config.js";
import type { Services } from "./services.js";
import { openMetadataStores, SHARED_DIR_ORPHAN_GRACE_MS } from "./storage/open-stores.js";
import { FsBlobStore } from "./storage/fs-blobs.js";
import { CachingBlobStore } from "./storage/caching-blobs.js";
import { S3BlobStore } from "./storage/s3-blobs.js";
import type { BlobStore } from "./storage/types.js";
import { recoverStorage } from "./storage/recover.js";
import { Iam } from "./iam/iam.js";
import { iamPolicySource } from "./iam/policy-source.js";
import { Authorizer } from "./authz/authorize.js";
import { createUsageMeter, type DurableUsageMeter } from "./metering/meter.js";
import { openUsageStore } from "./metering/open-usage-store.js";
import { Metrics } from "./admin/metrics.js";
import { createAdminServer, type AdminDeps } from "./admin/server.js";
import { serveExplain } from "./admin/explain-route.js";
import { createOssServer } from "./http/server.js";
import { createRpcServer } from "./rpc/server.js";
import { createCodesEngine } from "./codes/pool.js";
import { ImageService } from "./image/service.js";
import { KmsService } from "./kms/service.js";
import { openKmsKeyStore } from "./kms/open-key-store.js";
import { TestClock, systemClock } from "./clock.js";
import { LifecycleRunner } from "./lifecycle/runner.js";
import { createConsoleServer } from "./console/server.js";
import type { CodesEngine } from "./codes/types.js";

/**
 * Which part of the server this process runs (README "Processes"):
 * - `single` (BARBUCKET_WORKERS=1): everything, as one process;
 * - `primary`: storage recovery, the admin listener, the lifecycle, access-log, inventory and storage snapshot jobs; no OSS/RPC listener;
 * - `worker`: the OSS and RPC listeners only (ports shared through node:cluster).
 */
export type AppRole = "single" | "primary" | "worker";

export interface AppOptions {
  readonly role?: AppRole;
  /** Replaces parts of the admin listener (the primary's whole-server metrics, usage, clock). */
  readonly admin?: Partial<Pick<AdminDeps, "metricsText" | "health" | "usage">> & { readonly onClockAdvance?: (offsetMs: number) => Promise<void> };
  /** Starting offset of the test clock (a worker forked after the clock moved). */
  readonly testClockOffsetMs?: number;
}

/** The primary runs no recognition; handlers never reach this engine there. */
const NO_CODES: CodesEngine = {
  detect: () => Promise.reject(new Error("recognition runs in the worker processes")),
  close: () => Promise.resolve(),
};

export interface RunningApp {
  readonly services: Services;
  readonly rootKey: { readonly accessKeyId: string; readonly secret: string; readonly generated: boolean };
  /** Ports listened on; 0 for a listener this role does not run. */
  readonly ports: { readonly oss: number; readonly rpc: number; readonly admin: number; readonly console: number };
  /** Usage metering (a worker flushes it when the primary answers /usage). */
  readonly meter: DurableUsageMeter;
  /** The test clock, under BARBUCKET_TEST_CLOCK=1. */
  readonly testClock?: TestClock;
  /** Stops accepting, lets in-flight requests finish (up to the grace period), closes stores. */
  stop(): Promise<void>;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeGracefully(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => server.closeAllConnections(), graceMs);
    timer.unref();
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}

/**
 * Nodes sharing an S3 bucket: start-up recovery reads the references once more this much later before
 * collecting orphans, for a blob another node committed just after the first read (recover.ts).
 */
const SHARED_S3_CONFIRM_MS = 2_000;

/** Object bytes: an S3-compatible bucket under BARBUCKET_S3_* (its bucket created if missing), else `<dataDir>/blobs`. */
async function openBlobStore(config: Config): Promise<BlobStore> {
  // Nodes on one database share the data dir (BARBUCKET_DATABASE_URL): start-up must spare their writes in flight.
  if (!config.s3) return new FsBlobStore(join(config.dataDir, "blobs"), { orphanGraceMs: config.databaseUrl ? SHARED_DIR_ORPHAN_GRACE_MS : 0 });
  const { orphanGraceMs, ...connection } = config.s3;
  const store = new S3BlobStore({ ...connection, orphanGraceMs });
  try {
    await store.init();
  } catch (error) {
    store.close();
    throw new Error(`object data store ${config.s3.endpoint} bucket ${config.s3.bucket}: ${(error as Error).message}`, { cause: error });
  }
  return store;
}

export async function startApp(config: Config, log: Logger = pino({ level: config.logLevel }), options: AppOptions = {}): Promise<RunningApp> {
  const role = options.role ?? "single";
  const serves = role !== "primary"; // OSS + RPC listeners
  mkdirSync(config.dataDir, { recursive: true });
  trustProxies(config.trustedProxies);
  const stores = await openMetadataStores(config);
  const { meta, imm } = stores;
  // Small hot ranges are served from memory. Blob ids are random and a blob never changes once
  // written, so an entry can never be served for other bytes: every GET reads its object record
  // (and so its blob ids) from the shared database first, whichever process wrote it.
  const backing = await openBlobStore(config);
  const blobs = new CachingBlobStore(backing, { maxBytes: 64 * 1024 * 1024, maxEntryBytes: 64 * 1024 });
  if (role !== "worker") {
    // Workers start after the primary's recovery; one restarted later must not run it (the other
    // workers' writes in flight would look like orphans).
    const shared = Boolean(config.databaseUrl) && config.s3 !== undefined;
    const recovery = await recoverStorage(meta, blobs, { confirmAfterMs: shared ? SHARED_S3_CONFIRM_MS : 0 });
    log.info({ recovery }, "storage recovered");
  }
  const iam = await Iam.open(config.dataDir, config.masterKey, config.databaseUrl);
  const identities = iam.identities;
  const rootKey = await identities.ensureRootKey(
    config.rootAccessKeyId && config.rootAccessKeySecret ? { accessKeyId: config.rootAccessKeyId, secret: config.rootAccessKeySecret } : undefined,
  );
  const metrics = new Metrics();
  const meter = createUsageMeter({ dataDir: config.dataDir, store: await openUsageStore(config), registry: metrics.registry, config, log });
  const codes = serves ? createCodesEngine({ workers: config.codesWorkers, maxQueue: config.codesQueue, timeBudgetMs: config.codesTimeBudgetMs }) : NO_CODES;
  const images = new ImageService({ workers: config.codesWorkers, maxQueue: config.codesQueue, cacheBytes: 64 * 1024 * 1024, cacheEntries: 4096 });
  const kms = new KmsService(await openKmsKeyStore(config, iam.box), config.region);
  const testClock = config.testClock ? new TestClock() : undefined;
  if (testClock && options.testClockOffsetMs) testClock.advance(options.testClockOffsetMs);
  const clock = testClock ?? systemClock;
  // Access logging: every process spools the requests it answers; one process at a time delivers them.
  const accessLogSpool = new AccessLogSpool(await openSpoolStore(config), async (bucket) => {
    if (!(await loadLogging(meta, bucket))) return undefined;
    const record = await meta.getBucket(bucket);
    return record && { owner: record.owner };
  }, log);
  const services: Services = {
    config, log, meta, blobs, metrics, codes, imm, images, iam, kms, clock,
    accessLog: accessLogSpool,
    credentials: identities,
    accountId: await identities.accountId(),
    authorizer: new Authorizer(iamPolicySource(iam), log),
    metering: meter,
    usageReports: meter,
  };
  const oss = serves ? createOssServer(services) : undefined;
  const rpc = serves ? createRpcServer(services) : undefined;
  const lifecycle = new LifecycleRunner({ meta, blobs, clock, meter, log, buckets: async () => await meta.listBuckets(services.accountId), leases: stores.leases });
  const accessLogWriter = new AccessLogWriter(services, accessLogSpool, log, stores.leases);
  const inventory = new InventoryRunner(services, async () => await meta.listBuckets(services.accountId), log, stores.leases);
  const storageUsage = storageSnapshotJob({ meta, meter, clock, log, leases: stores.leases });
  const onAdvance = options.admin?.onClockAdvance;
  const time = testClock ? { testClock, lifecycle, storageUsage, ...(onAdvance && { onAdvance }) } : { lifecycle, storageUsage };
  const admin = role === "worker" ? undefined : createAdminServer({
    metrics, usage: meter, time,
    explain: async (url, res) => await serveExplain(url, services, res),
    health: async () => ({ buckets: (await meta.listBuckets(services.accountId)).length }),
    ...options.admin,
  });
  const ossPort = oss ? await listen(oss, config.port, config.host) : 0;
  const rpcPort = rpc ? await listen(rpc, config.rpcPort, config.host) : 0;
  const adminPort = admin ? await listen(admin, config.adminPort, config.adminHost) : 0;
  // One console for the server, beside the admin listener: in the primary under BARBUCKET_WORKERS > 1, where the
  // workers listen on the configured ports. It reaches the OSS and RPC listeners on loopback when they listen on
  // every interface.
  const loopback = config.host === "0.0.0.0" ? "127.0.0.1" : config.host === "::" ? "::1" : config.host;
  const target = { oss: ossPort || config.port, rpc: rpcPort || config.rpcPort };
  const web = role === "worker" ? undefined
    : createConsoleServer({ oss: { host: loopback, port: target.oss }, rpc: { host: loopback, port: target.rpc }, ossPublicPort: target.oss }).server;
  const ports = { oss: ossPort, rpc: rpcPort, admin: adminPort, console: web ? await listen(web, config.consolePort, config.host) : 0 };
  if (role === "single") log.info({ ports, dataDir: config.dataDir, region: config.region }, "barbucket listening");
  // Its first run catches up on what fell due while stopped. Workers leave it to the primary.
  if (role !== "worker") lifecycle.start(config.lifecycleIntervalMs);
  accessLogSpool.start(config.accessLogFlushMs);
  if (role !== "worker") accessLogWriter.start(config.accessLogIntervalMs);
  if (role !== "worker") inventory.start(config.inventoryIntervalMs);
  if (role !== "worker") storageUsage.start(config.storageUsageIntervalMs);
  let stopping: Promise<void> | undefined;
  return {
    services,
    rootKey,
    ports,
    meter,
    ...(testClock && { testClock }),
    stop() {
      stopping ??= (async () => {
        const servers = [oss, rpc, admin, web].filter((s): s is Server => s !== undefined);
        await Promise.all(servers.map((s) => closeGracefully(s, config.shutdownGraceMs)));
        await lifecycle.stop();
        await accessLogWriter.stop();
        await inventory.stop();
        await storageUsage.stop();
        await accessLogSpool.close();
        await codes.close();
        await meter.close();
        await stores.close();
        if (backing instanceof S3BlobStore) backing.close();
        if (backing instanceof FsBlobStore) backing.closeFiles();
        await iam.close();
        images.close();
        await kms.close();
      })();
      return stopping;
    },
  };
}
