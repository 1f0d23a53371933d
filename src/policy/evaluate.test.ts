import { describe } from "node:test";
import { ossResourceArn } from "./evaluate.js";
import { allow, alice, bob, carol, deny, OTHER, otherRoot, OWNER, ownerRoot, runTable, uploader, type Row } from "./table-fixtures.js";

const BUCKET = ossResourceArn(OWNER, "b");
const obj = (key: string, bucket = "b"): string => ossResourceArn(OWNER, bucket, key);
const https = { "acs:SecureTransport": "true" };
const http = { "acs:SecureTransport": "false" };
const onlyHttps = { Condition: { Bool: { "acs:SecureTransport": "false" } } };

const identityRows: Row[] = [
  { name: "no policies at all: implicit deny", action: "oss:GetObject", expect: "ImplicitDeny", source: "none" },
  { name: "AliyunOSSFullAccess allows DeleteBucket", action: "oss:DeleteBucket", resource: BUCKET, identity: { AliyunOSSFullAccess: "system" }, expect: "Allow", source: "identity", policyName: "AliyunOSSFullAccess" },
  { name: "AliyunOSSReadOnlyAccess allows GetObject", action: "oss:GetObject", identity: { AliyunOSSReadOnlyAccess: "system" }, expect: "Allow", source: "identity" },
  { name: "AliyunOSSReadOnlyAccess allows ListObjects", action: "oss:ListObjects", resource: BUCKET, identity: { AliyunOSSReadOnlyAccess: "system" }, expect: "Allow" },
  { name: "AliyunOSSReadOnlyAccess does not allow PutObject", action: "oss:PutObject", identity: { AliyunOSSReadOnlyAccess: "system" }, expect: "ImplicitDeny" },
  { name: "oss:Get* on bucket/dir/* allows an object under dir/", action: "oss:GetObject", resource: obj("dir/x.png"), identity: { p: [allow("oss:Get*", "acs:oss:*:*:b/dir/*")] }, expect: "Allow" },
  { name: "resource * spans slashes (dir/sub/x)", action: "oss:GetObject", resource: obj("dir/sub/x"), identity: { p: [allow("oss:Get*", "acs:oss:*:*:b/dir/*")] }, expect: "Allow" },
  { name: "bucket/dir/* does not cover other/", action: "oss:GetObject", resource: obj("other/x"), identity: { p: [allow("oss:Get*", "acs:oss:*:*:b/dir/*")] }, expect: "ImplicitDeny" },
  { name: "bucket/* does not cover the bucket ARN itself", action: "oss:ListObjects", resource: BUCKET, identity: { p: [allow("oss:*", "acs:oss:*:*:b/*")] }, expect: "ImplicitDeny" },
  { name: "bucket/* does not cover another bucket with the same prefix", action: "oss:GetObject", resource: obj("k", "b2"), identity: { p: [allow("oss:*", "acs:oss:*:*:b/*")] }, expect: "ImplicitDeny" },
  { name: "? matches exactly one character", action: "oss:GetObject", resource: obj("img-1.png"), identity: { p: [allow("oss:GetObject", "acs:oss:*:*:b/img-?.png")] }, expect: "Allow" },
  { name: "? does not match two characters", action: "oss:GetObject", resource: obj("img-10.png"), identity: { p: [allow("oss:GetObject", "acs:oss:*:*:b/img-?.png")] }, expect: "ImplicitDeny" },
  { name: "action names are case-insensitive (policy upper case)", action: "oss:GetObject", identity: { p: [allow("OSS:GETOBJECT")] }, expect: "Allow" },
  { name: "action names are case-insensitive (request lower case)", action: "oss:getobject", identity: { p: [allow("oss:GetObject")] }, expect: "Allow" },
  { name: "action wildcards are case-insensitive", action: "oss:GetObject", identity: { p: [allow("oss:get*")] }, expect: "Allow" },
  { name: "resources are case-sensitive", action: "oss:GetObject", identity: { p: [allow("oss:GetObject", "acs:oss:*:*:B/*")] }, expect: "ImplicitDeny" },
  { name: "oss:*Object matches DeleteObject", action: "oss:DeleteObject", identity: { p: [allow("oss:*Object")] }, expect: "Allow" },
  { name: "oss:*Object does not match ListObjects", action: "oss:ListObjects", resource: BUCKET, identity: { p: [allow("oss:*Object")] }, expect: "ImplicitDeny" },
  { name: "Action * covers other services (imm)", action: "imm:DetectImageCodes", resource: "acs:imm:cn-hangzhou:1000:project/p", identity: { p: [allow("*")] }, expect: "Allow" },
  { name: "oss:* does not cover imm actions", action: "imm:DetectImageCodes", resource: "acs:imm:cn-hangzhou:1000:project/p", identity: { AliyunOSSFullAccess: "system" }, expect: "ImplicitDeny" },
  { name: "resource pinned to the owner's uid matches", action: "oss:GetObject", identity: { p: [allow("oss:GetObject", `acs:oss:*:${OWNER}:b/*`)] }, expect: "Allow" },
  { name: "resource pinned to another uid does not match", action: "oss:GetObject", identity: { p: [allow("oss:GetObject", `acs:oss:*:${OTHER}:b/*`)] }, expect: "ImplicitDeny" },
  { name: "NotAction Allow grants everything else", action: "oss:GetObject", identity: { p: [{ Effect: "Allow", NotAction: "oss:Delete*", Resource: "*" }] }, expect: "Allow" },
  { name: "NotAction Allow does not grant the listed action", action: "oss:DeleteObject", identity: { p: [{ Effect: "Allow", NotAction: "oss:Delete*", Resource: "*" }] }, expect: "ImplicitDeny" },
  { name: "NotAction Deny denies all but reads", action: "oss:PutObject", identity: { p: [allow("oss:*"), { Effect: "Deny", NotAction: ["oss:Get*", "oss:List*"], Resource: "*" }] }, expect: "ExplicitDeny", statementIndex: 1 },
  { name: "NotAction Deny leaves the listed reads alone", action: "oss:GetObject", identity: { p: [allow("oss:*"), { Effect: "Deny", NotAction: ["oss:Get*", "oss:List*"], Resource: "*" }] }, expect: "Allow" },
  { name: "NotResource Allow grants outside the excluded prefix", action: "oss:GetObject", identity: { p: [{ Effect: "Allow", Action: "oss:GetObject", NotResource: "acs:oss:*:*:b/secret/*" }] }, expect: "Allow" },
  { name: "NotResource Allow does not grant inside the excluded prefix", action: "oss:GetObject", resource: obj("secret/x"), identity: { p: [{ Effect: "Allow", Action: "oss:GetObject", NotResource: "acs:oss:*:*:b/secret/*" }] }, expect: "ImplicitDeny" },
  { name: "NotResource Deny fences a user into one bucket", action: "oss:GetObject", resource: obj("k", "c"), identity: { p: [allow("oss:*"), { Effect: "Deny", Action: "oss:*", NotResource: ["acs:oss:*:*:b", "acs:oss:*:*:b/*"] }] }, expect: "ExplicitDeny" },
  { name: "NotResource Deny leaves the fenced bucket usable", action: "oss:GetObject", identity: { p: [allow("oss:*"), { Effect: "Deny", Action: "oss:*", NotResource: ["acs:oss:*:*:b", "acs:oss:*:*:b/*"] }] }, expect: "Allow" },
  { name: "Deny beats Allow in the same policy", action: "oss:DeleteObject", identity: { p: [allow("oss:*"), deny("oss:DeleteObject")] }, expect: "ExplicitDeny", source: "identity", statementIndex: 1, policyName: "p" },
  { name: "Deny in a second policy beats Allow in the first", action: "oss:PutObject", identity: { AliyunOSSFullAccess: "system", noWrites: [deny("oss:Put*")] }, expect: "ExplicitDeny", policyName: "noWrites" },
  { name: "Deny beats the ACL", action: "oss:GetObject", identity: { p: [deny("oss:GetObject")] }, acl: true, expect: "ExplicitDeny" },
  { name: "a Deny for another resource does not apply", action: "oss:GetObject", identity: { p: [allow("oss:*"), deny("oss:*", "acs:oss:*:*:c/*")] }, expect: "Allow" },
];

const ownerAndAclRows: Row[] = [
  { name: "owner root with no policies", principal: ownerRoot, action: "oss:DeleteBucket", resource: BUCKET, expect: "Allow", source: "owner" },
  { name: "another account's root without grants", principal: otherRoot, action: "oss:GetObject", expect: "ImplicitDeny", source: "none" },
  { name: "another account's root through the ACL", principal: otherRoot, action: "oss:GetObject", acl: true, expect: "Allow", source: "acl" },
  { name: "anonymous through the ACL", principal: "anonymous", action: "oss:GetObject", acl: true, expect: "Allow", source: "acl" },
  { name: "anonymous without ACL", principal: "anonymous", action: "oss:GetObject", expect: "ImplicitDeny" },
  { name: "the owner's RAM user is not the owner", principal: bob, action: "oss:GetObject", expect: "ImplicitDeny" },
  { name: "cross-account identity policy does not grant on our bucket", principal: carol, action: "oss:GetObject", identity: { AliyunOSSFullAccess: "system" }, expect: "ImplicitDeny", source: "none" },
];

const bucketRows: Row[] = [
  { name: "bucket Principal * allows anonymous", principal: "anonymous", action: "oss:GetObject", bucket: [allow("oss:GetObject", "acs:oss:*:*:b/*", { Principal: ["*"] })], expect: "Allow", source: "bucket" },
  { name: "bucket Principal * allows a RAM user of the owner", action: "oss:GetObject", bucket: [allow("oss:GetObject", "acs:oss:*:*:b/*", { Principal: ["*"] })], expect: "Allow", source: "bucket" },
  { name: "bucket Principal * allows another account's user", principal: carol, action: "oss:GetObject", bucket: [allow("oss:GetObject", "acs:oss:*:*:b/*", { Principal: ["*"] })], expect: "Allow", source: "bucket" },
  { name: "bucket Principal [] ≡ [*]", principal: "anonymous", action: "oss:GetObject", bucket: [allow("oss:GetObject", "acs:oss:*:*:b/*", { Principal: [] })], expect: "Allow" },
  { name: "bucket Principal \"*\" string", principal: "anonymous", action: "oss:GetObject", bucket: [allow("oss:GetObject", "acs:oss:*:*:b/*", { Principal: "*" })], expect: "Allow" },
  { name: "bucket Deny * without Condition spares the owner root", principal: ownerRoot, action: "oss:DeleteObject", bucket: [deny("oss:DeleteObject", "acs:oss:*:*:b/*", { Principal: ["*"] })], expect: "Allow", source: "owner" },
  { name: "bucket Deny * without Condition hits the owner's RAM user", action: "oss:DeleteObject", identity: { AliyunOSSFullAccess: "system" }, bucket: [deny("oss:DeleteObject", "acs:oss:*:*:b/*", { Principal: ["*"] })], expect: "ExplicitDeny", source: "bucket" },
  { name: "bucket Deny * without Condition hits anonymous ACL access", principal: "anonymous", action: "oss:GetObject", acl: true, bucket: [deny("oss:GetObject", "acs:oss:*:*:b/*", { Principal: ["*"] })], expect: "ExplicitDeny" },
  { name: "bucket Deny * with Condition locks out the owner root (http)", principal: ownerRoot, action: "oss:GetObject", context: http, bucket: [deny("oss:*", "acs:oss:*:*:b/*", { Principal: ["*"], ...onlyHttps })], expect: "ExplicitDeny", source: "bucket" },
  { name: "bucket Deny * with Condition not met: owner root fine (https)", principal: ownerRoot, action: "oss:GetObject", context: https, bucket: [deny("oss:*", "acs:oss:*:*:b/*", { Principal: ["*"], ...onlyHttps })], expect: "Allow", source: "owner" },
  { name: "bucket Deny * with Condition hits anonymous", principal: "anonymous", action: "oss:GetObject", acl: true, context: http, bucket: [deny("oss:*", "acs:oss:*:*:b/*", { Principal: ["*"], ...onlyHttps })], expect: "ExplicitDeny" },
  { name: "bucket Allow * without Condition is not needed by the owner (still owner)", principal: ownerRoot, action: "oss:GetObject", bucket: [allow("oss:GetObject", "acs:oss:*:*:b/*", { Principal: ["*"] })], expect: "Allow", source: "owner" },
  { name: "bucket Deny naming the owner uid applies to the owner", principal: ownerRoot, action: "oss:DeleteBucket", resource: BUCKET, bucket: [deny("oss:DeleteBucket", "acs:oss:*:*:b", { Principal: [OWNER] })], expect: "ExplicitDeny" },
  { name: "bucket Deny beats identity Allow", action: "oss:PutObject", identity: { AliyunOSSFullAccess: "system" }, bucket: [deny("oss:PutObject", "acs:oss:*:*:b/*", { Principal: [alice.userId] })], expect: "ExplicitDeny", source: "bucket" },
  { name: "identity Deny beats bucket Allow", action: "oss:GetObject", identity: { p: [deny("oss:GetObject")] }, bucket: [allow("oss:GetObject", "acs:oss:*:*:b/*", { Principal: ["*"] })], expect: "ExplicitDeny", source: "identity" },
  { name: "cross-account root named by uid", principal: otherRoot, action: "oss:GetObject", bucket: [allow("oss:GetObject", "acs:oss:*:*:b/*", { Principal: [OTHER] })], expect: "Allow", source: "bucket" },
  { name: "account uid delegates: its RAM user without identity Allow is denied", principal: carol, action: "oss:GetObject", bucket: [allow("oss:GetObject", "acs:oss:*:*:b/*", { Principal: [OTHER] })], expect: "ImplicitDeny" },
  { name: "account uid delegates: its RAM user with identity Allow is allowed", principal: carol, action: "oss:GetObject", identity: { AliyunOSSReadOnlyAccess: "system" }, bucket: [allow("oss:GetObject", "acs:oss:*:*:b/*", { Principal: [OTHER] })], expect: "Allow", source: "bucket" },
  { name: "cross-account RAM user named by its own uid", principal: carol, action: "oss:GetObject", bucket: [allow("oss:GetObject", "acs:oss:*:*:b/*", { Principal: ["3002"] })], expect: "Allow", source: "bucket" },
  { name: "cross-account RAM user named by ARN", principal: carol, action: "oss:GetObject", bucket: [allow("oss:GetObject", "acs:oss:*:*:b/*", { Principal: ["acs:ram::3000:user/carol"] })], expect: "Allow" },
  { name: "{RAM: [acs:ram::uid:root]} names the other root", principal: otherRoot, action: "oss:GetObject", bucket: [allow("oss:GetObject", "acs:oss:*:*:b/*", { Principal: { RAM: ["acs:ram::3000:root"] } })], expect: "Allow" },
  { name: "a grant to alice's uid does not reach bob", principal: bob, action: "oss:GetObject", bucket: [allow("oss:GetObject", "acs:oss:*:*:b/*", { Principal: ["2001"] })], expect: "ImplicitDeny" },
  { name: "role session named as arn:sts::…:assumed-role/role/*", principal: uploader, action: "oss:PutObject", bucket: [allow("oss:PutObject", "acs:oss:*:*:b/*", { Principal: ["arn:sts::1000:assumed-role/uploader/*"] })], expect: "Allow", source: "bucket" },
  { name: "role named as acs:ram::uid:role/name covers its sessions", principal: uploader, action: "oss:PutObject", bucket: [allow("oss:PutObject", "acs:oss:*:*:b/*", { Principal: ["acs:ram::1000:role/uploader"] })], expect: "Allow" },
  { name: "another role is not covered", principal: uploader, action: "oss:PutObject", bucket: [allow("oss:PutObject", "acs:oss:*:*:b/*", { Principal: ["acs:ram::1000:role/reader"] })], expect: "ImplicitDeny" },
  { name: "doc example: ListObjects with oss:Prefix inside hangzhou/2020/", principal: carol, action: "oss:ListObjects", resource: BUCKET, context: { "oss:Prefix": "hangzhou/2020/03" }, bucket: [allow(["oss:ListObjects", "oss:GetObject"], [`acs:oss:*:${OWNER}:b`], { Principal: ["3002"], Condition: { StringLike: { "oss:Prefix": ["hangzhou/2020/*"] } } })], expect: "Allow" },
  { name: "doc example: ListObjects with another prefix", principal: carol, action: "oss:ListObjects", resource: BUCKET, context: { "oss:Prefix": "beijing/" }, bucket: [allow(["oss:ListObjects"], [`acs:oss:*:${OWNER}:b`], { Principal: ["3002"], Condition: { StringLike: { "oss:Prefix": ["hangzhou/2020/*"] } } })], expect: "ImplicitDeny" },
  { name: "doc example: ListObjects without a prefix", principal: carol, action: "oss:ListObjects", resource: BUCKET, bucket: [allow(["oss:ListObjects"], [`acs:oss:*:${OWNER}:b`], { Principal: ["3002"], Condition: { StringLike: { "oss:Prefix": ["hangzhou/2020/*"] } } })], expect: "ImplicitDeny" },
];

const sessionRows: Row[] = [
  { name: "session policy ∩ role policy: allowed by both", principal: uploader, action: "oss:GetObject", identity: { role: [allow("oss:*")] }, session: [allow("oss:GetObject", "acs:oss:*:*:b/*")], expect: "Allow", source: "identity" },
  { name: "session policy narrows: role allows, session does not", principal: uploader, action: "oss:PutObject", identity: { role: [allow("oss:*")] }, session: [allow("oss:GetObject", "acs:oss:*:*:b/*")], expect: "ImplicitDeny", source: "session" },
  { name: "session policy cannot widen: session allows, role does not", principal: uploader, action: "oss:PutObject", identity: { role: [allow("oss:GetObject")] }, session: [allow("oss:*")], expect: "ImplicitDeny", source: "none" },
  { name: "session policy Deny is explicit", principal: uploader, action: "oss:DeleteObject", identity: { role: [allow("oss:*")] }, session: [allow("oss:*"), deny("oss:DeleteObject")], expect: "ExplicitDeny", source: "session", statementIndex: 1 },
  { name: "session policy narrows a bucket-policy grant too", principal: uploader, action: "oss:PutObject", session: [allow("oss:GetObject")], bucket: [allow("oss:PutObject", "acs:oss:*:*:b/*", { Principal: ["acs:ram::1000:role/uploader"] })], expect: "ImplicitDeny", source: "session" },
  { name: "session narrowed, but the ACL still applies", principal: uploader, action: "oss:GetObject", identity: { role: [allow("oss:*")] }, session: [allow("oss:ListObjects")], acl: true, expect: "Allow", source: "acl" },
  { name: "session resource narrowing (other prefix)", principal: uploader, action: "oss:PutObject", resource: obj("users/s2/x"), identity: { role: [allow("oss:PutObject")] }, session: [allow("oss:PutObject", "acs:oss:*:*:b/users/s1/*")], expect: "ImplicitDeny", source: "session" },
  { name: "session resource narrowing (own prefix)", principal: uploader, action: "oss:PutObject", resource: obj("users/s1/x"), identity: { role: [allow("oss:PutObject")] }, session: [allow("oss:PutObject", "acs:oss:*:*:b/users/s1/*")], expect: "Allow" },
];

describe("evaluate: identity policies, wildcards, NotAction/NotResource, Deny", () => runTable(identityRows));
describe("evaluate: owner and ACL fallbacks", () => runTable(ownerAndAclRows));
describe("evaluate: bucket policies and principals", () => runTable(bucketRows));
describe("evaluate: STS session policies", () => runTable(sessionRows));
