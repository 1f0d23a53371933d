/**
 * PutBucketWebsite / GetBucketWebsite / DeleteBucketWebsite and PutBucketLogging / GetBucketLogging /
 * DeleteBucketLogging with the real ali-oss (V1 and V4): configurations stored, validated and read
 * back in ali-oss's shape (routing rules element for element); GetBucketInfo names the log target.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { startServer, type TestServer } from "./harness.js";
import { ossClient, ossError, type AliOssClient } from "./ali-oss.js";
import { rawRequest } from "./raw-client.js";

for (const v4 of [false, true]) {
  describe(`bucket website and logging with ali-oss ${v4 ? "V4" : "V1"}`, () => {
    let server: TestServer;
    let client: AliOssClient;
    const bucket = v4 ? "site-v4" : "site-v1";

    before(async () => {
      server = await startServer();
      client = ossClient(server, { bucket, v4 });
      await client.putBucket(bucket);
      await client.putBucket(`${bucket}-logs`);
    });
    after(async () => {
      await server.stop();
      server.cleanup();
    });

    it("website: index, error document and routing rules round-trip; delete; 404 when none", async () => {
      assert.equal((await ossError(() => client.getBucketWebsite(bucket))).code, "NoSuchWebsiteConfiguration");
      const rule = {
        RuleNumber: "1",
        Condition: { KeyPrefixEquals: "abc/", HttpErrorCodeReturnedEquals: "404" },
        Redirect: { RedirectType: "Mirror", MirrorURL: "http://www.example.com/", MirrorHeaders: { PassAll: "true", Pass: ["h1", "h2"], Set: { Key: "k", Value: "v" } } },
      };
      await client.putBucketWebsite(bucket, { index: "home.html", supportSubDir: "true", type: "1", error: "oops.html", routingRules: [rule] });
      const got = await client.getBucketWebsite(bucket);
      assert.equal(got.index, "home.html");
      assert.equal(got.supportSubDir, "true");
      assert.equal(got.type, "1");
      assert.equal(got.error, "oops.html");
      assert.deepEqual(got.routingRules, [rule]);
      assert.equal((await client.deleteBucketWebsite(bucket)).res.status, 204);
      assert.equal((await ossError(() => client.getBucketWebsite(bucket))).status, 404);
    });

    it("website: validates the index suffix, rule numbers and redirect types", async () => {
      const put = (body: string) => rawRequest(server.ossPort, { method: "PUT", bucket, query: [["website", ""]], body: Buffer.from(body) });
      assert.equal((await put("<WebsiteConfiguration><IndexDocument><Suffix>a/b.html</Suffix></IndexDocument></WebsiteConfiguration>")).status, 400);
      assert.equal((await put("<WebsiteConfiguration><RoutingRules><RoutingRule><RuleNumber>0</RuleNumber><Redirect><RedirectType>Mirror</RedirectType></Redirect></RoutingRule></RoutingRules></WebsiteConfiguration>")).status, 400);
      assert.equal((await put("<WebsiteConfiguration><RoutingRules><RoutingRule><RuleNumber>1</RuleNumber><Redirect><RedirectType>Teleport</RedirectType></Redirect></RoutingRule></RoutingRules></WebsiteConfiguration>")).status, 400);
      assert.equal((await put("<WebsiteConfiguration></WebsiteConfiguration>")).status, 400);
    });

    it("logging: target of the same owner, read back and shown by GetBucketInfo; off again", async () => {
      const empty = await client.getBucketLogging(bucket);
      assert.equal(empty.enable, false);
      await client.putBucketLogging(bucket, "access/");
      const set = await client.getBucketLogging(bucket);
      assert.equal(set.enable, true);
      assert.equal(set.prefix, "access/");
      const info = (await client.getBucketInfo(bucket)).bucket;
      assert.equal(info.BucketPolicy.LogBucket, bucket);
      assert.equal(info.BucketPolicy.LogPrefix, "access/");
      const other = await rawRequest(server.ossPort, {
        method: "PUT", bucket, query: [["logging", ""]],
        body: Buffer.from("<BucketLoggingStatus><LoggingEnabled><TargetBucket>no-such-bucket</TargetBucket></LoggingEnabled></BucketLoggingStatus>"),
      });
      assert.equal(other.status, 400);
      assert.match(other.body, /InvalidTargetBucketForLogging/);
      assert.equal((await client.deleteBucketLogging(bucket)).res.status, 204);
      assert.equal((await client.getBucketLogging(bucket)).enable, false);
    });
  });
}
