/** Everything a handler may use, built once by the composition root (`main.ts`) and passed down. */
import type { Logger } from "pino";
import type { Config } from "./config.js";
import type { BlobStore, MetadataStore } from "./storage/types.js";
import type { CredentialResolver } from "./auth/types.js";
import type { CodesEngine } from "./codes/types.js";
import type { Metrics } from "./admin/metrics.js";
import type { Iam } from "./iam/iam.js";
import type { Authorizer } from "./authz/authorize.js";
import type { UsageMeter } from "./metering/types.js";
import type { UsageSource } from "./admin/usage-route.js";
import type { Imm } from "./imm/imm.js";
import type { KmsService } from "./kms/service.js";
import type { Clock } from "./clock.js";
import type { ImageService } from "./image/service.js";
import type { AccessLogEntry } from "./access-log/line.js";

export interface Services {
  readonly config: Config;
  readonly log: Logger;
  readonly meta: MetadataStore;
  readonly blobs: BlobStore;
  readonly credentials: CredentialResolver;
  /** The account that owns this installation's root key. */
  readonly accountId: string;
  readonly codes: CodesEngine;
  readonly metrics: Metrics;
  /** IMM projects, bucket attachments and the recognition result cache. */
  readonly imm: Imm;
  /** Image processing (x-oss-process image actions): its result cache and its concurrency bound. */
  readonly images: ImageService;
  /** The embedded KMS (2016-01-20): customer master keys and envelope data keys for SSE-KMS. */
  readonly kms: KmsService;
  /** Identities and access: keys, RAM users, policies, roles, STS sessions, bucket policies. */
  readonly iam: Iam;
  readonly authorizer: Authorizer;
  /** Billable usage per bucket per hour. */
  readonly metering: UsageMeter;
  /** The usage report (`/usage`, RPC DescribeUsage); absent in tests that meter nothing. */
  readonly usageReports?: UsageSource;
  /** "Now" for restore, lifecycle and minimum durations (a movable TestClock under BARBUCKET_TEST_CLOCK=1). */
  readonly clock: Clock;
  /** Access logging (PutBucketLogging): every answered request naming a bucket is offered here. */
  readonly accessLog?: { record(entry: AccessLogEntry): void };
}
