/**
 * x-oss-process of a given version (`?versionId=`) against the real server, through ali-oss (V1 and
 * V4): image/codes and a classic action read the version asked for (not the current one), answer
 * with its x-oss-version-id, and keep GetObject's answers for a delete marker (405) and an unknown
 * version (404 NoSuchVersion); so does sys/saveas (POST, ali-oss processObjectSave) of a version.
 * IMM DetectImageCodes reads a version named by `oss://bucket/key?versionId=<id>` (pop-core).
 * RAM: a version needs oss:GetObjectVersion where the current object needs oss:GetObject.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import sharp from "sharp";
import { startServer, type TestServer } from "./harness.js";
import { ossClient, ossError, processObjectSaveVersion, type AliOssClient } from "./ali-oss.js";
import { rawRequest } from "./raw-client.js";
import { popClient, rpc, rpcError, type PopCoreClient } from "./pop.js";

const QRCode = createRequire(import.meta.url)("qrcode") as { toBuffer(text: string, options: Record<string, unknown>): Promise<Buffer> };

interface OssCodes { Codes: { Content: string }[] }
type Keys = { accessKeyId: string; accessKeySecret: string };

const PROJECT = "versions-project";
const contents = (json: Buffer | Uint8Array): string[] => (JSON.parse(Buffer.from(json).toString("utf8")) as OssCodes).Codes.map((c) => c.Content);

function policy(...statements: Array<Record<string, unknown>>): string {
  return JSON.stringify({ Version: "1", Statement: statements });
}

describe("x-oss-process of a version", () => {
  let server: TestServer;
  let imm: PopCoreClient;
  const bucket = "versioned-codes";
  const versions: Record<"first" | "second", string> = { first: "", second: "" };
  const widths: Record<"first" | "second", number> = { first: 0, second: 0 };
  let marker = "";
  /** Allowed the current object (oss:GetObject), not its versions. */
  let currentOnly: Keys;
  /** Allowed versions (oss:GetObjectVersion), not the current object. */
  let versionsOnly: Keys;

  const oss = (keys?: Keys, v4 = false): AliOssClient => ossClient(server, { bucket, v4, ...(keys ?? {}) });
  const detect = (sourceUri: string, keys?: Keys): Promise<OssCodes> =>
    rpc<OssCodes>(popClient(server, "2020-09-30", keys ?? {}), "DetectImageCodes", { ProjectName: PROJECT, SourceURI: sourceUri });
  const savedCodes = async (key: string): Promise<string[]> => contents((await oss().get(key)).content);
  async function user(name: string, actions: string[]): Promise<Keys> {
    const ram = popClient(server, "2015-05-01");
    await rpc(ram, "CreateUser", { UserName: name });
    const { AccessKey } = await rpc<{ AccessKey: { AccessKeyId: string; AccessKeySecret: string } }>(ram, "CreateAccessKey", { UserName: name });
    const document = policy(
      { Effect: "Allow", Action: [...actions, "oss:ProcessImm", "oss:PostProcessTask", "oss:PutObject"], Resource: `acs:oss:*:*:${bucket}/*` },
      { Effect: "Allow", Action: "imm:DetectImageCodes", Resource: `acs:imm:*:*:project/${PROJECT}` },
    );
    await rpc(ram, "CreatePolicy", { PolicyName: `${name}-p`, PolicyDocument: document });
    await rpc(ram, "AttachPolicyToUser", { PolicyType: "Custom", PolicyName: `${name}-p`, UserName: name });
    return { accessKeyId: AccessKey.AccessKeyId, accessKeySecret: AccessKey.AccessKeySecret };
  }

  before(async () => {
    server = await startServer();
    const client = oss();
    await client.putBucket(bucket);
    await client.putBucketVersioning(bucket, "Enabled");
    imm = popClient(server, "2020-09-30");
    await rpc(imm, "CreateProject", { ProjectName: PROJECT });
    await rpc(imm, "AttachOSSBucket", { ProjectName: PROJECT, OSSBucket: bucket });
    // sys/saveas of image/codes writes as the project's service role, which is read-only by default.
    const ram = popClient(server, "2015-05-01");
    await rpc(ram, "CreatePolicy", { PolicyName: "imm-role-write", PolicyDocument: policy({ Effect: "Allow", Action: "oss:PutObject", Resource: "*" }) });
    await rpc(ram, "AttachPolicyToRole", { PolicyType: "Custom", PolicyName: "imm-role-write", RoleName: "AliyunIMMDefaultRole" });
    for (const [name, scale] of [["first", 6], ["second", 9]] as const) {
      const png = await QRCode.toBuffer(`version ${name}`, { margin: 4, scale });
      widths[name] = png.readUInt32BE(16);
      versions[name] = (await client.put("qr.png", png)).res.headers["x-oss-version-id"] as string;
    }
    await client.put("gone.png", await QRCode.toBuffer("gone", { margin: 4, scale: 4 }));
    marker = (await client.delete("gone.png")).res.headers["x-oss-version-id"] as string;
    currentOnly = await user("current-only", ["oss:GetObject"]);
    versionsOnly = await user("versions-only", ["oss:GetObjectVersion"]);
  });
  after(async () => {
    await server.stop();
    server.cleanup();
  });

  for (const v4 of [false, true]) {
    describe(`ali-oss ${v4 ? "V4" : "V1"}`, () => {
      let client: AliOssClient;
      const saved = (name: string): string => `saved/${v4 ? "v4" : "v1"}/${name}`;
      before(() => {
        client = oss(undefined, v4);
      });

      it("image/codes reads the version asked for (twice: the cached answer is that version's too), else the current one", async () => {
        for (let round = 0; round < 2; round++) {
          for (const name of ["first", "second"] as const) {
            const result = await client.get("qr.png", { process: "image/codes", versionId: versions[name] });
            assert.equal(result.res.headers["x-oss-version-id"], versions[name]);
            assert.deepEqual(contents(result.content), [`version ${name}`]);
          }
        }
        assert.deepEqual(contents((await client.get("qr.png", { process: "image/codes" })).content), ["version second"]);
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

      it("sys/saveas of a version saves that version's codes (twice, the second from the cache); without versionId the current one's", async () => {
        for (let round = 0; round < 2; round++) {
          const answer = await processObjectSaveVersion(client, "qr.png", versions.first, saved(`first-${round}.json`), "image/codes");
          assert.equal(answer.status, 200, answer.res.data.toString());
          assert.deepEqual(await savedCodes(saved(`first-${round}.json`)), ["version first"]);
        }
        assert.equal((await client.processObjectSave("qr.png", saved("current.json"), "image/codes")).status, 200);
        assert.deepEqual(await savedCodes(saved("current.json")), ["version second"]);
      });

      it("sys/saveas of a version resizes that version's pixels", async () => {
        assert.equal(widths.first % 2, 0, "the first version halves exactly");
        const answer = await processObjectSaveVersion(client, "qr.png", versions.first, saved("first-half.png"), "image/resize,p_50");
        assert.equal(answer.status, 200, answer.res.data.toString());
        const meta = await sharp(Buffer.from((await client.get(saved("first-half.png"))).content)).metadata();
        assert.deepEqual([meta.format, meta.width, meta.height], ["png", widths.first / 2, widths.first / 2]);
        assert.notEqual(widths.first / 2, Math.round(widths.second / 2), "the current version would give another size");
      });

      it("sys/saveas of an unknown version is 404 NoSuchVersion, of a delete marker 405; nothing is saved", async () => {
        for (const process of ["image/codes", "image/resize,p_50"]) {
          const unknown = await processObjectSaveVersion(client, "qr.png", "CAEQnosuchversion", saved("none.out"), process);
          assert.equal(unknown.status, 404);
          assert.match(unknown.res.data.toString(), /<Code>NoSuchVersion<\/Code>[\s\S]*<VersionId>CAEQnosuchversion<\/VersionId>/);
          const onMarker = await processObjectSaveVersion(client, "gone.png", marker, saved("none.out"), process);
          assert.equal(onMarker.status, 405);
          assert.match(onMarker.res.data.toString(), /<Code>MethodNotAllowed<\/Code>[\s\S]*<ResourceType>DeleteMarker<\/ResourceType>/);
          assert.equal(onMarker.res.headers["x-oss-delete-marker"], "true");
          assert.equal(onMarker.res.headers["x-oss-version-id"], marker);
        }
        assert.equal((await ossError(() => client.head(saved("none.out")))).status, 404);
      });
    });
  }

  it("a raw POST with versionId (sys/saveas of image/info) saves the version's info in a new version of the target", async () => {
    const post = () => rawRequest(server.ossPort, {
      method: "POST",
      bucket,
      key: "qr.png",
      query: [["x-oss-process", ""], ["versionId", versions.first]],
      body: `x-oss-process=${encodeURIComponent(`image/info|sys/saveas,o_${Buffer.from("info.json").toString("base64url")}`)}`,
    });
    assert.equal((await post()).status, 200);
    assert.equal((await post()).status, 200);
    const info = JSON.parse(Buffer.from((await oss().get("info.json")).content).toString("utf8")) as { ImageWidth: { value: string } };
    assert.equal(Number(info.ImageWidth.value), widths.first);
    const listed = await oss().getBucketVersions({ prefix: "info.json" });
    assert.equal(listed.objects.length, 2, "each save is a new version of the target");
  });

  it("DetectImageCodes reads the version a SourceURI's ?versionId= names (twice, cached per version), the current one without", async () => {
    for (let round = 0; round < 2; round++) {
      for (const name of ["first", "second"] as const) {
        assert.deepEqual((await detect(`oss://${bucket}/qr.png?versionId=${versions[name]}`)).Codes.map((c) => c.Content), [`version ${name}`]);
      }
    }
    assert.deepEqual((await detect(`oss://${bucket}/qr.png`)).Codes.map((c) => c.Content), ["version second"]);
  });

  it("DetectImageCodes of an unknown version or of a delete marker is 404 ResourceNotFound naming the version", async () => {
    const unknown = "CAEQ" + "A".repeat(22);
    const missing = await rpcError(detect(`oss://${bucket}/qr.png?versionId=${unknown}`));
    assert.deepEqual([missing.status, missing.code], [404, "ResourceNotFound"]);
    assert.match(missing.message, new RegExp(`qr\\.png\\?versionId=${unknown}`));
    const onMarker = await rpcError(detect(`oss://${bucket}/gone.png?versionId=${marker}`));
    assert.deepEqual([onMarker.status, onMarker.code], [404, "ResourceNotFound"]);
    assert.match(onMarker.message, /gone\.png\?versionId=\S+ is a delete marker/);
  });

  it("a SourceURI whose ?versionId= is not shaped like this server's version ids names a key that holds `?`", async () => {
    await oss().put("odd.png?versionId=v1", await QRCode.toBuffer("odd key", { margin: 4, scale: 4 }));
    assert.deepEqual((await detect(`oss://${bucket}/odd.png?versionId=v1`)).Codes.map((c) => c.Content), ["odd key"]);
  });

  it("a key that ends in a version-shaped suffix is named with its own version appended", async () => {
    const key = `shaped.png?versionId=${versions.first}`;
    const own = (await oss().put(key, await QRCode.toBuffer("shaped key", { margin: 4, scale: 4 }))).res.headers["x-oss-version-id"] as string;
    assert.deepEqual((await detect(`oss://${bucket}/${key}?versionId=${own}`)).Codes.map((c) => c.Content), ["shaped key"]);
    const read = await rpcError(detect(`oss://${bucket}/${key}`));
    assert.deepEqual([read.status, read.code], [404, "ResourceNotFound"], "without it, the suffix names a version of shaped.png");
  });

  it("oss:GetObject without oss:GetObjectVersion: the current object through every path, never a version", async () => {
    const client = oss(currentOnly);
    assert.deepEqual((await detect(`oss://${bucket}/qr.png`, currentOnly)).Codes.map((c) => c.Content), ["version second"]);
    const refused = await rpcError(detect(`oss://${bucket}/qr.png?versionId=${versions.first}`, currentOnly));
    assert.deepEqual([refused.status, refused.code], [403, "Forbidden.RAM"]);
    assert.match(refused.message, /oss:GetObjectVersion/);
    assert.doesNotMatch(refused.message, /version first/);
    assert.equal((await client.processObjectSave("qr.png", "by-current-only.json", "image/codes")).status, 200);
    const save = await processObjectSaveVersion(client, "qr.png", versions.first, "by-current-only-v.json", "image/codes");
    assert.equal(save.status, 403);
    assert.match(save.res.data.toString(), /<Code>AccessDenied<\/Code>/);
    assert.equal((await ossError(() => client.get("qr.png", { process: "image/codes", versionId: versions.first }))).status, 403);
    assert.equal((await ossError(() => oss().head("by-current-only-v.json"))).status, 404, "nothing written");
  });

  it("oss:GetObjectVersion without oss:GetObject: versions through every path (the IMM gate asks the same action), not the current object", async () => {
    const client = oss(versionsOnly);
    assert.deepEqual((await detect(`oss://${bucket}/qr.png?versionId=${versions.first}`, versionsOnly)).Codes.map((c) => c.Content), ["version first"]);
    assert.deepEqual(contents((await client.get("qr.png", { process: "image/codes", versionId: versions.first })).content), ["version first"]);
    const save = await processObjectSaveVersion(client, "qr.png", versions.first, "by-versions-only.json", "image/codes");
    assert.equal(save.status, 200, save.res.data.toString());
    assert.deepEqual(await savedCodes("by-versions-only.json"), ["version first"]);
    const refused = await rpcError(detect(`oss://${bucket}/qr.png`, versionsOnly));
    assert.deepEqual([refused.status, refused.code], [403, "Forbidden.RAM"]);
    assert.match(refused.message, /oss:GetObject\b/);
  });
});
