/** Bucket lifecycle and settings: PutBucket, DeleteBucket, HeadBucket, GetBucketInfo, GetBucketLocation, Put/GetBucketAcl. */
import { versioningStatus } from "./bucket-versioning.js";
import { loadLogging } from "./bucket-logging.js";
import type { RequestContext } from "../http/context.js";
import { isoDate, sendEmpty, sendXml, sendXmlString } from "../http/context.js";
import { OssError } from "../errors/oss-error.js";
import type { Acl, BucketRecord, StorageClass } from "../storage/types.js";
import { escapeXml, parseXmlBody, textOf } from "../http/xml.js";
import { readSmallBody } from "../objects/write.js";
import { parseStorageClass } from "../objects/headers.js";
import { requireBucket } from "./types.js";
import { bucketDefaultEncryption } from "../objects/sse.js";
import type { ObjectEncryption } from "../storage/types.js";

function serverSideEncryptionInfo(encryption: ObjectEncryption | undefined): Record<string, string> {
  if (!encryption) return { SSEAlgorithm: "None" };
  return { SSEAlgorithm: encryption.algorithm, ...(encryption.kmsKeyId ? { KMSMasterKeyID: encryption.kmsKeyId } : {}) };
}

const MAX_BUCKETS_PER_ACCOUNT = 100;
const BUCKET_ACLS: readonly Acl[] = ["private", "public-read", "public-read-write"];

function parseBucketAcl(value: string | undefined): Acl {
  if (value === undefined || value === "") return "private";
  if (!BUCKET_ACLS.includes(value as Acl)) {
    throw new OssError("InvalidArgument", "no such bucket access control exists", { extra: { ArgumentName: "x-oss-acl", ArgumentValue: value } });
  }
  return value as Acl;
}

export async function putBucket(ctx: RequestContext): Promise<void> {
  if (ctx.endpoint.kind !== "PutBucket" || ctx.auth.kind !== "signed") throw new OssError("AccessDenied");
  const { meta, config } = ctx.services;
  const acl = parseBucketAcl(ctx.headers["x-oss-acl"]);
  let storageClass: StorageClass = "Standard";
  const body = await readSmallBody(ctx.req, 64 * 1024);
  if (body.length > 0) {
    const cfg = parseXmlBody(body, "CreateBucketConfiguration");
    storageClass = parseStorageClass(textOf(cfg.StorageClass), "Standard");
    const redundancy = textOf(cfg.DataRedundancyType);
    if (redundancy !== undefined && redundancy !== "LRS" && redundancy !== "ZRS") {
      throw new OssError("InvalidArgument", "Invalid DataRedundancyType.", { extra: { ArgumentName: "DataRedundancyType", ArgumentValue: redundancy } });
    }
  }
  const owner = ctx.auth.principal.accountId;
  if (await createBucket(ctx, { name: ctx.endpoint.bucket, owner, acl, storageClass, createdAt: new Date(), region: config.region }) === "exists") {
    throw new OssError("BucketAlreadyExists", undefined, { extra: { BucketName: ctx.endpoint.bucket } });
  }
  sendEmpty(ctx, 200, { location: `/${ctx.endpoint.bucket}` });
}

async function createBucket(ctx: RequestContext, record: BucketRecord): Promise<"created" | "exists"> {
  const { meta } = ctx.services;
  if (await meta.getBucket(record.name) === undefined && (await meta.listBuckets(record.owner)).length >= MAX_BUCKETS_PER_ACCOUNT) {
    throw new OssError("TooManyBuckets");
  }
  return await meta.createBucket(record);
}

export async function deleteBucket(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const { name } = requireBucket(bucket);
  const result = await ctx.services.meta.deleteBucket(name);
  // The policy goes with the bucket, so a bucket created later under the name starts clean.
  if (result === "deleted") await ctx.services.iam.bucketPolicies.delete(name);
  if (result === "missing") throw new OssError("NoSuchBucket", undefined, { extra: { BucketName: name } });
  if (result === "not-empty") throw new OssError("BucketNotEmpty", undefined, { extra: { BucketName: name } });
  sendEmpty(ctx, 204);
}

export function headBucket(ctx: RequestContext, bucket: BucketRecord | undefined): void {
  requireBucket(bucket);
  sendEmpty(ctx, 200);
}

export async function getBucketInfo(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  const logging = await loadLogging(ctx.services.meta, b.name);
  sendXml(ctx, 200, "BucketInfo", {
    Bucket: {
      AccessMonitor: "Disabled",
      CreationDate: isoDate(b.createdAt),
      ExtranetEndpoint: `oss-${b.region}.aliyuncs.com`,
      IntranetEndpoint: `oss-${b.region}-internal.aliyuncs.com`,
      Location: `oss-${b.region}`,
      StorageClass: b.storageClass,
      TransferAcceleration: "Disabled",
      CrossRegionReplication: "Disabled",
      DataRedundancyType: "LRS",
      Name: b.name,
      Owner: { DisplayName: b.owner, ID: b.owner },
      AccessControlList: { Grant: b.acl },
      Comment: "",
      Versioning: await versioningStatus(ctx, b.name), // absent until versioning was first set, as on OSS
      ServerSideEncryptionRule: serverSideEncryptionInfo(await bucketDefaultEncryption(ctx.services, b.name)),
      BucketPolicy: { LogBucket: logging?.bucket ?? "", LogPrefix: logging?.prefix ?? "" },
    },
  });
}

export function getBucketLocation(ctx: RequestContext, bucket: BucketRecord | undefined): void {
  const b = requireBucket(bucket);
  sendXmlString(ctx, 200, `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint>oss-${escapeXml(b.region)}</LocationConstraint>`);
}

/**
 * Sets the bucket ACL; on a bucket that does not exist it creates the bucket with that ACL, as OSS
 * documents (authorize-endpoint.ts then checked oss:PutBucket in the caller's own account).
 * Answers `Location: /bucket` like PutBucket (ali-oss returns it as `bucket`).
 */
export async function putBucketAcl(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  if (ctx.endpoint.kind !== "PutBucketAcl") throw new Error("internal: PutBucketAcl handler on another endpoint");
  const name = ctx.endpoint.bucket;
  const value = ctx.headers["x-oss-acl"];
  if (value === undefined) throw new OssError("MissingArgument", "The x-oss-acl header is required.");
  const acl = parseBucketAcl(value);
  if (bucket === undefined && ctx.auth.kind === "signed") {
    const record: BucketRecord = { name, owner: ctx.auth.principal.accountId, acl, storageClass: "Standard", createdAt: new Date(), region: ctx.services.config.region };
    if (await createBucket(ctx, record) === "exists") throw new OssError("BucketAlreadyExists", undefined, { extra: { BucketName: name } }); // created meanwhile by someone else
  } else {
    await ctx.services.meta.setBucketAcl(requireBucket(bucket).name, acl);
  }
  sendEmpty(ctx, 200, { location: `/${name}` });
}

export function getBucketAcl(ctx: RequestContext, bucket: BucketRecord | undefined): void {
  const b = requireBucket(bucket);
  sendXml(ctx, 200, "AccessControlPolicy", {
    Owner: { ID: b.owner, DisplayName: b.owner },
    AccessControlList: { Grant: b.acl },
  });
}
