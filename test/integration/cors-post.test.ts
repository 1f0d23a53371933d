/**
 * Browser-shaped requests against the real server: CORS configuration through ali-oss, preflights
 * and CORS headers on ordinary and error responses (fetch with an Origin header), and PostObject
 * form uploads (a real multipart/form-data body built by fetch's FormData) signed with ali-oss's
 * calculatePostSignature (V1) and signPostObjectPolicyV4 (V4).
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { startServer, type TestServer } from "./harness.js";
import { ossClient, ossError, type AliOssClient } from "./ali-oss.js";

const ORIGIN = "http://app.example.com";
const signUtils = createRequire(import.meta.url)("ali-oss/lib/common/signUtils") as { getCredential(date: string, region: string, accessKeyId: string): string };

describe("CORS and PostObject from a browser's point of view", () => {
  let server: TestServer;
  let client: AliOssClient;
  const bucket = "browser-bucket";
  const url = (path = "") => `${server.endpoint}/${bucket}/${path}`;

  before(async () => {
    server = await startServer();
    client = ossClient(server, { bucket });
    await client.putBucket(bucket);
  });
  after(async () => {
    await server.stop();
    server.cleanup();
  });

  it("configures CORS with ali-oss; no configuration is NoSuchCORSConfiguration", async () => {
    assert.equal((await ossError(() => client.getBucketCORS(bucket))).code, "NoSuchCORSConfiguration");
    const preflight = await fetch(url("k"), { method: "OPTIONS", headers: { origin: ORIGIN, "access-control-request-method": "GET" } });
    assert.equal(preflight.status, 403, "no CORS configuration: preflights are refused");
    assert.match(await preflight.text(), /<Code>AccessForbidden<\/Code>/);
    await client.putBucketCORS(bucket, [
      { allowedOrigin: ["http://*.example.com"], allowedMethod: ["GET", "PUT", "POST", "HEAD"], allowedHeader: ["x-oss-*", "content-type"], exposeHeader: ["ETag", "x-oss-request-id"], maxAgeSeconds: "600" },
    ]);
    const rules = (await client.getBucketCORS(bucket)).rules;
    assert.equal(rules.length, 1);
    assert.deepEqual(rules[0].allowedOrigin, "http://*.example.com");
    assert.deepEqual(rules[0].allowedMethod, ["GET", "PUT", "POST", "HEAD"]);
    assert.equal(rules[0].maxAgeSeconds, "600");
  });

  it("answers preflights by the rules (unauthenticated), 403 AccessForbidden when none matches", async () => {
    const ok = await fetch(url("some/key"), {
      method: "OPTIONS",
      headers: { origin: ORIGIN, "access-control-request-method": "PUT", "access-control-request-headers": "x-oss-meta-a, Content-Type" },
    });
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get("access-control-allow-origin"), ORIGIN);
    assert.equal(ok.headers.get("access-control-allow-methods"), "GET, PUT, POST, HEAD");
    assert.equal(ok.headers.get("access-control-allow-headers"), "x-oss-meta-a, content-type");
    assert.equal(ok.headers.get("access-control-expose-headers"), "ETag, x-oss-request-id");
    assert.equal(ok.headers.get("access-control-max-age"), "600");
    const refused: Array<Record<string, string>> = [
      { origin: "http://evil.test", "access-control-request-method": "GET" },
      { origin: ORIGIN, "access-control-request-method": "DELETE" },
      { origin: ORIGIN, "access-control-request-method": "GET", "access-control-request-headers": "authorization" },
    ];
    for (const headers of refused) {
      const denied = await fetch(url("k"), { method: "OPTIONS", headers });
      assert.equal(denied.status, 403, JSON.stringify(headers));
      assert.equal(denied.headers.get("access-control-allow-origin"), null);
      assert.match(await denied.text(), /<Code>AccessForbidden<\/Code>/);
    }
    const incomplete = await fetch(url("k"), { method: "OPTIONS", headers: { origin: ORIGIN } });
    assert.equal(incomplete.status, 400);
  });

  it("puts CORS headers on ordinary responses with a matching Origin, errors included", async () => {
    await client.put("public.txt", Buffer.from("hello"), { headers: { "x-oss-object-acl": "public-read" } });
    const got = await fetch(url("public.txt"), { headers: { origin: ORIGIN } });
    assert.equal(got.status, 200);
    assert.equal(await got.text(), "hello");
    assert.equal(got.headers.get("access-control-allow-origin"), ORIGIN);
    assert.equal(got.headers.get("access-control-expose-headers"), "ETag, x-oss-request-id");
    const missing = await fetch(url("missing.txt"), { headers: { origin: ORIGIN } });
    assert.equal(missing.status, 403, "anonymous read of a private bucket's missing key");
    assert.equal(missing.headers.get("access-control-allow-origin"), ORIGIN, "an error answer carries the CORS headers too");
    const other = await fetch(url("public.txt"), { headers: { origin: "http://evil.test" } });
    assert.equal(other.headers.get("access-control-allow-origin"), null);
    const deleteMethod = await fetch(url("public.txt"), { method: "DELETE", headers: { origin: ORIGIN } });
    assert.equal(deleteMethod.headers.get("access-control-allow-origin"), null, "DELETE is not an allowed method");
  });

  function v1Form(key: string, conditions: unknown[], extra: Record<string, string> = {}, file: Blob | string = "form upload body"): FormData {
    const expiration = new Date(Date.now() + 3600_000).toISOString();
    const params = client.calculatePostSignature({ expiration, conditions: [{ bucket }, ...conditions] }) as Record<string, string>;
    const form = new FormData();
    form.append("key", key);
    for (const [name, value] of Object.entries({ ...params, ...extra })) form.append(name, value);
    form.append("file", typeof file === "string" ? new Blob([file], { type: "text/plain" }) : file, "upload.txt");
    return form;
  }

  it("PostObject V1: 204 by default, CORS headers, metadata and the ${filename} key", async () => {
    const form = v1Form("posted/${filename}", [["starts-with", "$key", "posted/"]], { "x-oss-meta-origin": "form", "Content-Type": "text/markdown" });
    const res = await fetch(url(), { method: "POST", body: form, headers: { origin: ORIGIN } });
    assert.equal(res.status, 204, await res.clone().text());
    assert.equal(res.headers.get("access-control-allow-origin"), ORIGIN);
    assert.ok(res.headers.get("etag"));
    const head = await client.head("posted/upload.txt");
    assert.equal(head.meta.origin, "form");
    assert.equal(head.res.headers["content-type"], "text/markdown");
    assert.equal((await client.get("posted/upload.txt")).content.toString(), "form upload body");
  });

  it("PostObject V4 with every condition type and success_action_status 200", async () => {
    const date = new Date();
    const formattedDate = date.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
    const credential = signUtils.getCredential(formattedDate.split("T")[0]!, "cn-hangzhou", client.options.accessKeyId);
    const policy = {
      expiration: new Date(date.getTime() + 60_000).toISOString(),
      conditions: [
        { bucket },
        { "x-oss-credential": credential },
        { "x-oss-date": formattedDate },
        { "x-oss-signature-version": "OSS4-HMAC-SHA256" },
        ["content-length-range", 1, 10],
        ["eq", "$success_action_status", "200"],
        ["starts-with", "$key", "testPostObject"],
        ["in", "$content-type", ["image/jpg", "text/plain"]],
        ["not-in", "$cache-control", ["no-cache"]],
      ],
    };
    const form = new FormData();
    form.append("key", "testPostObjectUseV4Signature.txt");
    form.append("Content-Type", "text/plain");
    form.append("Cache-Control", "max-age=30");
    form.append("x-oss-date", formattedDate);
    form.append("x-oss-credential", credential);
    form.append("x-oss-signature-version", "OSS4-HMAC-SHA256");
    form.append("policy", Buffer.from(JSON.stringify(policy), "utf8").toString("base64"));
    form.append("x-oss-signature", client.signPostObjectPolicyV4(policy, date));
    form.append("success_action_status", "200");
    form.append("file", "test");
    const res = await fetch(url(), { method: "POST", body: form });
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal((await client.head("testPostObjectUseV4Signature.txt")).res.headers["cache-control"], "max-age=30");

    form.set("file", "more than ten bytes");
    form.set("key", "testPostObjectTooBig.txt");
    const big = await fetch(url(), { method: "POST", body: form });
    assert.equal(big.status, 400);
    assert.match(await big.text(), /<Code>EntityTooLarge<\/Code>/);
    assert.equal((await ossError(() => client.head("testPostObjectTooBig.txt"))).status, 404, "nothing stored");
  });

  it("refuses a tampered policy, a failed condition, an expired policy and anonymous writes", async () => {
    // The signed policy limits keys to t/; the form swaps in a laxer policy under the same signature.
    const tampered = v1Form("t/a.txt", [["starts-with", "$key", "t/"]]);
    tampered.set("policy", Buffer.from(JSON.stringify({ expiration: new Date(Date.now() + 3600_000).toISOString(), conditions: [] })).toString("base64"));
    const t = await fetch(url(), { method: "POST", body: tampered });
    assert.equal(t.status, 403);
    assert.match(await t.text(), /<Code>SignatureDoesNotMatch<\/Code>/);

    const condition = await fetch(url(), { method: "POST", body: v1Form("elsewhere.txt", [["starts-with", "$key", "t/"]]) });
    assert.equal(condition.status, 403);
    const text = (await condition.text()).replaceAll("&quot;", '"');
    assert.match(text, /Policy Condition failed: \["starts-with","\$key","t\/"\]/);

    const expiredForm = new FormData();
    const expired = client.calculatePostSignature({ expiration: new Date(Date.now() - 1000).toISOString(), conditions: [{ bucket }] });
    for (const [name, value] of Object.entries({ key: "t/x", ...expired })) expiredForm.append(name, value as string);
    expiredForm.append("file", "x");
    const e = await fetch(url(), { method: "POST", body: expiredForm });
    assert.equal(e.status, 403);
    assert.match(await e.text(), /Policy expired/);

    const anonymous = new FormData();
    anonymous.append("key", "t/anon");
    anonymous.append("file", "x");
    const a = await fetch(url(), { method: "POST", body: anonymous });
    assert.equal(a.status, 403);
    assert.match(await a.text(), /<Code>AccessDenied<\/Code>/);
    for (const key of ["t/a.txt", "elsewhere.txt", "t/x", "t/anon"]) assert.equal((await ossError(() => client.head(key))).status, 404, key);
  });

  it("success_action_status 201 answers PostResponse XML; success_action_redirect answers 303", async () => {
    const created = await fetch(url(), { method: "POST", body: v1Form("r/created.txt", [], { success_action_status: "201" }) });
    assert.equal(created.status, 201);
    const xml = await created.text();
    assert.match(xml, /<PostResponse><Bucket>browser-bucket<\/Bucket><Location>[^<]+<\/Location><Key>r\/created.txt<\/Key><ETag>&quot;[0-9A-F]{32}&quot;<\/ETag><\/PostResponse>/);
    const redirected = await fetch(url(), { method: "POST", redirect: "manual", body: v1Form("r/redirect.txt", [], { success_action_redirect: "http://app.example.com/done?x=1" }) });
    assert.equal(redirected.status, 303);
    const location = new URL(redirected.headers.get("location")!);
    assert.equal(location.origin + location.pathname, "http://app.example.com/done");
    assert.equal(location.searchParams.get("x"), "1");
    assert.equal(location.searchParams.get("bucket"), bucket);
    assert.equal(location.searchParams.get("key"), "r/redirect.txt");
    assert.match(location.searchParams.get("etag") ?? "", /^"[0-9A-F]{32}"$/);
  });

  it("deletes the CORS configuration", async () => {
    assert.equal((await client.deleteBucketCORS(bucket)).res.status, 204);
    assert.equal((await ossError(() => client.getBucketCORS(bucket))).code, "NoSuchCORSConfiguration");
    const got = await fetch(url("public.txt"), { headers: { origin: ORIGIN } });
    assert.equal(got.headers.get("access-control-allow-origin"), null);
  });
});
