/**
 * Bad input gets a clear OSS error and loses nothing: malformed XML, truncated and stalled bodies,
 * invalid names, hostile keys, unknown sub-resources, oversized headers, bad clocks, anonymous
 * callers. After each, the server is still up and nothing half-written is visible.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { connect } from "node:net";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { startServer, type TestServer } from "./harness.js";
import { buildRaw, errorCode, rawRequest } from "./raw-client.js";

const BUCKET = "bad-input";

function md5b64(body: string | Buffer): string {
  return createHash("md5").update(body).digest("base64");
}

describe("bad input", () => {
  let server: TestServer;
  let port: number;

  before(async () => {
    server = await startServer({ env: { BARBUCKET_BODY_IDLE_TIMEOUT_MS: "700" } });
    port = server.ossPort;
    const res = await rawRequest(port, { method: "PUT", bucket: BUCKET });
    assert.equal(res.status, 200);
  });
  after(async () => {
    assert.equal(await server.stop(), 0, "server exits cleanly on SIGTERM");
    server.cleanup();
  });

  async function head(key: string): Promise<number> {
    return (await rawRequest(port, { method: "HEAD", bucket: BUCKET, key })).status;
  }

  it("renders errors as OSS XML with the request id, and HEAD errors in x-oss-err", async () => {
    const res = await rawRequest(port, { method: "GET", bucket: BUCKET, key: "missing" });
    assert.equal(res.status, 404);
    assert.equal(res.headers["content-type"], "application/xml");
    assert.match(res.headers["x-oss-request-id"] ?? "", /^[0-9A-F]{24}$/);
    assert.equal(errorCode(res), "NoSuchKey");
    assert.match(res.body, new RegExp(`<RequestId>${res.headers["x-oss-request-id"]}</RequestId>`));
    assert.match(res.body, /<Key>missing<\/Key>/);
    const h = await rawRequest(port, { method: "HEAD", bucket: BUCKET, key: "missing" });
    assert.equal(h.status, 404);
    assert.equal(h.body, "");
    assert.match(Buffer.from(h.headers["x-oss-err"] ?? "", "base64").toString(), /<Code>NoSuchKey<\/Code>/);
  });

  it("refuses malformed XML without changing anything", async () => {
    await rawRequest(port, { method: "PUT", bucket: BUCKET, key: "keep.txt", body: "keep" });
    for (const body of ["<Delete><Object><Key>keep.txt</Key>", "not xml at all", "<Other/>", ""]) {
      const res = await rawRequest(port, { method: "POST", bucket: BUCKET, query: [["delete", ""]], body, headers: { "content-md5": md5b64(body) } });
      assert.equal(res.status, 400, body);
      assert.equal(errorCode(res), "MalformedXML", body);
    }
    const noMd5 = await rawRequest(port, { method: "POST", bucket: BUCKET, query: [["delete", ""]], body: "<Delete><Object><Key>keep.txt</Key></Object></Delete>" });
    assert.equal(errorCode(noMd5), "MissingArgument");
    assert.equal(await head("keep.txt"), 200);
  });

  it("refuses a truncated body (Content-Length larger than sent) and keeps nothing", async () => {
    const res = await rawRequest(port, { method: "PUT", bucket: BUCKET, key: "truncated.bin", body: "only-ten!!", contentLength: 1000 });
    assert.equal(res.status, 400);
    assert.equal(errorCode(res), "RequestTimeout");
    assert.equal(await head("truncated.bin"), 404);
    assert.deepEqual(readdirSync(join(server.dataDir, "blobs", "tmp")), []);
  });

  it("takes a chunked body that also carries a (wrong) Content-Length: the chunks decide (RFC 9112 §6.3)", async () => {
    const chunked = "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n";
    const res = await rawRequest(port, { method: "PUT", bucket: BUCKET, key: "te-and-cl.txt", headers: { "transfer-encoding": "chunked" }, body: chunked, contentLength: 3 });
    assert.equal(res.status, 200, res.body);
    const got = await rawRequest(port, { method: "GET", bucket: BUCKET, key: "te-and-cl.txt" });
    assert.equal(got.body, "hello world");
  });

  it("survives a client that disconnects mid-body, keeping nothing", async () => {
    await new Promise<void>((resolve) => {
      const socket = connect(port, "127.0.0.1", () => {
        socket.write(buildRaw({ method: "PUT", bucket: BUCKET, key: "cut.bin", contentLength: 1 << 20 }));
        socket.write(Buffer.alloc(4096, 1));
        setTimeout(() => socket.destroy(), 100);
      });
      socket.on("close", () => resolve());
      socket.on("error", () => undefined);
    });
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(await head("cut.bin"), 404);
    assert.deepEqual(readdirSync(join(server.dataDir, "blobs", "tmp")), []);
  });

  it("refuses invalid bucket names and object names", async () => {
    for (const name of ["Bad_Name", "ab", "-starts-with-dash", "a".repeat(64)]) {
      const res = await rawRequest(port, { method: "PUT", bucket: name });
      assert.equal(errorCode(res), "InvalidBucketName", name);
    }
    const long = await rawRequest(port, { method: "PUT", bucket: BUCKET, key: "k".repeat(1024), body: "x" });
    assert.equal(errorCode(long), "InvalidObjectName");
    const nul = await rawRequest(port, { method: "PUT", bucket: BUCKET, key: "a\u0000b", body: "x" });
    assert.equal(errorCode(nul), "InvalidObjectName");
    const backslash = await rawRequest(port, { method: "PUT", bucket: BUCKET, key: "\\x", body: "x" });
    assert.equal(errorCode(backslash), "InvalidObjectName");
  });

  it("stores hostile keys as keys: nothing reaches the filesystem as a path", async () => {
    const key = "../../../../etc/barbucket-escape";
    const rawPath = `/${BUCKET}/${key.replace(/\./g, "%2E")}`;
    const put = await rawRequest(port, { method: "PUT", bucket: BUCKET, key, rawPath, body: "hostile" });
    assert.equal(put.status, 200);
    assert.equal(existsSync("/etc/barbucket-escape"), false);
    const get = await rawRequest(port, { method: "GET", bucket: BUCKET, key, rawPath });
    assert.equal(get.body, "hostile");
    const list = await rawRequest(port, { method: "GET", bucket: BUCKET, query: [["prefix", "../"]] });
    assert.match(list.body, /<Key>\.\.\/\.\.\/\.\.\/\.\.\/etc\/barbucket-escape<\/Key>/);
  });

  it("names unimplemented operations in NotImplemented", async () => {
    const res = await rawRequest(port, { method: "GET", bucket: BUCKET, query: [["replication", ""]] });
    assert.equal(res.status, 501);
    assert.equal(errorCode(res), "NotImplemented");
    assert.match(res.body, /BucketReplication/);
    const sse = await rawRequest(port, { method: "PUT", bucket: BUCKET, key: "sse.txt", body: "x", headers: { "x-oss-server-side-encryption": "DES" } });
    assert.equal(errorCode(sse), "InvalidEncryptionAlgorithmError");
  });

  it("answers oversized headers with an OSS error and stays up", async () => {
    const res = await rawRequest(port, { method: "GET", bucket: BUCKET, key: "keep.txt", headers: { "x-oss-meta-huge": "x".repeat(100 * 1024) } });
    assert.equal(res.status, 400);
    assert.equal(errorCode(res), "RequestHeaderTooLarge");
    assert.match(res.headers["x-oss-ec"] ?? "", /^\d{4}-\d{8}$/, "errors node refuses before routing carry an EC too");
    assert.match(res.body, /<EC>\d{4}-\d{8}<\/EC>/);
    assert.equal(await head("keep.txt"), 200);
  });

  it("refuses oversized user metadata", async () => {
    const res = await rawRequest(port, { method: "PUT", bucket: BUCKET, key: "meta.txt", body: "x", headers: { "x-oss-meta-big": "m".repeat(9000) } });
    assert.equal(errorCode(res), "InvalidArgument");
    assert.equal(await head("meta.txt"), 404);
  });

  it("refuses skewed clocks and bad signatures with the OSS codes", async () => {
    const skewed = await rawRequest(port, { method: "GET", bucket: BUCKET, key: "keep.txt", headers: { "x-oss-date": new Date(Date.now() - 3600_000).toUTCString() } });
    assert.equal(errorCode(skewed), "RequestTimeTooSkewed");
    const badSig = await rawRequest(port, { method: "GET", bucket: BUCKET, key: "keep.txt", secret: "nope" });
    assert.equal(errorCode(badSig), "SignatureDoesNotMatch");
    assert.match(badSig.body, /<StringToSign>GET\n/);
    const malformed = await rawRequest(port, { method: "GET", bucket: BUCKET, key: "keep.txt", anonymous: true, headers: { authorization: "Bearer abc" } });
    assert.equal(errorCode(malformed), "InvalidArgument");
  });

  it("allows anonymous access only where an ACL grants it, and never image/codes", async () => {
    assert.equal(errorCode(await rawRequest(port, { method: "GET", anonymous: true })), "AccessDenied");
    assert.equal(errorCode(await rawRequest(port, { method: "PUT", bucket: BUCKET, key: "anon.txt", body: "x", anonymous: true })), "AccessDenied");
    assert.equal(errorCode(await rawRequest(port, { method: "GET", bucket: BUCKET, key: "keep.txt", anonymous: true })), "AccessDenied");
    await rawRequest(port, { method: "PUT", bucket: BUCKET, key: "keep.txt", query: [["acl", ""]], headers: { "x-oss-object-acl": "public-read" } });
    const pub = await rawRequest(port, { method: "GET", bucket: BUCKET, key: "keep.txt", anonymous: true });
    assert.equal(pub.status, 200);
    assert.equal(pub.body, "keep");
    const codes = await rawRequest(port, { method: "GET", bucket: BUCKET, key: "keep.txt", query: [["x-oss-process", "image/codes"]], anonymous: true });
    assert.equal(codes.status, 403);
    assert.equal(errorCode(codes), "AccessDenied");
  });

  it("serves /health and Prometheus /metrics on the admin port", async () => {
    const health = await fetch(`http://127.0.0.1:${server.adminPort}/health`);
    assert.equal(health.status, 200);
    assert.equal(((await health.json()) as { status: string }).status, "ok");
    const metrics = await (await fetch(`http://127.0.0.1:${server.adminPort}/metrics`)).text();
    assert.match(metrics, /barbucket_http_requests_total\{operation="PutObject",method="PUT",status="200"\} \d+/);
    assert.match(metrics, /barbucket_http_request_duration_seconds_bucket\{le="[^"]+",operation="GetObject"\}/);
  });
});
