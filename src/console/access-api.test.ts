/**
 * The server side of the console's access and object pages, through the console listener as a
 * signed-in identity (no browser): RAM roles created, their trust policy updated (UpdateRole) and
 * deleted (DeleteRole, refused while policies are attached); ExplainAccess answers the admin
 * /explain's decision for a signed caller with ram:DecodeDiagnosticMessage and refuses others; object
 * metadata replaced by a self-copy keeps the bytes, tags set and cleared; ListParts of an upload.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { loadConfig } from "../config.js";
import { startApp, type RunningApp } from "../app.js";

const ROOT_ID = "LTAICONSOLEACCESSROOT001";
const ROOT_SECRET = "console-access-test-root-secret1";

interface Client {
  cookie: string;
  csrf: string;
}

describe("console access and object APIs", () => {
  let app: RunningApp;
  let dataDir: string;
  let base: string;
  let root: Client;
  let accountId: string;

  const call = (path: string, init: RequestInit & { client: Client }): Promise<Response> => {
    const headers = new Headers(init.headers);
    headers.set("cookie", init.client.cookie);
    if (init.method && init.method !== "GET") headers.set("x-csrf-token", init.client.csrf);
    return fetch(`${base}${path}`, { ...init, headers, signal: AbortSignal.timeout(15_000) });
  };
  const signIn = async (accessKeyId: string, accessKeySecret: string): Promise<Client> => {
    const res = await fetch(`${base}/api/session`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ accessKeyId, accessKeySecret }), signal: AbortSignal.timeout(15_000) });
    assert.equal(res.status, 200, await res.clone().text());
    const body = (await res.json()) as { csrf: string; identity: { accountId: string } };
    accountId = body.identity.accountId;
    return { cookie: (res.headers.get("set-cookie") ?? "").split(";")[0]!, csrf: body.csrf };
  };
  const rpc = async (client: Client, action: string, params: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> => {
    const res = await call("/api/rpc", { method: "POST", client, headers: { "content-type": "application/json" }, body: JSON.stringify({ action, params }) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const ok = async (client: Client, action: string, params: Record<string, string>): Promise<Record<string, unknown>> => {
    const answer = await rpc(client, action, params);
    assert.equal(answer.status, 200, `${action}: ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
  const trust = (principal: string): string => JSON.stringify({ Version: "1", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: { RAM: [principal] } }] });

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "barbucket-console-access-"));
    const config = loadConfig({
      BARBUCKET_HOST: "127.0.0.1", BARBUCKET_PORT: "0", BARBUCKET_RPC_PORT: "0", BARBUCKET_ADMIN_PORT: "0", BARBUCKET_CONSOLE_PORT: "0",
      BARBUCKET_DATA_DIR: dataDir, BARBUCKET_ROOT_ACCESS_KEY_ID: ROOT_ID, BARBUCKET_ROOT_ACCESS_KEY_SECRET: ROOT_SECRET, BARBUCKET_CODES_WORKERS: "1",
    });
    app = await startApp(config, pino({ level: "silent" }));
    base = `http://127.0.0.1:${app.ports.console}`;
    root = await signIn(ROOT_ID, ROOT_SECRET);
  });
  after(async () => {
    await app.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("roles: create, update the trust policy, refuse a delete while a policy is attached, delete", async () => {
    await ok(root, "CreateRole", { RoleName: "deployer", AssumeRolePolicyDocument: trust(`acs:ram::${accountId}:root`) });
    const updated = (await ok(root, "UpdateRole", { RoleName: "deployer", NewAssumeRolePolicyDocument: trust(`acs:ram::${accountId}:user/ci`), NewMaxSessionDuration: "7200" })).Role as Record<string, unknown>;
    assert.match(String(updated.AssumeRolePolicyDocument), /user\/ci/);
    assert.equal(updated.MaxSessionDuration, 7200);
    const bad = await rpc(root, "UpdateRole", { RoleName: "deployer", NewAssumeRolePolicyDocument: "{ nope" });
    assert.deepEqual([bad.status, bad.body.Code], [400, "MalformedPolicyDocument"]);
    assert.equal((await rpc(root, "UpdateRole", { RoleName: "nobody", NewDescription: "x" })).body.Code, "EntityNotExist.Role");
    await ok(root, "AttachPolicyToRole", { RoleName: "deployer", PolicyName: "AliyunOSSReadOnlyAccess", PolicyType: "System" });
    const conflict = await rpc(root, "DeleteRole", { RoleName: "deployer" });
    assert.deepEqual([conflict.status, conflict.body.Code], [409, "DeleteConflict.Role.Policy"]);
    await ok(root, "DetachPolicyFromRole", { RoleName: "deployer", PolicyName: "AliyunOSSReadOnlyAccess", PolicyType: "System" });
    await ok(root, "DeleteRole", { RoleName: "deployer" });
    assert.equal((await rpc(root, "GetRole", { RoleName: "deployer" })).body.Code, "EntityNotExist.Role");
  });

  it("ExplainAccess: the deciding statement for a signed caller with ram:DecodeDiagnosticMessage; NoPermission without", async () => {
    assert.equal((await call("/oss/explained/", { method: "PUT", client: root })).status, 200);
    await ok(root, "CreateUser", { UserName: "viewer" });
    const key = ((await ok(root, "CreateAccessKey", { UserName: "viewer" })).AccessKey as { AccessKeyId: string; AccessKeySecret: string });
    await ok(root, "AttachPolicyToUser", { UserName: "viewer", PolicyName: "AliyunOSSReadOnlyAccess", PolicyType: "System" });
    const deny = JSON.stringify({ Version: "1", Statement: [{ Effect: "Deny", Action: "oss:GetObject", Resource: `acs:oss:*:${accountId}:explained/secret/*` }] });
    await ok(root, "CreatePolicy", { PolicyName: "no-secrets", PolicyDocument: deny });
    await ok(root, "AttachPolicyToUser", { UserName: "viewer", PolicyName: "no-secrets", PolicyType: "Custom" });

    const explain = async (client: Client, params: Record<string, string>) => rpc(client, "ExplainAccess", params);
    const deniedAnswer = await explain(root, { AuthAccessKeyId: key.AccessKeyId, AuthAction: "oss:GetObject", Bucket: "explained", Key: "secret/a.txt" });
    const denied = deniedAnswer.body.Explanation as { allowed: boolean; decision: string; by: { policyName?: string } };
    assert.deepEqual([denied.allowed, denied.decision, denied.by.policyName], [false, "ExplicitDeny", "no-secrets"], JSON.stringify(deniedAnswer.body));
    const allowed = (await explain(root, { AuthAccessKeyId: key.AccessKeyId, AuthAction: "oss:GetObject", Bucket: "explained", Key: "public/a.txt" })).body.Explanation as { allowed: boolean; by: { policyName?: string } };
    assert.deepEqual([allowed.allowed, allowed.by.policyName], [true, "AliyunOSSReadOnlyAccess"]);
    const anonymous = (await explain(root, { AuthAction: "oss:GetObject", Bucket: "explained", Key: "a.txt" })).body.Explanation as { principal: string; allowed: boolean };
    assert.deepEqual([anonymous.principal, anonymous.allowed], ["anonymous", false]);

    const admin = `http://127.0.0.1:${app.ports.admin}/explain?accessKeyId=${key.AccessKeyId}&action=oss:GetObject&bucket=explained&key=secret/a.txt`;
    const fromAdmin = (await (await fetch(admin, { signal: AbortSignal.timeout(15_000) })).json()) as Record<string, unknown>;
    assert.deepEqual(fromAdmin, denied, "the same answer as the admin listener's /explain");

    const malformed = await explain(root, { AuthAction: "GetObject" });
    assert.deepEqual([malformed.status, malformed.body.Code], [400, "InvalidParameter.Action"]);
    assert.equal((await explain(root, { AuthAction: "oss:GetObject", AuthAccessKeyId: "LTAInope" })).body.Code, "EntityNotExist.AccessKey");
    assert.equal((await explain(root, { AuthAction: "oss:GetObject", Bucket: "no-such-bucket" })).body.Code, "NoSuchBucket");
    assert.equal((await explain(root, {})).body.Code, "MissingAuthAction");

    const viewer = await signIn(key.AccessKeyId, key.AccessKeySecret);
    const refused = await explain(viewer, { AuthAction: "oss:GetObject", Bucket: "explained" });
    assert.deepEqual([refused.status, refused.body.Code], [403, "NoPermission"]);
    assert.match(String(refused.body.Message), /ram:DecodeDiagnosticMessage/);
  });

  it("object metadata replaced by a self-copy keeps the bytes; tags set and cleared; ListParts of an unfinished upload", async () => {
    assert.equal((await call("/oss/meta-bucket/", { method: "PUT", client: root })).status, 200);
    assert.equal((await call("/oss/meta-bucket/notes/a.txt", { method: "PUT", client: root, headers: { "content-type": "text/plain", "x-oss-meta-owner": "ann", "cache-control": "no-cache" }, body: "hello" })).status, 200);
    const copy = await call("/oss/meta-bucket/notes/a.txt", {
      method: "PUT",
      client: root,
      headers: { "x-oss-copy-source": "/meta-bucket/notes/a.txt", "x-oss-metadata-directive": "REPLACE", "content-type": "text/markdown", "x-oss-meta-reviewed": "yes", "cache-control": "no-cache" },
    });
    assert.equal(copy.status, 200, await copy.clone().text());
    const head = await call("/oss/meta-bucket/notes/a.txt", { method: "HEAD", client: root });
    assert.equal(head.headers.get("content-type"), "text/markdown");
    assert.equal(head.headers.get("x-oss-meta-reviewed"), "yes");
    assert.equal(head.headers.get("x-oss-meta-owner"), null, "REPLACE drops the old metadata");
    assert.equal(head.headers.get("cache-control"), "no-store", "the relay never lets the browser cache objects");
    assert.equal(await (await call("/oss/meta-bucket/notes/a.txt", { client: root })).text(), "hello");

    const tagging = '<?xml version="1.0" encoding="UTF-8"?><Tagging><TagSet><Tag><Key>team</Key><Value>build 7/x=1</Value></Tag></TagSet></Tagging>';
    assert.equal((await call("/oss/meta-bucket/notes/a.txt?tagging", { method: "PUT", client: root, headers: { "content-type": "application/xml" }, body: tagging })).status, 200);
    assert.match(await (await call("/oss/meta-bucket/notes/a.txt?tagging", { client: root })).text(), /<Key>team<\/Key><Value>build 7\/x=1<\/Value>/);
    const amp = '<?xml version="1.0" encoding="UTF-8"?><Tagging><TagSet><Tag><Key>team</Key><Value>a &amp; b</Value></Tag></TagSet></Tagging>';
    assert.match(await (await call("/oss/meta-bucket/notes/a.txt?tagging", { method: "PUT", client: root, headers: { "content-type": "application/xml" }, body: amp })).text(), /<Code>InvalidTag<\/Code>/);
    assert.equal((await call("/oss/meta-bucket/notes/a.txt?tagging", { method: "DELETE", client: root })).status, 204);
    assert.doesNotMatch(await (await call("/oss/meta-bucket/notes/a.txt?tagging", { client: root })).text(), /<Tag>/);

    const init = await (await call("/oss/meta-bucket/big.bin?uploads", { method: "POST", client: root })).text();
    const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(init)?.[1] ?? "";
    assert.ok(uploadId);
    assert.equal((await call(`/oss/meta-bucket/big.bin?partNumber=1&uploadId=${uploadId}`, { method: "PUT", client: root, body: "x".repeat(1024) })).status, 200);
    const parts = await (await call(`/oss/meta-bucket/big.bin?uploadId=${uploadId}&max-parts=1000`, { client: root })).text();
    assert.match(parts, /<PartNumber>1<\/PartNumber>/);
    assert.match(parts, /<Size>1024<\/Size>/);
    assert.equal((await call(`/oss/meta-bucket/big.bin?uploadId=${uploadId}`, { method: "DELETE", client: root })).status, 204);
  });
});
