import { nativeAddon } from "../codes/native-addon.js";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import { crc64, crc64Combine, crc64ToString, crc64Update, crc64UpdateJs } from "./crc64.js";

/** Bit-at-a-time reference implementation straight from the definition. */
function referenceCrc64(data: Uint8Array): bigint {
  let crc = 0xffffffffffffffffn;
  for (const byte of data) {
    crc ^= BigInt(byte);
    for (let bit = 0; bit < 8; bit++) crc = crc & 1n ? (crc >> 1n) ^ 0xc96c5795d7870f42n : crc >> 1n;
  }
  return crc ^ 0xffffffffffffffffn;
}

describe("crc64 (ECMA-182, as x-oss-hash-crc64ecma)", () => {
  it("matches the check vectors", () => {
    assert.equal(crc64(Buffer.from("123456789")), 11051210869376104954n);
    assert.equal(crc64(Buffer.alloc(0)), 0n);
    assert.equal(crc64ToString(crc64(Buffer.from("123456789"))), "11051210869376104954");
  });

  it("matches the bit-wise definition for every length 0..64 and odd offsets", () => {
    const data = randomBytes(200);
    for (let length = 0; length <= 64; length++) {
      for (const offset of [0, 1, 3, 7]) {
        const slice = data.subarray(offset, offset + length);
        assert.equal(crc64(slice), referenceCrc64(slice), `length ${length} offset ${offset}`);
      }
    }
  });

  it("is incremental: any split gives the same CRC", () => {
    const data = randomBytes(10_000);
    const whole = crc64(data);
    for (const cut of [0, 1, 7, 8, 9, 4095, 9999, 10_000]) {
      assert.equal(crc64Update(crc64(data.subarray(0, cut)), data.subarray(cut)), whole, `cut ${cut}`);
    }
  });

  it("combine(crcA, crcB, lenB) equals crc(A ‖ B) on random data", () => {
    for (const [lengthA, lengthB] of [[0, 0], [0, 5], [5, 0], [1, 1], [100, 1], [3, 4096], [65_537, 131_071], [1_000_000, 12_345]]) {
      const a = randomBytes(lengthA!);
      const b = randomBytes(lengthB!);
      assert.equal(crc64Combine(crc64(a), crc64(b), b.length), crc64(Buffer.concat([a, b])), `${lengthA}+${lengthB}`);
    }
  });

  it("combines many parts like a multipart upload", () => {
    const parts = [100, 5000, 1, 77_777, 0, 4096].map((n) => randomBytes(n));
    const combined = parts.reduce((crc, part) => crc64Combine(crc, crc64(part), part.length), 0n);
    assert.equal(combined, crc64(Buffer.concat(parts)));
  });

  it("handles lengths beyond 4 GiB without reading data (zeros check)", () => {
    // crc(A ‖ zeros(n)) computed two ways for a length that exercises high operator bits.
    const a = Buffer.from("barbucket");
    const zeros = Buffer.alloc(3 * 1024 * 1024 + 5);
    const direct = crc64(Buffer.concat([a, zeros]));
    assert.equal(crc64Combine(crc64(a), crc64(zeros), zeros.length), direct);
    const huge = 2 ** 40 + 12345;
    assert.equal(typeof crc64Combine(123n, 456n, huge), "bigint");
    assert.throws(() => crc64Combine(1n, 1n, -1), RangeError);
  });

  it("the native update (when the addon is built) equals the JS reference, at any offset and length", () => {
    const data = randomBytes(200_003);
    for (const [start, end] of [[0, 200_003], [1, 4099], [3, 65_539], [7, 8], [5, 5], [4096, 150_001]]) {
      const part = data.subarray(start!, end!);
      for (const seed of [0n, 1n, 0xffffffffffffffffn, 0x995dc9bbdf1939fan]) {
        assert.equal(crc64Update(seed, part), crc64UpdateJs(seed, part), `${start}-${end} from ${seed}`);
      }
    }
    assert.equal(crc64Update(0n, Buffer.alloc(8192, "123456789")), crc64UpdateJs(0n, Buffer.alloc(8192, "123456789")));
  });

  it("the native update's carry-less folding (PCLMULQDQ, from 64 bytes) equals the JS reference at every length and offset near its block edges", () => {
    const native = nativeAddon?.crc64Update;
    if (!native) return; // the addon is not built: crc64Update is the JS reference itself
    const data = randomBytes(1024);
    for (let length = 0; length <= 300; length++) {
      for (const offset of [0, 1, 8, 15]) {
        const part = data.subarray(offset, offset + length);
        for (const seed of [0n, 0x995dc9bbdf1939fan]) assert.equal(native(seed, part), crc64UpdateJs(seed, part), `${length} bytes at ${offset} from ${seed}`);
      }
    }
  });
});
