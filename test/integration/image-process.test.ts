/**
 * Issue 17: OSS image actions against the real server — ali-oss `get` with `process` (V1 and V4),
 * `signatureUrl` with a process, and raw HTTP for the headers and the OSS errors of bad input.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import sharp from "sharp";
import { createRequire } from "node:module";
import { ROOT_KEY_ID, ROOT_KEY_SECRET, startServer, type TestServer } from "./harness.js";
import { ossClient, ossError, type AliOssClient } from "./ali-oss.js";
import { errorCode, rawRequest } from "./raw-client.js";
import { popClient, rpc } from "./pop.js";

const OSS = createRequire(import.meta.url)("ali-oss") as new (options: Record<string, unknown>) => AliOssClient;
const QRCode = createRequire(import.meta.url)("qrcode") as { toBuffer(text: string, options: Record<string, unknown>): Promise<Buffer> };

const BUCKET = "img-proc";

async function photo(): Promise<Buffer> {
  // 400×200: left half red, right half blue.
  const half = (color: string) => sharp({ create: { width: 200, height: 200, channels: 3, background: color } }).png().toBuffer();
  return sharp({ create: { width: 400, height: 200, channels: 3, background: "#000000" } })
    .composite([{ input: await half("#ff0000"), left: 0, top: 0 }, { input: await half("#0000ff"), left: 200, top: 0 }])
    .jpeg({ quality: 90 }).toBuffer();
}

describe("OSS image processing (issue 17)", () => {
  let server: TestServer;
  let oss: AliOssClient;
  let source: { etag: string; crc64: string };

  before(async () => {
    server = await startServer();
    oss = ossClient(server, { bucket: BUCKET });
    await oss.putBucket(BUCKET);
    const put = await oss.put("photo.jpg", await photo());
    source = { etag: put.res.headers.etag as string, crc64: put.res.headers["x-oss-hash-crc64ecma"] as string };
    await oss.put("notes.txt", Buffer.from("not an image"));
    await oss.put("qr.png", await QRCode.toBuffer("https://example.com/17", { margin: 4, scale: 6 }));
    const imm = popClient(server, "2020-09-30");
    await rpc(imm, "CreateProject", { ProjectName: "img-proj" });
    await rpc(imm, "AttachOSSBucket", { ProjectName: "img-proj", OSSBucket: BUCKET });
  });
  after(async () => {
    await server?.stop();
    server?.cleanup();
  });

  for (const v4 of [false, true]) {
    it(`ali-oss get with process resizes (${v4 ? "V4" : "V1"}), with the source's headers and the default-domain download headers`, async () => {
      const client = ossClient(server, { bucket: BUCKET, v4 });
      const res = await client.get("photo.jpg", { process: "image/resize,w_100" });
      const meta = await sharp(Buffer.from(res.content)).metadata();
      assert.deepEqual([meta.format, meta.width, meta.height], ["jpeg", 100, 50]);
      const h = res.res.headers as Record<string, string>;
      assert.equal(h["content-type"], "image/jpeg");
      assert.equal(h.etag, source.etag);
      assert.equal(h["x-oss-hash-crc64ecma"], source.crc64);
      assert.equal(h["x-oss-object-type"], "Normal");
      assert.equal(h["x-oss-storage-class"], "Standard");
      assert.match(h["x-oss-server-time"] ?? "", /^\d+$/);
      assert.ok(h["last-modified"]);
      // ali-oss on an IP endpoint sends Host <bucket>.oss-cn-hangzhou.aliyuncs.com: an OSS default domain.
      assert.equal(h["content-disposition"], "attachment");
      assert.equal(h["x-oss-force-download"], "true");
      assert.equal(h["x-oss-ec"], "0048-00000101");
    });
  }

  it("runs a chain as the chain says: resize, then webp at quality 80", async () => {
    const res = await oss.get("photo.jpg", { process: "image/resize,w_200/format,webp/quality,Q_80" });
    const meta = await sharp(Buffer.from(res.content)).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ["webp", 200, 100]);
    assert.equal(res.res.headers["content-type"], "image/webp");
    const cropped = await oss.get("photo.jpg", { process: "image/crop,w_100,h_100,g_east/format,png" });
    const { data } = await sharp(Buffer.from(cropped.content)).raw().toBuffer({ resolveWithObject: true });
    assert.ok(data[2]! > 200 && data[0]! < 50, "the east crop is blue");
  });

  it("answers revalidations from the source's ETag: If-None-Match → 304, a failed If-Match → 412", async () => {
    const get = (headers: Record<string, string>) => rawRequest(server.ossPort, { method: "GET", bucket: BUCKET, key: "photo.jpg", query: [["x-oss-process", "image/resize,w_10"]], headers });
    const fresh = await get({ "if-none-match": source.etag });
    assert.deepEqual([fresh.status, fresh.headers.etag, fresh.body], [304, source.etag, ""]);
    assert.equal((await get({ "if-none-match": '"0123"' })).status, 200);
    const failed = await get({ "if-match": '"0123"' });
    assert.deepEqual([failed.status, errorCode(failed)], [412, "PreconditionFailed"]);
  });

  it("signatureUrl with a process serves the processed image, path-style on a named host (forced download as everywhere)", async () => {
    const named = new OSS({ region: "oss-cn-hangzhou", endpoint: `http://localhost:${server.ossPort}`, accessKeyId: ROOT_KEY_ID, accessKeySecret: ROOT_KEY_SECRET, bucket: BUCKET, sldEnable: true });
    const url: string = named.signatureUrl("photo.jpg", { expires: 60, process: "image/resize,h_50/format,png" });
    const res = await fetch(url);
    assert.equal(res.status, 200, await res.clone().text());
    const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ["png", 100, 50]);
    assert.equal(res.headers.get("content-disposition"), "attachment");
    assert.equal(res.headers.get("x-oss-force-download"), "true");
  });

  it("answers info, average-hue and image/codes as JSON with OSS's content type", async () => {
    const info = await rawRequest(server.ossPort, { method: "GET", bucket: BUCKET, key: "photo.jpg", query: [["x-oss-process", "image/info"]] });
    assert.equal(info.status, 200, info.body);
    assert.equal(info.headers["content-type"], "application/json;charset=utf-8");
    const fields = JSON.parse(info.body) as Record<string, { value: string }>;
    assert.deepEqual([fields.Format?.value, fields.ImageWidth?.value, fields.ImageHeight?.value], ["jpg", "400", "200"]);
    const codes = await rawRequest(server.ossPort, { method: "GET", bucket: BUCKET, key: "qr.png", query: [["x-oss-process", "image/codes"]] });
    assert.equal(codes.status, 200, codes.body);
    assert.equal(codes.headers["content-type"], "application/json;charset=utf-8");
    assert.equal(codes.headers["x-oss-object-type"], "Normal");
    assert.match(codes.headers["x-oss-hash-crc64ecma"] ?? "", /^\d+$/);
    assert.equal(codes.headers["content-disposition"], "attachment", "path-style on 127.0.0.1: Barbucket's own endpoint");
    assert.equal(codes.headers["x-oss-force-download"], "true");
    assert.equal((JSON.parse(codes.body) as { Codes: Array<{ Content: string }> }).Codes[0]?.Content, "https://example.com/17");
    const viaSdk = await oss.get("qr.png", { process: "image/codes" });
    assert.equal(viaSdk.res.headers["content-disposition"], "attachment");
    assert.equal(viaSdk.res.headers["x-oss-force-download"], "true");
  });

  it("answers bad input with OSS errors, never a 500", async () => {
    const cases: Array<[string, string, number, string, string?]> = [
      ["photo.jpg", "image/resize,m_abc,w_10", 400, "InvalidArgument", "0040-00000311"],
      ["photo.jpg", "image/resize", 400, "MissingArgument", "0040-00000322"],
      ["photo.jpg", "image/format,dng", 400, "InvalidArgument", "0040-00000206"],
      ["photo.jpg", "image/slim,1", 400, "InvalidArgument", "0040-00000213"],
      ["photo.jpg", "image/crop,x_5000", 400, "BadRequest"],
      ["photo.jpg", "image/resize,m_fixed,w_16384,h_16384,limit_0", 400, "ImageTooLarge"],
      ["photo.jpg", "image/format,heic", 501, "NotImplemented"],
      ["photo.jpg", "image/info/resize,w_10", 400, "InvalidArgument"],
      ["notes.txt", "image/resize,w_10", 400, "BadRequest", "0040-00000005"],
      ["missing.jpg", "image/resize,w_10", 404, "NoSuchKey"],
    ];
    for (const [key, process, status, code, ec] of cases) {
      const res = await rawRequest(server.ossPort, { method: "GET", bucket: BUCKET, key, query: [["x-oss-process", process]] });
      assert.equal(res.status, status, `${process}: ${res.body}`);
      assert.equal(errorCode(res), code, process);
      if (ec) assert.equal(res.headers["x-oss-ec"], ec, process);
    }
  });

  it("needs only oss:GetObject for classic actions: an anonymous read of a public-read object is processed, image/codes is not", async () => {
    await oss.putACL("photo.jpg", "public-read");
    await oss.putACL("qr.png", "public-read");
    const res = await rawRequest(server.ossPort, { method: "GET", bucket: BUCKET, key: "photo.jpg", query: [["x-oss-process", "image/info"]], anonymous: true });
    assert.equal(res.status, 200, res.body);
    const codes = await rawRequest(server.ossPort, { method: "GET", bucket: BUCKET, key: "qr.png", query: [["x-oss-process", "image/codes"]], anonymous: true });
    assert.equal(codes.status, 403, codes.body);
    const priv = await rawRequest(server.ossPort, { method: "GET", bucket: BUCKET, key: "notes.txt", query: [["x-oss-process", "image/info"]], anonymous: true });
    assert.equal(priv.status, 403, priv.body);
  });

  it("serves a repeat from the processed-result cache, and a changed object afresh", async () => {
    await oss.put("cache.png", await sharp({ create: { width: 64, height: 64, channels: 3, background: "#00ff00" } }).png().toBuffer());
    const hue = async () => JSON.parse(Buffer.from((await oss.get("cache.png", { process: "image/average-hue" })).content).toString()) as { RGB: string };
    assert.equal((await hue()).RGB, "0x00ff00");
    assert.equal((await hue()).RGB, "0x00ff00");
    await oss.put("cache.png", await sharp({ create: { width: 64, height: 64, channels: 3, background: "#ff00ff" } }).png().toBuffer());
    assert.equal((await hue()).RGB, "0xff00ff");
    assert.equal((await ossError(() => oss.get("missing.png", { process: "image/average-hue" }))).status, 404);
  });
});
