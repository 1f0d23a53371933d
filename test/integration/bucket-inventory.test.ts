/**
 * Bucket inventory configurations (Put/Get/List/DeleteBucketInventory) and ListLiveChannel with
 * the real ali-oss (V1 and V4): validation as OSS documents it, the stored configuration read back
 * in ali-oss's shape, paging, and the empty live-channel list ali-oss's own cleanup reads.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { startServer, type TestServer } from "./harness.js";
import { ossClient, ossError, type AliOssClient } from "./ali-oss.js";
import { rawRequest } from "./raw-client.js";

for (const v4 of [false, true]) {
  describe(`bucket inventory and live channels with ali-oss ${v4 ? "V4" : "V1"}`, () => {
    let server: TestServer;
    let client: AliOssClient;
    let account: string;
    const bucket = v4 ? "inventory-v4" : "inventory-v1";
    const dest = `${bucket}-dest`;
    const config = (id: string, extra: Record<string, unknown> = {}) => ({
      id, isEnabled: true, prefix: "logs/",
      OSSBucketDestination: { format: "CSV", accountId: account, rolename: "AliyunOSSRole", bucket: dest, prefix: "inv/", encryption: { "SSE-OSS": "" } },
      frequency: "Weekly", includedObjectVersions: "Current", optionalFields: { field: ["Size", "ETag"] }, ...extra,
    });

    before(async () => {
      server = await startServer();
      client = ossClient(server, { bucket, v4 });
      await client.putBucket(bucket);
      await client.putBucket(dest);
      account = (await client.listBuckets()).owner.id;
    });
    after(async () => {
      await server.stop();
      server.cleanup();
    });

    it("stores a configuration and reads it back as ali-oss sent it", async () => {
      const empty = await client.listBucketInventory(bucket);
      assert.equal(empty.status, 200);
      assert.equal(empty.inventoryList?.length ?? 0, 0, "no InventoryConfiguration element");
      await client.putBucketInventory(bucket, config("weekly"));
      const got = (await client.getBucketInventory(bucket, "weekly")).inventory;
      assert.equal(got.id, "weekly");
      assert.equal(got.isEnabled, true);
      assert.equal(got.prefix, "logs/");
      assert.equal(got.frequency, "Weekly");
      assert.equal(got.includedObjectVersions, "Current");
      assert.deepEqual(got.optionalFields.field, ["Size", "ETag"]);
      assert.deepEqual(got.OSSBucketDestination, { format: "CSV", accountId: account, rolename: "AliyunOSSRole", bucket: dest, prefix: "inv/", encryption: { "SSE-OSS": "" } });
      assert.equal((await ossError(() => client.putBucketInventory(bucket, config("weekly")))).code, "InventoryAlreadyExist");
      assert.equal((await ossError(() => client.getBucketInventory(bucket, "nope"))).code, "NoSuchInventory");
    });

    it("validates the destination, account, id and enumerations", async () => {
      const bad = async (c: Record<string, unknown>) => (await ossError(() => client.putBucketInventory(bucket, c))).code;
      assert.equal(await bad(config("x1", { OSSBucketDestination: { ...config("x").OSSBucketDestination, bucket: "no-such-bucket" } })), "InvalidArgument");
      assert.equal(await bad(config("x2", { OSSBucketDestination: { ...config("x").OSSBucketDestination, accountId: "1234" } })), "InvalidArgument");
      assert.equal(await bad(config("x3", { frequency: "Hourly" })), "InvalidArgument");
      assert.equal(await bad(config("x4", { optionalFields: { field: ["Colour"] } })), "InvalidArgument");
      const mismatch = await rawRequest(server.ossPort, {
        method: "PUT", bucket, query: [["inventory", ""], ["inventoryId", "a"]],
        body: Buffer.from("<InventoryConfiguration><Id>b</Id></InventoryConfiguration>"),
      });
      assert.equal(mismatch.status, 400);
    });

    it("pages the list 100 at a time and deletes", async () => {
      for (let i = 0; i < 101; i++) await client.putBucketInventory(bucket, config(`p${String(i).padStart(3, "0")}`));
      const first = await client.listBucketInventory(bucket);
      assert.equal(first.inventoryList.length, 100);
      assert.equal(first.isTruncated, true);
      const second = await client.listBucketInventory(bucket, { continuationToken: first.nextContinuationToken });
      assert.equal(second.inventoryList.length, 2);
      assert.equal(second.isTruncated, false);
      assert.equal((await client.deleteBucketInventory(bucket, "weekly")).status, 204);
      assert.equal((await ossError(() => client.getBucketInventory(bucket, "weekly"))).status, 404);
    });

    it("lists no live channels", async () => {
      const listed = await client.listChannels();
      assert.deepEqual(listed.channels, []);
      assert.equal(listed.isTruncated, false);
    });
  });
}
