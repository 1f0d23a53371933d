/**
 * The pure router: (method, bucket?, key?, query) → a typed endpoint. No I/O, tested by a table.
 * Each endpoint kind names the OSS operation; `actionsFor` (in authz) maps it to RAM actions.
 */
import { OssError } from "../errors/oss-error.js";

export type Endpoint =
  | { kind: "ListBuckets" }
  | { kind: "PutBucket"; bucket: string }
  | { kind: "DeleteBucket"; bucket: string }
  | { kind: "HeadBucket"; bucket: string }
  | { kind: "GetBucketInfo"; bucket: string }
  | { kind: "GetBucketLocation"; bucket: string }
  | { kind: "PutBucketAcl"; bucket: string }
  | { kind: "GetBucketAcl"; bucket: string }
  | { kind: "PutBucketEncryption"; bucket: string }
  | { kind: "GetBucketEncryption"; bucket: string }
  | { kind: "DeleteBucketEncryption"; bucket: string }
  | { kind: "PutBucketPolicy"; bucket: string }
  | { kind: "GetBucketPolicy"; bucket: string }
  | { kind: "DeleteBucketPolicy"; bucket: string }
  | { kind: "ListObjects"; bucket: string }
  | { kind: "ListObjectsV2"; bucket: string }
  | { kind: "ListMultipartUploads"; bucket: string }
  | { kind: "DeleteMultipleObjects"; bucket: string }
  | { kind: "PutObject"; bucket: string; key: string }
  | { kind: "CopyObject"; bucket: string; key: string }
  | { kind: "AppendObject"; bucket: string; key: string }
  | { kind: "GetObject"; bucket: string; key: string }
  | { kind: "ProcessObject"; bucket: string; key: string }
  | { kind: "PostProcessObject"; bucket: string; key: string }
  | { kind: "HeadObject"; bucket: string; key: string }
  | { kind: "GetObjectMeta"; bucket: string; key: string }
  | { kind: "DeleteObject"; bucket: string; key: string }
  | { kind: "PutObjectAcl"; bucket: string; key: string }
  | { kind: "GetObjectAcl"; bucket: string; key: string }
  | { kind: "InitiateMultipartUpload"; bucket: string; key: string }
  | { kind: "UploadPart"; bucket: string; key: string }
  | { kind: "UploadPartCopy"; bucket: string; key: string }
  | { kind: "CompleteMultipartUpload"; bucket: string; key: string }
  | { kind: "AbortMultipartUpload"; bucket: string; key: string }
  | { kind: "ListParts"; bucket: string; key: string }
  | { kind: "RestoreObject"; bucket: string; key: string }
  | { kind: "PutBucketLifecycle"; bucket: string }
  | { kind: "GetBucketLifecycle"; bucket: string }
  | { kind: "DeleteBucketLifecycle"; bucket: string }
  | { kind: "PutBucketStyle"; bucket: string }
  | { kind: "GetBucketStyle"; bucket: string }
  | { kind: "ListBucketStyle"; bucket: string }
  | { kind: "DeleteBucketStyle"; bucket: string }
  | { kind: "PutBucketArchiveDirectRead"; bucket: string }
  | { kind: "GetBucketArchiveDirectRead"; bucket: string }
  | { kind: "PutBucketTags"; bucket: string }
  | { kind: "GetBucketTags"; bucket: string }
  | { kind: "DeleteBucketTags"; bucket: string }
  | { kind: "PutObjectTagging"; bucket: string; key: string }
  | { kind: "GetObjectTagging"; bucket: string; key: string }
  | { kind: "DeleteObjectTagging"; bucket: string; key: string }
  | { kind: "PutBucketCors"; bucket: string }
  | { kind: "GetBucketCors"; bucket: string }
  | { kind: "DeleteBucketCors"; bucket: string }
  | { kind: "OptionsObject"; bucket: string; key?: string }
  | { kind: "PostObject"; bucket: string }
  | { kind: "PutBucketReferer"; bucket: string }
  | { kind: "GetBucketReferer"; bucket: string }
  | { kind: "PutBucketRequestPayment"; bucket: string }
  | { kind: "GetBucketRequestPayment"; bucket: string }
  | { kind: "GetBucketStat"; bucket: string }
  | { kind: "PutSymlink"; bucket: string; key: string }
  | { kind: "GetSymlink"; bucket: string; key: string }
  | { kind: "PutBucketVersioning"; bucket: string }
  | { kind: "GetBucketVersioning"; bucket: string }
  | { kind: "ListObjectVersions"; bucket: string }
  | { kind: "PutBucketInventory"; bucket: string }
  | { kind: "GetBucketInventory"; bucket: string }
  | { kind: "ListBucketInventory"; bucket: string }
  | { kind: "DeleteBucketInventory"; bucket: string }
  | { kind: "ListLiveChannel"; bucket: string }
  | { kind: "PutBucketWebsite"; bucket: string }
  | { kind: "GetBucketWebsite"; bucket: string }
  | { kind: "DeleteBucketWebsite"; bucket: string }
  | { kind: "PutBucketLogging"; bucket: string }
  | { kind: "GetBucketLogging"; bucket: string }
  | { kind: "DeleteBucketLogging"; bucket: string };

export type EndpointKind = Endpoint["kind"];

/** Sub-resources OSS has that Barbucket does not implement yet, with the operation they name. */
const NOT_IMPLEMENTED_BUCKET: Record<string, string> = {
  replication: "BucketReplication", worm: "BucketWorm",
  transferAcceleration: "BucketTransferAcceleration", qos: "BucketQoS",
  cname: "BucketCname", resourceGroup: "BucketResourceGroup", metaQuery: "BucketMetaQuery",
  httpsConfig: "BucketHttpsConfig", publicAccessBlock: "BucketPublicAccessBlock", accessPoint: "AccessPoint",
  comp: "BucketComp", img: "BucketImg", live: "LiveChannel", regionList: "DescribeRegions",
};
const NOT_IMPLEMENTED_OBJECT: Record<string, string> = {
  "x-oss-async-process": "AsyncProcessObject", callback: "Callback", worm: "ObjectWorm", live: "LiveChannel",
};

export function route(method: string, bucket: string | undefined, key: string | undefined, query: ReadonlyMap<string, string>, headers: Readonly<Record<string, string>>): Endpoint {
  if (bucket === undefined) {
    if (method === "GET" && !query.has("regionList")) return { kind: "ListBuckets" };
    throw notImplemented(method, query.has("regionList") ? "DescribeRegions" : "service operation");
  }
  if (key === undefined) return routeBucket(method, bucket, query);
  return routeObject(method, bucket, key, query, headers);
}

function notImplemented(method: string, operation: string): OssError {
  return new OssError("NotImplemented", `${operation} (${method}) is not implemented by this server yet.`);
}

function rejectUnimplemented(method: string, query: ReadonlyMap<string, string>, table: Record<string, string>): void {
  for (const name of query.keys()) {
    const op = table[name];
    if (op !== undefined) throw notImplemented(method, op);
  }
}

/**
 * Object operations that honour `?versionId=`: reads of any version, deletes, a version's ACL,
 * tags and restore, GetSymlink, x-oss-process of a version (GET, and POST with sys/saveas: the
 * version is the source, the saved object is written as ever); the others (writes, copies'
 * targets…) answer 501 with it.
 */
const VERSIONED_OBJECT_KINDS: ReadonlySet<EndpointKind> = new Set([
  "GetObject", "HeadObject", "GetObjectMeta", "DeleteObject", "GetObjectAcl", "PutObjectAcl",
  "GetObjectTagging", "PutObjectTagging", "DeleteObjectTagging", "RestoreObject", "GetSymlink",
  "ProcessObject", "PostProcessObject",
]);

function routeBucket(method: string, bucket: string, q: ReadonlyMap<string, string>): Endpoint {
  if (method === "OPTIONS") return { kind: "OptionsObject", bucket };
  // ListLiveChannel is answered (a bucket has none: PutLiveChannel is not implemented)
  if (method === "GET" && q.has("live")) return { kind: "ListLiveChannel", bucket };
  rejectUnimplemented(method, q, NOT_IMPLEMENTED_BUCKET);
  switch (method) {
    case "PUT":
      if (q.has("inventory")) return { kind: "PutBucketInventory", bucket };
      if (q.has("website")) return { kind: "PutBucketWebsite", bucket };
      if (q.has("logging")) return { kind: "PutBucketLogging", bucket };
      if (q.has("versioning")) return { kind: "PutBucketVersioning", bucket };
      if (q.has("style")) return { kind: "PutBucketStyle", bucket };
      if (q.has("cors")) return { kind: "PutBucketCors", bucket };
      if (q.has("referer")) return { kind: "PutBucketReferer", bucket };
      if (q.has("requestPayment")) return { kind: "PutBucketRequestPayment", bucket };
      if (q.has("tagging")) return { kind: "PutBucketTags", bucket };
      if (q.has("policy")) return { kind: "PutBucketPolicy", bucket };
      if (q.has("lifecycle")) return { kind: "PutBucketLifecycle", bucket };
      if (q.has("bucketArchiveDirectRead")) return { kind: "PutBucketArchiveDirectRead", bucket };
      if (q.has("encryption")) return { kind: "PutBucketEncryption", bucket };
      return q.has("acl") ? { kind: "PutBucketAcl", bucket } : { kind: "PutBucket", bucket };
    case "GET":
      if (q.has("website")) return { kind: "GetBucketWebsite", bucket };
      if (q.has("logging")) return { kind: "GetBucketLogging", bucket };
      if (q.has("inventory")) return q.has("inventoryId") ? { kind: "GetBucketInventory", bucket } : { kind: "ListBucketInventory", bucket };
      if (q.has("versioning")) return { kind: "GetBucketVersioning", bucket };
      if (q.has("versions")) return { kind: "ListObjectVersions", bucket };
      if (q.has("style")) return q.has("styleName") ? { kind: "GetBucketStyle", bucket } : { kind: "ListBucketStyle", bucket };
      if (q.has("cors")) return { kind: "GetBucketCors", bucket };
      if (q.has("referer")) return { kind: "GetBucketReferer", bucket };
      if (q.has("requestPayment")) return { kind: "GetBucketRequestPayment", bucket };
      if (q.has("stat")) return { kind: "GetBucketStat", bucket };
      if (q.has("tagging")) return { kind: "GetBucketTags", bucket };
      if (q.has("acl")) return { kind: "GetBucketAcl", bucket };
      if (q.has("policy")) return { kind: "GetBucketPolicy", bucket };
      if (q.has("lifecycle")) return { kind: "GetBucketLifecycle", bucket };
      if (q.has("bucketArchiveDirectRead")) return { kind: "GetBucketArchiveDirectRead", bucket };
      if (q.has("encryption")) return { kind: "GetBucketEncryption", bucket };
      if (q.has("bucketInfo")) return { kind: "GetBucketInfo", bucket };
      if (q.has("location")) return { kind: "GetBucketLocation", bucket };
      if (q.has("uploads")) return { kind: "ListMultipartUploads", bucket };
      if (q.get("list-type") === "2") return { kind: "ListObjectsV2", bucket };
      return { kind: "ListObjects", bucket };
    case "HEAD":
      return { kind: "HeadBucket", bucket };
    case "DELETE":
      if (q.has("inventory")) return { kind: "DeleteBucketInventory", bucket };
      if (q.has("website")) return { kind: "DeleteBucketWebsite", bucket };
      if (q.has("logging")) return { kind: "DeleteBucketLogging", bucket };
      if (q.has("style")) return { kind: "DeleteBucketStyle", bucket };
      if (q.has("cors")) return { kind: "DeleteBucketCors", bucket };
      if (q.has("tagging")) return { kind: "DeleteBucketTags", bucket };
      if (q.has("encryption")) return { kind: "DeleteBucketEncryption", bucket };
      if (q.has("lifecycle")) return { kind: "DeleteBucketLifecycle", bucket };
      return q.has("policy") ? { kind: "DeleteBucketPolicy", bucket } : { kind: "DeleteBucket", bucket };
    case "POST":
      if (q.has("delete")) return { kind: "DeleteMultipleObjects", bucket };
      if (q.size === 0) return { kind: "PostObject", bucket }; // browser form upload
      throw notImplemented(method, "bucket POST");
    default:
      throw new OssError("MethodNotAllowed", `The method ${method} is not allowed against this resource.`, {
        extra: { Method: method, ResourceType: "Bucket" },
      });
  }
}

function routeObject(method: string, bucket: string, key: string, q: ReadonlyMap<string, string>, headers: Readonly<Record<string, string>>): Endpoint {
  if (method === "POST" && q.has("x-oss-async-process")) {
    // image/codes and every image/* action are synchronous only (oss-api.md §2.6).
    throw new OssError("InvalidArgument", "x-oss-async-process supports only doc/, video/ and audio/ processing; image processing is synchronous (x-oss-process).");
  }
  if (method === "OPTIONS") return { kind: "OptionsObject", bucket, key };
  rejectUnimplemented(method, q, NOT_IMPLEMENTED_OBJECT);
  const endpoint = routeObjectMethod(method, bucket, key, q, headers);
  if (q.has("versionId") && !VERSIONED_OBJECT_KINDS.has(endpoint.kind)) throw notImplemented(method, `${endpoint.kind} of a specific version (versionId)`);
  return endpoint;
}

function routeObjectMethod(method: string, bucket: string, key: string, q: ReadonlyMap<string, string>, headers: Readonly<Record<string, string>>): Endpoint {
  const copy = headers["x-oss-copy-source"] !== undefined;
  switch (method) {
    case "PUT":
      if (q.has("tagging")) return { kind: "PutObjectTagging", bucket, key };
      if (q.has("symlink")) return { kind: "PutSymlink", bucket, key };
      if (q.has("acl")) return { kind: "PutObjectAcl", bucket, key };
      if (q.has("uploadId") || q.has("partNumber")) {
        return copy ? { kind: "UploadPartCopy", bucket, key } : { kind: "UploadPart", bucket, key };
      }
      return copy ? { kind: "CopyObject", bucket, key } : { kind: "PutObject", bucket, key };
    case "POST":
      if (q.has("restore")) return { kind: "RestoreObject", bucket, key };
      if (q.has("uploads")) return { kind: "InitiateMultipartUpload", bucket, key };
      if (q.has("uploadId")) return { kind: "CompleteMultipartUpload", bucket, key };
      if (q.has("append")) return { kind: "AppendObject", bucket, key };
      if (q.has("x-oss-process")) return { kind: "PostProcessObject", bucket, key };
      throw notImplemented(method, "object POST");
    case "GET":
      if (q.has("tagging")) return { kind: "GetObjectTagging", bucket, key };
      if (q.has("symlink")) return { kind: "GetSymlink", bucket, key };
      if (q.has("acl")) return { kind: "GetObjectAcl", bucket, key };
      if (q.has("uploadId")) return { kind: "ListParts", bucket, key };
      if (q.has("x-oss-process")) return { kind: "ProcessObject", bucket, key };
      return { kind: "GetObject", bucket, key };
    case "HEAD":
      return q.has("objectMeta") ? { kind: "GetObjectMeta", bucket, key } : { kind: "HeadObject", bucket, key };
    case "DELETE":
      if (q.has("tagging")) return { kind: "DeleteObjectTagging", bucket, key };
      return q.has("uploadId") ? { kind: "AbortMultipartUpload", bucket, key } : { kind: "DeleteObject", bucket, key };
    default:
      throw new OssError("MethodNotAllowed", `The method ${method} is not allowed against this resource.`, {
        extra: { Method: method, ResourceType: "Object" },
      });
  }
}
