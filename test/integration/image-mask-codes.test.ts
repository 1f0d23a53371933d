/**
 * Issue 17: image/mask-codes (Barbucket extension) hides every code image/codes finds. Checked with
 * the server's own scanner: the masked picture no longer decodes, and every pixel outside the padded
 * boxes is the source's, exactly.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import sharp from "sharp";
import { createRequire } from "node:module";
import { startServer, type TestServer } from "./harness.js";
import { ossClient, type AliOssClient } from "./ali-oss.js";
import { errorCode, rawRequest } from "./raw-client.js";
import { popClient, rpc } from "./pop.js";

const QRCode = createRequire(import.meta.url)("qrcode") as { toBuffer(text: string, options: Record<string, unknown>): Promise<Buffer> };
const BUCKET = "mask-bucket";
const PADDING = 6;
interface Box { Left: number; Top: number; Width: number; Height: number }

/** 480×320 gradient with two QR codes. */
async function scene(): Promise<Buffer> {
  const W = 480;
  const H = 320;
  const bg = Buffer.alloc(W * H * 3);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) bg.set([(x * 255) / W, (y * 255) / H, 128], (y * W + x) * 3);
  const a = await QRCode.toBuffer("mask-me-1", { margin: 2, scale: 4 });
  const b = await QRCode.toBuffer("mask-me-2", { margin: 2, scale: 4 });
  return sharp(bg, { raw: { width: W, height: H, channels: 3 } }).composite([{ input: a, left: 30, top: 40 }, { input: b, left: 300, top: 150 }]).png().toBuffer();
}

describe("image/mask-codes (issue 17)", () => {
  let server: TestServer;
  let oss: AliOssClient;
  let boxes: Box[];
  const codesOf = async (key: string): Promise<Array<{ Content: string; Boundary: Box }>> =>
    (JSON.parse(Buffer.from((await oss.get(key, { process: "image/codes" })).content).toString()) as { Codes: Array<{ Content: string; Boundary: Box }> }).Codes;
  const raw = async (png: Buffer) => sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });

  before(async () => {
    server = await startServer();
    oss = ossClient(server, { bucket: BUCKET });
    await oss.putBucket(BUCKET);
    await oss.putBucket("mask-loose");
    const imm = popClient(server, "2020-09-30");
    await rpc(imm, "CreateProject", { ProjectName: "mask-proj" });
    await rpc(imm, "AttachOSSBucket", { ProjectName: "mask-proj", OSSBucket: BUCKET });
    await oss.put("scene.png", await scene());
    const codes = await codesOf("scene.png");
    assert.deepEqual(codes.map((c) => c.Content).sort(), ["mask-me-1", "mask-me-2"], "the source decodes");
    boxes = codes.map((c) => c.Boundary);
  });
  after(async () => {
    await server?.stop();
    server?.cleanup();
  });

  const inside = (x: number, y: number) => boxes.some((b) => x >= b.Left - PADDING && x < b.Left + b.Width + PADDING && y >= b.Top - PADDING && y < b.Top + b.Height + PADDING);

  for (const type of ["mosaic", "blur", "fill"] as const) {
    it(`t_${type}: the masked picture no longer decodes; pixels away from the padded boxes are unchanged`, async () => {
      const res = await oss.get("scene.png", { process: `image/mask-codes,t_${type},p_${PADDING}${type === "fill" ? ",color_FF00FF" : ""}/format,png` });
      const masked = Buffer.from(res.content);
      await oss.put(`masked-${type}.png`, masked);
      assert.deepEqual(await codesOf(`masked-${type}.png`), [], "nothing decodes after masking");
      const before = await raw(await scene());
      const after = await raw(masked);
      assert.deepEqual([after.info.width, after.info.height], [480, 320]);
      let changedOutside = 0;
      let changedInside = 0;
      for (let y = 0; y < 320; y++) {
        for (let x = 0; x < 480; x++) {
          const i = (y * 480 + x) * 3;
          const same = before.data[i] === after.data[i] && before.data[i + 1] === after.data[i + 1] && before.data[i + 2] === after.data[i + 2];
          if (inside(x, y)) changedInside += same ? 0 : 1;
          else changedOutside += same ? 0 : 1;
        }
      }
      assert.equal(changedOutside, 0);
      assert.ok(changedInside > 1000, `the boxes were masked (${changedInside} px)`);
      if (type === "fill") {
        const b = boxes[0]!;
        const i = ((b.Top + 5) * 480 + b.Left + 5) * 3;
        assert.deepEqual([...after.data.subarray(i, i + 3)], [255, 0, 255]);
      }
    });
  }

  it("chains like any action, and must come first", async () => {
    const res = await oss.get("scene.png", { process: "image/mask-codes,t_blur/format,webp" });
    const meta = await sharp(Buffer.from(res.content)).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ["webp", 480, 320]);
    const late = await rawRequest(server.ossPort, { method: "GET", bucket: BUCKET, key: "scene.png", query: [["x-oss-process", "image/resize,w_100/mask-codes"]] });
    assert.deepEqual([late.status, errorCode(late)], [400, "InvalidArgument"]);
    const bad = await rawRequest(server.ossPort, { method: "GET", bucket: BUCKET, key: "scene.png", query: [["x-oss-process", "image/mask-codes,t_paint"]] });
    assert.deepEqual([bad.status, errorCode(bad)], [400, "InvalidArgument"]);
  });

  it("is metered as image/codes is: one ImageQRCodes per success, none for a failure; a saveas is a PUT request", async () => {
    const from = new Date(Date.now() - 60_000).toISOString();
    const meter = ossClient(server, { bucket: "mask-meter" });
    await meter.putBucket("mask-meter"); // PUT 1
    await meter.put("scene.png", await scene()); // PUT 2
    await rpc(popClient(server, "2020-09-30"), "AttachOSSBucket", { ProjectName: "mask-proj", OSSBucket: "mask-meter" });
    await rpc(popClient(server, "2015-05-01"), "CreatePolicy", { PolicyName: "mask-role-write", PolicyDocument: JSON.stringify({ Version: "1", Statement: [{ Effect: "Allow", Action: "oss:PutObject", Resource: "acs:oss:*:*:mask-meter/*" }] }) });
    await rpc(popClient(server, "2015-05-01"), "AttachPolicyToRole", { PolicyType: "Custom", PolicyName: "mask-role-write", RoleName: "AliyunIMMDefaultRole" });
    await meter.get("scene.png", { process: "image/mask-codes/format,png" }); // GET 1, ImageQRCodes 1
    const bad = await rawRequest(server.ossPort, { method: "GET", bucket: "mask-meter", key: "scene.png", query: [["x-oss-process", "image/mask-codes,t_paint"]] });
    assert.equal(bad.status, 400);
    assert.equal((await meter.processObjectSave("scene.png", "masked.png", "image/mask-codes,t_fill")).status, 200); // PUT 3, ImageQRCodes 2
    const saved = await sharp(Buffer.from((await meter.get("masked.png")).content)).metadata(); // GET 2
    assert.equal(saved.format, "png");
    await new Promise((r) => setTimeout(r, 1500)); // one flush window
    const res = await fetch(`http://127.0.0.1:${server.adminPort}/usage?bucket=mask-meter&from=${encodeURIComponent(from)}&to=${Date.now() + 3_600_000}`);
    const report = (await res.json()) as { totals: Array<{ item: string; dimension: string; quantity: number }> };
    const total = (item: string, dimension: string) => report.totals.find((t) => t.item === item && t.dimension === dimension)?.quantity ?? 0;
    assert.deepEqual([total("ImageQRCodes", ""), total("GetRequest", "Standard"), total("PutRequest", "Standard")], [2, 2, 3], JSON.stringify(report.totals));
  });

  it("has image/codes' rules: anonymous is refused, an unattached bucket is refused", async () => {
    await oss.putACL("scene.png", "public-read");
    const anonymous = await rawRequest(server.ossPort, { method: "GET", bucket: BUCKET, key: "scene.png", query: [["x-oss-process", "image/mask-codes"]], anonymous: true });
    assert.equal(anonymous.status, 403, anonymous.body);
    await ossClient(server, { bucket: "mask-loose" }).put("scene.png", await scene());
    const loose = await rawRequest(server.ossPort, { method: "GET", bucket: "mask-loose", key: "scene.png", query: [["x-oss-process", "image/mask-codes"]] });
    assert.deepEqual([loose.status, errorCode(loose)], [400, "InvalidArgument"]);
  });
});
