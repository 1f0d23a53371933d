/** Start-up and shutdown: the generated root key is printed once; SIGTERM finishes in-flight requests. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { connect } from "node:net";
import { startServer } from "./harness.js";
import { buildRaw, rawRequest } from "./raw-client.js";
import { ossClient } from "./ali-oss.js";

describe("server lifecycle", () => {
  it("generates the root key once, prints it once, and keeps it across restarts", async () => {
    const noKeys = { BARBUCKET_ROOT_ACCESS_KEY_ID: "", BARBUCKET_ROOT_ACCESS_KEY_SECRET: "" };
    const first = await startServer({ env: noKeys });
    const idLine = first.logs.find((l) => l.includes("AccessKeyId:"));
    const secretLine = first.logs.find((l) => l.includes("AccessKeySecret:"));
    assert.ok(idLine && secretLine, "the generated key is printed");
    const accessKeyId = idLine.split(":")[1]!.trim();
    const accessKeySecret = secretLine.split(":")[1]!.trim();
    assert.equal(first.logs.filter((l) => l.includes(accessKeySecret)).length, 1, "the secret appears exactly once");
    await ossClient(first, { accessKeyId, accessKeySecret }).putBucket("keys-bucket");
    assert.equal(await first.stop(), 0);

    const second = await startServer({ dataDir: first.dataDir, env: noKeys });
    try {
      assert.ok(!second.logs.some((l) => l.includes("AccessKeySecret")), "not printed again");
      const buckets = await ossClient(second, { accessKeyId, accessKeySecret }).listBuckets();
      assert.deepEqual(buckets.buckets.map((b: { name: string }) => b.name), ["keys-bucket"]);
    } finally {
      await second.stop();
      second.cleanup();
    }
  });

  it("on SIGTERM stops accepting but completes the upload in flight, then exits 0", async () => {
    const server = await startServer();
    const port = server.ossPort;
    try {
      assert.equal((await rawRequest(port, { method: "PUT", bucket: "graceful" })).status, 200);
      const body = Buffer.alloc(256 * 1024, 7);
      const response = new Promise<string>((resolve, reject) => {
        const socket = connect(port, "127.0.0.1", () => {
          socket.write(buildRaw({ method: "PUT", bucket: "graceful", key: "inflight.bin", contentLength: body.length }));
          socket.write(body.subarray(0, 1000));
          // Ask the server to stop while the body is still arriving, then finish sending it.
          setTimeout(() => {
            server.child.kill("SIGTERM");
            setTimeout(() => socket.write(body.subarray(1000)), 300);
          }, 200);
        });
        const chunks: Buffer[] = [];
        socket.on("data", (d) => chunks.push(d));
        socket.on("end", () => resolve(Buffer.concat(chunks).toString()));
        socket.on("error", reject);
      });
      assert.match(await response, /^HTTP\/1\.1 200/);
      assert.equal(await server.exited(), 0, "exits 0 after draining");
      const again = await startServer({ dataDir: server.dataDir });
      try {
        const got = await rawRequest(again.ossPort, { method: "HEAD", bucket: "graceful", key: "inflight.bin" });
        assert.equal(got.status, 200);
        assert.equal(got.headers["content-length"], String(body.length));
      } finally {
        await again.stop();
      }
    } finally {
      await server.stop();
      server.cleanup();
    }
  });
});
