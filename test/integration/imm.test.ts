/**
 * IMM against the real server: projects and bucket attachments through the real `@alicloud/pop-core`
 * RPC client, then image/codes through ali-oss (V1, V4, presigned URL) and DetectImageCodes.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";
import { ROOT_KEY_ID, ROOT_KEY_SECRET, startServer, type TestServer } from "./harness.js";
import { ossClient, ossError, type AliOssClient } from "./ali-oss.js";

interface PopCoreClient {
  request<T>(action: string, params: Record<string, unknown>, options?: Record<string, unknown>): Promise<T>;
}
const require = createRequire(import.meta.url);
const RPCClient = require("@alicloud/pop-core") as new (config: Record<string, unknown>) => PopCoreClient;
const QRCode = require("qrcode") as { toBuffer(text: string, options: Record<string, unknown>): Promise<Buffer> };
const OSS = require("ali-oss") as new (options: Record<string, unknown>) => AliOssClient;

interface Box { Left: number; Top: number; Width: number; Height: number }
interface OssCodes { RequestId: string; Codes: { Content: string; Boundary: Box }[] }
interface ImmCodes { RequestId: string; Codes: { Content: string; Type: string; Confidence: number; Boundary: Box & { Polygon: { X: number; Y: number }[] } }[] }

const TEXT = "https://example.com/x";
const MARGIN = 4;
const SCALE = 8;

/** A QR PNG and where its modules are: `margin` quiet modules around `modules` data modules. */
async function qrPng(text: string, scale = SCALE): Promise<{ png: Buffer; size: number; codeStart: number; codeEnd: number }> {
  const png = await QRCode.toBuffer(text, { margin: MARGIN, scale });
  const size = png.readUInt32BE(16); // IHDR width
  return { png, size, codeStart: MARGIN * scale, codeEnd: size - MARGIN * scale };
}

/** The box lies inside the image and covers the code area (give or take a module). */
function assertPlausibleBox(box: Box, qr: { size: number; codeStart: number; codeEnd: number }, scale = SCALE): void {
  const msg = JSON.stringify({ box, qr });
  assert.ok(box.Left >= 0 && box.Top >= 0 && box.Width > 0 && box.Height > 0, msg);
  assert.ok(box.Left + box.Width <= qr.size && box.Top + box.Height <= qr.size, msg);
  assert.ok(box.Left <= qr.codeStart + scale && box.Top <= qr.codeStart + scale, msg);
  assert.ok(box.Left + box.Width >= qr.codeEnd - scale && box.Top + box.Height >= qr.codeEnd - scale, msg);
}

async function rpcError(call: Promise<unknown>): Promise<{ code: string; status: number; message: string }> {
  try {
    await call;
  } catch (error) {
    const e = error as { code: string; message: string; entry?: { response?: { statusCode: number } } };
    return { code: e.code, status: e.entry?.response?.statusCode ?? 0, message: e.message };
  }
  throw new Error("expected an RPC error, the call succeeded");
}

describe("IMM projects, attachments and image/codes", () => {
  let server: TestServer;
  let imm: PopCoreClient;
  let oss: AliOssClient;
  let ossV4: AliOssClient;
  const bucket = "imm-codes-bucket";
  const loose = "imm-loose-bucket";
  const project = "imm-test-project";
  let qr: Awaited<ReturnType<typeof qrPng>>;
  const call = <T>(action: string, params: Record<string, unknown> = {}) => imm.request<T>(action, params, { method: "POST" });

  before(async () => {
    server = await startServer();
    imm = new RPCClient({ accessKeyId: ROOT_KEY_ID, accessKeySecret: ROOT_KEY_SECRET, endpoint: `http://127.0.0.1:${server.rpcPort}`, apiVersion: "2020-09-30" });
    oss = ossClient(server, { bucket });
    ossV4 = ossClient(server, { bucket, v4: true });
    await oss.putBucket(bucket);
    await oss.putBucket(loose);
    qr = await qrPng(TEXT);
    await oss.put("qr.png", qr.png);
    await oss.put("notes.txt", Buffer.from("not an image"));
    await ossClient(server, { bucket: loose }).put("qr.png", qr.png);
  });
  after(async () => {
    await server?.stop();
    server?.cleanup();
  });

  it("creates, reads and lists projects", async () => {
    const created = await call<{ RequestId: string; Project: Record<string, unknown> }>("CreateProject", { ProjectName: project, Description: "codes" });
    assert.match(created.RequestId, /^[0-9A-F-]{36}$/);
    assert.equal(created.Project.ProjectName, project);
    assert.equal(created.Project.ServiceRole, "AliyunIMMDefaultRole");
    assert.equal(created.Project.Description, "codes");
    assert.equal(created.Project.DatasetMaxBindCount, 10);
    assert.ok(!Number.isNaN(Date.parse(String(created.Project.CreateTime))));
    const got = await call<{ Project: Record<string, unknown> }>("GetProject", { ProjectName: project });
    assert.deepEqual(got.Project, created.Project);
    await call("CreateProject", { ProjectName: "imm-other-1", ServiceRole: "MyRole", Tag: JSON.stringify([{ Key: "team", Value: "qa" }]) });
    await call("CreateProject", { ProjectName: "imm-other-2" });
    const page1 = await call<{ NextToken: string; Projects: { ProjectName: string; Tags: unknown[] }[] }>("ListProjects", { Prefix: "imm-other", MaxResults: 1 });
    assert.deepEqual(page1.Projects.map((p) => p.ProjectName), ["imm-other-1"]);
    // pop-core parses with json-bigint (null-prototype objects, 9e16 as a string): compare plain copies.
    assert.deepEqual(JSON.parse(JSON.stringify(page1.Projects[0]!.Tags)), [{ TagKey: "team", TagValue: "qa" }]);
    assert.notEqual(page1.NextToken, "");
    const page2 = await call<{ NextToken: string; Projects: { ProjectName: string }[] }>("ListProjects", { Prefix: "imm-other", MaxResults: 1, NextToken: page1.NextToken });
    assert.deepEqual(page2.Projects.map((p) => p.ProjectName), ["imm-other-2"]);
    assert.equal(page2.NextToken, "");
    const all = await call<{ Projects: unknown[] }>("ListProjects");
    assert.equal(all.Projects.length, 3);
    await call("DeleteProject", { ProjectName: "imm-other-2" });
    assert.equal((await rpcError(call("GetProject", { ProjectName: "imm-other-2" }))).code, "ResourceNotFound");
  });

  it("refuses image/codes on a bucket not attached to a project", async () => {
    const e = await ossError(() => ossClient(server, { bucket: loose }).get("qr.png", { process: "image/codes" }));
    assert.equal(e.status, 400);
    assert.equal(e.code, "InvalidArgument");
    assert.match(e.message, /not attached to an IMM project/);
  });

  it("attaches the bucket and reports the attachment", async () => {
    const result = await call<Record<string, unknown>>("AttachOSSBucket", { ProjectName: project, OSSBucket: bucket, Description: "codes bucket" });
    assert.deepEqual(Object.keys(result), ["RequestId"]);
    const got = await call<Record<string, string>>("GetOSSBucketAttachment", { OSSBucket: bucket });
    assert.equal(got.ProjectName, project);
    assert.equal(got.Description, "codes bucket");
    assert.ok(!Number.isNaN(Date.parse(got.CreateTime!)) && !Number.isNaN(Date.parse(got.UpdateTime!)));
    const again = await rpcError(call("AttachOSSBucket", { ProjectName: "imm-other-1", OSSBucket: bucket }));
    assert.deepEqual([again.code, again.status], ["ResourceAlreadyExist", 409]);
  });

  for (const [label, client] of [["V1", () => oss], ["V4", () => ossV4]] as const) {
    it(`image/codes through ali-oss ${label}`, async () => {
      const result = await client().get("qr.png", { process: "image/codes" });
      assert.equal(result.res.status, 200);
      assert.match(String(result.res.headers["content-type"]), /application\/json/);
      const body = JSON.parse(Buffer.from(result.content).toString("utf8")) as OssCodes;
      assert.equal(body.Codes.length, 1);
      assert.equal(body.Codes[0]!.Content, TEXT);
      assert.deepEqual(Object.keys(body.Codes[0]!.Boundary).sort(), ["Height", "Left", "Top", "Width"]);
      assertPlausibleBox(body.Codes[0]!.Boundary, qr);
    });
  }

  for (const v4 of [false, true]) {
    it(`image/codes through a presigned ${v4 ? "V4" : "V1"} URL`, async () => {
      // ali-oss refuses to presign for an IP endpoint: use a host name and path-style URLs.
      const named = new OSS({ region: "oss-cn-hangzhou", endpoint: `http://localhost:${server.ossPort}`, accessKeyId: ROOT_KEY_ID, accessKeySecret: ROOT_KEY_SECRET, bucket, sldEnable: true, authorizationV4: v4 });
      const url: string = v4
        ? await named.signatureUrlV4("GET", 60, { queries: { "x-oss-process": "image/codes" } }, "qr.png")
        : named.signatureUrl("qr.png", { expires: 60, process: "image/codes" });
      const res = await fetch(url);
      const text = await res.text();
      assert.equal(res.status, 200, text);
      const body = JSON.parse(text) as OssCodes;
      assert.equal(body.Codes[0]?.Content, TEXT);
      assertPlausibleBox(body.Codes[0]!.Boundary, qr);
    });
  }

  it("DetectImageCodes returns the IMM model", async () => {
    const result = await call<ImmCodes>("DetectImageCodes", { ProjectName: project, SourceURI: `oss://${bucket}/qr.png` });
    assert.equal(result.Codes.length, 1);
    const code = result.Codes[0]!;
    assert.equal(code.Content, TEXT);
    assert.equal(code.Type, "qrcode");
    assert.ok(code.Confidence > 0 && code.Confidence <= 1);
    assertPlausibleBox(code.Boundary, qr);
    assert.equal(code.Boundary.Polygon.length, 4);
    for (const p of code.Boundary.Polygon) assert.ok(p.X >= 0 && p.Y >= 0 && p.X <= qr.size && p.Y <= qr.size, JSON.stringify(p));
    // CredentialConfig is validated; a role chain grants nothing (imm-access.test.ts covers its Policy)
    const withConfig = await call<ImmCodes>("DetectImageCodes", {
      ProjectName: project, SourceURI: `oss://${bucket}/qr.png`,
      CredentialConfig: JSON.stringify({ Chain: [{ Role: "AliyunOSSRole", RoleType: "user" }] }),
    });
    assert.equal(withConfig.Codes[0]?.Content, TEXT);
  });

  it("serves a repeat scan from the cache; an overwrite misses", async () => {
    const big = await qrPng("https://example.com/big", 60);
    await oss.put("big.png", big.png);
    const timed = async () => {
      const t0 = performance.now();
      const result = await oss.get("big.png", { process: "image/codes" });
      return { ms: performance.now() - t0, body: JSON.parse(Buffer.from(result.content).toString("utf8")) as OssCodes };
    };
    const first = await timed();
    const repeats = [];
    for (let i = 0; i < 5; i++) repeats.push((await timed()).ms);
    const repeat = Math.min(...repeats);
    console.log(`# image/codes ${big.size}x${big.size} PNG (${big.png.length} bytes): first ${first.ms.toFixed(1)} ms, repeat ${repeat.toFixed(1)} ms (best of 5)`);
    assert.equal(first.body.Codes[0]?.Content, "https://example.com/big");
    assert.ok(repeat < first.ms, `repeat ${repeat} ms should beat first ${first.ms} ms`);
    // Same key, new content: the ETag changes, so the cached result must not be served.
    await oss.put("big.png", (await qrPng("https://example.com/changed", 60)).png);
    const changed = await timed();
    assert.equal(changed.body.Codes[0]?.Content, "https://example.com/changed");
    // DetectImageCodes shares the cache and the path.
    const viaImm = await call<ImmCodes>("DetectImageCodes", { ProjectName: project, SourceURI: `oss://${bucket}/big.png` });
    assert.equal(viaImm.Codes[0]?.Content, "https://example.com/changed");
  });

  it("concurrent identical image/codes requests all succeed", async () => {
    const results = await Promise.all(Array.from({ length: 6 }, () => oss.get("qr.png", { process: "image/codes" })));
    for (const r of results) assert.equal((JSON.parse(Buffer.from(r.content).toString("utf8")) as OssCodes).Codes[0]?.Content, TEXT);
  });

  it("denies anonymous image/codes even on a public-read object", async () => {
    await oss.putACL("qr.png", "public-read");
    const plain = await fetch(`${server.endpoint}/${bucket}/qr.png`);
    assert.equal(plain.status, 200);
    const res = await fetch(`${server.endpoint}/${bucket}/qr.png?x-oss-process=image/codes`);
    assert.equal(res.status, 403);
    assert.match(await res.text(), /<Code>AccessDenied<\/Code>/);
    await oss.putACL("qr.png", "private");
  });

  it("gives clear OSS errors for non-images and missing objects", async () => {
    const notImage = await ossError(() => oss.get("notes.txt", { process: "image/codes" }));
    assert.equal(notImage.status, 400);
    assert.equal(notImage.code, "BadRequest");
    assert.match(notImage.message, /not an image/);
    const missing = await ossError(() => oss.get("nope.png", { process: "image/codes" }));
    assert.deepEqual([missing.status, missing.code], [404, "NoSuchKey"]);
  });

  it("gives IMM errors for bad input to every action", async () => {
    const cases: [string, Record<string, unknown>, string, number][] = [
      ["CreateProject", {}, "MissingProjectName", 400],
      ["CreateProject", { ProjectName: "9starts-with-digit" }, "InvalidArgument", 400],
      ["CreateProject", { ProjectName: "has space" }, "InvalidArgument", 400],
      ["CreateProject", { ProjectName: "ok-name", ServiceRole: "bad role" }, "InvalidArgument", 400],
      ["CreateProject", { ProjectName: "ok-name", DatasetMaxBindCount: 11 }, "InvalidArgument", 400],
      ["CreateProject", { ProjectName: "ok-name", Tag: "{" }, "InvalidArgument", 400],
      ["CreateProject", { ProjectName: project }, "ResourceAlreadyExist", 409],
      ["GetProject", {}, "MissingProjectName", 400],
      ["GetProject", { ProjectName: "no-such-project" }, "ResourceNotFound", 404],
      ["ListProjects", { MaxResults: 500 }, "InvalidArgument", 400],
      ["ListProjects", { NextToken: "%%%" }, "InvalidArgument", 400],
      ["DeleteProject", {}, "MissingProjectName", 400],
      ["DeleteProject", { ProjectName: "no-such-project" }, "ResourceNotFound", 404],
      ["DeleteProject", { ProjectName: project }, "ResourceInUse", 409],
      ["AttachOSSBucket", { OSSBucket: loose }, "MissingProjectName", 400],
      ["AttachOSSBucket", { ProjectName: project }, "MissingOSSBucket", 400],
      ["AttachOSSBucket", { ProjectName: project, OSSBucket: "Bad_Bucket" }, "InvalidArgument", 400],
      ["AttachOSSBucket", { ProjectName: project, OSSBucket: "no-such-bucket" }, "ResourceNotFound", 404],
      ["AttachOSSBucket", { ProjectName: "no-such-project", OSSBucket: loose }, "ResourceNotFound", 404],
      ["AttachOSSBucket", { ProjectName: project, OSSBucket: loose, Description: "x".repeat(129) }, "InvalidArgument", 400],
      ["DetachOSSBucket", {}, "MissingOSSBucket", 400],
      ["DetachOSSBucket", { OSSBucket: loose }, "ResourceNotFound", 404],
      ["DetachOSSBucket", { OSSBucket: "no-such-bucket" }, "ResourceNotFound", 404],
      ["GetOSSBucketAttachment", {}, "MissingOSSBucket", 400],
      ["GetOSSBucketAttachment", { OSSBucket: loose }, "ResourceNotFound", 404],
      ["DetectImageCodes", { SourceURI: `oss://${bucket}/qr.png` }, "MissingProjectName", 400],
      ["DetectImageCodes", { ProjectName: project }, "MissingSourceURI", 400],
      ["DetectImageCodes", { ProjectName: project, SourceURI: `https://${bucket}/qr.png` }, "InvalidArgument", 400],
      ["DetectImageCodes", { ProjectName: project, SourceURI: `oss://${bucket}/` }, "InvalidArgument", 400],
      ["DetectImageCodes", { ProjectName: "no-such-project", SourceURI: `oss://${bucket}/qr.png` }, "ResourceNotFound", 404],
      ["DetectImageCodes", { ProjectName: project, SourceURI: "oss://no-such-bucket/qr.png" }, "ResourceNotFound", 404],
      ["DetectImageCodes", { ProjectName: project, SourceURI: `oss://${bucket}/nope.png` }, "ResourceNotFound", 404],
      ["DetectImageCodes", { ProjectName: project, SourceURI: `oss://${bucket}/notes.txt` }, "InvalidArgument", 400],
      ["DetectImageCodes", { ProjectName: project, SourceURI: `oss://${bucket}/qr.png`, CredentialConfig: "not json" }, "InvalidArgument", 400],
      ["DetectImageCodes", { ProjectName: project, SourceURI: `oss://${bucket}/qr.png`, CredentialConfig: '{"Chain":[{"Role":"r","RoleType":"robot"}]}' }, "InvalidArgument", 400],
    ];
    for (const [action, params, code, status] of cases) {
      const e = await rpcError(call(action, params));
      assert.deepEqual([e.code, e.status], [code, status], `${action} ${JSON.stringify(params)}: ${e.message}`);
    }
    const missing = await rpcError(call("GetProject", {}));
    assert.match(missing.message, /^ProjectName is mandatory for this action\./);
  });

  it("detaches, after which image/codes is refused again and the project can be deleted", async () => {
    await call("DetachOSSBucket", { OSSBucket: bucket });
    assert.equal((await rpcError(call("GetOSSBucketAttachment", { OSSBucket: bucket }))).code, "ResourceNotFound");
    const e = await ossError(() => oss.get("qr.png", { process: "image/codes" }));
    assert.deepEqual([e.status, e.code], [400, "InvalidArgument"]);
    await call("DeleteProject", { ProjectName: project });
    assert.equal((await rpcError(call("GetProject", { ProjectName: project }))).code, "ResourceNotFound");
  });

  it("forgets the attachment when the bucket is deleted and re-created", async () => {
    await call("CreateProject", { ProjectName: "imm-recreate" });
    const scratch = "imm-scratch-bucket";
    const client = ossClient(server, { bucket: scratch });
    await client.putBucket(scratch);
    await call("AttachOSSBucket", { ProjectName: "imm-recreate", OSSBucket: scratch });
    await client.deleteBucket(scratch);
    // the creation time has one-second precision in some stores: make sure it differs
    await new Promise((r) => setTimeout(r, 1100));
    await client.putBucket(scratch);
    assert.equal((await rpcError(call("GetOSSBucketAttachment", { OSSBucket: scratch }))).code, "ResourceNotFound");
    await call("AttachOSSBucket", { ProjectName: "imm-recreate", OSSBucket: scratch });
    await call("DetachOSSBucket", { OSSBucket: scratch });
    await call("DeleteProject", { ProjectName: "imm-recreate" });
  });
});
