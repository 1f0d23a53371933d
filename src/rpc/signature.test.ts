import assert from "node:assert/strict";
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import { after, before, describe, it } from "node:test";
import type { Credential, CredentialResolver } from "../auth/types.js";
import {
  NonceCache, RpcAuthError, type RpcRequest, buildAcs3CanonicalRequest, buildAcs3StringToSign, buildPopV2StringToSign,
  sha256Hex, signAcs3, signPopV2, verifyRpcSignature,
} from "./signature.js";

interface PopCoreClient {
  request<T>(action: string, params: Record<string, unknown>, options?: Record<string, unknown>): Promise<T>;
}
const RPCClient = createRequire(import.meta.url)("@alicloud/pop-core") as new (config: Record<string, unknown>) => PopCoreClient;

const AK = "testid";
const SK = "testsecret";
const STS_AK = "STS.testid";
const STS_TOKEN = "sts-token";

function resolverWith(overrides: Partial<Credential> = {}): CredentialResolver {
  const principal = { accountId: "1234567890", kind: "root" as const, arn: "acs:ram::1234567890:root", accessKeyId: AK };
  const credentials: Record<string, Credential> = {
    [AK]: { accessKeyId: AK, secret: SK, principal, active: true, ...overrides },
    [STS_AK]: {
      accessKeyId: STS_AK, secret: SK, principal: { ...principal, kind: "assumed-role", accessKeyId: STS_AK }, active: true,
      checkSecurityToken: (token) => (token === STS_TOKEN ? undefined : token === "old" ? "SecurityTokenExpired" : "InvalidSecurityToken"),
    },
  };
  return { resolve: async (id) => credentials[id] };
}

async function expectRpcError(fn: () => Promise<unknown>, code: string, status: number): Promise<void> {
  await assert.rejects(fn, (e: unknown) => {
    assert.ok(e instanceof RpcAuthError, String(e));
    assert.equal(e.code, code, e.message);
    assert.equal(e.httpStatus, status);
    assert.deepEqual(Object.keys(e.body), ["Code", "Message", "HttpStatus"]);
    return true;
  });
}

describe("POP V2 known answers (oss-api.md §7.1)", () => {
  const legacy = {
    AccessKeyId: "testid", Action: "DescribeRegions", Format: "XML", SignatureMethod: "HMAC-SHA1",
    SignatureNonce: "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf", SignatureVersion: "1.0", TimeStamp: "2016-02-23T12:46:24Z", Version: "2014-05-26",
  };

  it("legacy ECS example", async () => {
    const sts = buildPopV2StringToSign("GET", legacy);
    assert.equal(sts, "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26TimeStamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26");
    assert.equal(signPopV2("testsecret", sts), "CT9X0VtwR86fNWSnsc6v8YGOjuE=");
  });

  it("legacy example with Timestamp; Signature itself is excluded", async () => {
    const { TimeStamp, ...rest } = legacy;
    const sts = buildPopV2StringToSign("GET", { ...rest, Timestamp: TimeStamp, Signature: "ignored" });
    assert.equal(signPopV2("testsecret", sts), "OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
  });

  it("DetectImageCodes POST", async () => {
    const sts = buildPopV2StringToSign("POST", {
      AccessKeyId: "testid", Action: "DetectImageCodes", Format: "JSON", ProjectName: "test-project", SignatureMethod: "HMAC-SHA1",
      SignatureNonce: "0123456789abcdef", SignatureVersion: "1.0", SourceURI: "oss://examplebucket/qr/demo.png", Timestamp: "2024-01-01T00:00:00Z", Version: "2020-09-30",
    });
    assert.equal(sts, "POST&%2F&AccessKeyId%3Dtestid%26Action%3DDetectImageCodes%26Format%3DJSON%26ProjectName%3Dtest-project%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D0123456789abcdef%26SignatureVersion%3D1.0%26SourceURI%3Doss%253A%252F%252Fexamplebucket%252Fqr%252Fdemo.png%26Timestamp%3D2024-01-01T00%253A00%253A00Z%26Version%3D2020-09-30");
    assert.equal(signPopV2("testsecret", sts), "Krb1K7H8H/1ITliw3bL4AWBceHc=");
  });
});

// ---------------------------------------------------------------------------------------- ACS3

const ACS3_NOW = new Date("2024-01-01T00:00:00Z");
const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/** The §7.2 illustration: POST / with ProjectName and SourceURI in the query, empty body. */
function acs3Request(overrides: { headers?: Record<string, string>; body?: Buffer; query?: [string, string][]; secret?: string; accessKeyId?: string } = {}): RpcRequest {
  const body = overrides.body ?? Buffer.alloc(0);
  const headers: Record<string, string> = {
    host: "imm.cn-hangzhou.aliyuncs.com",
    "x-acs-action": "DetectImageCodes",
    "x-acs-version": "2020-09-30",
    "x-acs-date": "2024-01-01T00:00:00Z",
    "x-acs-signature-nonce": "0123456789abcdef0123456789abcdef",
    "x-acs-content-sha256": sha256Hex(body),
    ...overrides.headers,
  };
  const query = overrides.query ?? [["ProjectName", "test-project"], ["SourceURI", "oss://examplebucket/qr/demo.png"]];
  const signedHeaders = Object.keys(headers).filter((n) => n === "host" || n === "content-type" || n.startsWith("x-acs-")).sort();
  const canonicalRequest = buildAcs3CanonicalRequest({ method: "POST", path: "/", query, headers, signedHeaders, hashedPayload: sha256Hex(body) });
  const signature = signAcs3(overrides.secret ?? SK, buildAcs3StringToSign(canonicalRequest));
  headers["authorization"] = `ACS3-HMAC-SHA256 Credential=${overrides.accessKeyId ?? AK},SignedHeaders=${signedHeaders.join(";")},Signature=${signature}`;
  return { method: "POST", path: "/", query, headers, body };
}

describe("ACS3-HMAC-SHA256 (oss-api.md §7.2)", () => {
  it("reproduces the known-answer signature", async () => {
    const req = acs3Request();
    assert.equal(req.headers["x-acs-content-sha256"], EMPTY_SHA256);
    assert.match(req.headers["authorization"] ?? "", /,Signature=bd6068aaf2c8bea7b532f33147960066dbd3b84cd452991fe9c38ca9060a97d4$/);
    assert.ok((req.headers["authorization"] ?? "").includes("SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version"));
  });

  it("verifies, returns params with Action/Version, refuses replays", async () => {
    const nonces = new NonceCache();
    const result = await verifyRpcSignature(acs3Request(), resolverWith(), ACS3_NOW, nonces);
    assert.equal(result.scheme, "acs3");
    assert.deepEqual(result.params, { Action: "DetectImageCodes", Version: "2020-09-30", ProjectName: "test-project", SourceURI: "oss://examplebucket/qr/demo.png" });
    await expectRpcError(() => verifyRpcSignature(acs3Request(), resolverWith(), ACS3_NOW, nonces), "SignatureNonceUsed", 400);
  });

  it("binds the form body and merges its params", async () => {
    const body = Buffer.from("ProjectName=test-project&SourceURI=oss%3A%2F%2Fb%2Fk.png");
    const req = acs3Request({ body, query: [], headers: { "content-type": "application/x-www-form-urlencoded" } });
    const result = await verifyRpcSignature(req, resolverWith(), ACS3_NOW, new NonceCache());
    assert.equal(result.params["SourceURI"], "oss://b/k.png");
    await expectRpcError(() => verifyRpcSignature({ ...req, body: Buffer.from("ProjectName=other&SourceURI=x") }, resolverWith(), ACS3_NOW, new NonceCache()), "SignatureDoesNotMatch", 400);
  });

  it("rejects tampering, unknown keys, skew, STS problems and malformed headers", async () => {
    const fresh = () => new NonceCache();
    const req = acs3Request();
    await expectRpcError(() => verifyRpcSignature({ ...req, query: [["ProjectName", "other"]] }, resolverWith(), ACS3_NOW, fresh()), "SignatureDoesNotMatch", 400);
    await expectRpcError(() => verifyRpcSignature(req, resolverWith({ secret: "wrong" }), ACS3_NOW, fresh()), "SignatureDoesNotMatch", 400);
    await expectRpcError(() => verifyRpcSignature(acs3Request({ accessKeyId: "nobody" }), resolverWith(), ACS3_NOW, fresh()), "InvalidAccessKeyId.NotFound", 404);
    await expectRpcError(() => verifyRpcSignature(req, resolverWith({ active: false }), ACS3_NOW, fresh()), "InvalidAccessKeyId.Inactive", 400);
    await expectRpcError(() => verifyRpcSignature(req, resolverWith(), new Date(ACS3_NOW.getTime() + 16 * 60_000), fresh()), "InvalidTimeStamp.Expired", 400);
    await expectRpcError(() => verifyRpcSignature(acs3Request({ headers: { "x-acs-date": "2024/01/01" } }), resolverWith(), ACS3_NOW, fresh()), "InvalidTimeStamp.Format", 400);
    await expectRpcError(() => verifyRpcSignature({ ...req, headers: { ...req.headers, "x-acs-injected": "1" } }, resolverWith(), ACS3_NOW, fresh()), "IncompleteSignature", 400);
    await expectRpcError(() => verifyRpcSignature({ ...req, headers: { ...req.headers, authorization: "ACS3-HMAC-SHA256 Credential=testid" } }, resolverWith(), ACS3_NOW, fresh()), "IncompleteSignature", 400);
    await expectRpcError(() => verifyRpcSignature({ ...req, headers: { ...req.headers, authorization: "acs testid:sig" } }, resolverWith(), ACS3_NOW, fresh()), "IncompleteSignature", 400);
    const { ["x-acs-signature-nonce"]: _nonce, ...noNonce } = req.headers;
    await expectRpcError(() => verifyRpcSignature({ ...req, headers: noNonce }, resolverWith(), ACS3_NOW, fresh()), "MissingParameter", 400);

    const sts = acs3Request({ accessKeyId: STS_AK, headers: { "x-acs-accesskey-id": STS_AK, "x-acs-security-token": STS_TOKEN } });
    assert.equal((await verifyRpcSignature(sts, resolverWith(), ACS3_NOW, fresh())).securityToken, STS_TOKEN);
    const expired = acs3Request({ accessKeyId: STS_AK, headers: { "x-acs-security-token": "old" } });
    await expectRpcError(() => verifyRpcSignature(expired, resolverWith(), ACS3_NOW, fresh()), "InvalidSecurityToken.Expired", 400);
  });
});

// ---------------------------------------------------------------------------------------- pop-core

let server: Server;
let endpoint: string;
let captured: RpcRequest[] = [];

before(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://placeholder");
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers[name] = value;
      captured.push({ method: req.method ?? "GET", path: decodeURIComponent(url.pathname), query: [...url.searchParams], headers, body: Buffer.concat(chunks) });
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ RequestId: "0BF2E1A5-0000-0000-0000-000000000000" }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => {
  server.closeAllConnections();
  server.close();
});

async function popCoreRequest(method: "GET" | "POST", config: Record<string, unknown> = {}): Promise<RpcRequest> {
  captured = [];
  const client = new RPCClient({ accessKeyId: AK, accessKeySecret: SK, endpoint, apiVersion: "2020-09-30", ...config });
  await client.request("DetectImageCodes", { projectName: "test-project", sourceURI: "oss://examplebucket/qr/demo (1).png" }, { method, timeout: 5000 });
  assert.equal(captured.length, 1);
  return captured[0] as RpcRequest;
}

for (const method of ["GET", "POST"] as const) {
  describe(`@alicloud/pop-core ${method}`, () => {
    it("is accepted and its params returned", async () => {
      const req = await popCoreRequest(method);
      assert.equal(req.query.length > 0, method === "GET");
      const result = await verifyRpcSignature(req, resolverWith(), new Date(), new NonceCache());
      assert.equal(result.scheme, "pop-v2");
      assert.equal(result.principal.accessKeyId, AK);
      assert.equal(result.params["Action"], "DetectImageCodes");
      assert.equal(result.params["ProjectName"], "test-project");
      assert.equal(result.params["SourceURI"], "oss://examplebucket/qr/demo (1).png");
      assert.equal(result.securityToken, undefined);
    });

    it("rejects replay, tampering, skew and unknown keys", async () => {
      const req = await popCoreRequest(method);
      const nonces = new NonceCache();
      await verifyRpcSignature(req, resolverWith(), new Date(), nonces);
      await expectRpcError(() => verifyRpcSignature(req, resolverWith(), new Date(), nonces), "SignatureNonceUsed", 400);
      const tampered: RpcRequest = method === "GET"
        ? { ...req, query: req.query.map(([k, v]) => [k, k === "ProjectName" ? "other" : v] as const) }
        : { ...req, body: Buffer.from(req.body.toString().replace("ProjectName=test-project", "ProjectName=other")) };
      await expectRpcError(() => verifyRpcSignature(tampered, resolverWith(), new Date(), new NonceCache()), "SignatureDoesNotMatch", 400);
      await expectRpcError(() => verifyRpcSignature({ ...req, method: method === "GET" ? "POST" : "GET" }, resolverWith(), new Date(), new NonceCache()), "SignatureDoesNotMatch", 400);
      await expectRpcError(() => verifyRpcSignature(req, resolverWith({ secret: "other" }), new Date(), new NonceCache()), "SignatureDoesNotMatch", 400);
      await expectRpcError(() => verifyRpcSignature(req, { resolve: async () => undefined }, new Date(), new NonceCache()), "InvalidAccessKeyId.NotFound", 404);
      await expectRpcError(() => verifyRpcSignature(req, resolverWith(), new Date(Date.now() + 16 * 60_000), new NonceCache()), "InvalidTimeStamp.Expired", 400);
    });

    it("checks the STS SecurityToken", async () => {
      const req = await popCoreRequest(method, { accessKeyId: STS_AK, securityToken: STS_TOKEN });
      assert.equal((await verifyRpcSignature(req, resolverWith(), new Date(), new NonceCache())).securityToken, STS_TOKEN);
      const forged = await popCoreRequest(method, { accessKeyId: STS_AK, securityToken: "forged" });
      await expectRpcError(() => verifyRpcSignature(forged, resolverWith(), new Date(), new NonceCache()), "InvalidSecurityToken.Malformed", 400);
    });
  });
}

describe("POP V2 required parameters", () => {
  it("reports the first missing parameter", async () => {
    const req = await popCoreRequest("GET");
    for (const name of ["AccessKeyId", "Signature", "SignatureNonce", "Timestamp"]) {
      const without = { ...req, query: req.query.filter(([k]) => k !== name) };
      await assert.rejects(() => verifyRpcSignature(without, resolverWith(), new Date(), new NonceCache()), (e: unknown) =>
        e instanceof RpcAuthError && e.code === "MissingParameter" && e.message.includes(`"${name}"`));
    }
    const sha256 = { ...req, query: req.query.map(([k, v]) => [k, k === "SignatureMethod" ? "HMAC-SHA256" : v] as const) };
    await expectRpcError(() => verifyRpcSignature(sha256, resolverWith(), new Date(), new NonceCache()), "IncompleteSignature", 400);
  });
});

describe("NonceCache", () => {
  it("forgets nonces once the timestamp window has passed and stays bounded", async () => {
    const cache = new NonceCache(3);
    const t0 = new Date("2024-01-01T00:00:00Z");
    assert.equal(await cache.remember("ak", "n1", t0, t0), true);
    assert.equal(await cache.remember("ak", "n1", t0, new Date(t0.getTime() + 14 * 60_000)), false);
    assert.equal(await cache.remember("other", "n1", t0, t0), true);
    assert.equal(await cache.remember("ak", "n1", t0, new Date(t0.getTime() + 16 * 60_000)), true);
    for (let i = 0; i < 10; i++) await cache.remember("ak", `x${i}`, t0, t0);
    assert.ok(cache.size <= 3);
  });
});
