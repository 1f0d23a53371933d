/**
 * End-to-end: requests signed by the real ali-oss SDK (captured on a loopback server, or built by
 * signatureUrl/signatureUrlV4) must authenticate; tampered ones must fail with the exact code.
 */
import assert from "node:assert/strict";
import { type IncomingMessage, type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import { after, before, describe, it } from "node:test";
import { OssError } from "../errors/oss-error.js";
import { authenticate } from "./authenticate.js";
import type { Credential, CredentialResolver, Principal, SignableRequest } from "./types.js";

/** The slice of the ali-oss client API the tests use (the package ships no types). */
interface AliOssClient {
  get(name: string, file?: unknown, options?: Record<string, unknown>): Promise<unknown>;
  put(name: string, content: Buffer, options?: Record<string, unknown>): Promise<unknown>;
  list(query: Record<string, unknown> | null, options?: Record<string, unknown>): Promise<unknown>;
  listBuckets(query?: Record<string, unknown> | null): Promise<unknown>;
  signatureUrl(name: string, options?: Record<string, unknown>): string;
  signatureUrlV4(method: string, expires: number, request?: Record<string, unknown>, objectName?: string, additionalHeaders?: string[]): Promise<string>;
}
type AliOssConstructor = new (options: Record<string, unknown>) => AliOssClient;
const OSS = createRequire(import.meta.url)("ali-oss") as AliOssConstructor;

const REGION = "cn-hangzhou";
const BUCKET = "examplebucket";
const AK = "LTAI5tTestAccessKey";
const SK = "test-secret-0123456789";
const STS_AK = "STS.NTestTemporaryKey";
const STS_SK = "sts-secret";
const STS_TOKEN = "CAIS-test-security-token";

function principal(accessKeyId: string, kind: Principal["kind"]): Principal {
  return { accountId: "1234567890", kind, arn: `acs:ram::1234567890:${kind === "root" ? "root" : "assumed-role/r/s"}`, accessKeyId };
}

function resolverWith(overrides: Partial<Record<string, Partial<Credential>>> = {}): CredentialResolver {
  const credentials: Record<string, Credential> = {
    [AK]: { accessKeyId: AK, secret: SK, principal: principal(AK, "root"), active: true, ...overrides[AK] },
    [STS_AK]: {
      accessKeyId: STS_AK, secret: STS_SK, principal: principal(STS_AK, "assumed-role"), active: true,
      checkSecurityToken: (token) => (token === STS_TOKEN ? undefined : "InvalidSecurityToken"),
      ...overrides[STS_AK],
    },
  };
  return { resolve: async (id) => credentials[id] };
}

/** Turns a URL (path + query) and headers into a SignableRequest; bucket = first Host label. */
function toSignable(method: string, rawUrl: string, headers: Record<string, string>): SignableRequest {
  const url = new URL(rawUrl, "http://placeholder");
  const host = headers["host"] ?? url.host;
  const firstLabel = host.split(".")[0] ?? "";
  const rawQuery = url.search.slice(1);
  const query: [string, string][] = rawQuery === "" ? [] : rawQuery.split("&").map((pair) => {
    const eq = pair.indexOf("=");
    const decode = (s: string) => decodeURIComponent(s.replace(/\+/g, " "));
    return eq < 0 ? [decode(pair), ""] : [decode(pair.slice(0, eq)), decode(pair.slice(eq + 1))];
  });
  return { method, bucket: firstLabel === "" ? undefined : firstLabel, key: decodeURIComponent(url.pathname.slice(1)), query, headers };
}

function fromIncoming(req: IncomingMessage): SignableRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(",") : value;
  }
  return toSignable(req.method ?? "GET", req.url ?? "/", headers);
}

let server: Server;
let endpoint: string;
let captured: SignableRequest[] = [];

before(async () => {
  server = createServer((req, res) => {
    captured.push(fromIncoming(req));
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "x-oss-request-id": "5C06A3B67B8B5A3DA422299D", etag: '"D41D8CD98F00B204E9800998ECF8427E"' });
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => {
  server.closeAllConnections();
  server.close();
});

function client(options: Record<string, unknown> = {}): AliOssClient {
  return new OSS({ accessKeyId: AK, accessKeySecret: SK, bucket: BUCKET, endpoint, region: `oss-${REGION}`, ...options });
}

/** Runs one SDK call against the loopback server and returns the request it sent. */
async function capture(call: () => Promise<unknown>): Promise<SignableRequest> {
  captured = [];
  await call().catch(() => undefined); // the empty responses may not parse; only the request matters
  assert.equal(captured.length, 1, "expected exactly one request");
  return captured[0] as SignableRequest;
}

const now = () => new Date();
const opts = (at: Date = now()) => ({ now: at, region: REGION });

async function expectOssError(fn: () => Promise<unknown>, code: string, check?: (e: OssError) => void): Promise<void> {
  await assert.rejects(fn, (e: unknown) => {
    assert.ok(e instanceof OssError, `expected OssError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    check?.(e);
    return true;
  });
}

function withHeaders(req: SignableRequest, change: Record<string, string | undefined>): SignableRequest {
  const headers: Record<string, string> = { ...req.headers };
  for (const [name, value] of Object.entries(change)) {
    if (value === undefined) delete headers[name];
    else headers[name] = value;
  }
  return { ...req, headers };
}

function withQuery(req: SignableRequest, name: string, value: string | undefined): SignableRequest {
  const query = req.query.filter(([k]) => k !== name).map(([k, v]) => [k, v] as const);
  return { ...req, query: value === undefined ? query : [...query, [name, value] as const] };
}

const minutes = (n: number) => new Date(Date.now() + n * 60_000);

for (const authorizationV4 of [false, true]) {
  const scheme = authorizationV4 ? "v4-header" : "v1-header";

  describe(`ali-oss ${scheme}`, () => {
    it("GET with x-oss-process=image/codes is accepted", async () => {
      const req = await capture(() => client({ authorizationV4 }).get("qr/demo.png", undefined, { process: "image/codes" }));
      assert.equal(req.bucket, BUCKET);
      assert.deepEqual(req.query, [["x-oss-process", "image/codes"]]);
      assert.equal(req.headers["content-type"], "image/png");
      const result = await authenticate(req, resolverWith(), opts());
      assert.deepEqual(result, { kind: "signed", scheme, principal: principal(AK, "root"), securityToken: undefined });
    });

    it("PUT with x-oss-meta headers and an odd key is accepted", async () => {
      const req = await capture(() => client({ authorizationV4 }).put("dir/a b+c(1)*.txt", Buffer.from("hello"), { meta: { author: "alice", magic: "abracadabra" } }));
      assert.equal(req.key, "dir/a b+c(1)*.txt");
      assert.equal(req.headers["x-oss-meta-author"], "alice");
      assert.equal((await authenticate(req, resolverWith(), opts())).kind, "signed");
    });

    it("bucket-level List and service-level ListBuckets are accepted", async () => {
      const list = await capture(() => client({ authorizationV4 }).list({ prefix: "qr/", "max-keys": 10 }));
      assert.equal(list.key, "");
      assert.equal((await authenticate(list, resolverWith(), opts())).kind, "signed");
      const buckets = await capture(() => client({ authorizationV4 }).listBuckets());
      assert.equal(buckets.bucket, undefined);
      assert.equal((await authenticate(buckets, resolverWith(), opts())).kind, "signed");
    });

    it("STS token is checked and returned", async () => {
      const sts = client({ authorizationV4, accessKeyId: STS_AK, accessKeySecret: STS_SK, stsToken: STS_TOKEN });
      const req = await capture(() => sts.get("qr/demo.png", undefined, { process: "image/codes" }));
      const result = await authenticate(req, resolverWith(), opts());
      assert.equal(result.kind === "signed" && result.securityToken, STS_TOKEN);
      const wrongToken = await capture(() => client({ authorizationV4, accessKeyId: STS_AK, accessKeySecret: STS_SK, stsToken: "forged" }).get("a.txt"));
      await expectOssError(() => authenticate(wrongToken, resolverWith(), opts()), "InvalidSecurityToken");
      const expired = resolverWith({ [STS_AK]: { checkSecurityToken: () => "SecurityTokenExpired" } });
      await expectOssError(() => authenticate(req, expired, opts()), "SecurityTokenExpired", (e) => assert.equal(e.status, 403));
    });

    it("tampering fails with the exact error", async () => {
      const req = await capture(() => client({ authorizationV4 }).get("qr/demo.png", undefined, { process: "image/codes" }));
      const mismatch = (e: OssError) => {
        assert.equal(e.status, 403);
        const extra = Object.fromEntries(e.extra);
        assert.equal(extra["OSSAccessKeyId"], AK);
        assert.ok(extra["StringToSign"] && extra["SignatureProvided"] && extra["StringToSignBytes"]);
        assert.equal(extra["CanonicalRequest"] !== undefined, authorizationV4);
      };
      await expectOssError(() => authenticate(withHeaders(req, { "content-type": "text/plain" }), resolverWith(), opts()), "SignatureDoesNotMatch", mismatch);
      await expectOssError(() => authenticate(withHeaders(req, { "x-oss-meta-injected": "1" }), resolverWith(), opts()), "SignatureDoesNotMatch", mismatch);
      await expectOssError(() => authenticate({ ...req, key: "qr/other.png" }, resolverWith(), opts()), "SignatureDoesNotMatch", mismatch);
      await expectOssError(() => authenticate(withQuery(req, "x-oss-process", "image/info"), resolverWith(), opts()), "SignatureDoesNotMatch", mismatch);
      await expectOssError(() => authenticate(req, resolverWith({ [AK]: { secret: "wrong" } }), opts()), "SignatureDoesNotMatch", mismatch);
      await expectOssError(() => authenticate(req, resolverWith({ [AK]: { active: false } }), opts()), "InvalidAccessKeyId", (e) =>
        assert.deepEqual(e.extra, [["OSSAccessKeyId", AK]]));
      await expectOssError(() => authenticate(req, { resolve: async () => undefined }, opts()), "InvalidAccessKeyId");
      await expectOssError(() => authenticate(req, resolverWith(), opts(minutes(16))), "RequestTimeTooSkewed", (e) =>
        assert.deepEqual(e.extra.map(([k]) => k), ["RequestTime", "ServerTime"]));
      await expectOssError(() => authenticate(req, resolverWith(), opts(minutes(-16))), "RequestTimeTooSkewed");
      assert.equal((await authenticate(req, resolverWith(), opts(minutes(14)))).kind, "signed");
      await expectOssError(() => authenticate(withHeaders(req, { "x-oss-date": undefined }), resolverWith(), opts()), "AccessDenied");
      await expectOssError(() => authenticate(withHeaders(req, { "x-oss-date": "not a date" }), resolverWith(), opts()), "AccessDenied");
      await expectOssError(() => authenticate(withQuery(req, "OSSAccessKeyId", AK), resolverWith(), opts()), "InvalidArgument");
    });
  });
}

describe("V1 header specifics", () => {
  it("falls back to the Date header when x-oss-date is absent", async () => {
    const req = await capture(() => client().get("a.txt"));
    const date = req.headers["x-oss-date"] as string;
    const moved = withHeaders(req, { "x-oss-date": undefined, date });
    // x-oss-date was also a signed x-oss-* header, so the signature no longer matches — but time checks pass.
    await expectOssError(() => authenticate(moved, resolverWith(), opts()), "SignatureDoesNotMatch");
    await expectOssError(() => authenticate(withHeaders(moved, { date: undefined }), resolverWith(), opts()), "AccessDenied", (e) =>
      assert.match(e.message, /Date or x-oss-date/));
  });

  it("rejects malformed and unknown Authorization headers with InvalidArgument", async () => {
    const base: SignableRequest = { method: "GET", bucket: BUCKET, key: "a", query: [], headers: {} };
    for (const authorization of ["OSS", "OSS4-HMAC-SHA256", "OSS nocolon", "Bearer abc", "OSS4-HMAC-SHA256 Signature=abc", "OSS4-HMAC-SHA256 Credential=ak/x/y,Signature=s"]) {
      await expectOssError(() => authenticate({ ...base, headers: { authorization } }, resolverWith(), opts()), "InvalidArgument");
    }
    assert.deepEqual(await authenticate(base, resolverWith(), opts()), { kind: "anonymous" });
  });
});

describe("V4 header specifics", () => {
  it("checks credential scope and x-oss-content-sha256", async () => {
    const req = await capture(() => client({ authorizationV4: true }).get("a.txt"));
    await expectOssError(() => authenticate(req, resolverWith(), { now: now(), region: "cn-beijing" }), "AccessDenied", (e) => assert.equal(e.ec, "0002-00000228"));
    assert.equal((await authenticate(req, resolverWith(), { now: now(), region: `oss-${REGION}` })).kind, "signed");
    const otherDay = (req.headers["x-oss-date"] as string).replace(/^\d{8}/, "20200101");
    await expectOssError(() => authenticate(withHeaders(req, { "x-oss-date": otherDay }), resolverWith(), opts(new Date(Date.UTC(2020, 0, 1, Number(otherDay.slice(9, 11)), Number(otherDay.slice(11, 13)))))), "AccessDenied", (e) =>
      assert.equal(e.ec, "0002-00000223"));
    await expectOssError(() => authenticate(withHeaders(req, { "x-oss-content-sha256": undefined }), resolverWith(), opts()), "InvalidArgument");
    await expectOssError(() => authenticate(withHeaders(req, { "x-oss-content-sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" }), resolverWith(), opts()), "InvalidArgument", (e) =>
      assert.equal(e.ec, "0002-00000214"));
    const oss2Style = (req.headers["authorization"] as string).replace(/,Signature=([0-9a-f]+)/, ", Signature=$1").replace(/Credential=/, "Credential= ");
    assert.equal((await authenticate(withHeaders(req, { authorization: oss2Style }), resolverWith(), opts())).kind, "signed");
  });
});

describe("presigned URLs", () => {
  // signatureUrl refuses IP endpoints; URL building needs no network, so a DNS-style endpoint is fine.
  const urlClient = (options: Record<string, unknown> = {}) => client({ endpoint: `http://oss-${REGION}.aliyuncs.com`, ...options });
  const fromUrl = (url: string, headers: Record<string, string> = {}, method = "GET") =>
    toSignable(method, url, { host: new URL(url).host, ...headers });

  it("V1 signatureUrl with x-oss-process is accepted; expiry and tampering are rejected", async () => {
    const req = fromUrl(urlClient().signatureUrl("qr/demo.png", { expires: 600, process: "image/codes" }));
    assert.equal(req.bucket, BUCKET);
    const result = await authenticate(req, resolverWith(), opts());
    assert.equal(result.kind === "signed" && result.scheme, "v1-query");
    await expectOssError(() => authenticate(req, resolverWith(), opts(minutes(11))), "AccessDenied", (e) => {
      assert.equal(e.message, "Request has expired.");
      assert.deepEqual(e.extra.map(([k]) => k), ["Expires", "ServerTime"]);
    });
    const expires = Number(req.query.find(([k]) => k === "Expires")?.[1]);
    await expectOssError(() => authenticate(withQuery(req, "Expires", String(expires + 3600)), resolverWith(), opts()), "SignatureDoesNotMatch");
    await expectOssError(() => authenticate(withQuery(req, "x-oss-process", "image/resize,w_10"), resolverWith(), opts()), "SignatureDoesNotMatch");
    await expectOssError(() => authenticate(withQuery(req, "Signature", undefined), resolverWith(), opts()), "AccessDenied");
    await expectOssError(() => authenticate(withHeaders(req, { authorization: "OSS a:b" }), resolverWith(), opts()), "InvalidArgument");
    // Unsigned params (prefix, marker, …) may be added freely.
    assert.equal((await authenticate(withQuery(req, "prefix", "x"), resolverWith(), opts())).kind, "signed");
  });

  it("V1 signatureUrl with an STS token", async () => {
    const req = fromUrl(urlClient({ accessKeyId: STS_AK, accessKeySecret: STS_SK, stsToken: STS_TOKEN }).signatureUrl("key+123", { expires: 600 }));
    assert.equal(req.key, "key+123");
    const result = await authenticate(req, resolverWith(), opts());
    assert.equal(result.kind === "signed" && result.securityToken, STS_TOKEN);
    await expectOssError(() => authenticate(withQuery(req, "security-token", "forged"), resolverWith(), opts()), "InvalidSecurityToken");
  });

  it("V4: once a key's secret is changed, URLs signed with the old secret no longer validate (signing-key cache, signature memo)", async () => {
    const req = fromUrl(await urlClient().signatureUrlV4("GET", 600, undefined, "rotated.txt"));
    assert.equal((await authenticate(req, resolverWith(), opts())).kind, "signed");
    assert.equal((await authenticate(req, resolverWith(), opts())).kind, "signed"); // cached key and memoised signature
    // Another signature for the same request still fails.
    await expectOssError(() => authenticate(withQuery(req, "x-oss-signature", "0".repeat(64)), resolverWith(), opts()), "SignatureDoesNotMatch");
    await expectOssError(() => authenticate(req, resolverWith({ [AK]: { secret: `${SK}-rotated` } }), opts()), "SignatureDoesNotMatch");
    assert.equal((await authenticate(req, resolverWith(), opts())).kind, "signed");
  });

  it("V4: a remembered signature passes again only for exactly the request it was verified with", async () => {
    const req = fromUrl(await urlClient().signatureUrlV4("GET", 600, undefined, "dir/remembered.txt"));
    assert.equal((await authenticate(req, resolverWith(), opts())).kind, "signed");
    assert.equal((await authenticate(req, resolverWith(), opts())).kind, "signed"); // from the memo
    const altered: Array<[string, SignableRequest]> = [
      ["another key", { ...req, key: "dir/remembered.txx" }],
      ["a key moved into the bucket name", { ...req, bucket: `${BUCKET}d`, key: "ir/remembered.txt" }],
      ["another bucket", { ...req, bucket: "otherbucket" }],
      ["another method", { ...req, method: "DELETE" }],
      ["a query parameter added", withQuery(req, "acl", "")],
      ["a query value changed", withQuery(req, "x-oss-expires", "601")],
      ["an x-oss- header added", withHeaders(req, { "x-oss-object-acl": "public-read" })],
      ["a content-type added", withHeaders(req, { "content-type": "text/html" })],
      ["a host listed as additional header", withQuery(req, "x-oss-additional-headers", "host")],
    ];
    for (const [what, tampered] of altered) {
      await expectOssError(() => authenticate(tampered, resolverWith(), opts()), "SignatureDoesNotMatch", () => assert.ok(true, what));
    }
    assert.equal((await authenticate(req, resolverWith(), opts())).kind, "signed");
  });

  it("V4 signatureUrlV4 with x-oss-process and host as additional header", async () => {
    const host = `${BUCKET}.oss-${REGION}.aliyuncs.com`;
    const url = await urlClient().signatureUrlV4("GET", 600, { headers: { host }, queries: { "x-oss-process": "image/codes" } }, "qr/demo.png", ["host"]);
    const req = fromUrl(url);
    assert.ok(req.query.some(([k, v]) => k === "x-oss-additional-headers" && v === "host"));
    const result = await authenticate(req, resolverWith(), opts());
    assert.equal(result.kind === "signed" && result.scheme, "v4-query");
    await expectOssError(() => authenticate(withHeaders(req, { host: "evil.example.com" }), resolverWith(), opts()), "SignatureDoesNotMatch", (e) =>
      assert.ok(e.extra.some(([k]) => k === "CanonicalRequest")));
    await expectOssError(() => authenticate(req, resolverWith(), opts(minutes(11))), "AccessDenied", (e) => assert.equal(e.message, "Request has expired."));
    await expectOssError(() => authenticate(req, resolverWith(), opts(minutes(-16))), "AccessDenied");
    await expectOssError(() => authenticate(withQuery(req, "x-oss-expires", "3600"), resolverWith(), opts()), "SignatureDoesNotMatch");
    await expectOssError(() => authenticate(withQuery(req, "x-oss-expires", "604801"), resolverWith(), opts()), "InvalidArgument", (e) => assert.equal(e.ec, "0002-00000232"));
    await expectOssError(() => authenticate(withQuery(req, "x-oss-expires", undefined), resolverWith(), opts()), "AccessDenied");
    await expectOssError(() => authenticate(withQuery(req, "x-oss-signature-version", "OSS2"), resolverWith(), opts()), "InvalidArgument");
  });

  it("V4 signatureUrlV4 PUT with content-type and an STS token", async () => {
    const sts = urlClient({ accessKeyId: STS_AK, accessKeySecret: STS_SK, stsToken: STS_TOKEN });
    const url = await sts.signatureUrlV4("PUT", 600, { headers: { "content-type": "image/png" } }, "up/load.png");
    const req = fromUrl(url, { "content-type": "image/png" }, "PUT");
    const result = await authenticate(req, resolverWith(), opts());
    assert.equal(result.kind === "signed" && result.securityToken, STS_TOKEN);
    await expectOssError(() => authenticate(withHeaders(req, { "content-type": "text/html" }), resolverWith(), opts()), "SignatureDoesNotMatch");
    await expectOssError(() => authenticate({ ...req, method: "GET" }, resolverWith(), opts()), "SignatureDoesNotMatch");
  });
});

describe("known-answer vectors through authenticate()", () => {
  const docResolver: CredentialResolver = { resolve: async (id) => (id === "ak" ? { accessKeyId: "ak", secret: "sk", principal: principal("ak", "root"), active: true } : undefined) };
  const COMMON_QUERY: [string, string][] = [["param1", "value1"], ["+param1", "value3"], ["|param1", "value4"], ["+param2", ""], ["|param2", ""], ["param2", ""]];
  const COMMON_HEADERS = { "x-oss-head1": "value", abc: "value", zabc: "value", xyz: "value" };

  it("V1 header §4.3 vector 1", async () => {
    const date = "Wed, 28 Dec 2022 10:27:41 GMT";
    const req: SignableRequest = {
      method: "PUT", bucket: "examplebucket", key: "nelson", query: [],
      headers: {
        authorization: "OSS ak:kSHKmLxlyEAKtZPkJhG9bZb5k7M=", "content-md5": "eB5eJF1ptWaXm4bijSPyxw==", "content-type": "text/html",
        "x-oss-date": date, "x-oss-meta-author": "alice", "x-oss-meta-magic": "abracadabra",
      },
    };
    const at = new Date(Date.parse(date));
    assert.equal((await authenticate(req, docResolver, { now: at, region: REGION })).kind, "signed");
    await expectOssError(() => authenticate(withHeaders(req, { "x-oss-meta-magic": "other" }), docResolver, { now: at, region: REGION }), "SignatureDoesNotMatch", (e) => {
      const extra = Object.fromEntries(e.extra);
      assert.equal(extra["SignatureProvided"], "kSHKmLxlyEAKtZPkJhG9bZb5k7M=");
      assert.match(extra["StringToSign"] ?? "", /x-oss-meta-magic:other\n\/examplebucket\/nelson$/);
      assert.match(extra["StringToSignBytes"] ?? "", /^50 55 54 0a /);
    });
  });

  it("V1 presigned §4.4 (key+123 with token) at its expiry second", async () => {
    const req: SignableRequest = {
      method: "GET", bucket: "bucket", key: "key+123", headers: {},
      query: [["OSSAccessKeyId", "ak"], ["Expires", "1699808204"], ["Signature", "jzKYRrM5y6Br0dRFPaTGOsbrDhY="], ["security-token", "token"], ["versionId", "versionId"]],
    };
    assert.equal((await authenticate(req, docResolver, { now: new Date(1699808204_000), region: REGION })).kind, "signed");
    await expectOssError(() => authenticate(req, docResolver, { now: new Date(1699808205_000), region: REGION }), "AccessDenied");
  });

  it("V4 header §5.6 (a) and (b) with oss2-style spacing", async () => {
    const headers = { ...COMMON_HEADERS, "content-type": "text/plain", "x-oss-content-sha256": "UNSIGNED-PAYLOAD" };
    const a: SignableRequest = {
      method: "PUT", bucket: "bucket", key: "1234+-/123/1.txt", query: COMMON_QUERY,
      headers: { ...headers, "x-oss-date": "20231216T162057Z", authorization: "OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,Signature=e21d18daa82167720f9b1047ae7e7f1ce7cb77a31e8203a7d5f4624fa0284afe" },
    };
    assert.equal((await authenticate(a, docResolver, { now: new Date(1702743657_000), region: REGION })).kind, "signed");
    const b: SignableRequest = {
      ...a,
      headers: { ...headers, "x-oss-date": "20231216T172512Z", authorization: "OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request, Signature=4a4183c187c07c8947db7620deb0a6b38d9fbdd34187b6dbaccb316fa251212f, AdditionalHeaders=abc;zabc" },
    };
    assert.equal((await authenticate(b, docResolver, { now: new Date(1702747512_000), region: REGION })).kind, "signed");
    const wrongTerminator = withHeaders(a, { authorization: (a.headers["authorization"] as string).replace("aliyun_v4_request", "aliyun_v3_request") });
    await expectOssError(() => authenticate(wrongTerminator, docResolver, { now: new Date(1702743657_000), region: REGION }), "AccessDenied", (e) => assert.equal(e.ec, "0002-00000213"));
    const prefixedRegion = withHeaders(a, { authorization: (a.headers["authorization"] as string).replace("/cn-hangzhou/", "/oss-cn-hangzhou/") });
    await expectOssError(() => authenticate(prefixedRegion, docResolver, { now: new Date(1702743657_000), region: REGION }), "AccessDenied", (e) => assert.equal(e.ec, "0002-00000226"));
  });

  it("V4 presigned §5.6 (d)", async () => {
    const req: SignableRequest = {
      method: "PUT", bucket: "bucket", key: "1234+-/123/1.txt", headers: { ...COMMON_HEADERS, "content-type": "application/octet-stream" },
      query: [
        ...COMMON_QUERY, ["x-oss-signature-version", "OSS4-HMAC-SHA256"], ["x-oss-credential", "ak/20231217/cn-hangzhou/oss/aliyun_v4_request"],
        ["x-oss-date", "20231217T025437Z"], ["x-oss-expires", "599"], ["x-oss-signature", "a39966c61718be0d5b14e668088b3fa07601033f6518ac7b523100014269c0fe"],
      ],
    };
    assert.equal((await authenticate(req, docResolver, { now: new Date((1702781677 + 599) * 1000), region: REGION })).kind, "signed");
    await expectOssError(() => authenticate(req, docResolver, { now: new Date((1702781677 + 600) * 1000), region: REGION }), "AccessDenied");
    await expectOssError(() => authenticate(withQuery(req, "OSSAccessKeyId", "ak"), docResolver, { now: new Date(1702781677_000), region: REGION }), "InvalidArgument");
  });
});
