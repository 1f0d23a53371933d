/** Small images for the tests, generated on the fly (qrcode + sharp; nothing is read from disk). */
import { crc32 } from "node:zlib";
import QRCode from "qrcode";
import sharp, { type Sharp } from "sharp";

/** A QR code PNG: `scale` px per module, `margin` modules of quiet zone. */
export async function qrPng(text: string, scale = 4, margin = 4): Promise<Buffer> {
  return QRCode.toBuffer(text, { scale, margin, errorCorrectionLevel: "M" });
}

/** Paste PNGs onto a white canvas at the given positions. */
export async function canvas(width: number, height: number, items: { png: Buffer; left: number; top: number }[]): Promise<Sharp> {
  return sharp({ create: { width, height, channels: 3, background: "#ffffff" } }).composite(
    items.map((i) => ({ input: i.png, left: i.left, top: i.top })),
  );
}

/** A valid 1×1 PNG whose IHDR claims `width`×`height` (decompression-bomb header), with a correct CRC. */
export async function pngWithClaimedSize(width: number, height: number): Promise<Buffer> {
  const png = Buffer.from(await sharp({ create: { width: 1, height: 1, channels: 3, background: "#fff" } }).png().toBuffer());
  // Signature (8) + length (4) + "IHDR" (4) → width at 16, height at 20; CRC over type+data at 29.
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)) >>> 0, 29);
  return png;
}

/** A hand-built GIF of `frames` 1×1 frames (encoders merge identical frames; this does not). */
export function manyFrameGif(frames: number, width = 1, height = 1): Buffer {
  const head = Buffer.from([
    ...Buffer.from("GIF89a"), width & 255, width >> 8, height & 255, height >> 8, 0x80, 0, 0,
    0, 0, 0, 255, 255, 255, // 2-colour global table
    0x21, 0xff, 0x0b, ...Buffer.from("NETSCAPE2.0"), 3, 1, 0, 0, 0, // loop forever
  ]);
  const frame = Buffer.from([
    0x21, 0xf9, 4, 0, 1, 0, 0, 0, // graphic control: 10 ms delay
    0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0, // 1×1 image at 0,0
    2, 2, 0x44, 0x01, 0, // LZW data of one pixel
  ]);
  return Buffer.concat([head, ...Array.from({ length: frames }, () => frame), Buffer.from([0x3b])]);
}
