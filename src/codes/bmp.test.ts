import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { detectCodes } from "./detect.js";
import { decodeImage } from "./decode-image.js";
import { CodesError } from "./types.js";

const QRCode = createRequire(import.meta.url)("qrcode") as { create(text: string): { modules: { size: number; get(x: number, y: number): number } } };

/** A QR code as a luminance raster: 6 px modules, 4-module quiet zone. */
function qrRaster(text: string): { width: number; height: number; dark(x: number, y: number): boolean } {
  const { modules } = QRCode.create(text);
  const scale = 6;
  const size = (modules.size + 8) * scale;
  return {
    width: size,
    height: size,
    dark: (x, y) => {
      const mx = Math.floor(x / scale) - 4;
      const my = Math.floor(y / scale) - 4;
      return mx >= 0 && my >= 0 && mx < modules.size && my < modules.size && modules.get(mx, my) === 1;
    },
  };
}

/** Writes a BMP with BITMAPINFOHEADER; `pixel` gives the bytes of one pixel for bpp ≥ 8, `bit` for 1 bpp. */
function bmp(r: ReturnType<typeof qrRaster>, bpp: 1 | 8 | 24 | 32, topDown: boolean): Buffer {
  const rowBytes = Math.ceil((r.width * bpp) / 32) * 4;
  const paletteBytes = bpp <= 8 ? (1 << bpp) * 4 : 0;
  const offset = 54 + paletteBytes;
  const out = Buffer.alloc(offset + rowBytes * r.height);
  out.write("BM", 0, "latin1");
  out.writeUInt32LE(out.length, 2);
  out.writeUInt32LE(offset, 10);
  out.writeUInt32LE(40, 14);
  out.writeInt32LE(r.width, 18);
  out.writeInt32LE(topDown ? -r.height : r.height, 22);
  out.writeUInt16LE(1, 26);
  out.writeUInt16LE(bpp, 28);
  if (bpp <= 8) {
    // palette: index 0 white, index 1 black, the rest grey
    for (let i = 0; i < 1 << bpp; i++) {
      const v = i === 0 ? 255 : i === 1 ? 0 : 128;
      out.writeUInt32LE((v << 16) | (v << 8) | v, 54 + i * 4);
    }
  }
  for (let y = 0; y < r.height; y++) {
    const row = offset + (topDown ? y : r.height - 1 - y) * rowBytes;
    for (let x = 0; x < r.width; x++) {
      const dark = r.dark(x, y);
      if (bpp === 1) {
        if (dark) out[row + (x >> 3)]! |= 0x80 >> (x & 7);
      } else if (bpp === 8) {
        out[row + x] = dark ? 1 : 0;
      } else {
        const v = dark ? 0 : 255;
        out.fill(v, row + x * (bpp / 8), row + x * (bpp / 8) + 3);
      }
    }
  }
  return out;
}

describe("BMP sources", () => {
  const text = "https://barbucket.example/bmp";
  const raster = qrRaster(text);
  for (const [bpp, topDown] of [[24, false], [24, true], [32, false], [8, false], [1, true]] as const) {
    it(`reads a QR code from a ${bpp}-bit ${topDown ? "top-down" : "bottom-up"} BMP`, async () => {
      const codes = await detectCodes(bmp(raster, bpp, topDown), { maxCodes: 5 });
      assert.equal(codes[0]?.Content, text);
      const box = codes[0]!.Boundary;
      assert.ok(box.Left >= 20 && box.Top >= 20 && box.Left + box.Width <= raster.width - 20, JSON.stringify(box));
    });
  }

  it("refuses truncated, compressed and oversized BMPs with the right error kind", async () => {
    const good = bmp(raster, 24, false);
    const kind = async (bytes: Uint8Array): Promise<string> => {
      try {
        await decodeImage(bytes);
        return "decoded";
      } catch (e) {
        return e instanceof CodesError ? e.kind : "other";
      }
    };
    assert.equal(await kind(good.subarray(0, good.length - 100)), "corrupt-image");
    assert.equal(await kind(good.subarray(0, 30)), "corrupt-image");
    const rle = Buffer.from(good);
    rle.writeUInt32LE(1, 30);
    assert.equal(await kind(rle), "unsupported-format");
    const huge = Buffer.from(good);
    huge.writeInt32LE(40_000, 18);
    assert.equal(await kind(huge), "image-too-large");
  });
});

describe("BMP fuzz", () => {
  it("every mutation of a BMP decodes or fails with a CodesError (bounded: 1500 cases)", async () => {
    const base = bmp(qrRaster("fuzz"), 8, false);
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let i = 0; i < 1500; i++) {
      const bytes = Buffer.from(base);
      for (let k = 0; k < 1 + rand(4); k++) bytes[rand(80)] = rand(256); // the headers are where it hurts
      try {
        await decodeImage(bytes.subarray(0, rand(3) === 0 ? rand(bytes.length) : bytes.length));
      } catch (e) {
        assert.ok(e instanceof CodesError, `case ${i}: ${String(e)}`);
      }
    }
  });
});
