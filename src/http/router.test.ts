import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { route } from "./router.js";
import { resolveTarget } from "./addressing.js";
import { parseUrl } from "./parse.js";
import { isOssError } from "../errors/oss-error.js";

const SUFFIXES = ["oss-cn-hangzhou.aliyuncs.com", "localhost"];

/** (method, url, headers) → endpoint kind, checked in path style and in virtual-host style. */
const TABLE: Array<[string, string, string, Record<string, string>?]> = [
  ["GET", "/", "ListBuckets"],
  ["PUT", "/b1/", "PutBucket"],
  ["DELETE", "/b1/", "DeleteBucket"],
  ["GET", "/b1/", "ListObjects"],
  ["GET", "/b1/?list-type=2&prefix=a", "ListObjectsV2"],
  ["GET", "/b1/?acl", "GetBucketAcl"],
  ["PUT", "/b1/?acl", "PutBucketAcl"],
  ["GET", "/b1/?bucketInfo", "GetBucketInfo"],
  ["GET", "/b1/?location", "GetBucketLocation"],
  ["GET", "/b1/?uploads", "ListMultipartUploads"],
  ["POST", "/b1/?delete", "DeleteMultipleObjects"],
  ["PUT", "/b1/k", "PutObject"],
  ["PUT", "/b1/k", "CopyObject", { "x-oss-copy-source": "/b1/src" }],
  ["POST", "/b1/k?append&position=0", "AppendObject"],
  ["GET", "/b1/k", "GetObject"],
  ["GET", "/b1/k?x-oss-process=image%2Fcodes", "ProcessObject"],
  ["POST", "/b1/k?x-oss-process", "PostProcessObject"],
  ["HEAD", "/b1/k", "HeadObject"],
  ["HEAD", "/b1/k?objectMeta", "GetObjectMeta"],
  ["DELETE", "/b1/k", "DeleteObject"],
  ["PUT", "/b1/k?acl", "PutObjectAcl"],
  ["GET", "/b1/k?acl", "GetObjectAcl"],
  ["POST", "/b1/k?uploads", "InitiateMultipartUpload"],
  ["PUT", "/b1/k?partNumber=1&uploadId=U", "UploadPart"],
  ["PUT", "/b1/k?partNumber=1&uploadId=U", "UploadPartCopy", { "x-oss-copy-source": "/b1/src" }],
  ["POST", "/b1/k?uploadId=U", "CompleteMultipartUpload"],
  ["DELETE", "/b1/k?uploadId=U", "AbortMultipartUpload"],
  ["GET", "/b1/k?uploadId=U", "ListParts"],
  ["POST", "/b1/k?restore", "RestoreObject"],
  ["PUT", "/b1/?lifecycle", "PutBucketLifecycle"],
  ["GET", "/b1/?lifecycle", "GetBucketLifecycle"],
  ["DELETE", "/b1/?lifecycle", "DeleteBucketLifecycle"],
  ["PUT", "/b1/?bucketArchiveDirectRead", "PutBucketArchiveDirectRead"],
  ["GET", "/b1/?bucketArchiveDirectRead", "GetBucketArchiveDirectRead"],
  ["PUT", "/b1/?tagging", "PutBucketTags"],
  ["GET", "/b1/?tagging", "GetBucketTags"],
  ["DELETE", "/b1/?tagging", "DeleteBucketTags"],
  ["PUT", "/b1/k?tagging", "PutObjectTagging"],
  ["GET", "/b1/k?tagging", "GetObjectTagging"],
  ["DELETE", "/b1/k?tagging", "DeleteObjectTagging"],
  ["PUT", "/b1/?cors", "PutBucketCors"],
  ["GET", "/b1/?cors", "GetBucketCors"],
  ["DELETE", "/b1/?cors", "DeleteBucketCors"],
  ["OPTIONS", "/b1/k", "OptionsObject"],
  ["OPTIONS", "/b1/", "OptionsObject"],
  ["POST", "/b1/", "PostObject"],
  ["PUT", "/b1/?referer", "PutBucketReferer"],
  ["GET", "/b1/?referer", "GetBucketReferer"],
  ["PUT", "/b1/?requestPayment", "PutBucketRequestPayment"],
  ["GET", "/b1/?requestPayment", "GetBucketRequestPayment"],
  ["GET", "/b1/?stat", "GetBucketStat"],
  ["PUT", "/b1/k?symlink", "PutSymlink"],
  ["GET", "/b1/k?symlink", "GetSymlink"],
];

function routeUrl(method: string, host: string, url: string, headers: Record<string, string> = {}): string {
  const parsed = parseUrl(url);
  const target = resolveTarget(host, parsed.rawPath, SUFFIXES);
  return route(method, target.bucket, target.key, parsed.query, headers).kind;
}

describe("router", () => {
  for (const [method, url, kind, headers] of TABLE) {
    it(`${method} ${url} → ${kind} (path style)`, () => {
      assert.equal(routeUrl(method, "127.0.0.1:9000", url, headers), kind);
    });
    it(`${method} ${url} → ${kind} (virtual host)`, () => {
      const virtualUrl = url === "/" ? "/" : url.replace(/^\/b1\/?/, "/");
      const host = url === "/" ? ".oss-cn-hangzhou.aliyuncs.com" : "b1.oss-cn-hangzhou.aliyuncs.com";
      assert.equal(routeUrl(method, host, virtualUrl, headers), kind);
    });
  }

  it("routes x-oss-process of a version, GET and POST (sys/saveas), to read from that version", () => {
    assert.equal(routeUrl("GET", "127.0.0.1", "/b1/k?x-oss-process=image/codes&versionId=v1"), "ProcessObject");
    assert.equal(routeUrl("POST", "127.0.0.1", "/b1/k?x-oss-process&versionId=v1"), "PostProcessObject");
  });

  it("names unimplemented sub-resources in NotImplemented", () => {
    for (const [method, url, op] of [["GET", "/b1/?replication", "BucketReplication"], ["PUT", "/b1/?worm", "BucketWorm"], ["POST", "/b1/k?append&versionId=v1", "AppendObject of a specific version"]] as const) {
      assert.throws(() => routeUrl(method, "127.0.0.1", url), (e: unknown) => isOssError(e) && e.code === "NotImplemented" && e.message.includes(op));
    }
  });

  it("routes versioning and lets versionId through to reads, deletes, ACL, tagging, restore and GetSymlink", () => {
    assert.equal(routeUrl("PUT", "127.0.0.1", "/b1/?versioning"), "PutBucketVersioning");
    assert.equal(routeUrl("GET", "127.0.0.1", "/b1/?versioning"), "GetBucketVersioning");
    assert.equal(routeUrl("GET", "127.0.0.1", "/b1/?versions&prefix=a"), "ListObjectVersions");
    assert.equal(routeUrl("GET", "127.0.0.1", "/b1/k?versionId=v1"), "GetObject");
    assert.equal(routeUrl("HEAD", "127.0.0.1", "/b1/k?versionId=v1"), "HeadObject");
    assert.equal(routeUrl("DELETE", "127.0.0.1", "/b1/k?versionId=v1"), "DeleteObject");
    assert.equal(routeUrl("GET", "127.0.0.1", "/b1/k?tagging&versionId=v1"), "GetObjectTagging");
    assert.equal(routeUrl("PUT", "127.0.0.1", "/b1/k?tagging&versionId=v1"), "PutObjectTagging");
    assert.equal(routeUrl("DELETE", "127.0.0.1", "/b1/k?tagging&versionId=v1"), "DeleteObjectTagging");
    assert.equal(routeUrl("PUT", "127.0.0.1", "/b1/k?acl&versionId=v1"), "PutObjectAcl");
    assert.equal(routeUrl("POST", "127.0.0.1", "/b1/k?restore&versionId=v1"), "RestoreObject");
    assert.equal(routeUrl("GET", "127.0.0.1", "/b1/k?symlink&versionId=v1"), "GetSymlink");
    assert.throws(() => routeUrl("PUT", "127.0.0.1", "/b1/k?versionId=v1"), (e: unknown) => isOssError(e) && e.code === "NotImplemented");
  });

  it("refuses x-oss-async-process for image processing", () => {
    assert.throws(() => routeUrl("POST", "127.0.0.1", "/b1/k?x-oss-async-process"), (e: unknown) => isOssError(e) && e.code === "InvalidArgument");
  });

  it("answers MethodNotAllowed for unknown methods", () => {
    assert.throws(() => routeUrl("PATCH", "127.0.0.1", "/b1/k"), (e: unknown) => isOssError(e) && e.code === "MethodNotAllowed");
  });
});

describe("addressing", () => {
  it("takes the bucket from the host under a known suffix, with or without port", () => {
    assert.deepEqual(resolveTarget("b1.localhost:9000", "/a/b.txt", SUFFIXES), { bucket: "b1", key: "a/b.txt", virtualHost: true });
    assert.deepEqual(resolveTarget("localhost:9000", "/b1/a%2Fb.txt", SUFFIXES), { bucket: "b1", key: "a/b.txt", virtualHost: false });
  });
  it("keeps + literal in paths and decodes UTF-8", () => {
    assert.equal(resolveTarget("127.0.0.1", "/b1/a+b%20c%E4%B8%AD", SUFFIXES).key, "a+b c中");
  });
  it("rejects broken percent-encoding", () => {
    assert.throws(() => resolveTarget("127.0.0.1", "/b1/%E4%B8", SUFFIXES), (e: unknown) => isOssError(e) && e.code === "InvalidArgument");
  });
});
