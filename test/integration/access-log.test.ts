/**
 * Access logging with the real server and ali-oss: PutBucketLogging → log objects in the target
 * bucket under the target prefix, one line per request (refused ones included) in OSS's format,
 * each request exactly once; with two worker processes killed -9 after their lines were spooled, the
 * restarted server delivers every one of them, once.
 */
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { startServer, type TestServer } from "./harness.js";
import { ossClient, ossError, type AliOssClient } from "./ali-oss.js";

const FAST = { BARBUCKET_ACCESS_LOG_FLUSH_MS: "50", BARBUCKET_ACCESS_LOG_INTERVAL_MS: "300" };

/**
 * Every line of every log object under `prefix` in `bucket`, waiting (bounded) until each request of
 * `ids` has a line (a count of lines would stop early when a delivery ran between two requests and
 * other requests, such as PutBucketLogging, were logged too).
 */
async function logLines(client: AliOssClient, bucket: string, prefix: string, ids: readonly string[], timeoutMs = 15_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const listed = await client.list({ prefix, "max-keys": 1000 }, { subres: {} }).catch(() => ({ objects: [] }));
    const lines: string[] = [];
    for (const object of (listed.objects ?? []) as { name: string }[]) {
      const body = (await client.get(object.name)).content.toString("utf8") as string;
      lines.push(...body.split("\n").filter((l) => l !== ""));
    }
    if (ids.every((id) => lines.some((l) => l.includes(`"${id}"`))) || Date.now() > deadline) return lines;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** PutBucketLogging with another target bucket (ali-oss's putBucketLogging always names the bucket itself). */
async function putLogging(client: AliOssClient, bucket: string, targetBucket: string, prefix: string): Promise<void> {
  const params = client._bucketRequestParams("PUT", bucket, "logging");
  params.content = `<?xml version="1.0" encoding="UTF-8"?>\n<BucketLoggingStatus><LoggingEnabled><TargetBucket>${targetBucket}</TargetBucket><TargetPrefix>${prefix}</TargetPrefix></LoggingEnabled></BucketLoggingStatus>`;
  params.mime = "xml";
  params.successStatuses = [200];
  await client.request(params);
}

const requestIdOf = (line: string): string => /^\S+ - - \[[^\]]+\] "[^"]*" \d+ \S+ \S+ "[^"]*" "[^"]*" "[^"]*" "([^"]*)"/.exec(line)![1]!;

describe("access logging", () => {
  const servers: TestServer[] = [];
  after(async () => {
    for (const s of servers) {
      await s.stop("SIGKILL");
      s.cleanup();
    }
  });

  it("writes one line per request, refused ones included, into <prefix><bucket>… objects of the target bucket", async () => {
    const server = await startServer({ env: FAST });
    servers.push(server);
    const client = ossClient(server, { bucket: "logged", v4: true });
    await client.putBucket("logged");
    await client.putBucket("log-target");
    await putLogging(client, "logged", "log-target", "access/");
    const ids: string[] = [];
    ids.push((await client.put("a.txt", Buffer.from("hello"))).res.headers["x-oss-request-id"]);
    ids.push((await client.get("a.txt")).res.headers["x-oss-request-id"]);
    const missing = await ossError(() => client.get("missing.txt"));
    ids.push(missing.requestId!);
    const forged = ossClient(server, { bucket: "logged", accessKeySecret: "not-the-secret" });
    ids.push((await ossError(() => forged.get("a.txt"))).requestId!);
    const target = ossClient(server, { bucket: "log-target" });
    const lines = await logLines(target, "log-target", "access/logged", ids);
    const logged = lines.map(requestIdOf);
    for (const id of ids) assert.equal(logged.filter((x) => x === id).length, 1, `request ${id} logged once in ${lines.join("\n")}`);
    const getLine = lines.find((l) => requestIdOf(l) === ids[1])!;
    assert.match(getLine, /^127\.0\.0\.1 - - \[\d{2}\/\w{3}\/\d{4}:\d{2}:\d{2}:\d{2} \+0800\] "GET \/a\.txt HTTP\/1\.1" 200 5 \d+ /);
    assert.match(getLine, / "GetObject" "logged" "a\.txt" /);
    assert.match(lines.find((l) => requestIdOf(l) === ids[2])!, / 404 .* "NoSuchKey" /);
    assert.match(lines.find((l) => requestIdOf(l) === ids[3])!, / 403 .* "SignatureDoesNotMatch" /);
    // The target bucket's own requests (this test's listing and reads) are not logged: it has no logging.
    assert.ok(lines.every((l) => / "logged" /.test(l)));
  });

  it("two workers killed -9 after spooling: the restarted server delivers every spooled line once", async () => {
    const first = await startServer({ env: { BARBUCKET_WORKERS: "2", BARBUCKET_ACCESS_LOG_FLUSH_MS: "50", BARBUCKET_ACCESS_LOG_INTERVAL_MS: "3600000" } });
    servers.push(first);
    const client = ossClient(first, { bucket: "crashy" });
    await client.putBucket("crashy");
    await client.putBucket("crash-logs");
    await putLogging(client, "crashy", "crash-logs", "");
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push((await client.put(`k${i}`, Buffer.from(String(i)))).res.headers["x-oss-request-id"]);
    await new Promise((resolve) => setTimeout(resolve, 600)); // > flush interval: every line is in the spool file
    await first.stop("SIGKILL");
    const second = await startServer({ dataDir: first.dataDir, env: FAST });
    servers.push(second);
    const target = ossClient(second, { bucket: "crash-logs" });
    const lines = await logLines(target, "crash-logs", "crashy", ids);
    const logged = lines.map(requestIdOf);
    for (const id of ids) assert.equal(logged.filter((x) => x === id).length, 1, `request ${id} delivered once`);
  });
});
