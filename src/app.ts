/**
 * The composition root: opens storage, identities and the recognition engine from a Config and
 * starts the four listeners (OSS, RPC, admin, web console). `main.ts` calls it for `npm start`; integration tests call it too.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { pino, type Logger } from "pino";
import type { Config } from "./config.js";
import type { Services } from "./services.js";
import { SqliteMetadataStore } from "./storage/sqlite-metadata.js";
import { FsBlobStore } from "./storage/fs-blobs.js";
import { CachingBlobStore } from "./storage/caching-blobs.js";
import { recoverStorage } from "./storage/recover.js";
import { Iam } from "./iam/iam.js";
import { iamPolicySource } from "./iam/policy-source.js";
import { Authorizer } from "./authz/authorize.js";
import { createUsageMeter } from "./metering/meter.js";
import { Metrics } from "./admin/metrics.js";
import { createAdminServer } from "./admin/server.js";
import { serveExplain } from "./admin/explain-route.js";
import { createOssServer } from "./http/server.js";
import { createRpcServer } from "./rpc/server.js";
import { createCodesEngine } from "./codes/pool.js";
import { Imm } from "./imm/imm.js";
import { ImageService } from "./image/service.js";
import { KmsService } from "./kms/service.js";
import { TestClock, systemClock } from "./clock.js";
import { LifecycleRunner } from "./lifecycle/runner.js";
import { createConsoleServer } from "./console/server.js";

export interface RunningApp {
  readonly services: Services;
  readonly rootKey: { readonly accessKeyId: string; readonly secret: string; readonly generated: boolean };
  readonly ports: { readonly oss: number; readonly rpc: number; readonly admin: number; readonly console: number };
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

export async function startApp(config: Config, log: Logger = pino({ level: config.logLevel })): Promise<RunningApp> {
  mkdirSync(config.dataDir, { recursive: true });
  const meta = new SqliteMetadataStore(join(config.dataDir, "meta.sqlite"));
  // Small hot ranges are served from memory (blobs are immutable, so entries never go stale).
  const blobs = new CachingBlobStore(new FsBlobStore(join(config.dataDir, "blobs")), { maxBytes: 64 * 1024 * 1024, maxEntryBytes: 64 * 1024 });
  const recovery = await recoverStorage(meta, blobs);
  log.info({ recovery }, "storage recovered");
  const iam = Iam.open(config.dataDir);
  const identities = iam.identities;
  const rootKey = identities.ensureRootKey(
    config.rootAccessKeyId && config.rootAccessKeySecret ? { accessKeyId: config.rootAccessKeyId, secret: config.rootAccessKeySecret } : undefined,
  );
  const metrics = new Metrics();
  const meter = createUsageMeter({ dataDir: config.dataDir, registry: metrics.registry, config, log });
  const codes = createCodesEngine({ workers: config.codesWorkers, maxQueue: config.codesQueue, timeBudgetMs: config.codesTimeBudgetMs });
  const imm = Imm.open(config.dataDir);
  const images = new ImageService({ workers: config.codesWorkers, maxQueue: config.codesQueue, cacheBytes: 64 * 1024 * 1024, cacheEntries: 4096 });
  const kms = KmsService.open(config.dataDir, iam.box, config.region);
  const testClock = config.testClock ? new TestClock() : undefined;
  const clock = testClock ?? systemClock;
  const services: Services = {
    config, log, meta, blobs, metrics, codes, imm, images, iam, kms, clock,
    credentials: identities,
    accountId: identities.accountId(),
    authorizer: new Authorizer(iamPolicySource(iam), log),
    metering: meter,
    usageReports: meter,
  };
  const oss = createOssServer(services);
  const rpc = createRpcServer(services);
  const lifecycle = new LifecycleRunner({ meta, blobs, clock, meter, log, buckets: () => meta.listBuckets(services.accountId) });
  const time = testClock ? { testClock, lifecycle } : { lifecycle };
  const admin = createAdminServer({ metrics, usage: meter, time, explain: (url, res) => serveExplain(url, services, res), health: () => ({ buckets: meta.listBuckets(services.accountId).length }) });
  const ossPort = await listen(oss, config.port, config.host);
  const rpcPort = await listen(rpc, config.rpcPort, config.host);
  const adminPort = await listen(admin, config.adminPort, config.adminHost);
  // The console reaches the OSS and RPC listeners on loopback when they listen on every interface.
  const loopback = config.host === "0.0.0.0" ? "127.0.0.1" : config.host === "::" ? "::1" : config.host;
  const web = createConsoleServer({ oss: { host: loopback, port: ossPort }, rpc: { host: loopback, port: rpcPort }, ossPublicPort: ossPort }).server;
  const ports = { oss: ossPort, rpc: rpcPort, admin: adminPort, console: await listen(web, config.consolePort, config.host) };
  log.info({ ports, dataDir: config.dataDir, region: config.region }, "barbucket listening");
  lifecycle.start(config.lifecycleIntervalMs); // its first run catches up on what fell due while stopped
  let stopping: Promise<void> | undefined;
  return {
    services,
    rootKey,
    ports,
    stop() {
      stopping ??= (async () => {
        await Promise.all([oss, rpc, admin, web].map((s) => closeGracefully(s, config.shutdownGraceMs)));
        await lifecycle.stop();
        await codes.close();
        await meter.close();
        meta.close();
        iam.close();
        imm.close();
        images.close();
        kms.close();
      })();
      return stopping;
    },
  };
}
