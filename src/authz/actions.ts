/** Every OSS operation mapped to the RAM actions it needs (oss-api.md §6.2). */
import type { EndpointKind } from "../http/router.js";

export const ACTIONS: Readonly<Record<EndpointKind, readonly string[]>> = {
  ListBuckets: ["oss:ListBuckets"],
  PutBucket: ["oss:PutBucket"],
  DeleteBucket: ["oss:DeleteBucket"],
  HeadBucket: ["oss:GetBucketInfo"],
  GetBucketInfo: ["oss:GetBucketInfo"],
  GetBucketLocation: ["oss:GetBucketLocation"],
  PutBucketAcl: ["oss:PutBucketAcl"],
  GetBucketAcl: ["oss:GetBucketAcl"],
  PutBucketEncryption: ["oss:PutBucketEncryption"],
  GetBucketEncryption: ["oss:GetBucketEncryption"],
  DeleteBucketEncryption: ["oss:DeleteBucketEncryption"],
  PutBucketPolicy: ["oss:PutBucketPolicy"],
  GetBucketPolicy: ["oss:GetBucketPolicy"],
  DeleteBucketPolicy: ["oss:DeleteBucketPolicy"],
  ListObjects: ["oss:ListObjects"],
  ListObjectsV2: ["oss:ListObjects"],
  ListMultipartUploads: ["oss:ListMultipartUploads"],
  DeleteMultipleObjects: ["oss:DeleteObject"],
  PutObject: ["oss:PutObject"],
  CopyObject: ["oss:PutObject"], // plus oss:GetObject on the source, checked by the handler
  AppendObject: ["oss:PutObject"],
  GetObject: ["oss:GetObject"],
  // Classic image actions need only oss:GetObject; authorize-endpoint adds oss:ProcessImm when the
  // process uses IMM (image/codes), and the POST handler asks it once the body names it.
  ProcessObject: ["oss:GetObject"],
  PostProcessObject: ["oss:GetObject", "oss:PostProcessTask"],
  HeadObject: ["oss:GetObject"],
  GetObjectMeta: ["oss:GetObject"],
  DeleteObject: ["oss:DeleteObject"],
  PutObjectAcl: ["oss:PutObjectAcl"],
  GetObjectAcl: ["oss:GetObjectAcl"],
  InitiateMultipartUpload: ["oss:PutObject"],
  UploadPart: ["oss:PutObject"],
  UploadPartCopy: ["oss:PutObject"], // plus oss:GetObject on the source
  CompleteMultipartUpload: ["oss:PutObject"],
  AbortMultipartUpload: ["oss:AbortMultipartUpload"],
  ListParts: ["oss:ListParts"],
  RestoreObject: ["oss:RestoreObject"],
  PutBucketLifecycle: ["oss:PutBucketLifecycle"],
  GetBucketLifecycle: ["oss:GetBucketLifecycle"],
  DeleteBucketLifecycle: ["oss:DeleteBucketLifecycle"],
  PutBucketStyle: ["oss:PutStyle"],
  GetBucketStyle: ["oss:GetStyle"],
  ListBucketStyle: ["oss:ListStyle"],
  DeleteBucketStyle: ["oss:DeleteStyle"],
  PutBucketArchiveDirectRead: ["oss:PutBucketArchiveDirectRead"],
  GetBucketArchiveDirectRead: ["oss:GetBucketArchiveDirectRead"],
  PutBucketTags: ["oss:PutBucketTagging"],
  GetBucketTags: ["oss:GetBucketTagging"],
  DeleteBucketTags: ["oss:DeleteBucketTagging"],
  PutObjectTagging: ["oss:PutObjectTagging"],
  GetObjectTagging: ["oss:GetObjectTagging"],
  DeleteObjectTagging: ["oss:DeleteObjectTagging"],
  PutBucketWebsite: ["oss:PutBucketWebsite"],
  GetBucketWebsite: ["oss:GetBucketWebsite"],
  DeleteBucketWebsite: ["oss:DeleteBucketWebsite"],
  PutBucketLogging: ["oss:PutBucketLogging"],
  GetBucketLogging: ["oss:GetBucketLogging"],
  DeleteBucketLogging: ["oss:DeleteBucketLogging"],
  PutBucketInventory: ["oss:PutBucketInventory"],
  GetBucketInventory: ["oss:GetBucketInventory"],
  ListBucketInventory: ["oss:ListBucketInventory"],
  DeleteBucketInventory: ["oss:DeleteBucketInventory"],
  ListLiveChannel: ["oss:ListLiveChannel"],
  PutBucketCors: ["oss:PutBucketCors"],
  GetBucketCors: ["oss:GetBucketCors"],
  DeleteBucketCors: ["oss:DeleteBucketCors"],
  // The CORS preflight is unauthenticated in OSS (browsers send no credentials): no RAM action;
  // authorizeEndpoint only checks that the bucket exists, the bucket's CORS rules decide.
  OptionsObject: [],
  // The form authenticates itself: post-object.ts authorizes oss:PutObject once it has read the policy.
  PostObject: ["oss:PutObject"],
  PutBucketReferer: ["oss:PutBucketReferer"],
  GetBucketReferer: ["oss:GetBucketReferer"],
  PutBucketRequestPayment: ["oss:PutBucketRequestPayment"],
  GetBucketRequestPayment: ["oss:GetBucketRequestPayment"],
  GetBucketStat: ["oss:GetBucketStat"],
  PutSymlink: ["oss:PutObject"],
  GetSymlink: ["oss:GetObject"],
  PutBucketVersioning: ["oss:PutBucketVersioning"],
  GetBucketVersioning: ["oss:GetBucketVersioning"],
  ListObjectVersions: ["oss:ListObjectVersions"],
};

/** With `?versionId=` OSS checks the version actions instead (GetObjectVersion, DeleteObjectVersion). */
export const VERSION_ACTIONS: Partial<Record<EndpointKind, readonly string[]>> = {
  GetObject: ["oss:GetObjectVersion"],
  HeadObject: ["oss:GetObjectVersion"],
  GetObjectMeta: ["oss:GetObjectVersion"],
  DeleteObject: ["oss:DeleteObjectVersion"],
  GetObjectAcl: ["oss:GetObjectVersionAcl"],
  GetObjectTagging: ["oss:GetObjectVersionTagging"],
  PutObjectAcl: ["oss:PutObjectVersionAcl"],
  PutObjectTagging: ["oss:PutObjectVersionTagging"],
  DeleteObjectTagging: ["oss:DeleteObjectVersionTagging"],
  GetSymlink: ["oss:GetObjectVersion"],
  ProcessObject: ["oss:GetObjectVersion"],
  PostProcessObject: ["oss:GetObjectVersion", "oss:PostProcessTask"],
};

/** Actions an ACL of public-read grants to anyone. */
export const PUBLIC_READ_ACTIONS = new Set(["oss:GetObject", "oss:ListObjects"]);
/** Actions public-read-write grants on top of public-read. */
export const PUBLIC_WRITE_ACTIONS = new Set(["oss:PutObject", "oss:DeleteObject", "oss:AbortMultipartUpload", "oss:ListParts", "oss:ListMultipartUploads"]);

/** `acs:oss:*:{owner}:{bucket}` or `…:{bucket}/{key}`; service level `acs:oss:*:{owner}:*`. */
export function ossResource(owner: string, bucket?: string, key?: string): string {
  if (bucket === undefined) return `acs:oss:*:${owner}:*`;
  return key === undefined ? `acs:oss:*:${owner}:${bucket}` : `acs:oss:*:${owner}:${bucket}/${key}`;
}
