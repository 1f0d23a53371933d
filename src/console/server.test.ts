/**
 * The console listener without a browser: sign-in checks the keys with the RPC listener, the session
 * cookie is httpOnly/SameSite=Strict, state-changing requests need the CSRF token and a same-origin
 * Origin, the relay acts as the signed-in identity (a read-only RAM user is refused), sign-out ends
 * the session, presigned links work, and static paths cannot leave the build directory.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { loadConfig } from "../config.js";
import { startApp, type RunningApp } from "../app.js";
import { parseOssPath } from "./oss-proxy.js";
import { signRpcParams } from "./sign.js";

const ROOT_ID = "LTAICONSOLEAPITESTROOT01";
const ROOT_SECRET = "console-api-test-root-secret-01";

interface Client {
  cookie: string;
  csrf: string;
}

describe("console listener", () => {
  let app: RunningApp;
  let dataDir: string;
  let base: string;

  const call = (path: string, init: RequestInit & { client?: Client; csrf?: boolean } = {}): Promise<Response> => {
    const headers = new Headers(init.headers);
    if (init.client) headers.set("cookie", init.client.cookie);
    if (init.client && init.csrf !== false && init.method && init.method !== "GET") headers.set("x-csrf-token", init.client.csrf);
    return fetch(`${base}${path}`, { ...init, headers, signal: AbortSignal.timeout(15_000) });
  };
  const signIn = async (accessKeyId: string, accessKeySecret: string): Promise<Client> => {
    const res = await call("/api/session", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ accessKeyId, accessKeySecret }) });
    assert.equal(res.status, 200, await res.clone().text());
    const setCookie = res.headers.get("set-cookie") ?? "";
    const body = (await res.json()) as { csrf: string };
    return { cookie: setCookie.split(";")[0]!, csrf: body.csrf };
  };
  const rpc = async (client: Client, action: string, params: Record<string, string>): Promise<Response> =>
    call("/api/rpc", { method: "POST", client, headers: { "content-type": "application/json" }, body: JSON.stringify({ action, params }) });

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "barbucket-console-api-"));
    const config = loadConfig({
      BARBUCKET_HOST: "127.0.0.1", BARBUCKET_PORT: "0", BARBUCKET_RPC_PORT: "0", BARBUCKET_ADMIN_PORT: "0", BARBUCKET_CONSOLE_PORT: "0",
      BARBUCKET_DATA_DIR: dataDir, BARBUCKET_ROOT_ACCESS_KEY_ID: ROOT_ID, BARBUCKET_ROOT_ACCESS_KEY_SECRET: ROOT_SECRET, BARBUCKET_CODES_WORKERS: "1",
    });
    app = await startApp(config, pino({ level: "silent" }));
    base = `http://127.0.0.1:${app.ports.console}`;
  });
  after(async () => {
    await app.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("serves the page with a strict CSP and refuses paths outside the build", async () => {
    const page = await call("/");
    assert.equal(page.status, 200);
    assert.match(page.headers.get("content-security-policy") ?? "", /default-src 'self'/);
    assert.match(await page.text(), /<script type="module" src="main.js">/);
    assert.equal((await call("/%2e%2e/%2e%2e/package.json")).status, 404);
    assert.equal((await call("/api/session")).status, 401);
  });

  it("rejects wrong keys with the RPC listener's error and sets an httpOnly SameSite=Strict cookie for right ones", async () => {
    const bad = await call("/api/session", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ accessKeyId: ROOT_ID, accessKeySecret: "wrong" }) });
    assert.equal(bad.status, 401);
    assert.equal(((await bad.json()) as { Code: string }).Code, "SignatureDoesNotMatch");
    const res = await call("/api/session", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ accessKeyId: ROOT_ID, accessKeySecret: ROOT_SECRET }) });
    const cookie = res.headers.get("set-cookie") ?? "";
    assert.match(cookie, /^bb_console=[\w-]{40,}; HttpOnly; SameSite=Strict; Path=\//);
    const body = (await res.json()) as { identity: { type: string }; csrf: string };
    assert.equal(body.identity.type, "Account");
    assert.doesNotMatch(JSON.stringify(body), new RegExp(ROOT_SECRET), "the secret never goes back to the browser");
  });

  it("needs the CSRF token and a same-origin Origin on every state-changing request", async () => {
    const root = await signIn(ROOT_ID, ROOT_SECRET);
    assert.equal((await call("/oss/csrf-bucket/", { method: "PUT", client: root, csrf: false })).status, 403);
    assert.equal((await call("/oss/csrf-bucket/", { method: "PUT", client: root, headers: { "x-csrf-token": "nope" }, csrf: false })).status, 403);
    assert.equal((await call("/oss/csrf-bucket/", { method: "PUT", client: root, headers: { origin: "http://evil.example" } })).status, 403);
    assert.equal((await call("/oss/csrf-bucket/", { method: "PUT", client: root, headers: { origin: base } })).status, 200);
    const list = await call("/oss/", { client: root });
    assert.match(await list.text(), /<Name>csrf-bucket<\/Name>/);
  });

  it("acts as the signed-in identity: a read-only RAM user may list but not delete, with OSS's error", async () => {
    const root = await signIn(ROOT_ID, ROOT_SECRET);
    assert.equal((await call("/oss/ro-bucket/", { method: "PUT", client: root })).status, 200);
    assert.equal((await call("/oss/ro-bucket/a%20b/c.txt", { method: "PUT", client: root, headers: { "content-type": "text/plain" }, body: "hello" })).status, 200);
    assert.equal((await rpc(root, "CreateUser", { UserName: "reader" })).status, 200);
    const key = (await (await rpc(root, "CreateAccessKey", { UserName: "reader" })).json()) as { AccessKey: { AccessKeyId: string; AccessKeySecret: string } };
    assert.equal((await rpc(root, "AttachPolicyToUser", { UserName: "reader", PolicyName: "AliyunOSSReadOnlyAccess", PolicyType: "System" })).status, 200);
    const reader = await signIn(key.AccessKey.AccessKeyId, key.AccessKey.AccessKeySecret);
    assert.equal(await (await call("/oss/ro-bucket/a%20b/c.txt", { client: reader })).text(), "hello");
    const disposition = `attachment; filename="__.txt"; filename*=UTF-8''${encodeURIComponent("照片.txt")}`;
    const named = await call(`/oss/ro-bucket/a%20b/c.txt?response-content-disposition=${encodeURIComponent(disposition)}`, { client: reader });
    assert.equal(named.status, 200);
    assert.equal(named.headers.get("content-disposition"), disposition);
    assert.equal(named.headers.get("content-security-policy"), "default-src 'none'; sandbox", "object bodies are sandboxed");
    const refused = await call("/oss/ro-bucket/a%20b/c.txt", { method: "DELETE", client: reader });
    assert.equal(refused.status, 403);
    assert.match(await refused.text(), /<Code>AccessDenied<\/Code>/);
    assert.equal((await rpc(reader, "ListUsers", {})).status, 403, "RAM pages follow RAM permissions");
    assert.equal((await rpc(reader, "DescribeUsage", { From: "2026-01-01", To: "2027-01-01" })).status, 200, "oss:GetBucketStat is in oss:Get*");
    assert.equal((await rpc(root, "DeleteBucket", {})).status, 400, "only the console's own actions are relayed");

    const link = (await (await call("/api/presign", { method: "POST", client: reader, headers: { "content-type": "application/json" }, body: JSON.stringify({ bucket: "ro-bucket", key: "a b/c.txt", expires: 60 }) })).json()) as { url: string };
    assert.equal(await (await fetch(link.url, { signal: AbortSignal.timeout(15_000) })).text(), "hello");

    assert.equal((await call("/api/session", { method: "DELETE", client: reader })).status, 200);
    assert.equal((await call("/oss/ro-bucket/", { client: reader })).status, 401, "signed out");
  });

  it("signs in with STS credentials (security token) and acts as the assumed role", async () => {
    const direct = async <T>(version: string, action: string, params: Record<string, string>): Promise<T> => {
      const body = new URLSearchParams(signRpcParams({ accessKeyId: ROOT_ID, accessKeySecret: ROOT_SECRET }, "POST", { ...params, Action: action, Version: version }));
      const res = await fetch(`http://127.0.0.1:${app.ports.rpc}/`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body, signal: AbortSignal.timeout(15_000) });
      assert.equal(res.status, 200, await res.clone().text());
      return (await res.json()) as T;
    };
    const { AccountId } = await direct<{ AccountId: string }>("2015-04-01", "GetCallerIdentity", {});
    const trust = JSON.stringify({ Version: "1", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: { RAM: [`acs:ram::${AccountId}:root`] } }] });
    const { Role } = await direct<{ Role: { Arn: string } }>("2015-05-01", "CreateRole", { RoleName: "console-role", AssumeRolePolicyDocument: trust });
    await direct("2015-05-01", "AttachPolicyToRole", { PolicyType: "System", PolicyName: "AliyunOSSReadOnlyAccess", RoleName: "console-role" });
    const { Credentials: c } = await direct<{ Credentials: { AccessKeyId: string; AccessKeySecret: string; SecurityToken: string } }>("2015-04-01", "AssumeRole", { RoleArn: Role.Arn, RoleSessionName: "console", DurationSeconds: "900" });

    const login = (securityToken: string): Promise<Response> =>
      call("/api/session", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ accessKeyId: c.AccessKeyId, accessKeySecret: c.AccessKeySecret, securityToken }) });
    assert.equal((await login(`${c.SecurityToken}x`)).status, 401, "a wrong token is refused");
    const res = await login(c.SecurityToken);
    assert.equal(res.status, 200);
    const session = (await res.json()) as { identity: { type: string; arn: string }; csrf: string };
    assert.equal(session.identity.type, "AssumedRoleUser");
    const client: Client = { cookie: (res.headers.get("set-cookie") ?? "").split(";")[0]!, csrf: session.csrf };
    assert.equal((await call("/oss/", { client })).status, 200);
    const refused = await call("/oss/sts-bucket/", { method: "PUT", client });
    assert.equal(refused.status, 403);
    assert.match(await refused.text(), /<Code>AccessDenied<\/Code>/);
  });

  it("parseOssPath splits the bucket from the decoded key", () => {
    assert.deepEqual(parseOssPath("/oss/"), { bucket: undefined, key: undefined });
    assert.deepEqual(parseOssPath("/oss/b"), { bucket: "b", key: undefined });
    assert.deepEqual(parseOssPath("/oss/b/"), { bucket: "b", key: undefined });
    assert.deepEqual(parseOssPath("/oss/b/a%20b/c%2Fd"), { bucket: "b", key: "a b/c/d" });
    assert.equal(parseOssPath("/oss/b/%E0%A4%A"), undefined);
  });
});
