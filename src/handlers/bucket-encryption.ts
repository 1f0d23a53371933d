/** PutBucketEncryption, GetBucketEncryption, DeleteBucketEncryption: the bucket's default SSE. */
import type { RequestContext } from "../http/context.js";
import { sendEmpty, sendXml } from "../http/context.js";
import { OssError } from "../errors/oss-error.js";
import type { BucketRecord, ObjectEncryption } from "../storage/types.js";
import { parseXmlBody, textOf } from "../http/xml.js";
import { readSmallBody } from "../objects/write.js";
import { BUCKET_ENCRYPTION_SETTING, bucketDefaultEncryption, kmsToOss } from "../objects/sse.js";
import { requireBucket } from "./types.js";

function invalid(message: string, name: string, value: string): OssError {
  return new OssError("InvalidArgument", message, { extra: { ArgumentName: name, ArgumentValue: value } });
}

export async function putBucketEncryption(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  const rule = parseXmlBody(await readSmallBody(ctx.req, 64 * 1024), "ServerSideEncryptionRule");
  const apply = rule.ApplyServerSideEncryptionByDefault as Record<string, unknown> | undefined;
  if (!apply || typeof apply !== "object") throw new OssError("MalformedXML", "ApplyServerSideEncryptionByDefault is required.");
  const algorithm = textOf(apply.SSEAlgorithm) ?? "";
  const keyId = textOf(apply.KMSMasterKeyID);
  let encryption: ObjectEncryption;
  if (algorithm === "AES256") {
    if (keyId) throw invalid("KMSMasterKeyID is only valid with SSEAlgorithm KMS.", "KMSMasterKeyID", keyId);
    encryption = { algorithm: "AES256" };
  } else if (algorithm === "KMS") {
    if (keyId) {
      try {
        await ctx.services.kms.describe(b.owner, keyId);
      } catch (error) {
        throw kmsToOss(error, keyId);
      }
    }
    encryption = keyId ? { algorithm: "KMS", kmsKeyId: keyId } : { algorithm: "KMS" };
  } else {
    throw invalid("SSEAlgorithm must be AES256 or KMS.", "SSEAlgorithm", algorithm);
  }
  await ctx.services.meta.setBucketSetting(b.name, BUCKET_ENCRYPTION_SETTING, JSON.stringify(encryption));
  sendEmpty(ctx, 200);
}

export async function getBucketEncryption(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  const encryption = await bucketDefaultEncryption(ctx.services, b.name);
  if (!encryption) throw new OssError("NoSuchServerSideEncryptionRule", undefined, { extra: { BucketName: b.name } });
  sendXml(ctx, 200, "ServerSideEncryptionRule", {
    ApplyServerSideEncryptionByDefault: {
      SSEAlgorithm: encryption.algorithm,
      // OSS returns KMSMasterKeyID only for KMS with a key id given (ali-oss: `{ SSEAlgorithm: "AES256" }`)
      KMSMasterKeyID: encryption.kmsKeyId,
    },
  });
}

export async function deleteBucketEncryption(ctx: RequestContext, bucket: BucketRecord | undefined): Promise<void> {
  const b = requireBucket(bucket);
  await ctx.services.meta.setBucketSetting(b.name, BUCKET_ENCRYPTION_SETTING, undefined);
  sendEmpty(ctx, 204);
}
