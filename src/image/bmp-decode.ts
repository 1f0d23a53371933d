/**
 * BMP sources for image actions: the libvips inside sharp has no BMP loader. The header is read and
 * checked by codes/bmp.ts (the same kinds and limits image/codes accepts); pixels become RGB here.
 */
import { readBmpHeader } from "../codes/bmp.js";
import { LIMITS } from "../codes/decode-image.js";

function channel(value: number, mask: number): number {
  if (mask === 0) return 0;
  const shift = 31 - Math.clz32(mask & -mask);
  const bits = 32 - Math.clz32(mask >>> shift);
  const v = (value & mask) >>> shift;
  return bits >= 8 ? v >>> (bits - 8) : Math.round((v * 255) / ((1 << bits) - 1));
}

export function decodeBmpRgb(bytes: Uint8Array): { data: Buffer; width: number; height: number } {
  const h = readBmpHeader(bytes, LIMITS);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const paletteStart = 14 + view.getUint32(14, true);
  const out = Buffer.alloc(h.width * h.height * 3);
  for (let y = 0; y < h.height; y++) {
    const row = h.pixelOffset + (h.topDown ? y : h.height - 1 - y) * h.rowBytes;
    for (let x = 0; x < h.width; x++) {
      let r: number, g: number, b: number;
      if (h.bitsPerPixel === 24 || (h.bitsPerPixel === 32 && !h.masks)) {
        const o = row + x * (h.bitsPerPixel / 8);
        [b, g, r] = [bytes[o]!, bytes[o + 1]!, bytes[o + 2]!];
      } else if (h.bitsPerPixel >= 16) {
        const p = h.bitsPerPixel === 32 ? view.getUint32(row + x * 4, true) : view.getUint16(row + x * 2, true);
        const m = h.masks!;
        [r, g, b] = [channel(p, m[0]), channel(p, m[1]), channel(p, m[2])];
      } else {
        const bpp = h.bitsPerPixel;
        const bit = x * bpp;
        const index = (bytes[row + (bit >> 3)]! >> (8 - bpp - (bit & 7))) & ((1 << bpp) - 1);
        const o = paletteStart + index * 4;
        [b, g, r] = index < h.palette!.length ? [bytes[o]!, bytes[o + 1]!, bytes[o + 2]!] : [0, 0, 0];
      }
      out.set([r, g, b], (y * h.width + x) * 3);
    }
  }
  return { data: out, width: h.width, height: h.height };
}
