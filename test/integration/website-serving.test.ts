/**
 * Static website served by the real server: anonymous GET/HEAD on a bucket with PutBucketWebsite get
 * index documents for "directories", the error document with its status for missing keys, Type 0/1/2
 * subdirectory handling and routing rules (redirects, an Internal rewrite on 404); signed requests keep
 * their ordinary answers (ListObjects, NoSuchKey). Virtual-host (`Host: <bucket>.localhost`) and
 * path-style addressing. Bucket set-up goes through the real ali-oss.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { request } from "node:http";
import { startServer, type TestServer } from "./harness.js";
import { ossClient, ossError, type AliOssClient } from "./ali-oss.js";

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** An anonymous request; `host` picks virtual-host addressing (`<bucket>.localhost`). */
function anonymous(server: TestServer, path: string, options: { host?: string; method?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port: server.ossPort, path, method: options.method ?? "GET", headers: { ...(options.host && { host: options.host }), ...options.headers }, timeout: 15_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
      },
    );
    req.on("timeout", () => req.destroy(new Error("request timed out")));
    req.on("error", reject);
    req.end();
  });
}

describe("static website served", () => {
  let server: TestServer;
  let client: AliOssClient;
  const bucket = "site";
  const vhost = `${bucket}.localhost`;

  async function website(options: Record<string, unknown>): Promise<void> {
    await client.putBucketWebsite(bucket, { index: "index.html", supportSubDir: "true", type: "0", error: "err.html", ...options });
  }

  before(async () => {
    server = await startServer();
    client = ossClient(server, { bucket, v4: true });
    await client.putBucket(bucket, { acl: "public-read" });
    const pages: Record<string, string> = {
      "index.html": "root index",
      "docs/index.html": "docs index",
      "docs/page.html": "docs page",
      "err.html": "custom error page",
      "new/a.html": "new a",
      "img/fallback.png": "fallback bytes",
    };
    for (const [key, body] of Object.entries(pages)) await client.put(key, Buffer.from(body), { mime: "text/html" });
  });
  after(async () => {
    await server.stop();
    server.cleanup();
  });

  it("index documents for the root and directories, virtual-host and path-style; signed requests unchanged", async () => {
    await website({});
    const root = await anonymous(server, "/", { host: vhost });
    assert.equal(root.status, 200);
    assert.equal(root.body, "root index");
    assert.equal((await anonymous(server, `/${bucket}/`)).body, "root index");
    assert.equal((await anonymous(server, "/docs/", { host: vhost })).body, "docs index");
    assert.equal((await anonymous(server, "/docs/page.html", { host: vhost })).body, "docs page");
    const head = await anonymous(server, "/docs/", { host: vhost, method: "HEAD" });
    assert.equal(head.status, 200);
    assert.equal(head.headers["content-length"], String("docs index".length));
    // Signed: the root is ListObjects, a missing key NoSuchKey (no error document).
    const listed = await client.list({ prefix: "docs/" });
    assert.deepEqual(listed.objects.map((o: { name: string }) => o.name), ["docs/index.html", "docs/page.html"]);
    assert.equal((await ossError(() => client.get("missing.html"))).code, "NoSuchKey");
  });

  it("a missing key gets the error document with its status (404, or 200 when configured); a missing error document the plain 404", async () => {
    await website({});
    const missing = await anonymous(server, "/missing.html", { host: vhost });
    assert.equal(missing.status, 404);
    assert.equal(missing.body, "custom error page");
    assert.equal(missing.headers["content-type"], "text/html");
    assert.equal((await anonymous(server, "/missing.html", { host: vhost, method: "HEAD" })).status, 404);
    // ali-oss 6.23 has no option for ErrorDocument/HttpStatus: the raw XML through its signer.
    await putWebsiteXml(client, "<IndexDocument><Suffix>index.html</Suffix></IndexDocument><ErrorDocument><Key>err.html</Key><HttpStatus>200</HttpStatus></ErrorDocument>");
    const ok = await anonymous(server, "/missing.html", { host: vhost });
    assert.equal(ok.status, 200);
    assert.equal(ok.body, "custom error page");
    await website({ error: "no-such-error-page.html" });
    const plain = await anonymous(server, "/missing.html", { host: vhost });
    assert.equal(plain.status, 404);
    assert.match(plain.body, /<Code>NoSuchKey<\/Code>/);
  });

  it("a directory named without its slash: Type 0 redirects (302), Type 2 serves its index, Type 1 the error document", async () => {
    await website({ type: "0" });
    const redirected = await anonymous(server, "/docs", { host: vhost });
    assert.equal(redirected.status, 302);
    assert.equal(redirected.headers.location, "/docs/");
    assert.equal((await anonymous(server, `/${bucket}/docs`)).headers.location, `/${bucket}/docs/`);
    await website({ type: "2" });
    assert.equal((await anonymous(server, "/docs", { host: vhost })).body, "docs index");
    await website({ type: "1" });
    const one = await anonymous(server, "/docs", { host: vhost });
    assert.equal(one.status, 404);
    assert.equal(one.body, "custom error page");
    await website({ supportSubDir: "false" });
    assert.equal((await anonymous(server, "/docs/", { host: vhost })).body, "root index");
  });

  it("routing rules: a prefix redirect with the query passed on, an Internal rewrite for missing keys, Mirror rules ignored", async () => {
    await website({
      routingRules: [
        { RuleNumber: "1", Condition: { KeyPrefixEquals: "old/" }, Redirect: { RedirectType: "External", EnableReplacePrefix: "true", ReplaceKeyPrefixWith: "new/", HttpRedirectCode: "301", PassQueryString: "true" } },
        { RuleNumber: "2", Condition: { KeyPrefixEquals: "img/" }, Redirect: { RedirectType: "Mirror", MirrorURL: "http://origin.invalid/" } },
        { RuleNumber: "3", Condition: { KeyPrefixEquals: "img/", HttpErrorCodeReturnedEquals: "404" }, Redirect: { RedirectType: "Internal", ReplaceKeyWith: "img/fallback.png" } },
      ],
    });
    const moved = await anonymous(server, "/old/a.html?v=2", { host: vhost });
    assert.equal(moved.status, 301);
    assert.equal(moved.headers.location, `http://${vhost}/new/a.html?v=2`);
    const rewritten = await anonymous(server, "/img/none.png", { host: vhost });
    assert.equal(rewritten.status, 200);
    assert.equal(rewritten.body, "fallback bytes");
    const other = await anonymous(server, "/elsewhere.png", { host: vhost });
    assert.equal(other.status, 404);
    assert.equal(other.body, "custom error page");
  });

  it("documents must be readable anonymously: a private bucket answers 403, as on OSS", async () => {
    await website({});
    await client.putBucketACL(bucket, "private");
    try {
      const denied = await anonymous(server, "/", { host: vhost });
      assert.equal(denied.status, 403);
      assert.match(denied.body, /<Code>AccessDenied<\/Code>/);
    } finally {
      await client.putBucketACL(bucket, "public-read");
    }
  });
});

async function putWebsiteXml(client: AliOssClient, inner: string): Promise<void> {
  const params = client._bucketRequestParams("PUT", "site", "website");
  params.content = `<?xml version="1.0" encoding="UTF-8"?>\n<WebsiteConfiguration>${inner}</WebsiteConfiguration>`;
  params.mime = "xml";
  params.successStatuses = [200];
  await client.request(params);
}
