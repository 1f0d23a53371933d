import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  type V4Scope, buildV4CanonicalQuery, buildV4CanonicalRequest, buildV4CanonicalUri, buildV4StringToSign,
  normalizeAdditionalHeaders, parseIsoBasicDatetime, parseV4Authorization, signV4,
  cachedV4SigningKey, deriveV4SigningKey, v4SigningKeyCacheSize,
} from "./v4.js";

// Common inputs of oss-api.md §5.6 (Go v2 signer_test.go).
const COMMON_QUERY: [string, string][] = [["param1", "value1"], ["+param1", "value3"], ["|param1", "value4"], ["+param2", ""], ["|param2", ""], ["param2", ""]];
const COMMON_HEADERS = { "x-oss-head1": "value", abc: "value", zabc: "value", xyz: "value" };
const KEY = "1234+-/123/1.txt";

function scopeOf(datetime: string): V4Scope {
  return { date: datetime.slice(0, 8), region: "cn-hangzhou", product: "oss", terminator: "aliyun_v4_request" };
}

function sign(datetime: string, headers: Record<string, string>, query: [string, string][], additional: string[] = []) {
  const canonicalRequest = buildV4CanonicalRequest({
    method: "PUT", bucket: "bucket", key: KEY, query, headers, additionalHeaders: normalizeAdditionalHeaders(additional),
    payloadHash: headers["x-oss-content-sha256"] ?? "UNSIGNED-PAYLOAD",
  });
  const stringToSign = buildV4StringToSign(datetime, scopeOf(datetime), canonicalRequest);
  return { canonicalRequest, stringToSign, signature: signV4("sk", scopeOf(datetime), stringToSign) };
}

function headerAuth(datetime: string, extra: Record<string, string> = {}) {
  return { ...COMMON_HEADERS, "content-type": "text/plain", "x-oss-content-sha256": "UNSIGNED-PAYLOAD", "x-oss-date": datetime, ...extra };
}

function presignQuery(datetime: string, extra: [string, string][] = []): [string, string][] {
  return [
    ...COMMON_QUERY,
    ["x-oss-signature-version", "OSS4-HMAC-SHA256"],
    ["x-oss-credential", `ak/${datetime.slice(0, 8)}/cn-hangzhou/oss/aliyun_v4_request`],
    ["x-oss-date", datetime],
    ["x-oss-expires", "599"],
    ...extra,
  ];
}

describe("V4 header vectors (oss-api.md §5.6)", () => {
  it("(a) plain header auth", () => {
    const r = sign("20231216T162057Z", headerAuth("20231216T162057Z"), COMMON_QUERY);
    assert.equal(r.canonicalRequest, [
      "PUT", "/bucket/1234%2B-/123/1.txt",
      "%2Bparam1=value3&%2Bparam2&%7Cparam1=value4&%7Cparam2&param1=value1&param2",
      "content-type:text/plain\nx-oss-content-sha256:UNSIGNED-PAYLOAD\nx-oss-date:20231216T162057Z\nx-oss-head1:value\n",
      "", "UNSIGNED-PAYLOAD",
    ].join("\n"));
    assert.equal(r.stringToSign, "OSS4-HMAC-SHA256\n20231216T162057Z\n20231216/cn-hangzhou/oss/aliyun_v4_request\nf4613657f1b108998e8dbd10a1aa5da621dc2c6e02c9ddec0f163664848704c4");
    assert.equal(r.signature, "e21d18daa82167720f9b1047ae7e7f1ce7cb77a31e8203a7d5f4624fa0284afe");
  });

  it("(b) additional headers, raw and SDK-normalised lists agree", () => {
    const expected = "4a4183c187c07c8947db7620deb0a6b38d9fbdd34187b6dbaccb316fa251212f";
    assert.equal(sign("20231216T172512Z", headerAuth("20231216T172512Z"), COMMON_QUERY, ["ZAbc", "abc"]).signature, expected);
    assert.equal(sign("20231216T172512Z", headerAuth("20231216T172512Z"), COMMON_QUERY, ["x-oss-no-exist", "ZAbc", "x-oss-head1", "abc"]).signature, expected);
  });

  it("(c) STS token header", () => {
    const r = sign("20231217T034736Z", headerAuth("20231217T034736Z", { "x-oss-security-token": "token" }), COMMON_QUERY);
    assert.equal(r.signature, "b94a3f999cf85bcdc00d332fbd3734ba03e48382c36fa4d5af5df817395bd9ea");
  });

  it("(g) image/codes", () => {
    const headers = { "x-oss-date": "20231216T162057Z", "x-oss-content-sha256": "UNSIGNED-PAYLOAD" };
    const canonicalRequest = buildV4CanonicalRequest({
      method: "GET", bucket: "examplebucket", key: "qr/demo.png", query: [["x-oss-process", "image/codes"]], headers, additionalHeaders: [], payloadHash: "UNSIGNED-PAYLOAD",
    });
    assert.equal(canonicalRequest, "GET\n/examplebucket/qr/demo.png\nx-oss-process=image%2Fcodes\nx-oss-content-sha256:UNSIGNED-PAYLOAD\nx-oss-date:20231216T162057Z\n\n\nUNSIGNED-PAYLOAD");
    const stringToSign = buildV4StringToSign("20231216T162057Z", scopeOf("20231216T162057Z"), canonicalRequest);
    assert.ok(stringToSign.endsWith("692ff10427f183fce60375bc25aef38b1093329687bfb1835caeda1edcd76a98"));
    assert.equal(signV4("sk", scopeOf("20231216T162057Z"), stringToSign), "92e418e85afd0c4b30b4d0f5aa067f809794858405e279c30c6aa342c90dd48a");
  });
});

describe("V4 presigned vectors (oss-api.md §5.6)", () => {
  const headers = { ...COMMON_HEADERS, "content-type": "application/octet-stream" };

  it("(d) presigned PUT", () => {
    const r = sign("20231217T025437Z", headers, [...presignQuery("20231217T025437Z"), ["x-oss-signature", "ignored"]]);
    assert.equal(r.canonicalRequest, [
      "PUT", "/bucket/1234%2B-/123/1.txt",
      "%2Bparam1=value3&%2Bparam2&%7Cparam1=value4&%7Cparam2&param1=value1&param2&x-oss-credential=ak%2F20231217%2Fcn-hangzhou%2Foss%2Faliyun_v4_request&x-oss-date=20231217T025437Z&x-oss-expires=599&x-oss-signature-version=OSS4-HMAC-SHA256",
      "content-type:application/octet-stream\nx-oss-head1:value\n", "", "UNSIGNED-PAYLOAD",
    ].join("\n"));
    assert.equal(r.signature, "a39966c61718be0d5b14e668088b3fa07601033f6518ac7b523100014269c0fe");
  });

  it("(e) presigned with security token", () => {
    const r = sign("20231217T035628Z", headers, presignQuery("20231217T035628Z", [["x-oss-security-token", "token"]]));
    assert.equal(r.signature, "3817ac9d206cd6dfc90f1c09c00be45005602e55898f26f5ddb06d7892e1f8b5");
  });

  it("(f) presigned with additional headers", () => {
    const r = sign("20231217T033009Z", headers, presignQuery("20231217T033009Z", [["x-oss-additional-headers", "abc;zabc"]]), ["abc", "zabc"]);
    assert.equal(r.signature, "6bd984bfe531afb6db1f7550983a741b103a8c58e5e14f83ea474c2322dfa2b7");
  });
});

describe("V4 helpers", () => {
  it("canonical URI for service, bucket and key", () => {
    assert.equal(buildV4CanonicalUri(undefined, undefined), "/");
    assert.equal(buildV4CanonicalUri("b", undefined), "/b/");
    assert.equal(buildV4CanonicalUri("b", "a b/中.png"), "/b/a%20b/%E4%B8%AD.png");
  });

  it("canonical query drops x-oss-signature and keeps the first duplicate", () => {
    assert.equal(buildV4CanonicalQuery([["b", "2"], ["a", ""], ["x-oss-signature", "s"], ["b", "3"]]), "a&b=2");
  });

  it("parses Authorization in any order with optional spaces", () => {
    const parsed = parseV4Authorization("OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request, Signature=abc, AdditionalHeaders=host;zabc");
    assert.ok(typeof parsed !== "string");
    assert.equal(parsed.credential.accessKeyId, "ak");
    assert.deepEqual(parsed.credential.scope, { date: "20231216", region: "cn-hangzhou", product: "oss", terminator: "aliyun_v4_request" });
    assert.deepEqual(parsed.additionalHeaders, ["host", "zabc"]);
    assert.equal(parsed.signature, "abc");
    assert.equal(typeof parseV4Authorization("OSS4-HMAC-SHA256 Credential=ak/x,Signature=abc"), "string");
    assert.equal(typeof parseV4Authorization("OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request"), "string");
    assert.equal(typeof parseV4Authorization("OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,Signature=a,Foo=b"), "string");
  });

  it("parses ISO basic datetimes strictly", () => {
    assert.equal(parseIsoBasicDatetime("20231216T162057Z")?.getTime(), 1702743657000);
    assert.equal(parseIsoBasicDatetime("20231316T162057Z"), undefined);
    assert.equal(parseIsoBasicDatetime("2023-12-16T16:20:57Z"), undefined);
  });
});

describe("V4 signing-key cache", () => {
  const scope = scopeOf("20231216T162057Z");

  it("returns the uncached derivation, and a second call hits the cache", () => {
    const first = cachedV4SigningKey("cache-secret-1", scope);
    assert.deepEqual(first, deriveV4SigningKey("cache-secret-1", scope));
    const size = v4SigningKeyCacheSize();
    assert.equal(cachedV4SigningKey("cache-secret-1", scope), first);
    assert.equal(v4SigningKeyCacheSize(), size);
  });

  it("is keyed by secret, date, region, product and terminator", () => {
    const base = cachedV4SigningKey("cache-secret-2", scope);
    const variants: [string, typeof scope][] = [
      ["cache-secret-2x", scope],
      ["cache-secret-2", { ...scope, date: "20231217" }],
      ["cache-secret-2", { ...scope, region: "cn-beijing" }],
      ["cache-secret-2", { ...scope, product: "oss2" }],
      ["cache-secret-2", { ...scope, terminator: "aliyun_v4_request2" }],
    ];
    for (const [secret, s] of variants) {
      const key = cachedV4SigningKey(secret, s);
      assert.notDeepEqual(key, base);
      assert.deepEqual(key, deriveV4SigningKey(secret, s));
    }
    // Parts that concatenate alike are still told apart (length-prefixed parts).
    const a = cachedV4SigningKey("ab", { ...scope, date: "c" });
    const b = cachedV4SigningKey("a", { ...scope, date: "bc" });
    assert.deepEqual(a, deriveV4SigningKey("ab", { ...scope, date: "c" }));
    assert.deepEqual(b, deriveV4SigningKey("a", { ...scope, date: "bc" }));
  });

  it("a signature made under a cached key does not validate once the secret changes", () => {
    const stringToSign = "OSS4-HMAC-SHA256\n20231216T162057Z\n20231216/cn-hangzhou/oss/aliyun_v4_request\nabc";
    const signature = signV4("old-secret", scope, stringToSign);
    assert.equal(signV4("old-secret", scope, stringToSign), signature);
    assert.notEqual(signV4("new-secret", scope, stringToSign), signature);
  });
});
