import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { hexBytes, rfc3986Encode, rfc3986EncodePath } from "./encode.js";
import { V1_SUB_RESOURCE_KEY_COUNT, isV1SubResource } from "./subresources.js";
import { buildV1CanonicalizedOssHeaders, buildV1CanonicalizedResource, buildV1StringToSign, parseRfc1123Date, parseV1Authorization, signV1 } from "./v1.js";

const DATE = "Wed, 28 Dec 2022 10:27:41 GMT";

describe("encode", () => {
  it("RFC 3986 escapes everything but unreserved characters", () => {
    assert.equal(rfc3986Encode("a b+c/d!'()*~._-"), "a%20b%2Bc%2Fd%21%27%28%29%2A~._-");
    assert.equal(rfc3986Encode("中"), "%E4%B8%AD");
    assert.equal(rfc3986EncodePath("/bucket/1234+-/123/1.txt"), "/bucket/1234%2B-/123/1.txt");
    assert.equal(hexBytes("GET\n"), "47 45 54 0a");
  });
});

describe("V1 sub-resources", () => {
  it("has the 103 keys of §4.2 and every x-oss- key", () => {
    assert.equal(V1_SUB_RESOURCE_KEY_COUNT, 103);
    for (const key of ["acl", "x-oss-process", "security-token", "response-content-type", "x-oss-anything-new", "uploadId"]) {
      assert.ok(isV1SubResource(key), key);
    }
    for (const key of ["prefix", "marker", "max-keys", "OSSAccessKeyId", "Expires", "Signature", "ACL", "non-resousce"]) {
      assert.ok(!isV1SubResource(key), key);
    }
  });
});

describe("V1 builders (oss-api.md §4.3)", () => {
  const putHeaders = {
    "content-md5": "eB5eJF1ptWaXm4bijSPyxw==",
    "content-type": "text/html",
    "x-oss-date": DATE,
    "x-oss-meta-author": "alice",
    "x-oss-meta-magic": "abracadabra",
  };

  it("vector 1: PUT object", () => {
    const sts = buildV1StringToSign({ method: "PUT", bucket: "examplebucket", key: "nelson", query: [], headers: putHeaders, dateLine: DATE });
    assert.equal(sts, `PUT\neB5eJF1ptWaXm4bijSPyxw==\ntext/html\n${DATE}\nx-oss-date:${DATE}\nx-oss-meta-author:alice\nx-oss-meta-magic:abracadabra\n/examplebucket/nelson`);
    assert.equal(signV1("sk", sts), "kSHKmLxlyEAKtZPkJhG9bZb5k7M=");
  });

  it("vector 2: PUT object ?acl", () => {
    const sts = buildV1StringToSign({ method: "PUT", bucket: "examplebucket", key: "nelson", query: [["acl", ""]], headers: putHeaders, dateLine: DATE });
    assert.ok(sts.endsWith("/examplebucket/nelson?acl"));
    assert.equal(signV1("sk", sts), "/afkugFbmWDQ967j1vr6zygBLQk=");
  });

  it("vector 3: unknown params are excluded", () => {
    const sts = buildV1StringToSign({
      method: "GET", bucket: "examplebucket", key: undefined, query: [["resourceGroup", ""], ["non-resousce", "null"]],
      headers: { "x-oss-date": DATE }, dateLine: DATE,
    });
    assert.equal(sts, `GET\n\n\n${DATE}\nx-oss-date:${DATE}\n/examplebucket/?resourceGroup`);
    assert.equal(signV1("sk", sts), "vkQmfuUDyi1uDi3bKt67oemssIs=");
  });

  it("vector 4: sub-resources sorted", () => {
    const sts = buildV1StringToSign({
      method: "GET", bucket: "examplebucket", key: "", query: [["resourceGroup", ""], ["acl", ""]],
      headers: { "x-oss-date": DATE }, dateLine: DATE,
    });
    assert.ok(sts.endsWith("/examplebucket/?acl&resourceGroup"));
    assert.equal(signV1("sk", sts), "x3E5TgOvl/i7PN618s5mEvpJDYk=");
  });

  it("vector 5: image/codes uses the decoded process value", () => {
    const sts = buildV1StringToSign({
      method: "GET", bucket: "examplebucket", key: "qr/demo.png", query: [["x-oss-process", "image/codes"]],
      headers: { "x-oss-date": DATE }, dateLine: DATE,
    });
    assert.equal(sts, `GET\n\n\n${DATE}\nx-oss-date:${DATE}\n/examplebucket/qr/demo.png?x-oss-process=image/codes`);
    assert.equal(signV1("sk", sts), "8KerU2H16lKSJlNZg7z2t/mImtA=");
  });
});

describe("V1 presigned (oss-api.md §4.4)", () => {
  it("versionId", () => {
    const sts = buildV1StringToSign({ method: "GET", bucket: "bucket", key: "key", query: [["versionId", "versionId"]], headers: {}, dateLine: "1699807420" });
    assert.equal(sts, "GET\n\n\n1699807420\n/bucket/key?versionId=versionId");
    assert.equal(encodeURIComponent(signV1("sk", sts)), "dcLTea%2BYh9ApirQ8o8dOPqtvJXQ%3D");
  });

  it("key with + and a security token", () => {
    const query: [string, string][] = [["OSSAccessKeyId", "ak"], ["Expires", "1699808204"], ["versionId", "versionId"], ["security-token", "token"], ["Signature", "x"]];
    const sts = buildV1StringToSign({ method: "GET", bucket: "bucket", key: "key+123", query, headers: {}, dateLine: "1699808204" });
    assert.equal(sts, "GET\n\n\n1699808204\n/bucket/key+123?security-token=token&versionId=versionId");
    assert.equal(signV1("sk", sts), "jzKYRrM5y6Br0dRFPaTGOsbrDhY=");
  });

  it("image/codes", () => {
    const sts = buildV1StringToSign({ method: "GET", bucket: "examplebucket", key: "qr/demo.png", query: [["x-oss-process", "image/codes"]], headers: {}, dateLine: "1699807420" });
    assert.equal(signV1("sk", sts), "MG51/YhiW7vGV6tp/xJhfQJ5cNg=");
  });
});

describe("V1 helpers", () => {
  it("canonical OSS headers are trimmed and sorted; other headers ignored", () => {
    assert.equal(buildV1CanonicalizedOssHeaders({ "x-oss-b": " 2 ", "x-oss-a": "1", host: "h", "content-type": "t" }), "x-oss-a:1\nx-oss-b:2\n");
  });

  it("canonical resource: service, bucket, first duplicate wins", () => {
    assert.equal(buildV1CanonicalizedResource(undefined, undefined, []), "/");
    assert.equal(buildV1CanonicalizedResource("b", undefined, [["acl", ""]]), "/b/?acl");
    assert.equal(buildV1CanonicalizedResource("b", "k", [["versionId", "1"], ["versionId", "2"]]), "/b/k?versionId=1");
  });

  it("parses the Authorization header and RFC 1123 dates", () => {
    assert.deepEqual(parseV1Authorization("OSS ak:kSHKmLxlyEAKtZPkJhG9bZb5k7M="), { accessKeyId: "ak", signature: "kSHKmLxlyEAKtZPkJhG9bZb5k7M=" });
    assert.equal(parseV1Authorization("OSS ak"), undefined);
    assert.equal(parseV1Authorization("OSS :sig"), undefined);
    assert.equal(parseRfc1123Date(DATE)?.toISOString(), "2022-12-28T10:27:41.000Z");
    assert.equal(parseRfc1123Date("2022-12-28T10:27:41Z"), undefined);
    assert.equal(parseRfc1123Date("yesterday"), undefined);
  });
});
