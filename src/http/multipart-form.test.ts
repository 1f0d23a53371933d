import { test } from "node:test";
import assert from "node:assert/strict";
import { formBoundary, readForm } from "./multipart-form.js";
import { OssError } from "../errors/oss-error.js";

const LIMITS = { maxFieldBytes: 1024, maxFieldsBytes: 4096 };
const B = "----formboundaryXyZ";

function body(parts: Array<[string, string, string?]>, end = true): Buffer {
  let out = "";
  for (const [name, value, filename] of parts) {
    out += `--${B}\r\nContent-Disposition: form-data; name="${name}"${filename !== undefined ? `; filename="${filename}"\r\nContent-Type: text/plain` : ""}\r\n\r\n${value}\r\n`;
  }
  return Buffer.from(end ? `${out}--${B}--\r\n` : out);
}

/** The body delivered in chunks of `size` bytes, to cross every boundary position. */
async function* chunks(buf: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

async function collect(stream: AsyncIterable<Buffer>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(c);
  return Buffer.concat(parts).toString("utf8");
}

test("boundary from the Content-Type", () => {
  assert.equal(formBoundary(`multipart/form-data; boundary=${B}`), B);
  assert.equal(formBoundary('multipart/form-data; charset=utf-8; boundary="quoted b"'), "quoted b");
  assert.equal(formBoundary("application/x-www-form-urlencoded"), undefined);
});

test("fields before the file, then the file streamed exactly, whatever the chunking", async () => {
  const fileBody = `line1\r\n--${B.slice(0, 5)} not a boundary\r\n\r\nend`;
  const buf = body([["key", "a/${filename}"], ["Policy", "cG9s"], ["x-oss-meta-名", "值"], ["file", fileBody, "f.txt"], ["after", "ignored"]]);
  for (const size of [1, 2, 3, 7, 64, buf.length]) {
    const { fields, file } = await readForm(chunks(buf, size), B, LIMITS);
    assert.equal(fields.get("key"), "a/${filename}");
    assert.equal(fields.get("policy"), "cG9s", "names are lower-cased");
    assert.equal(fields.get("x-oss-meta-名"), "值");
    assert.equal(file?.filename, "f.txt");
    assert.equal(file?.contentType, "text/plain");
    assert.equal(await collect(file!.stream), fileBody, `chunk size ${size}`);
    assert.equal(fields.has("after"), false);
  }
});

test("a body cut inside the file fails the file stream; no file part gives no file", async () => {
  const cut = body([["key", "k"], ["file", "partial data", "f"]], false).subarray(0, -4);
  const { file } = await readForm(chunks(cut, 5), B, LIMITS);
  await assert.rejects(collect(file!.stream), (e: unknown) => e instanceof OssError && e.code === "MalformedPOSTRequest");
  const noFile = await readForm(chunks(body([["key", "k"]]), 4), B, LIMITS);
  assert.equal(noFile.file, undefined);
});

test("oversized fields and garbage are MalformedPOSTRequest", async () => {
  const big = body([["key", "x".repeat(2000)], ["file", "f", "f"]]);
  await assert.rejects(readForm(chunks(big, 100), B, LIMITS), (e: unknown) => e instanceof OssError && e.code === "MalformedPOSTRequest");
  await assert.rejects(readForm(chunks(Buffer.from("no boundary at all"), 4), B, LIMITS), (e: unknown) => e instanceof OssError && e.code === "MalformedPOSTRequest");
});
