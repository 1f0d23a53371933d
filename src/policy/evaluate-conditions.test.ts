import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { evaluate, evaluateAll, immProjectArn, kmsKeyArn, ossResourceArn, parsePolicy, requestContext, SYSTEM_POLICIES } from "./evaluate.js";
import type { Principal } from "../auth/types.js";
import { allow, alice, deny, identityDoc, OWNER, runTable, type Row, type Stmt } from "./table-fixtures.js";

/** One identity policy: Allow oss:GetObject on * under the given Condition. */
const when = (Condition: Stmt): Row["identity"] => ({ p: [allow("oss:GetObject", "*", { Condition })] });
/** Allow everything, Deny oss:* under the given Condition. */
const denyWhen = (Condition: Stmt): Row["identity"] => ({ p: [allow("oss:*"), deny("oss:*", "*", { Condition })] });
const get = { action: "oss:GetObject" } as const;

const stringRows: Row[] = [
  { name: "StringEquals matches", ...get, identity: when({ StringEquals: { "acs:UserAgent": "sdk/1" } }), context: { "acs:UserAgent": "sdk/1" }, expect: "Allow" },
  { name: "StringEquals is case-sensitive", ...get, identity: when({ StringEquals: { "acs:UserAgent": "sdk/1" } }), context: { "acs:UserAgent": "SDK/1" }, expect: "ImplicitDeny" },
  { name: "StringEquals with the key missing is false", ...get, identity: when({ StringEquals: { "acs:UserAgent": "sdk/1" } }), expect: "ImplicitDeny" },
  { name: "StringEquals values are OR-ed", ...get, identity: when({ StringEquals: { "acs:AccessId": ["AK1", "AK2"] } }), context: { "acs:AccessId": "AK2" }, expect: "Allow" },
  { name: "multi-valued context: any value may match", ...get, identity: when({ StringEquals: { "oss:Prefix": "a/" } }), context: { "oss:Prefix": ["x/", "a/"] }, expect: "Allow" },
  { name: "StringNotEquals with a different value is true", ...get, identity: when({ StringNotEquals: { "acs:AccessId": "AKbad" } }), context: { "acs:AccessId": "AKgood" }, expect: "Allow" },
  { name: "StringNotEquals with the listed value is false", ...get, identity: when({ StringNotEquals: { "acs:AccessId": "AKbad" } }), context: { "acs:AccessId": "AKbad" }, expect: "ImplicitDeny" },
  { name: "StringNotEquals with the key missing is true", ...get, identity: when({ StringNotEquals: { "acs:AccessId": "AKbad" } }), expect: "Allow" },
  { name: "StringEqualsIgnoreCase ignores case", ...get, identity: when({ StringEqualsIgnoreCase: { "acs:UserAgent": "Aliyun-SDK" } }), context: { "acs:UserAgent": "aliyun-sdk" }, expect: "Allow" },
  { name: "StringNotEqualsIgnoreCase Deny does not fire on a case variant", ...get, identity: denyWhen({ StringNotEqualsIgnoreCase: { "acs:UserAgent": "Aliyun-SDK" } }), context: { "acs:UserAgent": "ALIYUN-SDK" }, expect: "Allow" },
  { name: "StringNotEqualsIgnoreCase Deny fires on another agent", ...get, identity: denyWhen({ StringNotEqualsIgnoreCase: { "acs:UserAgent": "Aliyun-SDK" } }), context: { "acs:UserAgent": "curl" }, expect: "ExplicitDeny" },
  { name: "StringLike with * and ?", ...get, identity: when({ StringLike: { "acs:UserAgent": "aliyun-sdk-?.*" } }), context: { "acs:UserAgent": "aliyun-sdk-j.6.23" }, expect: "Allow" },
  { name: "StringNotLike Deny outside public/*", action: "oss:ListObjects", resource: ossResourceArn(OWNER, "b"), identity: denyWhen({ StringNotLike: { "oss:Prefix": "public/*" } }), context: { "oss:Prefix": "private/" }, expect: "ExplicitDeny" },
  { name: "StringNotLike Deny with the key missing fires", action: "oss:ListObjects", resource: ossResourceArn(OWNER, "b"), identity: denyWhen({ StringNotLike: { "oss:Prefix": "public/*" } }), expect: "ExplicitDeny" },
  { name: "condition keys are case-insensitive", ...get, identity: when({ StringEquals: { "ACS:USERAGENT": "x" } }), context: { "acs:useragent": "x" }, expect: "Allow" },
];

const numericDateBoolRows: Row[] = [
  { name: "NumericEquals (1.0 = 1)", ...get, identity: when({ NumericEquals: { "oss:MaxKeys": "1" } }), context: { "oss:MaxKeys": "1.0" }, expect: "Allow" },
  { name: "NumericNotEquals", ...get, identity: when({ NumericNotEquals: { "oss:MaxKeys": 100 } }), context: { "oss:MaxKeys": "50" }, expect: "Allow" },
  { name: "NumericLessThan true", ...get, identity: when({ NumericLessThan: { "oss:MaxKeys": "100" } }), context: { "oss:MaxKeys": "99" }, expect: "Allow" },
  { name: "NumericLessThan false at the bound", ...get, identity: when({ NumericLessThan: { "oss:MaxKeys": "100" } }), context: { "oss:MaxKeys": "100" }, expect: "ImplicitDeny" },
  { name: "NumericLessThanEquals at the bound", ...get, identity: when({ NumericLessThanEquals: { "oss:MaxKeys": "100" } }), context: { "oss:MaxKeys": "100" }, expect: "Allow" },
  { name: "NumericGreaterThan", ...get, identity: when({ NumericGreaterThan: { "oss:MaxKeys": "10" } }), context: { "oss:MaxKeys": "11" }, expect: "Allow" },
  { name: "NumericGreaterThanEquals below", ...get, identity: when({ NumericGreaterThanEquals: { "oss:MaxKeys": "10" } }), context: { "oss:MaxKeys": "9.5" }, expect: "ImplicitDeny" },
  { name: "Numeric with a non-numeric request value is false", ...get, identity: when({ NumericLessThan: { "oss:MaxKeys": "100" } }), context: { "oss:MaxKeys": "lots" }, expect: "ImplicitDeny" },
  { name: "Numeric with the key missing is false", ...get, identity: when({ NumericGreaterThan: { "oss:MaxKeys": "0" } }), expect: "ImplicitDeny" },
  { name: "DateLessThan acs:CurrentTime before the deadline", ...get, identity: when({ DateLessThan: { "acs:CurrentTime": "2026-12-31T23:59:59Z" } }), context: { "acs:CurrentTime": "2026-11-25T10:00:00Z" }, expect: "Allow" },
  { name: "DateLessThan acs:CurrentTime after the deadline", ...get, identity: when({ DateLessThan: { "acs:CurrentTime": "2026-01-01T00:00:00Z" } }), context: { "acs:CurrentTime": "2026-11-25T10:00:00Z" }, expect: "ImplicitDeny" },
  { name: "DateLessThan with acs:CurrentTime missing is false", ...get, identity: when({ DateLessThan: { "acs:CurrentTime": "2099-01-01T00:00:00Z" } }), expect: "ImplicitDeny" },
  { name: "DateGreaterThan with an epoch-seconds bound", ...get, identity: when({ DateGreaterThan: { "acs:CurrentTime": "1700000000" } }), context: { "acs:CurrentTime": "2026-11-25T10:00:00Z" }, expect: "Allow" },
  { name: "DateEquals across time zones", ...get, identity: when({ DateEquals: { "acs:CurrentTime": "2026-11-25T18:00:00+08:00" } }), context: { "acs:CurrentTime": "2026-11-25T10:00:00Z" }, expect: "Allow" },
  { name: "DateLessThanEquals / DateGreaterThanEquals window (AND of operators)", ...get, identity: when({ DateGreaterThanEquals: { "acs:CurrentTime": "2026-11-01" }, DateLessThanEquals: { "acs:CurrentTime": "2026-11-30T23:59:59Z" } }), context: { "acs:CurrentTime": "2026-11-25T10:00:00.123Z" }, expect: "Allow" },
  { name: "DateNotEquals with the key missing is true", ...get, identity: when({ DateNotEquals: { "acs:CurrentTime": "2026-11-25T10:00:00Z" } }), expect: "Allow" },
  { name: "Bool SecureTransport true over https", ...get, identity: when({ Bool: { "acs:SecureTransport": "true" } }), context: { "acs:SecureTransport": "true" }, expect: "Allow" },
  { name: "Bool SecureTransport true over http", ...get, identity: when({ Bool: { "acs:SecureTransport": "true" } }), context: { "acs:SecureTransport": "false" }, expect: "ImplicitDeny" },
  { name: "Bool with a JSON boolean and a missing key", ...get, identity: when({ Bool: { "acs:SecureTransport": true } }), expect: "ImplicitDeny" },
  { name: "Bool Deny on insecure transport", ...get, identity: denyWhen({ Bool: { "acs:SecureTransport": "false" } }), context: { "acs:SecureTransport": "FALSE" }, expect: "ExplicitDeny" },
];

const ipRows: Row[] = [
  { name: "IpAddress v4 CIDR inside", ...get, identity: when({ IpAddress: { "acs:SourceIp": "10.0.0.0/8" } }), context: { "acs:SourceIp": "10.1.2.3" }, expect: "Allow" },
  { name: "IpAddress v4 CIDR outside", ...get, identity: when({ IpAddress: { "acs:SourceIp": "10.0.0.0/8" } }), context: { "acs:SourceIp": "11.1.2.3" }, expect: "ImplicitDeny" },
  { name: "IpAddress single IP among several values", ...get, identity: when({ IpAddress: { "acs:SourceIp": ["192.168.0.0/16", "203.0.113.7"] } }), context: { "acs:SourceIp": "203.0.113.7" }, expect: "Allow" },
  { name: "IpAddress v6 CIDR inside", ...get, identity: when({ IpAddress: { "acs:SourceIp": "2001:db8::/32" } }), context: { "acs:SourceIp": "2001:db8:1::5" }, expect: "Allow" },
  { name: "IpAddress v6 CIDR outside", ...get, identity: when({ IpAddress: { "acs:SourceIp": "2001:db8::/32" } }), context: { "acs:SourceIp": "2001:db9::5" }, expect: "ImplicitDeny" },
  { name: "IpAddress: IPv4-mapped IPv6 request address is read as v4", ...get, identity: when({ IpAddress: { "acs:SourceIp": "127.0.0.0/8" } }), context: { "acs:SourceIp": "::ffff:127.0.0.1" }, expect: "Allow" },
  { name: "IpAddress with an unparseable request address is false", ...get, identity: when({ IpAddress: { "acs:SourceIp": "0.0.0.0/0" } }), context: { "acs:SourceIp": "not-an-ip" }, expect: "ImplicitDeny" },
  { name: "NotIpAddress Deny: inside the corporate range", ...get, identity: denyWhen({ NotIpAddress: { "acs:SourceIp": ["10.0.0.0/8", "fd00::/8"] } }), context: { "acs:SourceIp": "fd12::1" }, expect: "Allow" },
  { name: "NotIpAddress Deny: outside the corporate range", ...get, identity: denyWhen({ NotIpAddress: { "acs:SourceIp": ["10.0.0.0/8", "fd00::/8"] } }), context: { "acs:SourceIp": "8.8.8.8" }, expect: "ExplicitDeny" },
  { name: "NotIpAddress Deny: source IP missing fires (fail closed)", ...get, identity: denyWhen({ NotIpAddress: { "acs:SourceIp": "10.0.0.0/8" } }), expect: "ExplicitDeny" },
  { name: "keys under one operator are AND-ed (one fails)", ...get, identity: when({ StringEquals: { "acs:UserAgent": "a", "acs:AccessId": "AK" } }), context: { "acs:UserAgent": "a", "acs:AccessId": "AK2" }, expect: "ImplicitDeny" },
  { name: "operators are AND-ed (all hold)", ...get, identity: when({ IpAddress: { "acs:SourceIp": "10.0.0.0/8" }, Bool: { "acs:SecureTransport": "true" } }), context: { "acs:SourceIp": "10.0.0.1", "acs:SecureTransport": "true" }, expect: "Allow" },
  { name: "operators are AND-ed (one fails)", ...get, identity: when({ IpAddress: { "acs:SourceIp": "10.0.0.0/8" }, Bool: { "acs:SecureTransport": "true" } }), context: { "acs:SourceIp": "10.0.0.1", "acs:SecureTransport": "false" }, expect: "ImplicitDeny" },
];

// oss-api.md §0 fact 10: image/codes needs oss:GetObject + oss:ProcessImm on the object, and
// imm:DetectImageCodes on the bound IMM project (checked separately), kms:Decrypt for SSE-KMS.
const PROJECT = immProjectArn("cn-hangzhou", OWNER, "codes");
const KEY = kmsKeyArn("cn-hangzhou", OWNER, "k-1");
const onlyGet = { p: [allow("oss:GetObject", "acs:oss:*:*:b/*")] };
const getAndProcess = { p: [allow(["oss:GetObject", "oss:ProcessImm"], "acs:oss:*:*:b/*")] };
const imageCodesRows: Row[] = [
  { name: "image/codes: only oss:GetObject ⇒ ProcessImm denied", action: "oss:ProcessImm", identity: onlyGet, expect: "ImplicitDeny" },
  { name: "image/codes: only oss:GetObject ⇒ GetObject allowed", action: "oss:GetObject", identity: onlyGet, expect: "Allow" },
  { name: "image/codes: + oss:ProcessImm ⇒ allowed on the OSS side", action: "oss:ProcessImm", identity: getAndProcess, expect: "Allow" },
  { name: "image/codes: OSS policies say nothing about the IMM project", action: "imm:DetectImageCodes", resource: PROJECT, identity: getAndProcess, expect: "ImplicitDeny" },
  { name: "image/codes: AliyunIMMFullAccess allows DetectImageCodes", action: "imm:DetectImageCodes", resource: PROJECT, identity: { ...getAndProcess, AliyunIMMFullAccess: "system" }, expect: "Allow", policyName: "AliyunIMMFullAccess" },
  { name: "image/codes: IMM grant on another project", action: "imm:DetectImageCodes", resource: PROJECT, identity: { p: [allow("imm:DetectImageCodes", "acs:imm:*:*:project/other")] }, expect: "ImplicitDeny" },
  { name: "image/codes: IMM grant on this project by wildcard region", action: "imm:DetectImageCodes", resource: PROJECT, identity: { p: [allow("imm:Detect*", `acs:imm:*:${OWNER}:project/codes`)] }, expect: "Allow" },
  { name: "image/codes: SSE-KMS needs kms:Decrypt", action: "kms:Decrypt", resource: KEY, identity: { ...getAndProcess, AliyunIMMFullAccess: "system" }, expect: "ImplicitDeny" },
  { name: "image/codes: kms:Decrypt on the key", action: "kms:Decrypt", resource: KEY, identity: { p: [allow("kms:Decrypt", "acs:kms:*:*:key/*")] }, expect: "Allow" },
];

describe("evaluate: String conditions", () => runTable(stringRows));
describe("evaluate: Numeric, Date and Bool conditions", () => runTable(numericDateBoolRows));
describe("evaluate: IP conditions and AND/OR combination", () => runTable(ipRows));
describe("evaluate: image/codes permission scenario", () => runTable(imageCodesRows));

describe("evaluateAll and helpers", () => {
  const base = { principal: alice, resource: ossResourceArn(OWNER, "b", "qr.png"), ownerAccountId: OWNER };
  it("returns the first denied action (GetObject ok, ProcessImm denied)", () => {
    const r = evaluateAll({ ...base, identityPolicies: [{ name: "p", document: identityDoc(allow("oss:GetObject")) }] }, ["oss:GetObject", "oss:ProcessImm"]);
    assert.equal(r.allowed, false);
    assert.equal(r.action, "oss:ProcessImm");
  });
  it("returns the last Allow when every action is allowed", () => {
    const r = evaluateAll({ ...base, identityPolicies: [{ name: "full", document: SYSTEM_POLICIES.AliyunOSSFullAccess }] }, ["oss:GetObject", "oss:ProcessImm"]);
    assert.equal(r.allowed, true);
    assert.equal(r.action, "oss:ProcessImm");
  });
  it("builds ARNs", () => {
    assert.equal(ossResourceArn("1"), "acs:oss:*:1:*");
    assert.equal(ossResourceArn("1", "b"), "acs:oss:*:1:b");
    assert.equal(ossResourceArn("1", "b", "a/b.png"), "acs:oss:*:1:b/a/b.png");
    assert.equal(immProjectArn("cn-hangzhou", "1", "p"), "acs:imm:cn-hangzhou:1:project/p");
    assert.equal(kmsKeyArn("cn-hangzhou", "1", "k"), "acs:kms:cn-hangzhou:1:key/k");
  });
  it("ships the system policies as Alibaba Cloud defines them", () => {
    assert.deepEqual(Object.keys(SYSTEM_POLICIES).sort(), ["AliyunIMMFullAccess", "AliyunOSSFullAccess", "AliyunOSSReadOnlyAccess"]);
    assert.equal(SYSTEM_POLICIES.AliyunIMMFullAccess.statements.length, 4);
    const r = evaluate({ ...base, action: "ram:PassRole", resource: "acs:ram::1000:role/imm", context: { "acs:Service": "imm.aliyuncs.com" }, identityPolicies: [{ name: "imm", document: SYSTEM_POLICIES.AliyunIMMFullAccess }] });
    assert.equal(r.allowed, true);
  });
  it("accepts the authenticator's Principal as is", () => {
    const p: Principal = { accountId: OWNER, kind: "user", name: "alice", arn: `acs:ram::${OWNER}:user/alice`, accessKeyId: "AK" };
    const r = evaluate({ ...base, principal: p, action: "oss:GetObject", identityPolicies: [{ name: "ro", document: SYSTEM_POLICIES.AliyunOSSReadOnlyAccess }] });
    assert.equal(r.decision, "Allow");
  });
  it("requestContext uses the documented keys and formats", () => {
    const ctx = requestContext({ sourceIp: "10.0.0.1", secureTransport: true, now: new Date(Date.UTC(2026, 10, 25, 10, 0, 0, 123)), userAgent: "ua", accessKeyId: "AK", prefix: "a/", delimiter: "/", extra: { "oss:BucketTag/env": "prod" } });
    assert.deepEqual(ctx, {
      "oss:BucketTag/env": "prod", "acs:SourceIp": "10.0.0.1", "acs:SecureTransport": "true", "acs:CurrentTime": "2026-11-25T10:00:00Z",
      "acs:UserAgent": "ua", "acs:AccessId": "AK", "oss:Prefix": "a/", "oss:Delimiter": "/",
    });
    const policy = parsePolicy(JSON.stringify({ Version: "1", Statement: [allow("oss:GetObject", "*", { Condition: { DateLessThan: { "acs:CurrentTime": "2026-12-01T00:00:00Z" }, IpAddress: { "acs:SourceIp": "10.0.0.0/8" }, Bool: { "acs:SecureTransport": "true" } } })] }), "identity");
    assert.equal(evaluate({ ...base, action: "oss:GetObject", context: ctx, identityPolicies: [{ name: "p", document: policy }] }).allowed, true);
  });
  it("explains denials", () => {
    const r = evaluate({ ...base, action: "oss:GetObject" });
    assert.match(r.reason, /no policy or ACL allows acs:ram::1000:user\/alice oss:GetObject/);
  });
});
