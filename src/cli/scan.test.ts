import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { qrPng } from "../codes/test-images.js";
import { main, type CliIO } from "./main.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const bin = join(root, "bin", "barbucket.js");

function capture(): CliIO & { lines: string[]; errs: string[] } {
  const lines: string[] = [], errs: string[] = [];
  return { lines, errs, out: (l) => lines.push(l), err: (l) => errs.push(l) };
}

describe("barbucket scan", () => {
  let dir = "";
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "bb-scan-"));
    writeFileSync(join(dir, "qr.png"), await qrPng("hello cli", 4, 0));
    writeFileSync(join(dir, "bad.png"), "not a png");
    for (let i = 0; i < 6; i++) writeFileSync(join(dir, `n${i}.png`), await qrPng(`file ${i}`, 3 + (i % 3), 0));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("prints one JSON line per file with the full shape under --json (spawned)", () => {
    const file = join(dir, "qr.png");
    const r = spawnSync(process.execPath, [bin, "scan", "--json", file], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split("\n");
    assert.equal(lines.length, 1);
    const obj = JSON.parse(lines[0]!);
    assert.equal(obj.File, file);
    assert.equal(obj.Codes.length, 1);
    const c = obj.Codes[0];
    assert.equal(c.Content, "hello cli");
    assert.equal(c.Type, "qrcode");
    assert.equal(c.Format, "QRCode");
    assert.equal(typeof c.Confidence, "number");
    assert.equal(c.Boundary.Polygon.length, 4);
    assert.ok(c.Boundary.Left <= 2 && c.Boundary.Top <= 2);
  });

  it("defaults to the OSS image/codes shape and reports per-file errors with exit 1", async () => {
    const io = capture();
    const code = await main(["scan", join(dir, "qr.png"), join(dir, "bad.png"), join(dir, "missing.png")], io);
    assert.equal(code, 1);
    const [ok, bad, missing] = io.lines.map((l) => JSON.parse(l));
    assert.deepEqual(Object.keys(ok.Codes[0]), ["Content", "Boundary"]);
    assert.deepEqual(Object.keys(ok.Codes[0].Boundary), ["Left", "Top", "Width", "Height"]);
    assert.equal(bad.Error.Code, "InvalidImageFormat");
    assert.equal(missing.Error.Code, "FileNotFound");
    assert.equal(missing.File, join(dir, "missing.png"));
  });

  it("keeps argument order when this thread and pool threads share the files (spawned, 3 threads)", () => {
    const files = [0, 1, 2, "bad", 3, 4, 5].map((i) => join(dir, i === "bad" ? "bad.png" : `n${i}.png`));
    const r = spawnSync(process.execPath, [bin, "scan", ...files], { encoding: "utf8", env: { ...process.env, BARBUCKET_CODES_WORKERS: "3" } });
    assert.equal(r.status, 1, r.stderr);
    const lines = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
    assert.deepEqual(lines.map((l) => l.File), files);
    assert.deepEqual(lines.map((l) => l.Codes?.[0]?.Content ?? l.Error.Code), ["file 0", "file 1", "file 2", "InvalidImageFormat", "file 3", "file 4", "file 5"]);
  });

  it("validates --max and prints help", async () => {
    const io = capture();
    assert.equal(await main(["scan", "--max", "0", "x.png"], io), 2);
    assert.equal(await main(["scan", "--help"], io), 0);
    assert.match(io.lines.join("\n"), /--max N/);
    assert.equal(await main(["nope"], io), 2);
    const one = capture();
    assert.equal(await main(["scan", "--max", "1", join(dir, "qr.png")], one), 0);
    assert.equal(JSON.parse(one.lines[0]!).Codes.length, 1);
  });
});
