import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Authorizer } from "./authorize.js";
import { authorizeBucketAccess, decideBucketAccess, type BucketAccessQuery } from "./bucket-access.js";
import { MemoryMetadataStore } from "../storage/memory-metadata.js";
import type { Principal } from "../auth/types.js";
import type { Acl, BucketRecord, ObjectAcl, ObjectRecord } from "../storage/types.js";

const alice: Principal = { accountId: "1000", kind: "user", name: "alice", arn: "acs:ram::1000:user/alice", accessKeyId: "AK" };
const bucketPolicies = new Map<string, string>();
const alicePolicies = [{ name: "read-b", document: JSON.stringify({ Version: "1", Statement: [{ Effect: "Allow", Action: "oss:GetObject", Resource: "acs:oss:*:*:b/*" }] }) }];
const authorizer = new Authorizer({ identityPolicies: async (p) => (p.name === "alice" ? alicePolicies : []) });
const meta = new MemoryMetadataStore();
// A map stands for the bucket policy store (its own conformance suite is in iam/).
const deps = { authorizer, meta, iam: { bucketPolicies: { get: async (bucket: string) => bucketPolicies.get(bucket) } } };

async function bucket(name: string, acl: Acl): Promise<BucketRecord> {
  const record: BucketRecord = { name, owner: "1000", acl, storageClass: "Standard", createdAt: new Date(0), region: "oss-cn-hangzhou" };
  await meta.createBucket(record);
  return record;
}

async function object(bucketName: string, key: string, acl: ObjectAcl): Promise<void> {
  const record: ObjectRecord = {
    bucket: bucketName, key, size: 0, etag: "D41D8CD98F00B204E9800998ECF8427E", crc64: "0", lastModified: new Date(0),
    contentType: "application/octet-stream", headers: {}, userMeta: {}, acl, storageClass: "Standard", type: "Normal", segments: [], owner: "1000",
  };
  await meta.putObject(record);
}

const query = (b: BucketRecord, key: string, principal: Principal | undefined = undefined): BucketAccessQuery => ({ principal, actions: ["oss:GetObject"], bucket: b, key, context: {} });

describe("bucket and object access", async () => {
  const open = await bucket("open", "public-read");
  const closed = await bucket("closed", "private");
  await object("open", "default.png", "default");
  await object("open", "private.png", "private");
  await object("closed", "public.png", "public-read");
  await object("closed", "private.png", "default");

  it("a public-read bucket's ACL does not open an object whose own ACL is private", async () => {
    assert.equal((await decideBucketAccess(deps, query(open, "default.png"))).allowed, true);
    assert.equal((await decideBucketAccess(deps, query(open, "private.png"))).allowed, false);
    await assert.rejects(async () => await authorizeBucketAccess(deps, query(open, "private.png")), { code: "AccessDenied" });
  });

  it("an object's public-read ACL opens it in a private bucket", async () => {
    assert.equal((await decideBucketAccess(deps, query(closed, "public.png"))).allowed, true);
    assert.equal((await decideBucketAccess(deps, query(closed, "private.png"))).allowed, false);
  });

  it("a policy Allow does not depend on the object's ACL; a bucket-policy Deny wins over both", async () => {
    const b = await bucket("b", "public-read");
    await object("b", "private.png", "private");
    assert.equal((await decideBucketAccess(deps, query(b, "private.png", alice))).by.source, "identity");
    bucketPolicies.set("b", JSON.stringify({ Version: "1", Statement: [{ Effect: "Deny", Action: "oss:GetObject", Principal: ["*"], Resource: "acs:oss:*:1000:b/*" }] }));
    const denied = await decideBucketAccess(deps, query(b, "private.png", alice));
    assert.deepEqual([denied.allowed, denied.decision, denied.by.source], [false, "ExplicitDeny", "bucket"]);
    bucketPolicies.delete("b");
  });
});
