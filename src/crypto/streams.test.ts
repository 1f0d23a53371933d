import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { randomBytes } from "node:crypto";
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { CiphertextCorruptError, DEFAULT_CHUNK_SIZE, TAG_BYTES, ciphertextRangeFor, ciphertextSize, type EncryptionHeader } from "./format.js";
import { createDecryptStream, createEncryptStream } from "./streams.js";
import { newDataKey, newHeader } from "./data-key.js";
import { decrypt, encrypt, pattern } from "./test-helpers.js";

const C = DEFAULT_CHUNK_SIZE;

describe("chunked AES-256-GCM streams", () => {
  it("round-trips 0, 1, chunk-1, chunk, chunk+1, 2 chunks and several MB, with the documented size", async () => {
    for (const size of [0, 1, C - 1, C, C + 1, 2 * C, 3 * 1024 * 1024 + 17]) {
      const key = newDataKey();
      const header = newHeader();
      const plain = randomBytes(size);
      const sealed = await encrypt(key, header, plain);
      assert.equal(sealed.length, ciphertextSize(size, C), `size ${size}`);
      assert.equal(sealed.length, size + TAG_BYTES * Math.max(1, Math.ceil(size / C)));
      const { output, error } = await decrypt(key, header, size, sealed);
      assert.equal(error, undefined, `size ${size}`);
      assert.ok(output.equals(plain), `size ${size}`);
    }
  });

  it("produces the same ciphertext whatever the write sizes (1 byte … several chunks)", async () => {
    const key = newDataKey();
    const header = newHeader(64);
    const plain = pattern(1000);
    const reference = await encrypt(key, header, plain, 1000);
    for (const piece of [1, 3, 63, 64, 65, 200]) assert.ok((await encrypt(key, header, plain, piece)).equals(reference), `piece ${piece}`);
  });

  it("decrypts every range of a small multi-chunk plaintext from only the chunks it needs", async () => {
    const key = newDataKey();
    const header = newHeader(16);
    const size = 100; // 7 chunks, the last one short
    const plain = pattern(size);
    const sealed = await encrypt(key, header, plain);
    for (let start = 0; start < size; start++) {
      for (let end = start; end < size; end++) {
        const r = ciphertextRangeFor({ start, end }, size, 16);
        const { output, error } = await decrypt(key, header, size, sealed.subarray(r.start, r.end + 1), { start, end }, 5);
        assert.equal(error, undefined, `${start}-${end}`);
        assert.ok(output.equals(plain.subarray(start, end + 1)), `${start}-${end}`);
      }
    }
  });

  it("range math: first byte, last byte, spanning chunks", () => {
    const size = 3 * C + 10;
    assert.deepEqual(ciphertextRangeFor({ start: 0, end: 0 }, size, C), { start: 0, end: C + TAG_BYTES - 1, firstChunkIndex: 0, skipBytes: 0 });
    assert.deepEqual(ciphertextRangeFor({ start: size - 1, end: size - 1 }, size, C), {
      start: 3 * (C + TAG_BYTES),
      end: ciphertextSize(size, C) - 1,
      firstChunkIndex: 3,
      skipBytes: 9,
    });
    assert.deepEqual(ciphertextRangeFor({ start: C - 1, end: C }, size, C), { start: 0, end: 2 * (C + TAG_BYTES) - 1, firstChunkIndex: 0, skipBytes: C - 1 });
    assert.throws(() => ciphertextRangeFor({ start: 0, end: size }, size, C), RangeError);
    assert.throws(() => ciphertextRangeFor({ start: 5, end: 4 }, size, C), RangeError);
  });

  it("large ranges over MB-sized plaintext", async () => {
    const key = newDataKey();
    const header = newHeader();
    const size = 2 * 1024 * 1024 + 333;
    const plain = randomBytes(size);
    const sealed = await encrypt(key, header, plain);
    for (const [start, end] of [[0, size - 1], [1, size - 2], [C, 2 * C - 1], [C - 5, 5 * C + 5], [size - C - 1, size - 1]] as const) {
      const r = ciphertextRangeFor({ start, end }, size, C);
      const { output, error } = await decrypt(key, header, size, sealed.subarray(r.start, r.end + 1), { start, end });
      assert.equal(error, undefined);
      assert.ok(output.equals(plain.subarray(start, end + 1)), `${start}-${end}`);
    }
  });

  it("never contains the plaintext: no 16-byte window of a recognisable pattern survives", async () => {
    const plain = pattern(5 * C + 123);
    const sealed = await encrypt(newDataKey(), newHeader(), plain);
    for (let i = 0; i + 16 <= plain.length; i += 997) assert.equal(sealed.indexOf(plain.subarray(i, i + 16)), -1);
    assert.equal(sealed.indexOf(Buffer.from("PLAINTEXT-PATTERN")), -1);
  });

  it("works in a pipeline with a slow consumer (backpressure) and bounded buffering", async () => {
    const key = newDataKey();
    const header: EncryptionHeader = newHeader();
    const total = 8 * 1024 * 1024;
    let produced = 0;
    let consumed = 0;
    let maxLead = 0;
    const source = new Readable({
      read() {
        if (produced >= total) return void this.push(null);
        produced += 16 * 1024;
        maxLead = Math.max(maxLead, produced - consumed);
        this.push(Buffer.alloc(16 * 1024, 0x41));
      },
    });
    const sink = new Writable({
      highWaterMark: 16 * 1024,
      write(chunk: Buffer, _enc, cb) {
        consumed += chunk.length;
        setImmediate(cb);
      },
    });
    await pipeline(source, createEncryptStream(key, header), createDecryptStream(key, { ...header, plaintextSize: total }), sink);
    assert.equal(consumed, total);
    assert.ok(maxLead < 2 * 1024 * 1024, `the producer ran ${maxLead} bytes ahead of the consumer`);
  });
});

describe("tampering is detected and nothing unverified is emitted", () => {
  const C16 = 16;
  const size = 16 * 5 + 7; // 6 chunks
  const stride = C16 + TAG_BYTES;

  async function setup(): Promise<{ key: Buffer; header: EncryptionHeader; plain: Buffer; sealed: Buffer }> {
    const key = newDataKey();
    const header = newHeader(C16);
    const plain = pattern(size);
    return { key, header, plain, sealed: await encrypt(key, header, plain) };
  }

  function assertCorrupt(result: { output: Buffer; error: Error | undefined }, plain: Buffer, verifiedChunks: number): void {
    assert.ok(result.error instanceof CiphertextCorruptError, `expected CiphertextCorruptError, got ${String(result.error)}`);
    assert.ok(result.output.length <= verifiedChunks * C16, `emitted ${result.output.length} bytes past ${verifiedChunks} verified chunks`);
    assert.ok(result.output.equals(plain.subarray(0, result.output.length)), "emitted bytes are a verified prefix");
  }

  it("a flipped byte in any chunk (body or tag)", async () => {
    const { key, header, plain, sealed } = await setup();
    for (let pos = 0; pos < sealed.length; pos++) {
      const bad = Buffer.from(sealed);
      bad[pos]! ^= 0x01;
      assertCorrupt(await decrypt(key, header, size, bad), plain, Math.floor(pos / stride));
    }
  });

  it("two chunks swapped", async () => {
    const { key, header, plain, sealed } = await setup();
    const bad = Buffer.concat([sealed.subarray(0, stride), sealed.subarray(2 * stride, 3 * stride), sealed.subarray(stride, 2 * stride), sealed.subarray(3 * stride)]);
    assertCorrupt(await decrypt(key, header, size, bad), plain, 1);
  });

  it("the last chunk dropped, or cut at a chunk boundary with the size metadata adjusted", async () => {
    const { key, header, plain, sealed } = await setup();
    assertCorrupt(await decrypt(key, header, size, sealed.subarray(0, 5 * stride)), plain, 5);
    assertCorrupt(await decrypt(key, header, size, sealed.subarray(0, sealed.length - 1)), plain, 5);
    // An attacker who also rewrote plaintextSize to 5 whole chunks: chunk 4 is not flagged final.
    assertCorrupt(await decrypt(key, header, 5 * C16, sealed.subarray(0, 5 * stride)), plain, 4);
  });

  it("garbage appended after the final chunk", async () => {
    const { key, header, plain, sealed } = await setup();
    assertCorrupt(await decrypt(key, header, size, Buffer.concat([sealed, Buffer.from("x")])), plain, 6);
    assertCorrupt(await decrypt(key, header, size, Buffer.concat([sealed, sealed.subarray(0, stride)])), plain, 6);
  });

  it("a wrong key or nonce base", async () => {
    const { key, header, plain, sealed } = await setup();
    assertCorrupt(await decrypt(newDataKey(), header, size, sealed), plain, 0);
    assertCorrupt(await decrypt(key, newHeader(C16), size, sealed), plain, 0);
  });

  it("a tampered chunk inside a range read", async () => {
    const { key, header, plain, sealed } = await setup();
    const r = ciphertextRangeFor({ start: 20, end: 70 }, size, C16);
    const slice = Buffer.from(sealed.subarray(r.start, r.end + 1));
    slice[stride + 3]! ^= 0x80; // second chunk of the slice = chunk 2
    const result = await decrypt(key, header, size, slice, { start: 20, end: 70 });
    assert.ok(result.error instanceof CiphertextCorruptError);
    assert.ok(result.output.equals(plain.subarray(20, 32)), "only chunk 1's requested bytes were emitted");
  });
});

describe("many tiny writes", () => {
  it("1-byte writes over several 64 KiB chunks round-trip (the byte queue is linear, not shift-quadratic)", async () => {
    const key = newDataKey();
    const header = newHeader();
    const plain = pattern(3 * C + 5);
    const sealed = await encrypt(key, header, plain, 1);
    const { output, error } = await decrypt(key, header, plain.length, sealed, undefined, 1);
    assert.equal(error, undefined);
    assert.ok(output.equals(plain));
  });
});
