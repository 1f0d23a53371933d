/** A 24-bit BMP (BITMAPINFOHEADER, bottom-up rows padded to 4 bytes): libvips has no BMP saver. */
export function encodeBmp(rgb: Uint8Array, width: number, height: number, channels: number): Buffer {
  const rowBytes = Math.ceil((width * 3) / 4) * 4;
  const pixelBytes = rowBytes * height;
  const out = Buffer.alloc(54 + pixelBytes);
  out.write("BM", 0, "latin1");
  out.writeUInt32LE(54 + pixelBytes, 2);
  out.writeUInt32LE(54, 10);
  out.writeUInt32LE(40, 14);
  out.writeInt32LE(width, 18);
  out.writeInt32LE(height, 22);
  out.writeUInt16LE(1, 26);
  out.writeUInt16LE(24, 28);
  out.writeUInt32LE(pixelBytes, 34);
  out.writeInt32LE(2835, 38); // 72 dpi
  out.writeInt32LE(2835, 42);
  for (let y = 0; y < height; y++) {
    const dst = 54 + (height - 1 - y) * rowBytes;
    for (let x = 0; x < width; x++) {
      const src = (y * width + x) * channels;
      const g = channels >= 3 ? 1 : 0;
      const b = channels >= 3 ? 2 : 0;
      out[dst + x * 3] = rgb[src + b]!;
      out[dst + x * 3 + 1] = rgb[src + g]!;
      out[dst + x * 3 + 2] = rgb[src]!;
    }
  }
  return out;
}
