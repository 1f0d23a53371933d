/**
 * Issue 20: the OSS verbs of the CLI, run as the real binary (bin/barbucket.js, a child process)
 * against the real server: mb, cp -r with globs, ls, stat, cat, cp oss→local and oss→oss, mv,
 * presign + fetch, a resumed multipart upload, scan oss:// (image/codes) with --mask-to, rm -r, rb,
 * credentials from env / config file / flags, and the exit codes.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { qrPng } from "../../src/codes/test-images.js";
import { checkpointPath, saveCheckpoint } from "../../src/cli/checkpoint.js";
import { REPO_ROOT, ROOT_KEY_ID, ROOT_KEY_SECRET, startServer, type TestServer } from "./harness.js";
import { ossClient, type AliOssClient } from "./ali-oss.js";
import { popClient, rpc } from "./pop.js";

const BIN = join(REPO_ROOT, "bin", "barbucket.js");

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe("barbucket OSS verbs (issue 20)", () => {
  let server: TestServer;
  let work = "";
  let env: NodeJS.ProcessEnv = {};
  let oss: AliOssClient;

  /** Async spawn: the server's log pipe must keep draining while the CLI runs. */
  const cli = (args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<Run> =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, ...args], { env: { ...env, ...extraEnv }, stdio: ["ignore", "pipe", "pipe"] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on("data", (d: Buffer) => out.push(d));
      child.stderr.on("data", (d: Buffer) => err.push(d));
      child.once("error", reject);
      child.once("close", (code) => resolve({ code, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") }));
    });
  const ok = async (args: string[], extraEnv?: NodeJS.ProcessEnv): Promise<Run> => {
    const r = await cli(args, extraEnv);
    assert.equal(r.code, 0, `barbucket ${args.join(" ")}\n${r.stderr}`);
    return r;
  };

  before(async () => {
    server = await startServer();
    work = mkdtempSync(join(tmpdir(), "bb-cli-"));
    const home = join(work, "home");
    mkdirSync(home);
    const { OSS_ACCESS_KEY_ID: _a, OSS_ACCESS_KEY_SECRET: _b, OSS_SESSION_TOKEN: _c, OSS_ENDPOINT: _d, OSS_REGION: _e, ...rest } = process.env;
    env = { ...rest, HOME: home, XDG_CONFIG_HOME: join(home, ".config"), OSS_ACCESS_KEY_ID: ROOT_KEY_ID, OSS_ACCESS_KEY_SECRET: ROOT_KEY_SECRET, OSS_ENDPOINT: server.endpoint };
    oss = ossClient(server, { bucket: "cli-data" });
    // A local tree for cp -r.
    const src = join(work, "src");
    mkdirSync(join(src, "docs", "deep"), { recursive: true });
    writeFileSync(join(src, "a.txt"), "alpha");
    writeFileSync(join(src, "b.log"), "log file");
    writeFileSync(join(src, "docs", "c.txt"), "charlie");
    writeFileSync(join(src, "docs", "deep", "d.txt"), "delta");
    writeFileSync(join(src, "docs", "skip.tmp"), "temporary");
  });
  after(async () => {
    await server?.stop();
    server?.cleanup();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("mb makes buckets (with --acl and --storage-class), ls lists them", async () => {
    await ok(["mb", "oss://cli-data"]);
    await ok(["mb", "--acl", "public-read", "--storage-class", "IA", "oss://cli-other"]);
    const info = await oss.getBucketInfo("cli-other");
    assert.equal(info.bucket.StorageClass, "IA");
    assert.equal((await oss.getBucketACL("cli-other")).acl, "public-read");
    const ls = await ok(["ls"]);
    assert.match(ls.stdout, /oss:\/\/cli-data\//);
    assert.match(ls.stdout, /oss:\/\/cli-other\//);
    const again = await cli(["mb", "oss://cli-data"]);
    assert.equal(again.code, 5, again.stderr);
    assert.match(again.stderr, /BucketAlreadyExists/);
  });

  it("cp -r uploads a folder with --include/--exclude; ls shows folders, or everything with -r", async () => {
    await ok(["cp", "-r", "--include", "*.txt", "--exclude", "docs/deep/**", join(work, "src"), "oss://cli-data/up"]);
    const keys = (await oss.list({ prefix: "up/" })).objects.map((o: { name: string }) => o.name).sort();
    assert.deepEqual(keys, ["up/a.txt", "up/docs/c.txt"]);
    const piped = await ok(["cp", "-r", "--exclude", "*.tmp", join(work, "src"), "oss://cli-data/all/"]);
    // Piped: one plain line per file on stderr, no bar, nothing on stdout.
    assert.equal(piped.stdout, "");
    assert.doesNotMatch(piped.stderr, /\x1b|\r/);
    assert.deepEqual(piped.stderr.trim().split("\n").map((l) => l.replace(/^copied .* -> (\S+) \(.*\)$/, "$1")).sort(), ["a.txt", "b.log", "docs/c.txt", "docs/deep/d.txt"].map((k) => `oss://cli-data/all/${k}`));
    const top = await ok(["ls", "oss://cli-data/all/"]);
    const lines = top.stdout.trim().split("\n");
    assert.equal(lines.length, 3, top.stdout);
    assert.match(top.stdout, /DIR {2}oss:\/\/cli-data\/all\/docs\//);
    assert.match(top.stdout, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ +5 {2}oss:\/\/cli-data\/all\/a\.txt$/m);
    const deep = await ok(["ls", "-r", "oss://cli-data/all"]);
    assert.deepEqual(deep.stdout.trim().split("\n").map((l) => l.split(/\s+/).pop()), ["all/a.txt", "all/b.log", "all/docs/c.txt", "all/docs/deep/d.txt"].map((k) => `oss://cli-data/${k}`));
  });

  it("stat prints size, type and metadata; cat prints the bytes", async () => {
    await oss.put("meta.txt", Buffer.from("with meta"), { meta: { owner: "cli" }, mime: "text/plain" });
    const st = await ok(["stat", "oss://cli-data/meta.txt"]);
    assert.match(st.stdout, /^Size: +9$/m);
    assert.match(st.stdout, /^Content-Type: +text\/plain/m);
    assert.match(st.stdout, /^Meta-owner: +cli$/m);
    assert.match(st.stdout, /^ {2}x-oss-request-id: /m);
    const json = JSON.parse((await ok(["stat", "--json", "oss://cli-data/meta.txt"])).stdout) as { Size: number; Meta: Record<string, string> };
    assert.equal(json.Size, 9);
    assert.deepEqual(json.Meta, { owner: "cli" });
    assert.equal((await ok(["cat", "oss://cli-data/all/docs/c.txt"])).stdout, "charlie");
  });

  it("cp downloads an object and a prefix (-r), and copies server-side between buckets", async () => {
    const out = join(work, "down");
    await ok(["cp", "oss://cli-data/all/a.txt", out + "/"]);
    assert.equal(readFileSync(join(out, "a.txt"), "utf8"), "alpha");
    await ok(["cp", "oss://cli-data/all/b.log", join(out, "renamed.log")]);
    assert.equal(readFileSync(join(out, "renamed.log"), "utf8"), "log file");
    await ok(["cp", "-r", "--exclude", "a.txt", "oss://cli-data/all", join(out, "tree")]);
    assert.equal(readFileSync(join(out, "tree", "docs", "deep", "d.txt"), "utf8"), "delta");
    assert.equal(existsSync(join(out, "tree", "a.txt")), false);
    await ok(["cp", "oss://cli-data/all/a.txt", "oss://cli-other/copied/"]);
    assert.equal(Buffer.from((await ossClient(server, { bucket: "cli-other" }).get("copied/a.txt")).content).toString(), "alpha");
    await ok(["cp", "-r", "oss://cli-data/all/docs/", "oss://cli-other/docs2"]);
    const keys = (await ossClient(server, { bucket: "cli-other" }).list({ prefix: "docs2/" })).objects.map((o: { name: string }) => o.name).sort();
    assert.deepEqual(keys, ["docs2/c.txt", "docs2/deep/d.txt"]);
  });

  it("mv moves an object (the source is gone) and a local file up", async () => {
    await ok(["mv", "oss://cli-data/all/b.log", "oss://cli-data/moved/b.log"]);
    assert.equal(Buffer.from((await oss.get("moved/b.log")).content).toString(), "log file");
    assert.equal((await cli(["stat", "oss://cli-data/all/b.log"])).code, 3);
    const local = join(work, "to-move.txt");
    writeFileSync(local, "moving");
    await ok(["mv", local, "oss://cli-data/moved/"]);
    assert.equal(existsSync(local), false);
    assert.equal(Buffer.from((await oss.get("moved/to-move.txt")).content).toString(), "moving");
  });

  it("presign prints a V4 URL that fetches the object without credentials", async () => {
    const url = (await ok(["presign", "--expires", "120", "oss://cli-data/all/docs/c.txt"])).stdout.trim();
    assert.match(url, /x-oss-signature-version=OSS4-HMAC-SHA256/);
    assert.match(url, /x-oss-expires=120/);
    assert.ok(url.startsWith(`${server.endpoint}/cli-data/all/docs/c.txt?`), url);
    const res = await fetch(url);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), "charlie");
    const tampered = await fetch(url.replace("c.txt", "a.txt"));
    assert.equal(tampered.status, 403);
  });

  it("uploads a big file in parallel parts, and resumes an interrupted upload from its checkpoint", async () => {
    const big = join(work, "big.bin");
    const data = Buffer.alloc(350 * 1024);
    for (let i = 0; i < data.length; i++) data[i] = (i * 31 + (i >> 10)) & 0xff;
    writeFileSync(big, data);
    await ok(["cp", "--part-size", String(100 * 1024), "--parallel", "3", big, "oss://cli-data/big/fresh.bin"]);
    assert.deepEqual(Buffer.from((await oss.get("big/fresh.bin")).content), data);
    // An interrupted upload: initiated, part 1 of 4 done, checkpoint left where the CLI keeps it.
    const key = "big/resumed.bin";
    const { uploadId } = await oss.initMultipartUpload(key);
    const part1 = await oss.uploadPart(key, uploadId, 1, big, 0, 100 * 1024);
    const st = statSync(big);
    const cpFile = checkpointPath({ endpoint: server.endpoint, bucket: "cli-data", key, file: big, size: st.size, mtimeMs: st.mtimeMs }, env);
    saveCheckpoint(cpFile, { file: big, name: key, fileSize: st.size, partSize: 100 * 1024, uploadId, doneParts: [{ number: 1, etag: part1.etag }] });
    await ok(["cp", "--part-size", String(100 * 1024), big, `oss://cli-data/${key}`]);
    assert.deepEqual(Buffer.from((await oss.get(key)).content), data);
    assert.equal(existsSync(cpFile), false, "the checkpoint is dropped once the upload completes");
    // The CLI completed that upload (not a new one): nothing is left in progress.
    const uploads = await oss.listUploads({ prefix: "big/" });
    assert.deepEqual(uploads.uploads ?? [], []);
  });

  it("scan oss://prefix reads the codes through image/codes; --mask-to writes masked copies", async () => {
    const imm = popClient(server, "2020-09-30");
    await rpc(imm, "CreateProject", { ProjectName: "cli-proj" });
    await rpc(imm, "AttachOSSBucket", { ProjectName: "cli-proj", OSSBucket: "cli-data" });
    const dir = join(work, "qr");
    mkdirSync(join(dir, "sub"), { recursive: true });
    writeFileSync(join(dir, "one.png"), await qrPng("cli scan one", 4, 4));
    writeFileSync(join(dir, "sub", "two.png"), await qrPng("cli scan two", 4, 4));
    writeFileSync(join(dir, "notes.txt"), "not an image");
    await ok(["cp", "-r", dir, "oss://cli-data/qr/"]);
    const r = await ok(["scan", "--mask-to", join(work, "masked"), "oss://cli-data/qr/"]);
    const lines = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as { File: string; Codes: { Content: string; Boundary: object }[] });
    assert.deepEqual(lines.map((l) => l.File), ["oss://cli-data/qr/one.png", "oss://cli-data/qr/sub/two.png"]);
    assert.deepEqual(lines.map((l) => l.Codes.map((c) => c.Content)), [["cli scan one"], ["cli scan two"]]);
    assert.deepEqual(Object.keys(lines[0]!.Codes[0]!.Boundary), ["Left", "Top", "Width", "Height"]);
    // The masked copies exist locally and no longer decode (scanned by the local scan).
    const masked = join(work, "masked", "sub", "two.png");
    assert.ok(existsSync(masked), r.stderr);
    const local = await ok(["scan", masked]);
    assert.deepEqual((JSON.parse(local.stdout) as { Codes: unknown[] }).Codes, []);
    // --mask-to an oss:// prefix, and --max.
    await ok(["scan", "--max", "1", "--mask-type", "fill", "--mask-to", "oss://cli-data/masked/", "oss://cli-data/qr/one.png"]);
    const again = await ok(["scan", "oss://cli-data/masked/"]);
    assert.deepEqual(JSON.parse(again.stdout.trim()), { File: "oss://cli-data/masked/one.png", Codes: [] });
  });

  it("takes credentials from a config file and from flags; bad credentials exit 4", async () => {
    const conf = join(env.XDG_CONFIG_HOME!, "barbucket", "credentials.json");
    mkdirSync(join(conf, ".."), { recursive: true });
    writeFileSync(conf, JSON.stringify({ accessKeyId: ROOT_KEY_ID, accessKeySecret: ROOT_KEY_SECRET, endpoint: server.endpoint }));
    const noEnv = { OSS_ACCESS_KEY_ID: "", OSS_ACCESS_KEY_SECRET: "", OSS_ENDPOINT: "" };
    assert.match((await ok(["ls"], noEnv)).stdout, /cli-data/);
    rmSync(conf);
    const flags = ["--access-key-id", ROOT_KEY_ID, "--access-key-secret", ROOT_KEY_SECRET, "--endpoint", server.endpoint];
    assert.match((await ok(["ls", ...flags], noEnv)).stdout, /cli-data/);
    const none = await cli(["ls"], noEnv);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /no credentials/);
    const wrong = await cli(["ls", "oss://cli-data"], { OSS_ACCESS_KEY_SECRET: "wrong-secret" });
    assert.equal(wrong.code, 4, wrong.stderr);
    assert.match(wrong.stderr, /SignatureDoesNotMatch/);
  });

  it("exit codes: missing bucket and key are 3, bad usage 2, a refused connection 5", async () => {
    for (const args of [["ls", "oss://no-such-bucket"], ["stat", "oss://cli-data/no/such/key"], ["cat", "oss://cli-data/nope"], ["cp", "oss://cli-data/nope", join(work, "x")], ["rm", "oss://cli-data/nope"], ["cp", join(work, "missing"), "oss://cli-data/"], ["rb", "oss://no-such-bucket"]]) {
      const r = await cli(args);
      assert.equal(r.code, 3, `${args.join(" ")}: ${r.stderr}`);
    }
    for (const args of [["cp", "oss://cli-data/a"], ["ls", "oss://Bad_Bucket"], ["mb", "--acl", "open", "oss://x-y-z"], ["presign", "--expires", "0", "oss://cli-data/k"], ["cp", join(work, "src"), "oss://cli-data/"], ["rm", "--bogus", "oss://cli-data/k"]]) {
      const r = await cli(args);
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    }
    const refused = await cli(["ls"], { OSS_ENDPOINT: "http://127.0.0.1:1" });
    assert.equal(refused.code, 5, refused.stderr);
    assert.equal((await cli(["rm", "--force", "oss://cli-data/nope"])).code, 0);
    const notEmpty = await cli(["rb", "oss://cli-data"]);
    assert.equal(notEmpty.code, 5);
    assert.match(notEmpty.stderr, /BucketNotEmpty/);
  });

  it("rm -r deletes a prefix (with globs), rb --force empties and removes a bucket", async () => {
    await ok(["rm", "-r", "--include", "*.txt", "--exclude", "deep/**", "oss://cli-data/all/docs/"]);
    assert.deepEqual((await oss.list({ prefix: "all/" })).objects.map((o: { name: string }) => o.name).sort(), ["all/a.txt", "all/docs/deep/d.txt"]);
    await ok(["rm", "-r", "oss://cli-data/all"]);
    assert.deepEqual((await oss.list({ prefix: "all/" })).objects ?? [], []);
    assert.equal((await cli(["rm", "-r", "oss://cli-data"])).code, 2, "a whole bucket needs --force");
    await ok(["rm", "oss://cli-data/meta.txt"]);
    await ok(["rb", "--force", "oss://cli-data"]);
    await ok(["rb", "--force", "oss://cli-other"]);
    const ls = await ok(["ls"]);
    assert.doesNotMatch(ls.stdout, /cli-data|cli-other/);
    assert.equal((await cli(["ls", "oss://cli-data"])).code, 3);
    assert.equal(readdirSync(join(env.XDG_CONFIG_HOME!, "barbucket", "checkpoints")).length, 0);
  });
});
