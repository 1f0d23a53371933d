/** Issue 17: image styles — PutStyle / GetStyle / ListStyle / DeleteStyle over raw HTTP, `style/<name>` through ali-oss. */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import sharp from "sharp";
import { startServer, type TestServer } from "./harness.js";
import { ossClient, ossError, type AliOssClient } from "./ali-oss.js";
import { errorCode, rawRequest } from "./raw-client.js";

const BUCKET = "style-bucket";

describe("image styles (issue 17)", () => {
  let server: TestServer;
  let oss: AliOssClient;
  const style = (method: string, name?: string, body?: string) =>
    rawRequest(server.ossPort, { method, bucket: BUCKET, query: name === undefined ? [["style", ""]] : [["style", ""], ["styleName", name]], ...(body === undefined ? {} : { body }) });
  const content = (process: string) => `<?xml version="1.0" encoding="UTF-8"?>\n<Style><Content>${process}</Content></Style>`;

  before(async () => {
    server = await startServer();
    oss = ossClient(server, { bucket: BUCKET });
    await oss.putBucket(BUCKET);
    await oss.put("photo.png", await sharp({ create: { width: 300, height: 200, channels: 3, background: "#3366cc" } }).png().toBuffer());
  });
  after(async () => {
    await server?.stop();
    server?.cleanup();
  });

  it("stores, lists, applies and deletes a style", async () => {
    assert.equal((await style("PUT", "thumb", content("image/resize,w_60/format,webp"))).status, 200);
    assert.equal((await style("PUT", "half", content("image/resize,p_50"))).status, 200);
    const got = await style("GET", "thumb");
    assert.equal(got.status, 200, got.body);
    assert.match(got.body, /<Style><Name>thumb<\/Name><Content>image\/resize,w_60\/format,webp<\/Content><Category>image<\/Category><CreateTime>[^<]+GMT<\/CreateTime>/);
    const list = await style("GET");
    assert.equal(list.status, 200);
    assert.deepEqual([...list.body.matchAll(/<Name>([^<]+)<\/Name>/g)].map((m) => m[1]), ["half", "thumb"]);
    const res = await oss.get("photo.png", { process: "style/thumb" });
    const meta = await sharp(Buffer.from(res.content)).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ["webp", 60, 40]);
    assert.equal((await style("DELETE", "thumb")).status, 204);
    const gone = await ossError(() => oss.get("photo.png", { process: "style/thumb" }));
    assert.deepEqual([gone.status, gone.code], [404, "NoSuchStyle"]);
    assert.equal(errorCode(await style("GET", "thumb")), "NoSuchStyle");
  });

  it("refuses a style whose content is not a valid image process, or whose name is invalid", async () => {
    const bad = await style("PUT", "broken", content("image/resize,m_abc,w_1"));
    assert.deepEqual([bad.status, errorCode(bad)], [400, "InvalidArgument"]);
    const badName = await style("PUT", "no/slash", content("image/resize,w_1"));
    assert.equal(badName.status, 400);
    const noXml = await style("PUT", "empty", "not xml");
    assert.deepEqual([noXml.status, errorCode(noXml)], [400, "MalformedXML"]);
  });
});
