/**
 * BMP decoding, which the libvips inside sharp's prebuilt binaries lacks. OSS accepts BMP sources,
 * so Barbucket reads the common kinds itself: BITMAPINFOHEADER and its V4/V5 successors, 1/4/8-bit
 * palettes, 16/24/32-bit pixels, BI_RGB and BI_BITFIELDS, bottom-up or top-down. RLE-compressed and
 * OS/2 bitmaps are refused as unsupported. The header is checked against the limits before any pixel
 * is touched; pixels go straight to 8-bit luminance with zxing-wasm's weights.
 */
import { CodesError } from "./types.js";
import type { Limits } from "./decode-image.js";

export interface BmpHeader {
  readonly width: number;
  readonly height: number;
  readonly topDown: boolean;
  readonly bitsPerPixel: number;
  readonly pixelOffset: number;
  readonly rowBytes: number;
  readonly masks: readonly [number, number, number] | undefined;
  readonly palette: Uint8Array | undefined;
}

export function isBmp(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x42 && bytes[1] === 0x4d;
}

function corrupt(message: string): CodesError {
  return new CodesError("corrupt-image", `BMP: ${message}`);
}

export function readBmpHeader(bytes: Uint8Array, limits: Readonly<Limits>): BmpHeader {
  if (bytes.length < 54) throw corrupt("truncated header");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const pixelOffset = view.getUint32(10, true);
  const infoSize = view.getUint32(14, true);
  if (infoSize < 40) throw new CodesError("unsupported-format", "BMP: OS/2 bitmaps are not supported.");
  const width = view.getInt32(18, true);
  const rawHeight = view.getInt32(22, true);
  const bitsPerPixel = view.getUint16(28, true);
  const compression = view.getUint32(30, true);
  if (width <= 0 || rawHeight === 0) throw corrupt("no dimensions");
  const height = Math.abs(rawHeight);
  if (width > limits.maxSide || height > limits.maxSide) {
    throw new CodesError("image-too-large", `The image is ${width}x${height}; each side must be at most ${limits.maxSide} px.`);
  }
  if (width * height > limits.maxPixels) throw new CodesError("image-too-large", `The image has more than ${limits.maxPixels} pixels.`);
  if (![1, 4, 8, 16, 24, 32].includes(bitsPerPixel)) throw corrupt(`unsupported bit depth ${bitsPerPixel}`);
  let masks: BmpHeader["masks"];
  if (compression === 3 || compression === 6) {
    if (bitsPerPixel !== 16 && bitsPerPixel !== 32) throw corrupt("bit fields need 16 or 32 bits per pixel");
    const at = infoSize >= 52 ? 54 : 14 + infoSize; // masks live in the V4/V5 header or right after BITMAPINFOHEADER
    if (bytes.length < at + 12) throw corrupt("truncated bit masks");
    masks = [view.getUint32(at, true), view.getUint32(at + 4, true), view.getUint32(at + 8, true)];
  } else if (compression !== 0) {
    throw new CodesError("unsupported-format", "BMP: RLE and other compressed bitmaps are not supported.");
  } else if (bitsPerPixel === 16) {
    masks = [0x7c00, 0x03e0, 0x001f];
  }
  let palette: Uint8Array | undefined;
  if (bitsPerPixel <= 8) {
    const colours = view.getUint32(46, true) || 1 << bitsPerPixel;
    const start = 14 + infoSize;
    if (colours > 256 || start + colours * 4 > bytes.length) throw corrupt("bad palette");
    palette = new Uint8Array(colours);
    for (let i = 0; i < colours; i++) {
      const o = start + i * 4;
      palette[i] = luma(bytes[o + 2]!, bytes[o + 1]!, bytes[o]!);
    }
  }
  const rowBytes = Math.ceil((width * bitsPerPixel) / 32) * 4;
  if (pixelOffset + rowBytes * height > bytes.length) throw corrupt("truncated pixel data");
  return { width, height, topDown: rawHeight < 0, bitsPerPixel, pixelOffset, rowBytes, masks, palette };
}

/** zxing-wasm's RGB→Y: (306 R + 601 G + 117 B + 512) >> 10. */
function luma(r: number, g: number, b: number): number {
  return (306 * r + 601 * g + 117 * b + 512) >> 10;
}

function maskChannel(value: number, mask: number): number {
  if (mask === 0) return 0;
  const shift = 31 - Math.clz32(mask & -mask);
  const bits = 32 - Math.clz32(mask >>> shift);
  const v = (value & mask) >>> shift;
  return bits >= 8 ? v >>> (bits - 8) : Math.round((v * 255) / ((1 << bits) - 1));
}

export function decodeBmpLuma(bytes: Uint8Array, h: BmpHeader): Uint8Array {
  const out = new Uint8Array(h.width * h.height);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let y = 0; y < h.height; y++) {
    const row = h.pixelOffset + (h.topDown ? y : h.height - 1 - y) * h.rowBytes;
    const dst = y * h.width;
    for (let x = 0; x < h.width; x++) {
      let value: number;
      switch (h.bitsPerPixel) {
        case 24:
          value = luma(bytes[row + x * 3 + 2]!, bytes[row + x * 3 + 1]!, bytes[row + x * 3]!);
          break;
        case 32:
          if (h.masks) {
            const p = view.getUint32(row + x * 4, true);
            value = luma(maskChannel(p, h.masks[0]), maskChannel(p, h.masks[1]), maskChannel(p, h.masks[2]));
          } else {
            value = luma(bytes[row + x * 4 + 2]!, bytes[row + x * 4 + 1]!, bytes[row + x * 4]!);
          }
          break;
        case 16: {
          const p = view.getUint16(row + x * 2, true);
          const m = h.masks!;
          value = luma(maskChannel(p, m[0]), maskChannel(p, m[1]), maskChannel(p, m[2]));
          break;
        }
        default: {
          const bpp = h.bitsPerPixel;
          const bit = x * bpp;
          const index = (bytes[row + (bit >> 3)]! >> (8 - bpp - (bit & 7))) & ((1 << bpp) - 1);
          value = h.palette![index] ?? 0;
        }
      }
      out[dst + x] = value;
    }
  }
  return out;
}
