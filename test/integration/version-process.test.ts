/**
 * x-oss-process of a given version (`?versionId=`) against the real server, through ali-oss (V1 and
 * V4): image/codes and a classic action read the version asked for (not the current one), answer
 * with its x-oss-version-id, and keep GetObject's answers for a delete marker (405) and an unknown
 * version (404 NoSuchVersion); sys/saveas of a version stays 501.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { ROOT_KEY_ID, ROOT_KEY_SECRET, startServer, type TestServer } from "./harness.js";
import { ossClient, ossError, type AliOssClient } from "./ali-oss.js";
import { rawRequest } from "./raw-client.js";

interface PopCoreClient {
  request<T>(action: string, params: Record<string, unknown>, options?: Record<string, unknown>): Promise<T>;
}
const require = createRequire(import.meta.url);
const RPCClient = require("@alicloud/pop-core") as new (config: Record<string, unknown>) => PopCoreClient;
const QRCode = require("qrcode") as { toBuffer(text: string, options: Record<string, unknown>): Promise<Buffer> };

interface OssCodes { Codes: { Content: string }[] }

describe("x-oss-process of a version", () => {
  let server: TestServer;
  const bucket = "versioned-codes";
  const versions: Record<"first" | "second", string> = { first: "", second: "" };
  const widths: Record<"first" | "second", number> = { first: 0, second: 0 };
  let marker = "";

  before(async () => {
    server = await startServer();
    const client = ossClient(server, { bucket });
    await client.putBucket(bucket);
    await client.putBucketVersioning(bucket, "Enabled");
    const imm = new RPCClient({ accessKeyId: ROOT_KEY_ID, accessKeySecret: ROOT_KEY_SECRET, endpoint: `http://127.0.0.1:${server.rpcPort}`, apiVersion: "2020-09-30" });
    await imm.request("CreateProject", { ProjectName: "versions-project" }, { method: "POST" });
    await imm.request("AttachOSSBucket", { ProjectName: "versions-project", OSSBucket: bucket }, { method: "POST" });
    for (const [name, scale] of [["first", 6], ["second", 9]] as const) {
      const png = await QRCode.toBuffer(`version ${name}`, { margin: 4, scale });
      widths[name] = png.readUInt32BE(16);
      versions[name] = (await client.put("qr.png", png)).res.headers["x-oss-version-id"] as string;
    }
    await client.put("gone.png", await QRCode.toBuffer("gone", { margin: 4, scale: 4 }));
    marker = (await client.delete("gone.png")).res.headers["x-oss-version-id"] as string;
  });
  after(async () => {
    await server.stop();
    server.cleanup();
  });

  for (const v4 of [false, true]) {
    describe(`ali-oss ${v4 ? "V4" : "V1"}`, () => {
      let client: AliOssClient;
      before(() => {
        client = ossClient(server, { bucket, v4 });
      });

      it("image/codes reads the version asked for (twice: the cached answer is that version's too), else the current one", async () => {
        for (let round = 0; round < 2; round++) {
          for (const name of ["first", "second"] as const) {
            const result = await client.get("qr.png", { process: "image/codes", versionId: versions[name] });
            assert.equal(result.res.headers["x-oss-version-id"], versions[name]);
            const codes = JSON.parse(Buffer.from(result.content).toString("utf8")) as OssCodes;
            assert.deepEqual(codes.Codes.map((c) => c.Content), [`version ${name}`]);
          }
        }
        const current = JSON.parse(Buffer.from((await client.get("qr.png", { process: "image/codes" })).content).toString("utf8")) as OssCodes;
        assert.deepEqual(current.Codes.map((c) => c.Content), ["version second"]);
      });

      it("classic actions (image/info) read the version too", async () => {
        for (const name of ["first", "second"] as const) {
          const info = JSON.parse(Buffer.from((await client.get("qr.png", { process: "image/info", versionId: versions[name] })).content).toString("utf8")) as { ImageWidth: { value: string } };
          assert.equal(Number(info.ImageWidth.value), widths[name]);
        }
      });

      it("a delete marker's version answers 405, an unknown version 404 NoSuchVersion", async () => {
        assert.equal((await ossError(() => client.get("gone.png", { process: "image/codes", versionId: marker }))).status, 405);
        assert.equal((await ossError(() => client.get("gone.png", { process: "image/info", versionId: marker }))).status, 405);
        assert.equal((await ossError(() => client.get("qr.png", { process: "image/codes", versionId: "CAEQnosuchversion" }))).code, "NoSuchVersion");
      });
    });
  }

  it("sys/saveas of a version is not implemented (501)", async () => {
    const saved = await rawRequest(server.ossPort, {
      method: "POST",
      bucket,
      key: "qr.png",
      query: [["x-oss-process", ""], ["versionId", versions.first]],
      body: `x-oss-process=${encodeURIComponent(`image/info|sys/saveas,o_${Buffer.from("out.json").toString("base64url")}`)}`,
    });
    assert.equal(saved.status, 501);
  });
});
