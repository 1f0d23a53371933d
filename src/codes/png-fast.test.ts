/**
 * native/png_fast.c (libdeflate) against native/luma.c's libpng decoder: the same luminance, byte for byte, on
 * every PNG the fast path takes, and on everything else it declines so that libpng decides as before.
 * decodeLuma's "png-fast" and "png-libpng" formats run one decoder alone.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { crc32, deflateSync, inflateSync } from "node:zlib";
import sharp from "sharp";
import { datasetDir } from "../../test/synthetic/dataset.js";
import { nativeAddon } from "./native-addon.js";
import { qrPng } from "./test-images.js";

const decode = nativeAddon?.decodeLuma;
const skip = decode ? false : "native addon unavailable";
const required = process.env.BARBUCKET_REQUIRE_NATIVE === "1";

function chunk(name: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(name, 4, "latin1");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

const SIGNATURE = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);

function ihdr(width: number, height: number, type: number, depth = 8, interlace = 0): Buffer {
  const d = Buffer.alloc(13);
  d.writeUInt32BE(width, 0);
  d.writeUInt32BE(height, 4);
  d.set([depth, type, 0, 0, interlace], 8);
  return chunk("IHDR", d);
}

/** A PNG from raw pixels (channels per type), row r filtered with filters[r % filters.length], its zlib stream
 * split into IDATs of `split` bytes (0: one IDAT); `extra` chunks go before the IDATs. */
function png(width: number, height: number, type: number, pixels: Uint8Array, filters: number[],
  { split = 0, extra = [] as Buffer[], stream }: { split?: number; extra?: Buffer[]; stream?: (z: Buffer) => Buffer } = {}): Buffer {
  const bpp = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[type]!;
  const rowBytes = width * bpp;
  const raw = Buffer.alloc(height * (rowBytes + 1));
  for (let y = 0; y < height; y++) {
    const f = filters[y % filters.length]!;
    raw[y * (rowBytes + 1)] = f;
    for (let i = 0; i < rowBytes; i++) {
      const x = pixels[y * rowBytes + i]!;
      const a = i >= bpp ? pixels[y * rowBytes + i - bpp]! : 0;
      const b = y > 0 ? pixels[(y - 1) * rowBytes + i]! : 0;
      const c = y > 0 && i >= bpp ? pixels[(y - 1) * rowBytes + i - bpp]! : 0;
      const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
      const predictor = [0, a, b, (a + b) >> 1, pa <= pb && pa <= pc ? a : pb <= pc ? b : c][f] ?? 0;
      raw[y * (rowBytes + 1) + 1 + i] = (x - predictor) & 255;
    }
  }
  let z: Buffer = deflateSync(raw);
  if (stream) z = stream(z);
  const idats: Buffer[] = [];
  if (split > 0) for (let at = 0; at < z.length; at += split) idats.push(chunk("IDAT", z.subarray(at, at + split)));
  else idats.push(chunk("IDAT", z));
  return Buffer.concat([SIGNATURE, ihdr(width, height, type), ...extra, ...idats, chunk("IEND", new Uint8Array(0))]);
}

function noise(n: number, seed = 3): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (seed = (seed * 1103515245 + 12345) >>> 0) >>> 16;
  return out;
}

const palette = chunk("PLTE", noise(16 * 3, 11));

/** A zlib stream of `raw` at least `size` bytes long: empty stored blocks, then `raw` stored, then the Adler-32. */
function paddedStream(raw: Buffer, size: number): Buffer {
  const empty = Buffer.from([0x00, 0x00, 0x00, 0xff, 0xff]); // a non-final stored block of 0 bytes
  const last = Buffer.from([0x01, raw.length & 255, raw.length >> 8, ~raw.length & 255, (~raw.length >> 8) & 255]);
  const adler = Buffer.alloc(4);
  let a = 1, b = 0;
  for (const byte of raw) { a = (a + byte) % 65521; b = (b + a) % 65521; }
  adler.writeUInt32BE(((b << 16) | a) >>> 0, 0);
  const count = Math.ceil((size - 2 - last.length - raw.length - 4) / empty.length);
  return Buffer.concat([Buffer.from([0x78, 0x01]), Buffer.alloc(count * empty.length).map((_, i) => empty[i % 5]!), last, raw, adler]);
}

/** Both decoders agree; returns whether the fast one took the image. */
function agree(bytes: Uint8Array, what: string, linearLight = false): boolean {
  const fast = decode!(bytes, "png-fast", 1e9, linearLight);
  const ref = decode!(bytes, "png-libpng", 1e9, linearLight);
  const both = decode!(bytes, "png", 1e9, linearLight);
  if (fast) {
    assert.ok(ref, `${what}: the fast path took an image libpng declines`);
    assert.deepEqual([fast.width, fast.height], [ref.width, ref.height], what);
    assert.ok(Buffer.from(fast.data).equals(Buffer.from(ref.data)), `${what}: luminance differs`);
  }
  // "png" is the fast path, else libpng: always libpng's answer.
  assert.equal(both === null, ref === null, what);
  if (both && ref) assert.ok(Buffer.from(both.data).equals(Buffer.from(ref.data)), what);
  return fast !== null;
}

describe("fast PNG decoder (libdeflate)", () => {
  it("is built where CI requires the native addon", { skip: !required }, () => {
    const one = png(2, 2, 0, new Uint8Array(4), [0]);
    assert.ok(decode?.(one, "png-fast", 1e9, false), "png_fast.c was compiled without libdeflate");
  });

  it("takes every 8-bit colour type and filter, one IDAT or many, as libpng decodes them", { skip }, () => {
    const w = 37, h = 23;
    for (const type of [0, 2, 3, 4, 6]) {
      const bpp = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[type]!;
      const pixels = type === 3 ? noise(w * h).map((v) => v & 15) : noise(w * h * bpp, type + 1);
      for (const filters of [[0], [1], [2], [3], [4], [4, 3, 2, 1, 0]]) {
        for (const split of [0, 1, 97]) {
          const bytes = png(w, h, type, pixels, filters, { split, extra: type === 3 ? [palette] : [] });
          for (const linear of [false, true]) {
            assert.ok(agree(bytes, `type ${type} filters ${filters} split ${split} linear ${linear}`, linear),
              `type ${type} filters ${filters} split ${split}: declined`);
          }
        }
      }
    }
  });

  it("decodes large images (pixels in huge-page mappings of their own, native/buffers.c) as libpng does", { skip }, () => {
    const w = 1601, h = 1403; // 2.2 MB of luminance: above HUGE_MIN, not a multiple of 2 MiB
    const bytes = png(w, h, 2, noise(w * h * 3, 5), [0, 1, 2, 3, 4], { split: 65536 });
    for (let i = 0; i < 3; i++) assert.ok(agree(bytes, `large ${i}`), "declined");
    // 17.6 MB of filtered rows: more than the kept scratch buffer, so inflated into a mapping of its own
    const big = png(2100, 2100, 6, noise(2100 * 2100 * 4, 9), [0, 2]);
    assert.ok(agree(big, "above the scratch buffer"), "declined");
  });

  it("frees a worker thread's scratch buffer when the worker ends, also once Node has unloaded the addon", { skip }, () => {
    // In a process whose main thread never loads the addon, so that Node unloads it when each worker ends (a
    // thread-exit destructor in the addon then crashed the process).
    const addon = fileURLToPath(new URL("../../../build/Release/barbucket_luma.node", import.meta.url));
    const dir = mkdtempSync(join(tmpdir(), "png-fast-"));
    try {
      const file = join(dir, "image.png");
      writeFileSync(file, png(600, 500, 2, noise(600 * 500 * 3, 4), [1]));
      const worker = `const { workerData, parentPort } = require("node:worker_threads");
        const got = require(workerData.addon).decodeLuma(require("node:fs").readFileSync(workerData.file), "png-fast", 1e9, false);
        parentPort.postMessage(got ? got.width : null);`;
      const main = `const { Worker } = require("node:worker_threads");
        (async () => {
          for (let i = 0; i < 4; i++) {
            const w = new Worker(${JSON.stringify(worker)}, { eval: true, workerData: ${JSON.stringify({ addon, file })} });
            console.log(await new Promise((resolve) => w.once("message", resolve)));
            await w.terminate();
          }
        })();`;
      const run = spawnSync(process.execPath, ["-e", main], { encoding: "utf8", timeout: 60_000 });
      assert.equal(run.status, 0, `exit ${run.status} ${run.signal ?? ""} ${run.stderr}`);
      assert.deepEqual(run.stdout.trim().split("\n"), ["600", "600", "600", "600"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("ignores ancillary chunks and data after IEND, as libpng does", { skip }, () => {
    const pixels = noise(20 * 10 * 3);
    const text = chunk("tEXt", Buffer.from("Comment\0hello"));
    const bytes = Buffer.concat([png(20, 10, 2, pixels, [4], { extra: [text, chunk("pHYs", new Uint8Array(9))] }), Buffer.from("trailing")]);
    assert.ok(agree(bytes, "ancillary"));
  });

  it("declines what it does not take, and libpng then decides as before", { skip }, () => {
    const w = 16, h = 8, pixels = noise(w * h * 3);
    const good = png(w, h, 2, pixels, [1]);
    const iend = good.length - 12;
    const idatAt = good.indexOf("IDAT") - 4;
    const flip = (at: number) => { const b = Buffer.from(good); b[at]! ^= 1; return b; };
    const cases: Record<string, Buffer> = {
      "bad IDAT CRC": flip(iend - 1),
      "bad IHDR CRC": flip(8 + 8 + 13),
      "no IEND": good.subarray(0, iend),
      "cut in IDAT": good.subarray(0, idatAt + 20),
      "data after the zlib stream": png(w, h, 2, pixels, [1], { stream: (z) => Buffer.concat([z, Buffer.from([0, 0])]) }),
      "zlib stream too short": png(w, h, 2, pixels, [1], { stream: () => deflateSync(Buffer.alloc((w * 3 + 1) * (h - 1))) }),
      "zlib stream too long": png(w, h, 2, pixels, [1], { stream: () => deflateSync(Buffer.alloc((w * 3 + 1) * (h + 1))) }),
      "bad Adler-32": png(w, h, 2, pixels, [1], { stream: (z) => { const b = Buffer.from(z); b[b.length - 1]! ^= 1; return b; } }),
      // libpng honours a declared window under 32 KiB (and refuses matches beyond it), libdeflate does not
      "zlib window of 512 bytes": png(w, h, 2, pixels, [1], { stream: (z) => deflateSync(inflateSync(z), { windowBits: 9 }) }),
      // libpng refuses an IDAT chunk larger than both 8 000 000 bytes and its estimate of the image's stream
      "IDAT over libpng's limit": png(1, 1, 0, new Uint8Array(1), [0], { stream: (z) => paddedStream(inflateSync(z), 8_000_100) }),
      "more ancillary chunks than libpng keeps": png(w, h, 2, pixels, [0], { extra: Array.from({ length: 1000 }, () => chunk("tEXt", Buffer.from("k\0v"))) }),
      "filter type 5": png(w, h, 2, pixels, [5]),
      "palette index beyond the palette": png(w, h, 3, noise(w * h).map((v) => v | 16), [0], { extra: [palette] }),
      "palette image without PLTE": png(w, h, 3, noise(w * h).map((v) => v & 15), [0]),
      "PLTE in a grey image": png(w, h, 0, noise(w * h), [0], { extra: [palette] }),
      "tRNS": png(w, h, 2, pixels, [0], { extra: [chunk("tRNS", new Uint8Array(6))] }),
      "unknown critical chunk": png(w, h, 2, pixels, [0], { extra: [chunk("ZZZZ", new Uint8Array(3))] }),
      "IDATs not consecutive": Buffer.concat([SIGNATURE, ihdr(w, h, 2), ...(() => {
        const z = deflateSync(Buffer.concat(Array.from({ length: h }, () => Buffer.alloc(w * 3 + 1))));
        return [chunk("IDAT", z.subarray(0, 5)), chunk("tEXt", Buffer.from("a\0b")), chunk("IDAT", z.subarray(5))];
      })(), chunk("IEND", new Uint8Array(0))]),
      "IHDR not first": Buffer.concat([SIGNATURE, chunk("tEXt", Buffer.from("a\0b")), good.subarray(8)]),
      "16-bit": Buffer.concat([SIGNATURE, ihdr(w, h, 0, 16), good.subarray(33)]),
      "interlaced": Buffer.concat([SIGNATURE, ihdr(w, h, 2, 8, 1), good.subarray(33)]),
    };
    for (const [what, bytes] of Object.entries(cases)) {
      assert.equal(agree(bytes, what), false, `${what}: taken`);
    }
    assert.equal(agree(good, "the unbroken image"), true);
  });

  it("gives what libpng gives on sharp's PNGs and on the dataset's", { skip }, async () => {
    const qr = await sharp(await qrPng("png fast", 4)).resize(300).toBuffer();
    const base = sharp({ create: { width: 320, height: 330, channels: 4, background: { r: 200, g: 120, b: 40, alpha: 0.6 } } })
      .composite([{ input: qr, left: 10, top: 20 }]);
    const made = [
      await base.clone().png().toBuffer(),
      await base.clone().flatten({ background: "#fff" }).png({ adaptiveFiltering: true, compressionLevel: 9 }).toBuffer(),
      await base.clone().flatten({ background: "#fff" }).png({ compressionLevel: 0 }).toBuffer(),
      await base.clone().flatten({ background: "#fff" }).greyscale().png().toBuffer(),
      await base.clone().flatten({ background: "#fff" }).png({ palette: true }).toBuffer(),
    ];
    for (const [i, bytes] of made.entries()) assert.ok(agree(bytes, `sharp ${i}`), `sharp ${i}: declined`);
    const dir = datasetDir();
    if (!existsSync(dir)) return;
    const pngs = readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".png"));
    let taken = 0;
    for (const f of pngs) if (agree(readFileSync(join(dir, f)), f)) taken++;
    assert.ok(taken > 0 || pngs.length === 0, "the fast path took none of the dataset's PNGs");
  });
});
