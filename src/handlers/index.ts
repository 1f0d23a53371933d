/** The dispatch table: one handler per endpoint kind (the Record type makes it exhaustive). */
import type { EndpointKind } from "../http/router.js";
import type { Handler } from "./types.js";
import { listBuckets } from "./service.js";
import { deleteBucket, getBucketAcl, getBucketInfo, getBucketLocation, headBucket, putBucket, putBucketAcl } from "./bucket.js";
import { listObjects, listObjectsV2 } from "./list-objects.js";
import { appendObject, putObject } from "./put-object.js";
import { getObject, getObjectMeta, headObject } from "./get-object.js";
import { deleteMultipleObjects, deleteObject } from "./delete-object.js";
import { copyObject } from "./copy-object.js";
import { getObjectAcl, putObjectAcl } from "./object-acl.js";
import { abortMultipartUpload, initiateMultipartUpload, uploadPart, uploadPartCopy } from "./multipart.js";
import { completeMultipartUpload } from "./multipart-complete.js";
import { listMultipartUploads, listParts } from "./multipart-list.js";
import { postProcessObject, processObject } from "./process-object.js";
import { deleteBucketPolicy, getBucketPolicy, putBucketPolicy } from "./bucket-policy.js";
import { restoreObject } from "./restore-object.js";
import { deleteBucketLifecycle, getBucketLifecycle, putBucketLifecycle } from "./bucket-lifecycle.js";
import { deleteBucketStyle, getBucketStyle, putBucketStyle } from "./bucket-style.js";
import { getBucketArchiveDirectRead, putBucketArchiveDirectRead } from "./archive-direct-read.js";
import { deleteBucketEncryption, getBucketEncryption, putBucketEncryption } from "./bucket-encryption.js";
import { postObject } from "./post-object.js";
import { getBucketReferer, putBucketReferer } from "./bucket-referer.js";
import { getBucketRequestPayment, putBucketRequestPayment } from "./bucket-request-payment.js";
import { getBucketStat } from "./bucket-stat.js";
import { getSymlink, putSymlink } from "./symlink.js";
import { deleteBucketCors, getBucketCors, optionsObject, putBucketCors } from "./bucket-cors.js";
import { getBucketVersioning, putBucketVersioning } from "./bucket-versioning.js";
import { listObjectVersions } from "./list-versions.js";
import { deleteBucketInventory, getBucketInventory, listBucketInventory, putBucketInventory } from "./bucket-inventory.js";
import { listLiveChannel } from "./live-channel.js";
import { deleteBucketWebsite, getBucketWebsite, putBucketWebsite } from "./bucket-website.js";
import { deleteBucketLogging, getBucketLogging, putBucketLogging } from "./bucket-logging.js";
import { deleteBucketTags, deleteObjectTagging, getBucketTags, getObjectTagging, putBucketTags, putObjectTagging } from "./tagging.js";

export const HANDLERS: Readonly<Record<EndpointKind, Handler>> = {
  ListBuckets: listBuckets,
  PutBucket: putBucket,
  DeleteBucket: deleteBucket,
  HeadBucket: headBucket,
  GetBucketInfo: getBucketInfo,
  GetBucketLocation: getBucketLocation,
  PutBucketAcl: putBucketAcl,
  GetBucketAcl: getBucketAcl,
  PutBucketEncryption: putBucketEncryption,
  GetBucketEncryption: getBucketEncryption,
  DeleteBucketEncryption: deleteBucketEncryption,
  PutBucketPolicy: putBucketPolicy,
  GetBucketPolicy: getBucketPolicy,
  DeleteBucketPolicy: deleteBucketPolicy,
  ListObjects: listObjects,
  ListObjectsV2: listObjectsV2,
  ListMultipartUploads: listMultipartUploads,
  DeleteMultipleObjects: deleteMultipleObjects,
  PutObject: putObject,
  CopyObject: copyObject,
  AppendObject: appendObject,
  GetObject: getObject,
  ProcessObject: processObject,
  PostProcessObject: postProcessObject,
  HeadObject: headObject,
  GetObjectMeta: getObjectMeta,
  DeleteObject: deleteObject,
  PutObjectAcl: putObjectAcl,
  GetObjectAcl: getObjectAcl,
  InitiateMultipartUpload: initiateMultipartUpload,
  UploadPart: uploadPart,
  UploadPartCopy: uploadPartCopy,
  CompleteMultipartUpload: completeMultipartUpload,
  AbortMultipartUpload: abortMultipartUpload,
  ListParts: listParts,
  RestoreObject: restoreObject,
  PutBucketLifecycle: putBucketLifecycle,
  GetBucketLifecycle: getBucketLifecycle,
  DeleteBucketLifecycle: deleteBucketLifecycle,
  PutBucketStyle: putBucketStyle,
  GetBucketStyle: getBucketStyle,
  ListBucketStyle: getBucketStyle,
  DeleteBucketStyle: deleteBucketStyle,
  PutBucketArchiveDirectRead: putBucketArchiveDirectRead,
  GetBucketArchiveDirectRead: getBucketArchiveDirectRead,
  PutBucketTags: putBucketTags,
  GetBucketTags: getBucketTags,
  DeleteBucketTags: deleteBucketTags,
  PutObjectTagging: putObjectTagging,
  GetObjectTagging: getObjectTagging,
  DeleteObjectTagging: deleteObjectTagging,
  PutBucketCors: putBucketCors,
  GetBucketCors: getBucketCors,
  DeleteBucketCors: deleteBucketCors,
  OptionsObject: optionsObject,
  PostObject: postObject,
  PutBucketReferer: putBucketReferer,
  GetBucketReferer: getBucketReferer,
  PutBucketRequestPayment: putBucketRequestPayment,
  GetBucketRequestPayment: getBucketRequestPayment,
  GetBucketStat: getBucketStat,
  PutSymlink: putSymlink,
  GetSymlink: getSymlink,
  PutBucketVersioning: putBucketVersioning,
  GetBucketVersioning: getBucketVersioning,
  ListObjectVersions: listObjectVersions,
  PutBucketInventory: putBucketInventory,
  GetBucketInventory: getBucketInventory,
  ListBucketInventory: listBucketInventory,
  DeleteBucketInventory: deleteBucketInventory,
  ListLiveChannel: listLiveChannel,
  PutBucketWebsite: putBucketWebsite,
  GetBucketWebsite: getBucketWebsite,
  DeleteBucketWebsite: deleteBucketWebsite,
  PutBucketLogging: putBucketLogging,
  GetBucketLogging: getBucketLogging,
  DeleteBucketLogging: deleteBucketLogging,
};
