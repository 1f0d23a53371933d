/**
 * Behind a load balancer (BARBUCKET_TRUSTED_PROXIES): the real server takes the client's address from the
 * X-Forwarded-For its trusted proxy wrote — so a bucket policy's acs:SourceIp condition sees the client, not the
 * load balancer — and never from a header a client wrote itself.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startServer, type TestServer } from "./harness.js";
import { ossClient } from "./ali-oss.js";

const BUCKET = "behind-lb";

describe("X-Forwarded-For from a trusted load balancer", () => {
  let trusting: TestServer;
  let plain: TestServer;

  before(async () => {
    [trusting, plain] = await Promise.all([startServer({ env: { BARBUCKET_TRUSTED_PROXIES: "127.0.0.1" } }), startServer()]);
    for (const server of [trusting, plain]) {
      const root = ossClient(server, { bucket: BUCKET });
      await root.putBucket(BUCKET);
      await root.put("doc.txt", Buffer.from("for the office only"));
      // Anonymous reads, but only from the office network.
      await root.putBucketPolicy(BUCKET, {
        Version: "1",
        Statement: [{
          Effect: "Allow", Action: ["oss:GetObject"], Principal: ["*"], Resource: [`acs:oss:*:*:${BUCKET}/*`],
          Condition: { IpAddress: { "acs:SourceIp": ["203.0.113.0/24"] } },
        }],
      });
    }
  });
  after(async () => {
    for (const server of [trusting, plain]) {
      await server?.stop();
      server?.cleanup();
    }
  });

  const get = (server: TestServer, forwardedFor?: string) =>
    fetch(`${server.endpoint}/${BUCKET}/doc.txt`, { headers: forwardedFor ? { "x-forwarded-for": forwardedFor } : {} }).then((r) => r.status);

  it("the client the trusted proxy names is the request's source address", async () => {
    assert.equal(await get(trusting, "203.0.113.9"), 200);
    assert.equal(await get(trusting, "198.51.100.1"), 403);
    assert.equal(await get(trusting), 403, "the proxy's own address is not the office's");
    // A client's forged entry comes before the address the proxy appends: the proxy's entry decides.
    assert.equal(await get(trusting, "203.0.113.9, 198.51.100.1"), 403);
  });

  it("without BARBUCKET_TRUSTED_PROXIES the header is ignored", async () => {
    assert.equal(await get(plain, "203.0.113.9"), 403);
  });
});
