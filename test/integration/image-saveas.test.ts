/**
 * Issue 17: sys/saveas through ali-oss `processObjectSave` (same bucket, another bucket) and raw POSTs
 * (URL-safe Base64 names), for image actions and for image/codes, with OSS's permissions:
 * oss:PostProcessTask on the source, oss:PutObject on the target, and every IMM check for image/codes.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import sharp from "sharp";
import { createRequire } from "node:module";
import { startServer, type TestServer } from "./harness.js";
import { ossClient, ossError, type AliOssClient } from "./ali-oss.js";
import { errorCode, rawRequest } from "./raw-client.js";
import { popClient, rpc, type PopCoreClient } from "./pop.js";

const QRCode = createRequire(import.meta.url)("qrcode") as { toBuffer(text: string, options: Record<string, unknown>): Promise<Buffer> };
const SRC = "save-src";
const DEST = "save-dest";
const LOOSE = "save-loose"; // attached to no IMM project
const b64url = (s: string): string => Buffer.from(s).toString("base64url");
type Keys = { accessKeyId: string; accessKeySecret: string };

function policy(...statements: Array<Record<string, unknown>>): string {
  return JSON.stringify({ Version: "1", Statement: statements });
}

describe("sys/saveas (issue 17)", () => {
  let server: TestServer;
  let ram: PopCoreClient;
  const oss = (bucket: string, keys?: Keys): AliOssClient => ossClient(server, { bucket, ...(keys ?? {}) });
  async function user(name: string, document: string): Promise<Keys> {
    await rpc(ram, "CreateUser", { UserName: name });
    const { AccessKey } = await rpc<{ AccessKey: Keys & { AccessKeyId: string; AccessKeySecret: string } }>(ram, "CreateAccessKey", { UserName: name });
    await rpc(ram, "CreatePolicy", { PolicyName: `${name}-p`, PolicyDocument: document });
    await rpc(ram, "AttachPolicyToUser", { PolicyType: "Custom", PolicyName: `${name}-p`, UserName: name });
    return { accessKeyId: AccessKey.AccessKeyId, accessKeySecret: AccessKey.AccessKeySecret };
  }
  const dims = async (bucket: string, key: string) => {
    const meta = await sharp(Buffer.from((await oss(bucket).get(key)).content)).metadata();
    return [meta.format, meta.width, meta.height];
  };

  before(async () => {
    server = await startServer();
    ram = popClient(server, "2015-05-01");
    for (const b of [SRC, DEST, LOOSE]) await oss(b).putBucket(b);
    await oss(SRC).put("photo.png", await sharp({ create: { width: 300, height: 150, channels: 3, background: "#20a040" } }).png().toBuffer());
    await oss(SRC).put("qr.png", await QRCode.toBuffer("saved-code", { margin: 4, scale: 6 }));
    const imm = popClient(server, "2020-09-30");
    await rpc(imm, "CreateProject", { ProjectName: "save-proj" });
    await rpc(imm, "AttachOSSBucket", { ProjectName: "save-proj", OSSBucket: SRC });
    await rpc(imm, "AttachOSSBucket", { ProjectName: "save-proj", OSSBucket: DEST });
    // IMM writes the JSON as the project's service role, which is read-only by default.
    await rpc(ram, "CreatePolicy", { PolicyName: "imm-role-write", PolicyDocument: policy({ Effect: "Allow", Action: "oss:PutObject", Resource: "*" }) });
    await rpc(ram, "AttachPolicyToRole", { PolicyType: "Custom", PolicyName: "imm-role-write", RoleName: "AliyunIMMDefaultRole" });
  });
  after(async () => {
    await server?.stop();
    server?.cleanup();
  });

  it("processObjectSave stores the result in the same bucket and in another one", async () => {
    const same = await oss(SRC).processObjectSave("photo.png", "thumbs/photo.png", "image/resize,w_100");
    assert.equal(same.status, 200);
    assert.deepEqual(await dims(SRC, "thumbs/photo.png"), ["png", 100, 50]);
    const other = await oss(SRC).processObjectSave("photo.png", "converted.webp", "image/resize,h_30/format,webp", DEST);
    assert.equal(other.status, 200);
    assert.deepEqual(await dims(DEST, "converted.webp"), ["webp", 60, 30]);
    assert.equal((await oss(DEST).head("converted.webp")).res.headers["content-type"], "image/webp");
  });

  it("a raw POST with URL-safe Base64 names answers OSS's JSON", async () => {
    const body = `x-oss-process=${encodeURIComponent(`image/rotate,90|sys/saveas,o_${b64url("r/ot?ated.png")},b_${b64url(DEST)}`)}`;
    const res = await rawRequest(server.ossPort, { method: "POST", bucket: SRC, key: "photo.png", query: [["x-oss-process", ""]], body });
    assert.equal(res.status, 200, res.body);
    const answer = JSON.parse(res.body) as { bucket: string; object: string; fileSize: number; status: string };
    assert.deepEqual([answer.bucket, answer.object, answer.status], [DEST, "r/ot?ated.png", "OK"]);
    assert.equal(answer.fileSize, Number((await oss(DEST).head("r/ot?ated.png")).res.headers["content-length"]));
    assert.deepEqual(await dims(DEST, "r/ot?ated.png"), ["png", 150, 300]);
  });

  it("saves image/codes' JSON, also to another bucket of the project, and nowhere the IMM gate refuses", async () => {
    await oss(SRC).processObjectSave("qr.png", "codes.json", "image/codes", DEST);
    const saved = JSON.parse(Buffer.from((await oss(DEST).get("codes.json")).content).toString()) as { Codes: Array<{ Content: string }> };
    assert.equal(saved.Codes[0]?.Content, "saved-code");
    // processObjectSave does not throw on an error status (it sets no successStatuses): read the answer.
    const refused = await oss(SRC).processObjectSave("qr.png", "codes.json", "image/codes", LOOSE);
    assert.equal(refused.status, 403);
    assert.match(Buffer.from(refused.res.data).toString(), /<Code>AccessDenied<\/Code>[\s\S]*not attached/);
    assert.equal((await ossError(() => oss(LOOSE).head("codes.json"))).status, 404, "nothing written");
  });

  it("needs oss:PostProcessTask on the source and oss:PutObject on the target", async () => {
    const reader = await user("reader", policy({ Effect: "Allow", Action: ["oss:GetObject"], Resource: "*" }));
    const denied = async (keys: Keys, key: string, process: string): Promise<void> => {
      const res = await oss(SRC, keys).processObjectSave(key, "x.png", process, DEST);
      assert.equal(res.status, 403);
      assert.match(Buffer.from(res.res.data).toString(), /<Code>AccessDenied<\/Code>/);
    };
    await denied(reader, "photo.png", "image/resize,w_10");
    const poster = await user("poster", policy({ Effect: "Allow", Action: ["oss:GetObject", "oss:PostProcessTask"], Resource: `acs:oss:*:*:${SRC}/*` }));
    await denied(poster, "photo.png", "image/resize,w_10");
    assert.equal((await ossError(() => oss(DEST).head("x.png"))).status, 404, "nothing written");
    const writer = await user("writer", policy(
      { Effect: "Allow", Action: ["oss:GetObject", "oss:PostProcessTask"], Resource: `acs:oss:*:*:${SRC}/*` },
      { Effect: "Allow", Action: ["oss:PutObject"], Resource: `acs:oss:*:*:${DEST}/*` },
    ));
    assert.equal((await oss(SRC, writer).processObjectSave("photo.png", "x.png", "image/resize,w_10", DEST)).status, 200);
    assert.deepEqual(await dims(DEST, "x.png"), ["png", 10, 5]);
    // image/codes also needs oss:ProcessImm and imm:DetectImageCodes.
    await denied(writer, "qr.png", "image/codes");
  });

  it("refuses what OSS refuses: no saveas, saveas on GET, async image processing, a missing target bucket", async () => {
    const post = (body: string, name = "x-oss-process") => rawRequest(server.ossPort, { method: "POST", bucket: SRC, key: "photo.png", query: [[name, ""]], body });
    const noSave = await post(`x-oss-process=${encodeURIComponent("image/resize,w_10")}`);
    assert.deepEqual([noSave.status, errorCode(noSave)], [400, "InvalidArgument"]);
    const empty = await post("");
    assert.deepEqual([empty.status, errorCode(empty)], [400, "InvalidRequest"]);
    const noBucket = await post(`x-oss-process=${encodeURIComponent(`image/resize,w_10|sys/saveas,o_${b64url("a.png")},b_${b64url("no-such-bucket")}`)}`);
    assert.deepEqual([noBucket.status, errorCode(noBucket)], [404, "NoSuchBucket"]);
    const async = await post(`x-oss-async-process=${encodeURIComponent(`image/resize,w_10|sys/saveas,o_${b64url("a.png")}`)}`, "x-oss-async-process");
    assert.deepEqual([async.status, errorCode(async)], [400, "InvalidArgument"]);
    const onGet = await rawRequest(server.ossPort, { method: "GET", bucket: SRC, key: "photo.png", query: [["x-oss-process", `image/resize,w_10|sys/saveas,o_${b64url("a.png")}`]] });
    assert.deepEqual([onGet.status, errorCode(onGet)], [400, "InvalidArgument"]);
    assert.equal((await ossError(() => oss(SRC).head("a.png"))).status, 404);
  });
});
