import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { accelerationDomain, classify, requestType, type ClassifyRules } from "./classify.js";
import { DEFAULT_INTERNAL_NETWORKS, parseNetworks } from "./networks.js";
import type { RequestUsage } from "./types.js";

const rules: ClassifyRules = {
  internal: parseNetworks(DEFAULT_INTERNAL_NETWORKS),
  accelerateDomains: ["oss-accelerate.aliyuncs.com", "oss-accelerate-overseas.aliyuncs.com"],
};

function usage(over: Partial<RequestUsage>): RequestUsage {
  return {
    at: new Date(0), bucket: "b", operation: "GetObject", method: "GET", status: 200, storageClass: "Standard",
    bytesIn: 0, bytesOut: 0, remoteAddress: "203.0.113.7", host: "b.oss-cn-hangzhou.aliyuncs.com",
    imageQrCodes: 0, archiveDirectRead: false, restoreRequest: false, ...over,
  };
}

describe("requestType: OSS billing classes", () => {
  const table: [string, "GET" | "PUT"][] = [
    ["GetObject", "GET"], ["ProcessObject", "GET"], ["HeadObject", "GET"], ["GetObjectMeta", "GET"], ["GetObjectAcl", "GET"],
    ["HeadBucket", "GET"], ["GetBucketInfo", "GET"], ["GetBucketLocation", "GET"], ["GetBucketAcl", "GET"], ["GetBucketPolicy", "GET"],
    ["PutObject", "PUT"], ["CopyObject", "PUT"], ["AppendObject", "PUT"], ["DeleteObject", "PUT"], ["DeleteMultipleObjects", "PUT"],
    ["InitiateMultipartUpload", "PUT"], ["UploadPart", "PUT"], ["UploadPartCopy", "PUT"], ["CompleteMultipartUpload", "PUT"],
    ["AbortMultipartUpload", "PUT"], ["ListParts", "PUT"], ["ListMultipartUploads", "PUT"], ["ListObjects", "PUT"],
    ["ListObjectsV2", "PUT"], ["ListBuckets", "PUT"], ["PutBucket", "PUT"], ["DeleteBucket", "PUT"], ["PutBucketAcl", "PUT"],
    ["RestoreObject", "PUT"], ["GetBucketSomethingNew", "GET"], ["PutBucketSomethingNew", "PUT"],
  ];
  for (const [op, type] of table) it(`${op} → ${type}`, () => assert.equal(requestType(op), type));
});

describe("classify", () => {
  it("a full GET of a Standard object from the internet: one GET request and its egress", () => {
    assert.deepEqual(classify(usage({ bytesOut: 1000 }), rules), [
      { item: "GetRequest", dimension: "Standard", quantity: 1 },
      { item: "EgressBytes", dimension: "internet", quantity: 1000 },
    ]);
  });
  it("loopback, private and link-local peers are internal traffic (also IPv4-mapped IPv6)", () => {
    for (const ip of ["127.0.0.1", "::1", "::ffff:127.0.0.1", "10.1.2.3", "172.20.0.1", "192.168.1.1", "169.254.1.1", "fe80::1"]) {
      assert.deepEqual(classify(usage({ bytesOut: 5, remoteAddress: ip }), rules)[1], { item: "EgressBytes", dimension: "internal", quantity: 5 }, ip);
    }
    for (const ip of ["8.8.8.8", "172.32.0.1", "2001:db8::1", ""]) {
      assert.equal(classify(usage({ bytesOut: 5, remoteAddress: ip }), rules)[1]?.dimension, "internet", ip);
    }
  });
  it("IA reads count retrieval bytes as streamed (ranges included); PUT of IA does not", () => {
    const q = classify(usage({ storageClass: "IA", status: 206, bytesOut: 100 }), rules);
    assert.deepEqual(q, [
      { item: "GetRequest", dimension: "IA", quantity: 1 },
      { item: "EgressBytes", dimension: "internet", quantity: 100 },
      { item: "RetrievalBytes", dimension: "ia", quantity: 100 },
    ]);
    const put = classify(usage({ operation: "PutObject", method: "PUT", storageClass: "IA", bytesIn: 100, bytesOut: 0 }), rules);
    assert.deepEqual(put, [{ item: "PutRequest", dimension: "IA", quantity: 1 }]);
  });
  it("archive direct read is its own retrieval kind", () => {
    const q = classify(usage({ storageClass: "Archive", archiveDirectRead: true, bytesOut: 64 }), rules);
    assert.deepEqual(q[2], { item: "RetrievalBytes", dimension: "archive_direct_read", quantity: 64 });
  });
  it("failed requests bill no request but their bytes are still traffic", () => {
    assert.deepEqual(classify(usage({ status: 404, bytesOut: 300 }), rules), [{ item: "EgressBytes", dimension: "internet", quantity: 300 }]);
    assert.deepEqual(classify(usage({ status: 500 }), rules), []);
  });
  it("304 is billed as a GET request (OSS bills 2xx and 3xx)", () => {
    assert.deepEqual(classify(usage({ status: 304 }), rules), [{ item: "GetRequest", dimension: "Standard", quantity: 1 }]);
  });
  it("ImageQRCodes only on success", () => {
    assert.deepEqual(classify(usage({ operation: "ProcessObject", imageQrCodes: 1, bytesOut: 50 }), rules)[0], { item: "ImageQRCodes", dimension: "", quantity: 1 });
    assert.equal(classify(usage({ operation: "ProcessObject", imageQrCodes: 1, status: 400 }), rules).some((q) => q.item === "ImageQRCodes"), false);
  });
  it("RPC calls: only ImageQRCodes, never OSS requests or traffic", () => {
    const ok = usage({ endpoint: "rpc", operation: "DetectImageCodes", method: "POST", imageQrCodes: 1, bytesOut: 400, storageClass: undefined });
    assert.deepEqual(classify(ok, rules), [{ item: "ImageQRCodes", dimension: "", quantity: 1 }]);
    assert.deepEqual(classify(usage({ endpoint: "rpc", operation: "GetProject", bytesOut: 400 }), rules), []);
  });
  it("restore requests and acceleration traffic (upload + download)", () => {
    const restore = classify(usage({ operation: "RestoreObject", method: "POST", status: 202, storageClass: "ColdArchive", restoreRequest: true }), rules);
    assert.deepEqual(restore, [{ item: "PutRequest", dimension: "ColdArchive", quantity: 1 }, { item: "RestoreRequest", dimension: "ColdArchive", quantity: 1 }]);
    const acc = classify(usage({ operation: "PutObject", bytesIn: 70, bytesOut: 0, host: "b.OSS-Accelerate.aliyuncs.com:9000" }), rules);
    assert.deepEqual(acc[1], { item: "AccelerationBytes", dimension: "oss-accelerate.aliyuncs.com", quantity: 70 });
  });
  it("unknown storage class (bucket-level requests) bills as Standard", () => {
    assert.deepEqual(classify(usage({ operation: "ListObjects", storageClass: undefined }), rules), [{ item: "PutRequest", dimension: "Standard", quantity: 1 }]);
  });
});

describe("accelerationDomain / parseNetworks", () => {
  it("matches the domain or a sub-domain, ignoring port and case", () => {
    assert.equal(accelerationDomain("bkt.oss-accelerate-overseas.aliyuncs.com", rules.accelerateDomains), "oss-accelerate-overseas.aliyuncs.com");
    assert.equal(accelerationDomain("oss-accelerate.aliyuncs.com:443", rules.accelerateDomains), "oss-accelerate.aliyuncs.com");
    assert.equal(accelerationDomain("bkt.xoss-accelerate.aliyuncs.com", rules.accelerateDomains), undefined);
    assert.equal(accelerationDomain("bkt.oss-cn-hangzhou.aliyuncs.com", rules.accelerateDomains), undefined);
  });
  it("rejects malformed CIDRs", () => {
    for (const bad of ["10.0.0.0/33", "10.0.0/8", "abc", "10.0.0.0/8/1", "::1/129", "10.0.0.0/x"]) {
      assert.throws(() => parseNetworks([bad]), /not a CIDR block/, bad);
    }
    assert.equal(parseNetworks(["203.0.113.7"]).contains("203.0.113.7"), true);
  });
  it("answers a repeated address the same (remembered answers), in and out of the set", () => {
    const set = parseNetworks(["10.0.0.0/8"]);
    for (let i = 0; i < 3; i++) {
      assert.equal(set.contains("10.1.2.3"), true);
      assert.equal(set.contains("::ffff:10.1.2.3"), true);
      assert.equal(set.contains("11.1.2.3"), false);
      assert.equal(set.contains("not an ip"), false);
    }
    assert.equal(parseNetworks([]).contains("127.0.0.1"), false);
  });
});
