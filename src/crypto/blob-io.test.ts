import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { createHash, randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { FsBlobStore } from "../storage/fs-blobs.js";
import { crc64 } from "../storage/crc64.js";
import { BlobSizeMismatchError, BlobTooLargeError } from "../storage/types.js";
import { SecretBox } from "../iam/secret-box.js";
import { readDecryptedBlob, writeEncryptedBlob, type EncryptedWrite } from "./blob-io.js";
import { newDataKey, newHeader, unwrapWithMasterKey, wrapWithMasterKey } from "./data-key.js";
import { CiphertextCorruptError, ciphertextSize } from "./format.js";
import { pattern } from "./test-helpers.js";

const dir = mkdtempSync(join(tmpdir(), "crypto-blob-io-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const blobs = new FsBlobStore(join(dir, "blobs"));
const box = SecretBox.fromKey(randomBytes(32));

function sse(chunkSize?: number): EncryptedWrite {
  const dataKey = newDataKey();
  return { dataKey, header: newHeader(chunkSize), key: { algorithm: "AES256", wrappedKey: wrapWithMasterKey(box, dataKey) } };
}

function pieces(buf: Buffer, size = 10_000): Readable {
  return Readable.from((function* () {
    for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
  })());
}

async function collect(stream: Readable): Promise<{ data: Buffer; error: unknown }> {
  const out: Buffer[] = [];
  try {
    for await (const chunk of stream) out.push(chunk as Buffer);
    return { data: Buffer.concat(out), error: undefined };
  } catch (error) {
    return { data: Buffer.concat(out), error };
  }
}

/** Every file under the blob store, as bytes. */
function storedBytes(): Buffer {
  const files: Buffer[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else files.push(readFileSync(p));
    }
  };
  walk(join(dir, "blobs"));
  return Buffer.concat(files);
}

describe("encrypted blobs on the fs BlobStore", () => {
  it("reports plaintext size/MD5/CRC-64, stores only ciphertext, reads back whole and by range", async () => {
    const plain = pattern(300_000);
    const w = sse();
    const info = await writeEncryptedBlob(blobs, pieces(plain), w, { expectedSize: plain.length });
    assert.equal(info.size, plain.length);
    assert.ok(info.md5.equals(createHash("md5").update(plain).digest()));
    assert.equal(info.crc64, crc64(plain));
    assert.equal(info.storedSize, ciphertextSize(plain.length, w.header.chunkSize));
    assert.equal(info.encryption.plaintextSize, plain.length);
    assert.equal(storedBytes().indexOf(Buffer.from("PLAINTEXT-PATTERN")), -1);

    const key = unwrapWithMasterKey(box, info.encryption.wrappedKey);
    assert.ok((await collect(readDecryptedBlob(blobs, info.id, key, info.encryption))).data.equals(plain));
    for (const [start, end] of [[0, 0], [65_535, 65_536], [299_999, 299_999], [1000, 250_000]] as const) {
      const { data, error } = await collect(readDecryptedBlob(blobs, info.id, key, info.encryption, { start, end }));
      assert.equal(error, undefined);
      assert.ok(data.equals(plain.subarray(start, end + 1)), `${start}-${end}`);
    }
  });

  it("empty plaintext", async () => {
    const w = sse();
    const info = await writeEncryptedBlob(blobs, pieces(Buffer.alloc(0)), w);
    assert.equal(info.size, 0);
    assert.equal(info.storedSize, 16);
    assert.equal((await collect(readDecryptedBlob(blobs, info.id, w.dataKey, info.encryption))).data.length, 0);
  });

  it("plaintext limits: short body, too long, over maxSize — nothing is left behind", async () => {
    const before = storedBytes().length;
    await assert.rejects(writeEncryptedBlob(blobs, pieces(randomBytes(1000)), sse(), { expectedSize: 1001 }), BlobSizeMismatchError);
    await assert.rejects(writeEncryptedBlob(blobs, pieces(randomBytes(1000)), sse(), { expectedSize: 999 }), BlobSizeMismatchError);
    await assert.rejects(writeEncryptedBlob(blobs, pieces(randomBytes(1000)), sse(), { maxSize: 500 }), BlobTooLargeError);
    assert.equal(storedBytes().length, before);
  });

  it("a corrupted block on disk is detected on read and never served", async () => {
    const plain = pattern(200_000);
    const w = sse();
    const info = await writeEncryptedBlob(blobs, pieces(plain), w);
    const file = join(dir, "blobs", info.id.slice(0, 2), info.id);
    const bytes = readFileSync(file);
    bytes[2 * (65_536 + 16) + 100]! ^= 0xff; // inside chunk 2
    writeFileSync(file, bytes);
    const { data, error } = await collect(readDecryptedBlob(blobs, info.id, w.dataKey, info.encryption));
    assert.ok(error instanceof CiphertextCorruptError);
    assert.ok(data.length <= 2 * 65_536 && data.equals(plain.subarray(0, data.length)));
    const ranged = await collect(readDecryptedBlob(blobs, info.id, w.dataKey, info.encryption, { start: 140_000, end: 140_010 }));
    assert.ok(ranged.error instanceof CiphertextCorruptError);
    assert.equal(ranged.data.length, 0);
    const untouched = await collect(readDecryptedBlob(blobs, info.id, w.dataKey, info.encryption, { start: 10, end: 70_000 }));
    assert.equal(untouched.error, undefined, "ranges over intact chunks still read");
  });

  it("a missing blob fails the stream", async () => {
    const { error } = await collect(readDecryptedBlob(blobs, "0".repeat(32), newDataKey(), { algorithm: "AES256", wrappedKey: "", nonceBase: randomBytes(12).toString("base64"), chunkSize: 65_536, plaintextSize: 10 }));
    assert.equal((error as NodeJS.ErrnoException).code, "ENOENT");
  });
});
